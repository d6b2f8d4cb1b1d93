// What a run must be for ingest to accept it, so that everything accepted also renders and comments: the
// normalized run (documents merged, totals summed) is itself a valid hpc-results.json, within the one size
// limit every reader applies (MAX_DOCUMENT_BYTES), and not dated after the push.
import type { ContractError } from "./errors.js";
import { MAX_DOCUMENT_BYTES } from "./json.js";
import type { HpcResults } from "./types.js";
import { checkDocument } from "./validate.js";

/**
 * How far a run's generated_at may lie after the push that published it: clocks of clusters drift, but a
 * run from the future would stay the newest, and pin the badges, until that day.
 */
export const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/** The latest acceptable generated_at: the push time (never later than now) plus the skew. */
export function latestRunTime(pushedAt: number | undefined, now = Date.now()): number {
  return Math.min(pushedAt ?? now, now) + CLOCK_SKEW_MS;
}

/** A run as ingest writes it for the other actions: compact, so that what was measured is what they read. */
export function runText(run: HpcResults): string {
  return `${JSON.stringify(run)}\n`;
}

/** Why the normalized `run` (read from `file`) cannot be accepted; none when it can. */
export function acceptanceProblems(run: HpcResults, file: string, notAfter: number): ContractError[] {
  const problems = checkDocument("hpc-results", run, `${file} (normalized run)`);
  if (problems.length > 0) return problems;
  const bytes = Buffer.byteLength(runText(run), "utf8");
  if (bytes > MAX_DOCUMENT_BYTES) {
    return [
      {
        file,
        pointer: "",
        reason: `the run is ${bytes} bytes once its documents are merged, over the ${MAX_DOCUMENT_BYTES} byte limit of one run; refused`,
      },
    ];
  }
  const future = futureProblem(run, file, notAfter);
  return future ? [future] : [];
}

/** A run dated after `notAfter` (milliseconds since the epoch), refused. */
export function futureProblem(run: HpcResults, file: string, notAfter: number): ContractError | undefined {
  const at = Date.parse(run.generated_at ?? "");
  if (Number.isNaN(at) || at <= notAfter) return undefined;
  return {
    file,
    pointer: "/generated_at",
    reason: `${run.generated_at} is after ${new Date(notAfter).toISOString()} (when it was pushed, or now, plus ${CLOCK_SKEW_MS / 3_600_000} hours for clocks that drift); refused: a run from the future would stay the newest`,
  };
}
