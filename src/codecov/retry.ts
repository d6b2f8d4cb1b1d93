// Retries with exponential backoff for the two requests of an upload: a network error, a timeout, a 5xx
// or a 429 is worth another try; anything else is an answer.

/** One try: a value, or why not and whether trying again could help. */
export type Attempt<T> =
  { ok: true; value: T } | { ok: false; retry: boolean; message: string; retryAfterMs?: number };

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

export interface RetryPolicy {
  retries: number;
  /** Delay before retry n (1-based). */
  backoff: (retry: number) => number;
  log: (line: string) => void;
}

/** The longest wait a Retry-After may ask for; a longer one is a failure, not a pause of the job. */
const MAX_RETRY_AFTER_MS = 60_000;

export async function withRetries<T>(
  what: string,
  policy: RetryPolicy,
  attempt: () => Promise<Attempt<T>>,
): Promise<Outcome<T>> {
  const attempts = policy.retries + 1;
  for (let n = 1; ; n++) {
    const result = await attempt();
    if (result.ok) return result;
    if (!result.retry || n >= attempts)
      return { ok: false, message: n > 1 ? `${result.message} (after ${n} attempts)` : result.message };
    if (result.retryAfterMs !== undefined && result.retryAfterMs > MAX_RETRY_AFTER_MS)
      return {
        ok: false,
        message: `${result.message}; asked to wait ${Math.ceil(result.retryAfterMs / 1000)}s`,
      };
    // Jitter keeps the shards of one array job from retrying in step.
    const backoff = policy.backoff(n) * (0.75 + Math.random() * 0.5);
    const delay = Math.round(Math.max(backoff, result.retryAfterMs ?? 0));
    policy.log(
      `codecov: ${what}: ${result.message}; retrying in ${(delay / 1000).toFixed(1)}s (${n}/${attempts - 1})`,
    );
    await new Promise((done) => setTimeout(done, delay));
  }
}

/** Retry-After in milliseconds (seconds or an HTTP date), if the answer has one. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
