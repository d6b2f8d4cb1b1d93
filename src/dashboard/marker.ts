// processed.json of a pages folder: the results-branch commit up to which everything (ingest, badges and
// dashboard, comments and statuses) has been done, for the next run's cheap check. Written by the last
// step of processing only, so a failure anywhere before leaves the older marker and the next run redoes
// that part; every step is idempotent (history keyed by commit, the sticky comment updated in place).
import type { HpcResults } from "../contract/types.js";
import { utcSeconds } from "../contract/time.js";

export const MARKER_FILE = "processed.json";

export interface ProcessedMarker {
  schema_version: 1;
  results_branch: string;
  /** The last results-branch commit processed: the next run ingests what changed since. */
  results_commit: string;
  processed_at: string;
  /** When the freshness badge of the headline run turns stale: a scheduled run re-renders once past it. */
  stale_at: string | null;
}

export function processedMarker(options: {
  resultsBranch: string;
  resultsCommit: string;
  now: Date;
  headline: HpcResults | undefined;
  staleAfterSeconds: number;
}): ProcessedMarker {
  const at = Date.parse(options.headline?.generated_at ?? "");
  const staleAt = Number.isNaN(at) ? null : new Date(at + options.staleAfterSeconds * 1000);
  return {
    schema_version: 1,
    results_branch: options.resultsBranch,
    results_commit: options.resultsCommit,
    processed_at: utcSeconds(options.now),
    stale_at: staleAt && Number.isFinite(staleAt.getTime()) ? utcSeconds(staleAt) : null,
  };
}
