// `benchmarks/summary.json` (schemas/benchmarks-summary.schema.json), published as <sha>/benchmarks.json.
import type { Baseline, BenchmarkResult, BenchmarksSummary, CommitId, Status } from "../contract/types.js";

export interface BenchmarksSummaryOptions {
  /** The run the deltas were computed against (runs of the fixed-threshold rule before the judge). */
  baseline?: Baseline;
  regression_threshold_pct?: number;
  status?: Status;
  generated_at?: string;
  duration_seconds?: number;
  reason?: string;
}

/** The summary document; fields left undefined are omitted, so the result is plain JSON. */
export function benchmarksSummary(
  commit: CommitId,
  results: Record<string, BenchmarkResult>,
  options: BenchmarksSummaryOptions = {},
): BenchmarksSummary {
  const summary: BenchmarksSummary = { schema_version: 1, commit, benchmarks: results };
  const { baseline, regression_threshold_pct, status, generated_at, duration_seconds, reason } = options;
  if (status !== undefined) summary.status = status;
  if (generated_at !== undefined) summary.generated_at = generated_at;
  if (duration_seconds !== undefined) summary.duration_seconds = duration_seconds;
  if (baseline !== undefined) summary.baseline = { ...baseline };
  if (regression_threshold_pct !== undefined) summary.regression_threshold_pct = regression_threshold_pct;
  if (reason !== undefined) summary.reason = reason;
  return summary;
}
