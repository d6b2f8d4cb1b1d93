// TypeScript view of the benchmark parts of the contract: one benchmark's result and its judgement, and the
// default branch's history on the results branch (re-exported by types.ts with the rest of the contract).
export interface BenchmarkResult {
  median_ms?: number;
  mean_ms?: number;
  min_ms?: number;
  delta_vs_baseline_pct?: number | null;
  baseline_median_ms?: number | null;
  regression?: boolean;
  memory_bytes?: number;
  allocs?: number;
  unit?: string;
  max_ms?: number;
  std_ms?: number;
  /** How many samples the statistics summarize, when the reader knows. */
  samples?: number;
  gc_ms?: number;
  /** A measurement that is not a time, in `unit`. */
  value?: number;
  direction?: Direction;
  verdict?: BenchmarkVerdict;
  evidence?: BenchmarkEvidence;
}

export type Direction = "smaller_is_better" | "bigger_is_better";
export type BenchmarkVerdict = "regression" | "improvement" | "unchanged" | "no_baseline";

/** One metric of one benchmark against its baseline. */
export interface MetricJudgement {
  baseline?: number;
  current?: number;
  /** Percent change from baseline to current (positive: larger). */
  change_pct?: number | null;
  /** Noise band (time, value) or tolerance (allocs, memory), in percent. */
  band_pct?: number | null;
  verdict?: BenchmarkVerdict;
}

/** Why a benchmark got its verdict. */
export interface BenchmarkEvidence {
  history_points?: number;
  baseline_commit?: string;
  /** Too little history to fail a pull request. */
  tentative?: boolean;
  /** Suite-wide shift removed before judging time, in percent. */
  shift_pct?: number;
  note?: string;
  time?: MetricJudgement;
  value?: MetricJudgement;
  allocs?: MetricJudgement;
  memory?: MetricJudgement;
}

/** Most of a suite moved together: an environment shift, reported once. */
export interface BenchmarkShift {
  suite?: string;
  node?: string;
  /** Median ratio current/baseline over the suite. */
  factor?: number;
  benchmarks?: number;
  of?: number;
}

/** The settings the judge used, and where each came from. */
export interface JudgeSettings {
  floor_pct?: number;
  cap_pct?: number;
  min_history?: number;
  history_limit?: number;
  tolerance_pct?: number;
  history_branch?: string;
  history_points?: number;
  environment?: string;
  sources?: Record<string, string>;
}

export interface Baseline {
  commit?: string;
  branch?: string;
  generated_at?: string;
}

/** The environment two runs must share for their timings to be compared. */
export interface BenchmarkEnvironment {
  cluster?: string;
  cpu_model?: string;
  julia_version?: string;
  threads?: number;
  os?: string;
  arch?: string;
}

/** One benchmark in one run of the history: only what judging needs. */
export interface BenchmarkHistoryPoint {
  median_ms?: number;
  min_ms?: number;
  value?: number;
  direction?: Direction;
  allocs?: number;
  memory_bytes?: number;
}

export interface BenchmarkHistoryRun {
  commit: string;
  generated_at?: string;
  node?: string;
  environment: BenchmarkEnvironment;
  benchmarks: Record<string, BenchmarkHistoryPoint>;
}

/** `history/<encoded branch>.json` on the results branch (schemas/benchmark-history.schema.json). */
export interface BenchmarkHistory {
  schema_version: 1;
  branch: string;
  /** Oldest first. */
  runs: BenchmarkHistoryRun[];
}
