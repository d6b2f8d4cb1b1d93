// Combines the documents published for one commit into one run, itself a valid hpc-results.json.
// A field is only ever copied or derived from a document that states it: nothing is invented.
import { readEndpointMessage } from "./legacy.js";
import {
  STATUSES,
  type BenchmarkResult,
  type BenchmarksSummary,
  type HpcProvenance,
  type HpcResults,
  type Meta,
  type ShieldsEndpoint,
  type Status,
  type TestCounts,
  type TestsSummary,
} from "./types.js";

export interface CommitDocuments {
  results?: HpcResults;
  testsSummary?: TestsSummary;
  testsEndpoint?: ShieldsEndpoint;
  benchmarksSummary?: BenchmarksSummary;
  benchmarksEndpoint?: ShieldsEndpoint;
  meta?: Meta;
}

const PROVENANCE_FROM_META = [
  "cluster",
  "job_id",
  "node",
  "scheduler",
  "partition",
  "account",
  "nodes",
  "cpus",
  "walltime_seconds",
  "time_limit_seconds",
  "pipeline_id",
  "runtime_versions",
] as const satisfies ReadonlyArray<keyof HpcProvenance & keyof Meta>;

const COUNT_KINDS = ["passed", "failed", "errored", "broken", "skipped"] as const;

/** Returns the normalized run, or undefined when no document says anything about `commit`. */
export function normalizeRun(
  commit: string,
  docs: CommitDocuments,
  sources: string[],
): HpcResults | undefined {
  if (!docs.results && !docs.testsSummary && !docs.testsEndpoint && !docs.benchmarksSummary && !docs.meta) {
    if (!docs.benchmarksEndpoint) return undefined;
  }
  const { meta } = docs;
  const run: HpcResults = docs.results ? structuredClone(docs.results) : { schema_version: 1, commit };
  run.schema_version = 1;
  run.commit = commit;
  run.branch ??= meta?.branch;
  run.generated_at ??=
    meta?.generated_at ?? docs.testsSummary?.generated_at ?? docs.benchmarksSummary?.generated_at;
  if (meta && meta.tag !== undefined && run.tag === undefined) run.tag = meta.tag;
  run.dirty ??= meta?.dirty;
  run.pushed ??= meta?.pushed;

  const hpc: HpcProvenance = { ...run.hpc };
  if (meta) {
    for (const key of PROVENANCE_FROM_META) {
      if (hpc[key] === undefined && meta[key] !== undefined) Object.assign(hpc, { [key]: meta[key] });
    }
    hpc.julia_version ??= meta.runtime_versions?.julia;
  }
  const definedHpc = dropUndefined(hpc);
  if (Object.keys(definedHpc).length > 0) run.hpc = definedHpc;

  if (!("coverage" in run) && meta && "coverage_percent" in meta) {
    run.coverage =
      typeof meta.coverage_percent === "number" ? { coverage_percent: meta.coverage_percent } : null;
  }

  const tests = normalizeTests(run.tests, docs.testsSummary, docs.testsEndpoint, meta?.tests_status);
  if (tests) run.tests = tests;
  const benchmarks = normalizeBenchmarks(
    run.benchmarks,
    docs.benchmarksSummary,
    docs.benchmarksEndpoint,
    meta?.benchmarks_status,
  );
  if (benchmarks) run.benchmarks = benchmarks;

  run.sources = sources;
  return dropUndefined(run) as HpcResults;
}

function knownStatus(value: string | undefined): Status | undefined {
  return (STATUSES as readonly string[]).includes(value ?? "") ? (value as Status) : undefined;
}

function normalizeTests(
  section: HpcResults["tests"],
  summary: TestsSummary | undefined,
  endpoint: ShieldsEndpoint | undefined,
  metaStatus: string | undefined,
): HpcResults["tests"] {
  const fromEndpoint = endpoint ? readEndpointMessage(endpoint) : {};
  const status = section?.status ?? summary?.status ?? fromEndpoint.status ?? knownStatus(metaStatus);
  if (!status) return section;
  const tests = { ...section, status };
  tests.duration_seconds ??= summary?.duration_seconds ?? fromEndpoint.duration_seconds;
  tests.suites ??= summary?.suites;
  tests.totals ??= summary?.totals ?? (tests.suites ? sumSuites(tests.suites) : undefined);
  if (tests.totals && tests.totals.total === undefined) tests.totals = withTotal(tests.totals);
  tests.reason ??= summary?.reason;
  tests.failures ??= summary?.failures;
  tests.failures_total ??= summary?.failures_total;
  tests.attempts ??= summary?.attempts;
  tests.flaky ??= summary?.flaky;
  return dropUndefined(tests);
}

function normalizeBenchmarks(
  section: HpcResults["benchmarks"],
  summary: BenchmarksSummary | undefined,
  endpoint: ShieldsEndpoint | undefined,
  metaStatus: string | undefined,
): HpcResults["benchmarks"] {
  const fromEndpoint = endpoint ? readEndpointMessage(endpoint) : {};
  // A benchmark summary without a status still shows that the benchmarks ran and produced results.
  const status =
    section?.status ??
    summary?.status ??
    (summary ? "passed" : undefined) ??
    fromEndpoint.status ??
    knownStatus(metaStatus);
  if (!status) return section;
  const benchmarks = { ...section, status };
  benchmarks.duration_seconds ??= summary?.duration_seconds ?? fromEndpoint.duration_seconds;
  benchmarks.results ??= summary?.benchmarks;
  benchmarks.baseline ??= summary?.baseline;
  benchmarks.regression_threshold_pct ??= summary?.regression_threshold_pct;
  benchmarks.reason ??= summary?.reason;
  // The judge's verdict travels with the results, so that a run read from its summary shows the same verdict.
  benchmarks.verdict ??= summary?.verdict;
  benchmarks.shifts ??= summary?.shifts;
  benchmarks.judge ??= summary?.judge;
  benchmarks.confirmed ??= summary?.confirmed;
  if (benchmarks.results && benchmarks.worst_regression_pct === undefined) {
    benchmarks.worst_regression_pct = worstRegression(benchmarks.results);
  }
  return dropUndefined(benchmarks);
}

/**
 * The largest slowdown against the baseline, in percent; null when no benchmark has a baseline. With the
 * judge's verdicts: the largest change among regressions, of the metric that regressed (doubled allocations
 * are +100% even when time is unchanged), 0 when nothing regressed (noise is not a slowdown).
 */
export function worstRegression(results: Record<string, BenchmarkResult>): number | null {
  const judged = Object.values(results).some((r) => r.verdict !== undefined);
  let worst: number | null = null;
  for (const result of Object.values(results)) {
    const delta = result.delta_vs_baseline_pct;
    if (judged) {
      if (result.verdict === undefined || result.verdict === "no_baseline") continue;
      worst ??= 0;
      const change = result.verdict === "regression" ? regressedChange(result) : undefined;
      if (typeof change === "number") worst = Math.max(worst, change);
    } else if (typeof delta === "number" && (worst === null || delta > worst)) worst = delta;
  }
  return worst;
}

/** A regressed benchmark's change, worse positive: its regressing metrics' largest, else its time's. */
function regressedChange(result: BenchmarkResult): number | null | undefined {
  const e = result.evidence ?? {};
  const changes = (["time", "value", "allocs", "memory"] as const).flatMap((k) => {
    const change = e[k]?.verdict === "regression" ? e[k]?.change_pct : undefined;
    if (typeof change !== "number") return [];
    return [k === "value" && result.direction === "bigger_is_better" ? -change : change];
  });
  return changes.length > 0 ? Math.max(...changes) : result.delta_vs_baseline_pct;
}

/** Totals of the outermost suites: a nested suite ("a/b") is already counted in its parent ("a"). */
export function sumSuites(suites: Record<string, TestCounts>): TestCounts {
  const totals: TestCounts = {};
  const names = new Set(Object.keys(suites));
  const nested = (name: string) => {
    for (let i = name.indexOf("/"); i > 0; i = name.indexOf("/", i + 1))
      if (names.has(name.slice(0, i))) return true;
    return false;
  };
  for (const [name, counts] of Object.entries(suites)) {
    if (nested(name)) continue;
    for (const kind of COUNT_KINDS) {
      if (counts[kind] !== undefined) totals[kind] = (totals[kind] ?? 0) + counts[kind];
    }
  }
  return withTotal(totals);
}

function withTotal(counts: TestCounts): TestCounts {
  if (counts.total !== undefined) return counts;
  return { ...counts, total: COUNT_KINDS.reduce((sum, kind) => sum + (counts[kind] ?? 0), 0) };
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
