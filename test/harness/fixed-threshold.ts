// The rule the judge replaced, kept as its tests' yardstick (what A/A data shows crying wolf): a run's
// benchmarks against one baseline run (the base branch's newest) with a fixed threshold. Times are compared by their medians; a non-time result (see entry.ts) by its `value`
// when both runs measured it in the same unit. Smaller is better for both, as in the generic list's
// customSmallerIsBetter, except for rates ("MB/s", "ops/sec"), where the direction is unknown and no
// delta is given rather than a wrong one.
import { worstRegression } from "../../src/contract/normalize.js";
import type { BenchmarkResult } from "../../src/contract/types.js";
import { type BenchmarkEntry, type BenchmarkResults, isRate } from "../../src/benchmarks/entry.js";

export const DEFAULT_REGRESSION_THRESHOLD_PCT = 10;

export interface BaselineComparison {
  /** Every current result with delta_vs_baseline_pct, baseline_median_ms and regression filled in. */
  results: BenchmarkResults;
  /** The worst regression: the largest delta (positive = slower), or null when nothing could be compared. */
  worst: number | null;
  /** Names whose delta is above the threshold, worst first. */
  regressions: string[];
  /** Benchmarks of the baseline that this run no longer has. */
  removed: string[];
  /** Benchmarks of this run that the baseline did not have (their delta is null). */
  added: string[];
}

/**
 * `current` against `baseline`: delta = (current - baseline) / baseline in percent, rounded to 0.01;
 * a regression is a delta above `thresholdPct`. Inputs are not modified.
 */
export function compareWithBaseline(
  current: Record<string, BenchmarkEntry>,
  baseline: Record<string, BenchmarkEntry | BenchmarkResult>,
  thresholdPct = DEFAULT_REGRESSION_THRESHOLD_PCT,
): BaselineComparison {
  if (!Number.isFinite(thresholdPct) || thresholdPct < 0) {
    throw new RangeError(`the regression threshold must be a number of percent >= 0, not ${thresholdPct}`);
  }
  const results: BenchmarkResults = {};
  const added: string[] = [];
  for (const [name, result] of Object.entries(current)) {
    const base = Object.hasOwn(baseline, name) ? (baseline[name] as BenchmarkEntry) : undefined;
    if (!base) added.push(name);
    results[name] = compareOne(result, base, thresholdPct);
  }
  const removed = Object.keys(baseline).filter((name) => !Object.hasOwn(current, name));
  const regressions = Object.keys(results)
    .filter((name) => results[name]?.regression)
    .sort((a, b) => (results[b]?.delta_vs_baseline_pct ?? 0) - (results[a]?.delta_vs_baseline_pct ?? 0));
  return { results, worst: worstRegression(results), regressions, removed, added };
}

function compareOne(
  result: BenchmarkEntry,
  base: BenchmarkEntry | undefined,
  thresholdPct: number,
): BenchmarkEntry {
  const out: BenchmarkEntry = {
    ...result,
    delta_vs_baseline_pct: null,
    baseline_median_ms: null,
    regression: false,
  };
  delete out.baseline_value;
  if (result.median_ms !== undefined) {
    const before = base?.median_ms;
    if (typeof before === "number") {
      out.baseline_median_ms = before;
      out.delta_vs_baseline_pct = deltaPct(result.median_ms, before);
    }
  } else if (result.value !== undefined && result.unit !== undefined && !isRate(result.unit)) {
    const before = base?.unit === result.unit ? base.value : undefined;
    out.baseline_value = typeof before === "number" ? before : null;
    if (typeof before === "number") out.delta_vs_baseline_pct = deltaPct(result.value, before);
  }
  out.regression = out.delta_vs_baseline_pct != null && out.delta_vs_baseline_pct > thresholdPct;
  return out;
}

/** Percent change from `before` to `now`, to 0.01; null when it has no meaning (a zero or negative base). */
export function deltaPct(now: number, before: number): number | null {
  if (!Number.isFinite(now) || !Number.isFinite(before)) return null;
  if (before === 0) return now === 0 ? 0 : null;
  if (before < 0) return null;
  const pct = ((now - before) / before) * 100;
  if (!Number.isFinite(pct)) return null;
  return Math.round(pct * 100) / 100 || 0; // `|| 0` turns -0 into 0
}

/** A unit of a rate ("MB/s", "ops/sec", "Hz"): bigger may be better, so its direction must be said. */
