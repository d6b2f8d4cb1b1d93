// The judge: every benchmark of a run against the default branch's history in the same environment.
// One verdict per benchmark (regression, improvement, unchanged, no_baseline) with its evidence, the
// suite shifts found, and one verdict for the run. See README "Judging benchmarks" for the rules.
import type {
  BenchmarkEvidence,
  BenchmarkResult,
  BenchmarkVerdict,
  MetricJudgement,
} from "../contract/types.js";
import {
  BASELINE_WINDOW,
  COUNT_SLACK,
  compareNoisy,
  decideNoisy,
  judgeCount,
  type NoisyComparison,
  type NoisyVerdict,
} from "./metric.js";
import { isRate } from "../benchmarks/entry.js";
import { worstRegression } from "../contract/normalize.js";
import { findShifts, suiteOf } from "./shift.js";
import { logToPct, median } from "./stats.js";
import type { HistoryPoint, HistoryRun, JudgeInput, JudgeOutcome } from "./types.js";

type NoisyKey = "time" | "value";
interface Planned {
  name: string;
  result: BenchmarkResult;
  past: Gathered;
  key?: NoisyKey;
  noisy?: NoisyComparison;
  /** Why a metric was not compared, when it is not for want of history. */
  why?: string;
}

export function judgeBenchmarks(input: JudgeInput): JudgeOutcome {
  const { thresholds } = input;
  const history = input.history.slice(-thresholds.history_limit);
  const planned: Planned[] = Object.entries(input.current).map(([name, result]) =>
    plan(name, result, history, input),
  );
  const { bySuite, reported } = findShifts(
    planned.flatMap((p) =>
      p.noisy ? [{ suite: suiteOf(p.name), cost: p.noisy.cost, band: p.noisy.band }] : [],
    ),
    input.node,
  );
  const results: Record<string, BenchmarkResult> = {};
  const failing: string[] = [];
  let anyImprovement = false;
  let anyJudged = false;
  for (const p of planned) {
    const shift = bySuite.get(suiteOf(p.name));
    const out = judgeOne(p, input, shift);
    results[p.name] = out;
    if (out.verdict !== "no_baseline") anyJudged = true;
    if (out.verdict === "improvement") anyImprovement = true;
    if (out.verdict === "regression" && !out.evidence?.tentative) failing.push(p.name);
  }
  failing.sort((a, b) => (results[b]?.delta_vs_baseline_pct ?? 0) - (results[a]?.delta_vs_baseline_pct ?? 0));
  const verdict: BenchmarkVerdict =
    failing.length > 0
      ? "regression"
      : anyImprovement
        ? "improvement"
        : anyJudged
          ? "unchanged"
          : "no_baseline";
  return {
    results,
    verdict,
    shifts: reported,
    failing,
    worst: worstRegression(results),
    historyPoints: history.length,
  };
}

/** Which noisy metric a benchmark has, and its comparison with history before any shift. */
function plan(
  name: string,
  result: BenchmarkResult,
  history: readonly HistoryRun[],
  input: JudgeInput,
): Planned {
  const past = gather(name, history);
  const base = { name, result, past };
  if (result.median_ms !== undefined || result.min_ms !== undefined) {
    // The minimum when both sides have it: with 2-5 samples and JIT compilation in the first, a median
    // of two samples is half compilation, and the sample count changes from run to run.
    const useMin = result.min_ms !== undefined && past.mins.length >= Math.max(1, past.medians.length);
    const current = useMin ? result.min_ms : result.median_ms;
    if (current === undefined) return { ...base, key: "time" };
    const spread = ownSpread(result, useMin);
    const noisy = compareNoisy(useMin ? past.mins : past.medians, current, false, input.thresholds, spread);
    return { ...base, key: "time", noisy };
  }
  if (result.value !== undefined) {
    // A rate without a direction could be judged backwards: better no verdict than a wrong one.
    if (result.direction === undefined && result.unit !== undefined && isRate(result.unit))
      return { ...base, key: "value", why: `${result.unit} without a direction: not judged` };
    const bigger = result.direction === "bigger_is_better";
    const noisy = compareNoisy(past.values, result.value, bigger, input.thresholds);
    return { ...base, key: "value", noisy };
  }
  return base;
}

/** The run's own spread of a minimum, log(median/min), when 3+ samples leave the JIT sample out of the median. */
function ownSpread(result: BenchmarkResult, useMin: boolean): number {
  const { samples, median_ms, min_ms } = result;
  if (!useMin || samples === undefined || samples < 3 || !(min_ms! > 0) || !(median_ms! >= min_ms!)) return 0;
  return Math.log(median_ms! / min_ms!);
}

function judgeOne(p: Planned, input: JudgeInput, shift: number | undefined): BenchmarkResult {
  const { thresholds } = input;
  const { past } = p;
  const evidence: BenchmarkEvidence = {};
  const notes: string[] = [];
  let noisy: NoisyVerdict | undefined;
  if (p.noisy && p.key) {
    noisy = decideNoisy(p.noisy, thresholds, shift ?? 0);
    evidence[p.key] = noisy.judgement;
    if (shift !== undefined) evidence.shift_pct = logToPct(shift);
    if (noisy.note) notes.push(noisy.note);
  } else if (p.key) {
    evidence[p.key] = { verdict: "no_baseline" };
    if (p.why) notes.push(p.why);
  }
  const allocs = judgeCount(past.allocs, p.result.allocs, thresholds.tolerance_pct, COUNT_SLACK.allocs);
  const memory = judgeCount(
    past.memory,
    p.result.memory_bytes,
    thresholds.tolerance_pct,
    COUNT_SLACK.memory_bytes,
  );
  if (allocs) evidence.allocs = allocs;
  if (memory) evidence.memory = memory;

  const metrics: MetricJudgement[] = [evidence.time, evidence.value, allocs, memory].filter(
    (m): m is MetricJudgement => m !== undefined,
  );
  const verdict = worstVerdict(metrics.map((m) => m.verdict));
  const countRegressed = allocs?.verdict === "regression" || memory?.verdict === "regression";
  if (noisy?.tentative === true && !countRegressed) evidence.tentative = true;
  if (past.points > 0) {
    evidence.history_points = past.points;
    evidence.baseline_commit = past.newestCommit;
  }
  if (notes.length > 0) evidence.note = notes.join("; ");

  const out: BenchmarkResult = { ...p.result, verdict, evidence, regression: verdict === "regression" };
  const main = evidence.time ?? evidence.value;
  out.delta_vs_baseline_pct = main?.change_pct ?? null;
  out.baseline_median_ms =
    p.key === "time" && past.medians.length > 0 ? median(past.medians.slice(-BASELINE_WINDOW)) : null;
  return out;
}

/** A regression anywhere wins; then an improvement; then unchanged; none judged: no_baseline. */
export function worstVerdict(verdicts: Iterable<BenchmarkVerdict | undefined>): BenchmarkVerdict {
  const seen = new Set(verdicts);
  for (const v of ["regression", "improvement", "unchanged"] as const) if (seen.has(v)) return v;
  return "no_baseline";
}

/** One benchmark's history, gathered in one pass over the runs (oldest first). */
interface Gathered {
  points: number;
  newestCommit?: string;
  mins: number[];
  medians: number[];
  values: number[];
  /** The newest run's counts: they are deterministic, so the newest is the baseline. */
  allocs?: number;
  memory?: number;
}

function gather(name: string, history: readonly HistoryRun[]): Gathered {
  const g: Gathered = { points: 0, mins: [], medians: [], values: [] };
  if (name === "__proto__") return g; // never a benchmark (the JSON reader refuses the key)
  for (const run of history) {
    const point: HistoryPoint | undefined = run.benchmarks[name];
    // A plain lookup; what an object inherits ("constructor", "toString") is a function, not a point.
    if (typeof point !== "object" || point === null) continue;
    g.points++;
    g.newestCommit = run.commit;
    if (positive(point.min_ms)) g.mins.push(point.min_ms);
    if (positive(point.median_ms)) g.medians.push(point.median_ms);
    if (positive(point.value)) g.values.push(point.value);
    if (point.allocs !== undefined) g.allocs = point.allocs;
    if (point.memory_bytes !== undefined) g.memory = point.memory_bytes;
  }
  return g;
}

function positive(v: number | undefined): v is number {
  return typeof v === "number" && v > 0 && v < Infinity;
}
