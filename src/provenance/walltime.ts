// The walltime guard: benchmarks started too close to the end of the job's time limit are killed by
// the scheduler half-way, lose their results and can take the publish step with them. So they are
// skipped, with a reason, when less than a reserve of time is left. A job without a limit, or whose
// limit is unknown, is never held back.
import type { Provenance } from "./detect.js";
import { formatDuration } from "./durations.js";

/** Seconds left before the job's time limit at `now`; undefined when unlimited or unknown. */
export function timeLeftSeconds(
  provenance: Pick<Provenance, "job_end_time">,
  now: Date | number = Date.now(),
): number | undefined {
  if (!provenance.job_end_time) return undefined;
  const end = Date.parse(provenance.job_end_time);
  if (Number.isNaN(end)) return undefined;
  const at = typeof now === "number" ? now : now.getTime();
  return Math.max(0, Math.floor((end - at) / 1000));
}

export interface SkipDecision {
  skip: boolean;
  /** Why the benchmarks are skipped, for the log and the benchmarks section's `reason`. */
  reason?: string;
}

export interface GuardInput {
  /** From timeLeftSeconds; undefined (no limit, or unknown) never skips. */
  timeLeftSeconds: number | undefined;
  /** Time to keep for what follows the benchmarks (publishing, upload). */
  reserveSeconds: number;
  /** The job's whole limit, to say "of the job's 2h limit" in the reason. */
  timeLimitSeconds?: number;
}

export function shouldSkipBenchmarks({
  timeLeftSeconds: left,
  reserveSeconds,
  timeLimitSeconds,
}: GuardInput): SkipDecision {
  if (!Number.isFinite(reserveSeconds) || reserveSeconds < 0) {
    throw new RangeError(`the walltime reserve must be a number of seconds >= 0, not ${reserveSeconds}`);
  }
  if (left === undefined || !Number.isFinite(left) || left >= reserveSeconds) return { skip: false };
  const of =
    timeLimitSeconds !== undefined && Number.isFinite(timeLimitSeconds)
      ? ` of the job's ${formatDuration(timeLimitSeconds)} limit`
      : "";
  return {
    skip: true,
    reason: `only ${formatDuration(left)} left${of}, below the ${formatDuration(reserveSeconds)} reserve`,
  };
}
