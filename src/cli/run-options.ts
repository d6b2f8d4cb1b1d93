// The flags of `run` (also accepted by `submit`, which passes them on to the job).
import type { RunMode } from "../run/run.js";
import { UsageError } from "./errors.js";

export const RUN_OPTIONS = {
  "tests-only": { type: "boolean" },
  "benchmarks-only": { type: "boolean" },
  "with-benchmarks": { type: "boolean" },
  "upload-only": { type: "boolean" },
  "no-codecov": { type: "boolean" },
  "no-publish": { type: "boolean" },
  shard: { type: "string" },
  "bench-floor-pct": { type: "string" },
  "bench-cap-pct": { type: "string" },
  "bench-min-history": { type: "string" },
  "bench-history-limit": { type: "string" },
  "bench-tolerance-pct": { type: "string" },
} as const;

export function runMode(values: Record<string, unknown>, publishDefault: boolean): RunMode {
  const exclusive = ["tests-only", "benchmarks-only", "upload-only"].filter((k) => values[k]);
  if (exclusive.length > 1) throw new UsageError(`--${exclusive.join(" and --")} cannot be used together`);
  if (values["tests-only"] && values["with-benchmarks"])
    throw new UsageError("--tests-only and --with-benchmarks contradict each other");
  let shard: RunMode["shard"];
  if (typeof values.shard === "string") {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
      throw new UsageError(`--shard must be I/N with 1 <= I <= N, not ${values.shard}`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  const options = Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? `--${k}` : `--${k}=${String(v)}`));
  return {
    tests: !values["benchmarks-only"],
    benchmarks: values["tests-only"]
      ? "off"
      : values["with-benchmarks"] || values["benchmarks-only"]
        ? "on"
        : "auto",
    uploadOnly: Boolean(values["upload-only"]),
    codecov: !values["no-codecov"],
    publish: !values["no-publish"] && !shard && publishDefault,
    shard,
    options,
  };
}
