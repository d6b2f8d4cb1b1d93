// A run as Markdown tables, for job summaries (and, later, pull-request comments).
import type { HpcResults, TestCounts } from "../contract/types.js";
import { assessBenchmarks, benchmarksHeadline, worstChangeText } from "./benchmark-assessment.js";
import { signed } from "./signed.js";

export { signed };
import { escapeGitHubText } from "./escape.js";

const md = (text: string) => escapeGitHubText(text, 1000);

export const STATUS_ICON: Record<string, string> = { passed: "✅", failed: "❌", skipped: "⏭️" };

export function statusText(status: string | undefined): string {
  if (!status) return "not run";
  return `${STATUS_ICON[status] ?? ""} ${status}`.trim();
}

/** A duration as people write it: "45 s", "9 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h} h ${two(m)} min` : m > 0 ? `${m} min ${two(s % 60)} s` : `${s} s`;
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return typeof value === "number" ? `${value.toFixed(digits)}%` : "n/a";
}

export function formatCounts(counts: TestCounts | undefined): string {
  if (!counts) return "";
  const parts = (["passed", "failed", "errored", "broken", "skipped"] as const)
    .filter((k) => (counts[k] ?? 0) > 0 || k === "passed")
    .map((k) => `${counts[k] ?? 0} ${k}`);
  return parts.join(", ");
}

/** The cluster said it did not test exactly this commit as others see it. */
export function truthWarnings(run: HpcResults): string[] {
  const warnings: string[] = [];
  if (run.dirty === true)
    warnings.push("tested with local changes: the work tree differed from this commit (dirty)");
  if (run.pushed === false)
    warnings.push("the results remote did not have this commit when it was tested (not pushed)");
  return warnings;
}

/** Field/value table of one run. Every string from the run is escaped. */
export function runTable(run: HpcResults): string {
  const rows: Array<[string, string]> = [
    ["Commit", `\`${run.commit}\``],
    ["Branch", md(run.branch ?? "")],
    ["Generated at (UTC)", md(run.generated_at ?? "")],
  ];
  const hpc = run.hpc ?? {};
  const where = [hpc.cluster, hpc.partition].filter(Boolean).join(" / ");
  if (where) rows.push(["Cluster", md(where)]);
  if (hpc.scheduler) rows.push(["Scheduler", md(hpc.scheduler)]);
  rows.push(["Job ID", md(hpc.job_id || "n/a")]);
  if (hpc.node) rows.push(["Node", md(hpc.node)]);
  if (hpc.julia_version) rows.push(["Julia", md(hpc.julia_version)]);
  if (hpc.walltime_seconds !== undefined) rows.push(["Walltime", formatDuration(hpc.walltime_seconds)]);
  const tests = run.tests;
  rows.push([
    "Tests",
    tests
      ? [statusText(tests.status), formatCounts(tests.totals), formatDuration(tests.duration_seconds)]
          .filter(Boolean)
          .join(" · ")
      : "not reported",
  ]);
  const bench = run.benchmarks;
  const assessed = assessBenchmarks(bench);
  rows.push([
    "Benchmarks",
    bench
      ? [
          statusText(assessed.verdict),
          bench.results ? `${Object.keys(bench.results).length} benchmarks` : "",
          benchmarksHeadline(assessed),
          worstChangeText(assessed),
          formatDuration(bench.duration_seconds),
        ]
          .filter(Boolean)
          .join(" · ")
      : "not reported",
  ]);
  const cov = run.coverage;
  rows.push([
    "Coverage",
    cov
      ? `${formatPercent(cov.coverage_percent, 2)}${cov.total_lines !== undefined ? ` (${cov.covered_lines ?? "?"} of ${cov.total_lines} lines)` : ""}${cov.flag ? ` · flag ${md(cov.flag)}` : ""}`
      : cov === null
        ? "not measured"
        : "not reported",
  ]);
  const warnings = truthWarnings(run);
  if (warnings.length > 0) rows.push(["Tested", `⚠️ ${warnings.join("; ")}`]);
  if (run.sources?.length) rows.push(["Read from", run.sources.map((s) => md(s)).join("<br>")]);
  return ["| Field | Value |", "| --- | --- |", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n");
}

/** One line per run, for pushes that carried several. */
export function runsTable(runs: HpcResults[]): string {
  const rows = runs.map(
    (r) =>
      `| \`${r.commit.slice(0, 12)}\` | ${md(r.branch ?? "")} | ${md(r.generated_at ?? "")} | ${statusText(r.tests?.status)} | ${statusText(r.benchmarks && assessBenchmarks(r.benchmarks).verdict)} | ${r.coverage ? formatPercent(r.coverage.coverage_percent) : "n/a"} |`,
  );
  return [
    "| Commit | Branch | Generated at | Tests | Benchmarks | Coverage |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** An integer with thousands separators (1,234,567), independent of the locale data Node was built with. */
export function formatInteger(n: number): string {
  const sign = n < 0 ? "-" : "";
  return (
    sign +
    Math.round(Math.abs(n))
      .toString()
      .replace(/\B(?=(\d{3})+(?!\d))/g, ",")
  );
}

/** A time in milliseconds with three significant digits, in ns, µs, ms or s. */
export function formatMilliseconds(ms: number | undefined): string {
  if (typeof ms !== "number" || !Number.isFinite(ms)) return "";
  const abs = Math.abs(ms);
  const [value, unit] =
    abs >= 1000
      ? [ms / 1000, "s"]
      : abs >= 1 || abs === 0
        ? [ms, "ms"]
        : abs >= 1e-3
          ? [ms * 1e3, "µs"]
          : [ms * 1e6, "ns"];
  return `${Number(value.toPrecision(3))} ${unit}`;
}

/** A size in bytes in binary units (KiB, MiB, GiB). */
export function formatBytes(bytes: number | undefined): string {
  if (typeof bytes !== "number" || !Number.isFinite(bytes)) return "";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${Number(value.toPrecision(3))} ${units[unit]}`;
}

/** An RFC 3339 time as "2026-02-01 08:00:00 UTC" (or to the minute, "2026-02-01 08:00 UTC"); undefined
 * when it does not parse. */
export function formatTimestamp(
  value: string | undefined,
  precision: "second" | "minute" = "second",
): string | undefined {
  const ms = Date.parse(value ?? "");
  if (Number.isNaN(ms)) return undefined;
  const iso = new Date(ms).toISOString().replace("T", " ");
  return `${iso.slice(0, precision === "minute" ? 16 : 19)} UTC`;
}
