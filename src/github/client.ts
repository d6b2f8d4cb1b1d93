// The GitHub REST client of the actions: @actions/github's Octokit with the retry plugin (server errors,
// resets, 429) and the throttling plugin (primary and secondary rate limits, pacing of writes), pointed at
// GITHUB_API_URL so that GitHub Enterprise Server works, sending its requests through httpFetch.
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { httpFetch } from "./http-fetch.js";

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface Repository {
  owner: string;
  repo: string;
}

export interface ClientOptions {
  token: string;
  /** Default GITHUB_API_URL, else https://api.github.com. */
  baseUrl?: string;
  /** Where warnings about retries and rate limits go. */
  warn?: (message: string) => void;
  /** Retries of one request after a server error or a rate limit. Default 3. */
  retries?: number;
  /** Do not wait for a rate limit to reset when that is further away than this. Default 900 s. */
  maxRateLimitWaitSeconds?: number;
  /**
   * Multiplies every wait: backoff after errors, rate-limit waits and the pacing of writes GitHub asks for
   * (one second apart, three for those that notify). 1, the default, is GitHub's recommendation.
   */
  timeScale?: number;
}

export const DEFAULT_API_URL = "https://api.github.com";

export function apiBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.GITHUB_API_URL || DEFAULT_API_URL).replace(/\/+$/, "");
}

/** The repository the workflow runs in, from GITHUB_REPOSITORY. */
export function repositoryFromEnv(env: NodeJS.ProcessEnv = process.env): Repository {
  const full = env.GITHUB_REPOSITORY ?? "";
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(full);
  if (!match) throw new Error(`GITHUB_REPOSITORY must be "owner/name", not ${JSON.stringify(full)}`);
  return { owner: match[1]!, repo: match[2]! };
}

export function createGitHubClient(options: ClientOptions): GitHubClient {
  const scale = options.timeScale ?? 1;
  const retries = options.retries ?? 3;
  const maxWait = options.maxRateLimitWaitSeconds ?? 900;
  const warn = options.warn ?? (() => {});
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const what = `${request.method} ${request.url}`;
      if (retryCount >= retries) {
        warn(`GitHub's ${kind} still applies to ${what} after ${retryCount} retries; giving up`);
        return false;
      }
      if (retryAfter > maxWait) {
        warn(
          `GitHub's ${kind} for ${what} lifts in ${retryAfter} s, later than this action waits (${maxWait} s)`,
        );
        return false;
      }
      warn(
        `GitHub's ${kind} reached (${what}); retrying in ${retryAfter} s (retry ${retryCount + 1} of ${retries})`,
      );
      return true;
    };
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl ?? apiBaseUrl(),
      request: { fetch: httpFetch },
      // 429 is left to the throttling plugin, which waits for its retry-after (GitHub answers 429 for
      // secondary rate limits); the retry plugin would retry it on its own schedule instead.
      retry: {
        retries,
        retryAfterBaseValue: 1000 * scale,
        doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      },
      throttle: {
        retryAfterBaseValue: 1000 * scale,
        onRateLimit: onLimit("rate limit"),
        onSecondaryRateLimit: onLimit("secondary rate limit"),
        // The plugin's own pacing groups, with the same spacing, but scaled.
        write: new Pacer(1000 * scale) as never,
        notifications: new Pacer(3000 * scale) as never,
      },
    },
    retry,
    throttling,
  );
}

/**
 * The part of a Bottleneck group the throttling plugin uses for pacing (`group.key(id).schedule(options,
 * fn)`): runs one job at a time, each at least `minTime` ms after the previous one started.
 */
export class Pacer {
  private last = -Infinity;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly minTime: number) {}

  key(): this {
    return this;
  }

  schedule<T>(_options: unknown, job: () => T | Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const wait = this.last + this.minTime - Date.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      this.last = Date.now();
      return job();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** An error from the REST API (octokit's RequestError), told apart without importing its class. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * A one-line reason for a failed API call, with a hint for the usual cause of a 403 or 404: a token
 * without `permission` (the job's `permissions:` entry the call needs), as on a fork's pull_request run.
 * Never includes request headers.
 */
export function describeApiError(error: unknown, doing: string, permission: string): string {
  const status = httpStatus(error);
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 300);
  if (status === undefined) return `${doing}: ${message}`;
  const hint =
    status === 403 || status === 404
      ? ` (does the token have ${permission}? A fork's pull_request run gets a read-only token:` +
        " process results from the default branch's workflow, on repository_dispatch or schedule)"
      : "";
  return `${doing}: GitHub answered ${status}: ${message}${hint}`;
}
