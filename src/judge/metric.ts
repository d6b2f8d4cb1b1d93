// Judging one metric of one benchmark. Times and values are noisy: their band is learned from the
// default branch's history. Allocations and memory are near-deterministic: they are judged exactly.
import type { MetricJudgement } from "../contract/types.js";
import { logToPct, median, roundPct, upperFence } from "./stats.js";
import type { JudgeThresholds } from "./types.js";

/** The baseline of a noisy metric: the median of this many newest history points, not the newest alone. */
export const BASELINE_WINDOW = 5;
/** Band in robust standard deviations of one run's noise (a z-score, as Conbench's lookback z-score). */
export const BAND_Z = 5;
/** median |N(0, 2σ²)| = 0.6745·√2·σ: turns the median absolute consecutive change into σ. */
const SIGMA_PER_MEDIAN_STEP = 1 / (0.6745 * Math.SQRT2);
/** How strongly a band from few consecutive changes is widened: sqrt(1 + SMALL_SAMPLE / changes). */
export const SMALL_SAMPLE = 4;
/** Absolute slack for tiny counts: an increase must exceed both this and the tolerance. */
export const COUNT_SLACK = { allocs: 1, memory_bytes: 64 } as const;

/** A noisy metric measured against its history, before any suite shift is taken out. */
export interface NoisyComparison {
  baseline: number;
  current: number;
  /** log(current / baseline) turned so that positive is worse (slower, or less throughput). */
  cost: number;
  /** The band that decides, in log units: the learned noise, at least the floor, at most the cap. */
  band: number;
  /** The learned noise (at least the floor, not capped), in log units. */
  own: number;
  points: number;
}

/**
 * `series`: the metric in the history, oldest first (positive numbers only). The noise is learned from
 * the absolute log changes between consecutive default-branch runs (as Tachometer.jl does; a real step
 * merged to the branch is one change, not a wider spread): the band is the larger of rustc-perf's upper
 * fence (Q3 + 3 IQR), which follows heavy tails, and BAND_Z robust standard deviations estimated from
 * the median change, which stays steady where quartiles of a few dozen changes do not. The run's own
 * spread (`spread`, log units) widens it; then it is kept between the floor and the cap.
 */
export function compareNoisy(
  series: readonly number[],
  current: number,
  biggerIsBetter: boolean,
  thresholds: JudgeThresholds,
  spread = 0,
): NoisyComparison | undefined {
  if (series.length === 0 || !(current > 0)) return undefined;
  const baseline = median(series.slice(-BASELINE_WINDOW));
  const steps: number[] = [];
  for (let i = 1; i < series.length; i++)
    steps.push(Math.abs(Math.log((series[i] as number) / (series[i - 1] as number))));
  const learned =
    steps.length >= 2
      ? Math.max(upperFence(steps), BAND_Z * SIGMA_PER_MEDIAN_STEP * median(steps)) * fewSteps(steps.length)
      : 0;
  const floor = Math.log1p(thresholds.floor_pct / 100);
  const cap = Math.log1p(thresholds.cap_pct / 100);
  const own = Math.max(floor, learned, spread);
  const ratio = Math.log(current / baseline);
  return {
    baseline,
    current,
    cost: biggerIsBetter ? -ratio : ratio,
    band: Math.min(own, Math.max(cap, floor)),
    own,
    points: series.length,
  };
}

/** Widens a band learned from few changes, whose quartiles and median are themselves uncertain. */
function fewSteps(n: number): number {
  return Math.sqrt(1 + SMALL_SAMPLE / n);
}

export interface NoisyVerdict {
  judgement: MetricJudgement;
  /** Cannot fail the run: too little history, or a change inside this benchmark's own (over-cap) noise. */
  tentative: boolean;
  note?: string;
}

/** The verdict of a noisy metric once a suite shift (`shift`, log units of cost) is divided out. */
export function decideNoisy(c: NoisyComparison, thresholds: JudgeThresholds, shift = 0): NoisyVerdict {
  const cost = c.cost - shift;
  const verdict = cost > c.band ? "regression" : cost < -c.band ? "improvement" : "unchanged";
  const judgement: MetricJudgement = {
    baseline: c.baseline,
    current: c.current,
    change_pct: roundPct((c.current / c.baseline - 1) * 100),
    band_pct: logToPct(c.band),
    verdict,
  };
  if (c.points < thresholds.min_history) {
    return {
      judgement,
      tentative: true,
      note: `${c.points} of ${thresholds.min_history} default-branch runs: tentative`,
    };
  }
  if (c.own > c.band && Math.abs(cost) <= c.own) {
    return {
      judgement,
      tentative: verdict !== "unchanged",
      note: `noisier than the cap: this benchmark moves up to ±${logToPct(c.own)}% between default-branch runs`,
    };
  }
  return { judgement, tentative: false };
}

/** Allocations or memory: an increase past the tolerance (and the slack) is a regression; from zero, any. */
export function judgeCount(
  baseline: number | undefined,
  current: number | undefined,
  tolerancePct: number,
  slack: number,
): MetricJudgement | undefined {
  if (current === undefined) return undefined;
  if (baseline === undefined) return { current, verdict: "no_baseline" };
  const allowed = Math.max((baseline * tolerancePct) / 100, slack);
  const verdict =
    (baseline === 0 && current > 0) || current - baseline > allowed
      ? "regression"
      : baseline - current > allowed
        ? "improvement"
        : "unchanged";
  return {
    baseline,
    current,
    change_pct: baseline === 0 ? (current === 0 ? 0 : null) : roundPct((current / baseline - 1) * 100),
    band_pct: tolerancePct,
    verdict,
  };
}
