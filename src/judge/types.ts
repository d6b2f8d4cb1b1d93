// What the judge takes and gives. It is pure: history is handed in already read and filtered to the
// run's environment (see results-branch/history.ts); nothing here reads files or the clock.
import type {
  BenchmarkHistoryPoint,
  BenchmarkHistoryRun,
  BenchmarkResult,
  BenchmarkShift,
  BenchmarkVerdict,
} from "../contract/types.js";

/** The numbers of one benchmark in one default-branch run that judging needs. */
export type HistoryPoint = BenchmarkHistoryPoint;

/** One default-branch run in the history, oldest first in a list (its environment already matched). */
export type HistoryRun = Omit<BenchmarkHistoryRun, "environment">;

/** The judge's knobs (see README, Judging benchmarks). */
export interface JudgeThresholds {
  /** The narrowest time/value band, in percent: no smaller change is ever a verdict. */
  floor_pct: number;
  /** The widest band in percent: a larger change is always reported (it fails only beyond the benchmark's own noise). */
  cap_pct: number;
  /** Default-branch runs needed before time or value can fail a run. */
  min_history: number;
  /** How many of the newest default-branch runs are used (at most 100). */
  history_limit: number;
  /** Allocations and memory: an increase past this percent is a regression. */
  tolerance_pct: number;
}

export interface JudgeInput {
  current: Record<string, BenchmarkResult>;
  /** The node this run measured on, named in a suite shift. */
  node?: string;
  /** Default-branch runs of the same environment, oldest first. */
  history: readonly HistoryRun[];
  thresholds: JudgeThresholds;
}

export interface JudgeOutcome {
  /** Every current result with verdict, evidence and the legacy fields filled. */
  results: Record<string, BenchmarkResult>;
  /** regression when a benchmark regressed beyond doubt (not tentative), else improvement, unchanged, no_baseline. */
  verdict: BenchmarkVerdict;
  shifts: BenchmarkShift[];
  /** Names of the regressions that fail the run (not tentative), worst first. */
  failing: string[];
  /** Largest time/value change among regressions, 0 when nothing regressed, null when nothing was compared. */
  worst: number | null;
  /** Runs of the history that were used. */
  historyPoints: number;
}
