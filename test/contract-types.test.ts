// The TypeScript types in src/contract/types.ts and the schemas in schemas/ must describe the same
// documents. Each example below is typed with every optional field made required, so the compiler
// proves it has every field of the type; the test proves the schema declares exactly those fields.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type {
  BenchmarkHistory,
  BenchmarksSummary,
  CoverageLines,
  HpcRequest,
  HpcResults,
  Meta,
  ShieldsEndpoint,
  TestsSummary,
} from "../src/contract/types.js";
import { checkDocument, type DocumentKind } from "../src/contract/validate.js";
import { REPO_ROOT } from "./harness/run-action.js";

type Complete<T> =
  T extends Array<infer U>
    ? Array<Complete<U>>
    : T extends object
      ? { [K in keyof T as string extends K ? never : K]-?: Complete<Exclude<T[K], undefined | null>> }
      : T;

const C = "0123456789abcdef0123456789abcdef01234567";
const counts = { passed: 1, failed: 1, errored: 0, broken: 0, skipped: 0, total: 2, duration_seconds: 1 };
const bench = {
  median_ms: 1,
  mean_ms: 1,
  min_ms: 1,
  delta_vs_baseline_pct: 1,
  baseline_median_ms: 1,
  regression: false,
  memory_bytes: 1,
  allocs: 1,
  unit: "ms",
  max_ms: 2,
  std_ms: 0.5,
  samples: 3,
  gc_ms: 0.1,
  value: 1,
  direction: "smaller_is_better" as const,
  verdict: "unchanged" as const,
  evidence: {
    history_points: 5,
    baseline_commit: C,
    tentative: false,
    shift_pct: 0,
    note: "n",
    time: metric(),
    value: metric(),
    allocs: metric(),
    memory: metric(),
  },
};
function metric() {
  return { baseline: 1, current: 1, change_pct: 0, band_pct: 5, verdict: "unchanged" as const };
}
const judgeFields = {
  verdict: "unchanged" as const,
  shifts: [{ suite: "io", node: "n1", factor: 3, benchmarks: 5, of: 6 }],
  judge: {
    floor_pct: 5,
    cap_pct: 100,
    min_history: 5,
    history_limit: 100,
    tolerance_pct: 1,
    history_branch: "main",
    history_points: 5,
    environment: "e",
    sources: { floor_pct: "default" },
  },
  confirmed: false,
};
const failure = {
  kind: "failed" as const,
  testset: ["Pkg", "io"],
  name: "t",
  file: "test/io.jl",
  line: 12,
  expression: "x == 1",
  evaluated: "2 == 1",
  message: "m",
  flaky: false,
};
const failureLists = { failures: [failure], failures_total: 1, attempts: 2, flaky: [failure] };
const baseline = { commit: C, branch: "main", generated_at: "2026-01-01T00:00:00Z" };

const hpcResults: Complete<HpcResults> = {
  schema_version: 1,
  commit: C,
  branch: "main",
  tag: "v1",
  generated_at: "2026-01-01T00:00:00Z",
  generated_by: "x",
  repository: "o/r",
  hpc: {
    cluster: "c",
    job_id: "1",
    node: "n",
    julia_version: "1.10.10",
    scheduler: "slurm",
    partition: "p",
    account: "a",
    nodes: 1,
    cpus: 2,
    walltime_seconds: 3,
    time_limit_seconds: 4,
    pipeline_id: "5",
    runtime_versions: { julia: "1" },
    cpu_model: "cpu",
    threads: 4,
    os: "Linux",
    arch: "x86_64",
  },
  coverage: {
    flag: "f",
    coverage_percent: 1,
    total_lines: 2,
    covered_lines: 1,
    report_file: "r",
    summary_file: "s",
  },
  tests: {
    status: "passed",
    duration_seconds: 1,
    log_file: "l",
    suites: { s: counts },
    totals: counts,
    reason: "r",
    ...failureLists,
  },
  benchmarks: {
    status: "passed",
    duration_seconds: 1,
    tutorials_log: "t",
    benchmarks_log: "b",
    results: { b: bench },
    baseline,
    regression_threshold_pct: 10,
    worst_regression_pct: 1,
    reason: "r",
    ...judgeFields,
  },
  sources: ["x"],
  dirty: false,
  pushed: true,
  results_commit: C,
  results_index: 7,
};
const testsSummary: Complete<TestsSummary> = {
  schema_version: 1,
  commit: C,
  status: "failed",
  generated_at: "2026-01-01T00:00:00Z",
  duration_seconds: 1,
  suites: { s: counts },
  totals: counts,
  reason: "r",
  ...failureLists,
};
const benchmarksSummary: Complete<BenchmarksSummary> = {
  schema_version: 1,
  commit: C,
  status: "passed",
  generated_at: "2026-01-01T00:00:00Z",
  duration_seconds: 1,
  benchmarks: { b: bench },
  baseline,
  regression_threshold_pct: 10,
  reason: "r",
  ...judgeFields,
};
const meta: Complete<Meta> = {
  schema_version: 1,
  commit: C,
  branch: "b",
  tag: "t",
  generated_at: "2026-01-01T00:00:00Z",
  scheduler: "pbs",
  cluster: "c",
  partition: "p",
  account: "a",
  job_id: "j",
  pipeline_id: "p",
  node: "n",
  nodes: 1,
  cpus: 1,
  walltime_seconds: 1,
  time_limit_seconds: 1,
  runtime_versions: { julia: "1" },
  flags: ["f"],
  options: ["o"],
  tests_status: "passed",
  benchmarks_status: "unknown",
  coverage_percent: 5,
  dirty: false,
  pushed: true,
};
const endpoint: Complete<ShieldsEndpoint> = {
  schemaVersion: 1,
  label: "l",
  message: "m",
  color: "c",
  labelColor: "c",
  isError: false,
  namedLogo: "n",
  logoSvg: "s",
  logoColor: "c",
  logoSize: "auto",
  logoWidth: 1,
  logoPosition: 0,
  style: "flat",
  cacheSeconds: 300,
};

const history: Complete<BenchmarkHistory> = {
  schema_version: 1,
  branch: "main",
  runs: [
    {
      commit: C,
      generated_at: "2026-01-01T00:00:00Z",
      node: "n",
      environment: {
        cluster: "c",
        cpu_model: "cpu",
        julia_version: "1.10.10",
        threads: 4,
        os: "Linux",
        arch: "x86_64",
      },
      benchmarks: {
        b: { median_ms: 1, min_ms: 1, value: 1, direction: "bigger_is_better", allocs: 1, memory_bytes: 1 },
      },
    },
  ],
};

const coverageLines: Complete<CoverageLines> = {
  schema_version: 1,
  commit: C,
  files: { "src/a.jl": { covered: [[1, 3]], missed: [[4, 4]] } },
};

const request: Complete<HpcRequest> = {
  schema_version: 1,
  id: "pr-12-c345",
  source: "pull_request",
  what: "all",
  commit: C,
  repository: "o/r",
  pull_request: 12,
  branch: "main",
  tag: "v1.0.0",
  requested_by: "maintainer",
  requested_at: "2026-01-01T00:00:00Z",
  comment_id: 345,
  state: "running",
  updated_at: "2026-01-01T00:01:00Z",
  claimed_by: "login1:1234",
  claimed_at: "2026-01-01T00:01:00Z",
  job_id: "42",
  reason: "r",
  check_run_id: 7,
  events: [{ state: "queued", at: "2026-01-01T00:00:00Z", by: "maintainer", reason: "r", job_id: "42" }],
};

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
};

function load(file: string): Schema & { $defs?: Record<string, Schema> } {
  return JSON.parse(readFileSync(join(REPO_ROOT, "schemas", file), "utf8"));
}

function resolve(schema: Schema, file: string): [Schema, string] {
  if (!schema.$ref) return [schema, file];
  const [target, pointer] = schema.$ref.split("#");
  const targetFile = target || file;
  let node: unknown = load(targetFile);
  for (const part of (pointer ?? "").split("/").filter(Boolean))
    node = (node as Record<string, unknown>)[part];
  return resolve(node as Schema, targetFile);
}

/** Every property the schema declares is in the example and vice versa, at every depth. */
function compare(schemaIn: Schema, fileIn: string, value: unknown, path: string, problems: string[]): void {
  const [schema, file] = resolve(schemaIn, fileIn);
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((v, i) => compare(schema.items!, file, v, `${path}/${i}`, problems));
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (schema.properties) {
    const declared = Object.keys(schema.properties).sort();
    const present = Object.keys(value).sort();
    for (const k of declared)
      if (!present.includes(k)) problems.push(`${path}/${k}: in the schema, not in the type`);
    for (const k of present)
      if (!declared.includes(k)) problems.push(`${path}/${k}: in the type, not in the schema`);
    for (const k of declared) {
      if (k in value)
        compare(schema.properties[k]!, file, (value as Record<string, unknown>)[k], `${path}/${k}`, problems);
    }
  } else if (typeof schema.additionalProperties === "object") {
    for (const [k, v] of Object.entries(value))
      compare(schema.additionalProperties, file, v, `${path}/${k}`, problems);
  }
}

const cases: Array<[DocumentKind, string, unknown]> = [
  ["hpc-results", "hpc-results.schema.json", hpcResults],
  ["tests-summary", "tests-summary.schema.json", testsSummary],
  ["benchmarks-summary", "benchmarks-summary.schema.json", benchmarksSummary],
  ["meta", "meta.schema.json", meta],
  ["shields-endpoint", "shields-endpoint.schema.json", endpoint],
  ["benchmark-history", "benchmark-history.schema.json", history],
  ["coverage-lines", "coverage-lines.schema.json", coverageLines],
  ["hpc-request", "hpc-request.schema.json", request],
];

describe("types and schemas agree", () => {
  it.each(cases)("%s: every field of the type is in the schema and the reverse", (kind, file, example) => {
    const problems: string[] = [];
    compare(load(file), file, example, "", problems);
    expect(problems).toEqual([]);
    expect(checkDocument(kind, example, file)).toEqual([]);
  });

  it("would notice a field missing from the schema", () => {
    const problems: string[] = [];
    compare(load("meta.schema.json"), "meta.schema.json", { ...meta, extra_field: 1 }, "", problems);
    expect(problems).toEqual(["/extra_field: in the type, not in the schema"]);
  });
});
