// history.json of a pages folder: one entry per commit, newest first, bounded. Each entry is the run
// itself, pruned to what the badges and the dashboard show, so it stays a valid schema_version 1
// hpc-results.json and the folder can be rendered again from the history alone.
import { futureProblem, latestRunTime } from "../contract/accept.js";
import { formatContractError } from "../contract/errors.js";
import type {
  BenchmarkEvidence,
  BenchmarkResult,
  BenchmarksSection,
  CoverageSection,
  HpcProvenance,
  HpcResults,
  JudgeSettings,
  MetricJudgement,
  TestCounts,
  TestFailure,
  TestsSection,
} from "../contract/types.js";
import { checkDocument } from "../contract/validate.js";
import { publicationOrder, publishedAfter } from "../results-branch/publication.js";

export const HISTORY_FILE = "history.json";
export const DEFAULT_HISTORY_SIZE = 200;
/** Oldest entries are dropped beyond this size, so that a run with very many benchmarks cannot grow the file without end. */
export const MAX_HISTORY_BYTES = 16 * 1024 * 1024;
const MAX_REASON = 500;

export class HistoryError extends Error {
  override name = "HistoryError";
}

type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** Copies the listed keys that are set, in the listed order (which fixes the order in the file). */
function pick<T extends object, K extends keyof T>(
  from: T,
  keys: readonly K[],
): Partial<Defined<Pick<T, K>>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out as Partial<Defined<Pick<T, K>>>;
}

const PROVENANCE: Array<keyof HpcProvenance> = [
  "cluster",
  "scheduler",
  "partition",
  "account",
  "job_id",
  "pipeline_id",
  "node",
  "nodes",
  "cpus",
  "walltime_seconds",
  "time_limit_seconds",
  "julia_version",
  "runtime_versions",
];
const COUNTS: Array<keyof TestCounts> = ["passed", "failed", "errored", "broken", "skipped", "total"];
const FAILURE: Array<keyof TestFailure> = ["testset", "name", "file", "line", "flaky"];
const BENCHMARK: Array<keyof BenchmarkResult> = [
  "median_ms",
  "delta_vs_baseline_pct",
  "regression",
  "memory_bytes",
  "allocs",
  "unit",
  "value",
  "direction",
  "verdict",
];
/** What the dashboard draws of the judge's evidence: the band around the baseline, and memory beside time. */
const EVIDENCE: Array<keyof BenchmarkEvidence> = ["history_points", "tentative", "shift_pct"];
const JUDGEMENT: Array<keyof MetricJudgement> = ["baseline", "current", "change_pct", "band_pct", "verdict"];
const JUDGED: Array<"time" | "value" | "allocs" | "memory"> = ["time", "value", "allocs", "memory"];
const JUDGE: Array<keyof JudgeSettings> = [
  "floor_pct",
  "cap_pct",
  "min_history",
  "history_limit",
  "tolerance_pct",
  "history_branch",
  "history_points",
  "environment",
  "sources",
];

function prunedResult(r: BenchmarkResult): BenchmarkResult {
  const out: BenchmarkResult = pick(r, BENCHMARK);
  const e = r.evidence;
  if (e) {
    // Kept small: history points only where a tentative verdict needs them, and allocations or memory only
    // where they moved or were judged (an unchanged count shows the same from the result itself).
    const evidence: BenchmarkEvidence = pick(e, e.tentative ? EVIDENCE : ["shift_pct"]);
    for (const m of JUDGED) {
      const j = e[m];
      const still =
        (m === "allocs" || m === "memory") && j?.baseline === j?.current && j?.verdict === "unchanged";
      if (j && !still) evidence[m] = pick(j, JUDGEMENT);
    }
    out.evidence = evidence;
  }
  return out;
}

const cut = (text: string | undefined) => (text === undefined ? undefined : text.slice(0, MAX_REASON));

function prunedTests(tests: TestsSection): TestsSection {
  return {
    status: tests.status,
    ...pick(tests, ["duration_seconds"]),
    ...(tests.totals && { totals: pick(tests.totals, COUNTS) }),
    // Object.fromEntries defines keys as own properties, so a suite named "__proto__" stays data.
    ...(tests.suites && {
      suites: Object.fromEntries(Object.entries(tests.suites).map(([name, c]) => [name, pick(c, COUNTS)])),
    }),
    ...(tests.reason !== undefined && { reason: cut(tests.reason) }),
    // The failing tests the page names, with their texts cut: the contract bounds the list at 50.
    ...(tests.failures && {
      failures: tests.failures.map((f) => ({
        kind: f.kind,
        ...pick(f, FAILURE),
        ...(f.expression !== undefined && { expression: cut(f.expression) }),
        ...(f.evaluated !== undefined && { evaluated: cut(f.evaluated) }),
        ...(f.message !== undefined && { message: cut(f.message) }),
      })),
    }),
    ...pick(tests, ["failures_total"]),
  };
}

function prunedBenchmarks(bench: BenchmarksSection): BenchmarksSection {
  return {
    status: bench.status,
    ...pick(bench, ["duration_seconds", "worst_regression_pct", "regression_threshold_pct", "verdict"]),
    ...pick(bench, ["confirmed"]),
    ...(bench.shifts && { shifts: bench.shifts.slice(0, 50) }),
    ...(bench.judge && { judge: pick(bench.judge, JUDGE) }),
    ...(bench.baseline && { baseline: pick(bench.baseline, ["commit", "branch", "generated_at"]) }),
    ...(bench.results && {
      results: Object.fromEntries(Object.entries(bench.results).map(([name, r]) => [name, prunedResult(r)])),
    }),
    ...(bench.reason !== undefined && { reason: cut(bench.reason) }),
  };
}

function prunedCoverage(coverage: CoverageSection): CoverageSection {
  return {
    coverage_percent: coverage.coverage_percent,
    ...pick(coverage, ["covered_lines", "total_lines", "flag"]),
  };
}

/** The history entry of a (validated) run: the same document without log paths, sources and unknown keys. */
export function historyEntry(run: HpcResults): HpcResults {
  return {
    schema_version: 1,
    commit: run.commit,
    ...pick(run, ["branch", "generated_at", "repository", "results_commit", "results_index"]),
    ...(typeof run.tag === "string" && { tag: run.tag }),
    ...(run.hpc && { hpc: pick(run.hpc, PROVENANCE) }),
    ...(run.tests && { tests: prunedTests(run.tests) }),
    ...(run.coverage !== undefined && { coverage: run.coverage && prunedCoverage(run.coverage) }),
    ...(run.benchmarks && { benchmarks: prunedBenchmarks(run.benchmarks) }),
  };
}

/** Newest first, in the order the results branch published them (results/publication), never by clock alone. */
export function newestFirst(runs: HpcResults[]): HpcResults[] {
  return publicationOrder(runs).reverse();
}

/**
 * Adds `runs` to `history` (newest first): one entry per commit, where a run replaces the entry of its
 * commit unless that entry was published later, so that renders applied in any order end with the same history.
 */
export function mergeHistory(history: HpcResults[], runs: HpcResults[], size: number): HpcResults[] {
  const byCommit = new Map<string, HpcResults>();
  for (const entry of [...history, ...runs.map(historyEntry)]) {
    const known = byCommit.get(entry.commit);
    if (!known || !publishedAfter(known, entry)) byCommit.set(entry.commit, entry);
  }
  return newestFirst([...byCommit.values()]).slice(0, Math.max(1, size));
}

/** history.json: one run per line (small diffs on the pages branch), cut from the oldest end to the size limit. */
export function serializeHistory(runs: HpcResults[]): string {
  const lines = runs.map((r) => JSON.stringify(r));
  let bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 2, 40);
  while (lines.length > 1 && bytes > MAX_HISTORY_BYTES) bytes -= Buffer.byteLength(lines.pop()!) + 2;
  return `{"schema_version":1,"runs":[\n${lines.join(",\n")}\n]}\n`;
}

export interface ParsedHistory {
  runs: HpcResults[];
  /** Entries left out, with the reason. */
  dropped: string[];
}

/** Reads history.json; an entry that is not a valid run is dropped with a reason, a broken file is an error. */
export function parseHistory(text: string, file: string, now = Date.now()): ParsedHistory {
  if (Buffer.byteLength(text) > MAX_HISTORY_BYTES + 1024 * 1024) {
    throw new HistoryError(`${file} is over ${MAX_HISTORY_BYTES} bytes; it was not written by render-badges`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new HistoryError(
      `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); fix or delete it`,
    );
  }
  const doc = value as { schema_version?: unknown; runs?: unknown };
  if (doc === null || typeof doc !== "object" || doc.schema_version !== 1 || !Array.isArray(doc.runs)) {
    throw new HistoryError(
      `${file} is not a render-badges history (expected {"schema_version":1,"runs":[...]}); fix or delete it`,
    );
  }
  const runs: HpcResults[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  doc.runs.forEach((entry: unknown, i: number) => {
    const problems = checkDocument("hpc-results", entry, file).map((p) => ({
      ...p,
      pointer: `/runs/${i}${p.pointer}`,
    }));
    if (problems.length > 0) {
      dropped.push(`entry ${i} left out: ${problems.map(formatContractError).join("; ")}`);
      return;
    }
    // Written before runs from the future were refused: it would stay the newest until its day.
    const future = futureProblem(entry as HpcResults, file, latestRunTime(now));
    if (future) {
      dropped.push(
        `entry ${i} left out: ${formatContractError({ ...future, pointer: `/runs/${i}/generated_at` })}`,
      );
      return;
    }
    const run = historyEntry(entry as HpcResults);
    if (seen.has(run.commit)) {
      dropped.push(`entry ${i} left out: a second entry for ${run.commit}`);
      return;
    }
    seen.add(run.commit);
    runs.push(run);
  });
  return { runs: newestFirst(runs), dropped };
}

/**
 * The runs that speak for the repository: those of its default branch, so that a pull request's run never
 * moves the badges or the trends (the history keeps every branch for the branch view); with no default
 * branch known, all of them.
 */
export function headlineRuns(history: HpcResults[], defaultBranch: string | undefined): HpcResults[] {
  return defaultBranch === undefined ? history : history.filter((r) => r.branch === defaultBranch);
}
