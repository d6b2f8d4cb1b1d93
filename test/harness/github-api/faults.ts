// Fault injection: the next n matching requests fail the way GitHub (or the network before it) fails.
import { randomBytes } from "node:crypto";
import { basicError, type Reply } from "./errors.js";

export interface FaultOptions {
  /**
   * 500 / 502 / 503: a server error. 429: too many requests with retry-after. 403: a rate limit, primary
   * (x-ratelimit-remaining: 0) unless rateLimit says "secondary". Leave out when reset is true.
   */
  status?: 403 | 429 | 500 | 502 | 503;
  /** For 403 (default "primary"); 429 is always a secondary limit, as on GitHub. */
  rateLimit?: "primary" | "secondary";
  /** Destroy the connection instead of answering (the client sees a reset / "other side closed"). */
  reset?: boolean;
  /** retry-after in seconds for 429 and secondary 403 (default 1). */
  retryAfter?: number;
  /** Primary 403: x-ratelimit-reset is now + this many seconds (default 1). */
  resetInSeconds?: number;
  /** Replaces the default message of the JSON body. */
  message?: string;
  /** Extra headers, or overrides of the defaults. */
  headers?: Record<string, string>;
  /** Only requests with this method (case-insensitive). */
  method?: string;
  /**
   * Only requests whose path matches: a RegExp is tested on the path (no query); a string must equal the
   * path or the OpenAPI template, e.g. "/repos/{owner}/{repo}/issues/{issue_number}/comments".
   */
  path?: string | RegExp;
}

interface Rule {
  remaining: number;
  options: FaultOptions;
}

export type FaultOutcome =
  { kind: "reset"; description: string } | { kind: "reply"; description: string; reply: Reply };

const RATE_LIMIT_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api";

export class Faults {
  private rules: Rule[] = [];

  /** Makes the next n requests that match fail as described. Rules apply in the order they were added. */
  next(n: number, options: FaultOptions): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`faults.next: n must be a positive integer, got ${n}`);
    if (!options.reset && options.status === undefined)
      throw new Error("faults.next: give a status or reset: true");
    this.rules.push({ remaining: n, options });
  }

  /** How many injected failures are still waiting. */
  pending(): number {
    return this.rules.reduce((sum, r) => sum + r.remaining, 0);
  }

  clear(): void {
    this.rules = [];
  }

  /** Used by the server: the fault for this request, if one is due (consumes it). */
  take(method: string, path: string, template: string | undefined, now: Date): FaultOutcome | undefined {
    const rule = this.rules.find((r) => matches(r.options, method, path, template));
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return outcome(rule.options, now);
  }
}

function matches(o: FaultOptions, method: string, path: string, template: string | undefined): boolean {
  if (o.method && o.method.toUpperCase() !== method.toUpperCase()) return false;
  if (o.path instanceof RegExp) return o.path.test(path);
  if (typeof o.path === "string") return o.path === path || o.path === template;
  return true;
}

function requestId(): string {
  return `${randomBytes(2).toString("hex").toUpperCase()}:${randomBytes(3).toString("hex").toUpperCase()}:${randomBytes(4).toString("hex").toUpperCase()}`;
}

function outcome(o: FaultOptions, now: Date): FaultOutcome {
  if (o.reset) return { kind: "reset", description: "connection reset" };
  const status = o.status!;
  const id = requestId();
  const json = (message: string, docs?: string) => ({ ...basicError(status, o.message ?? message, docs) });
  const retryAfter = String(o.retryAfter ?? 1);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let reply: Reply;
  let description: string;
  if (status === 403 && (o.rateLimit ?? "primary") === "primary") {
    description = "403 primary rate limit";
    reply = {
      status,
      body: json(
        `API rate limit exceeded for installation ID 12345678. If you reach out to GitHub Support for help, please include the request ID ${id} and timestamp ${now
          .toISOString()
          .replace("T", " ")
          .replace(/\.\d+Z$/, " UTC")}.`,
        `${RATE_LIMIT_DOCS}#about-primary-rate-limits`,
      ),
      headers: {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": "5000",
        "x-ratelimit-reset": String(nowSeconds + (o.resetInSeconds ?? 1)),
        "x-ratelimit-resource": "core",
        "x-github-request-id": id,
      },
    };
  } else if (status === 403 || status === 429) {
    description = `${status} secondary rate limit`;
    reply = {
      status,
      body: json(
        `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${id}.`,
        `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`,
      ),
      headers: { "retry-after": retryAfter, "x-github-request-id": id },
    };
  } else {
    description = `${status} server error`;
    const message = status === 503 ? "Service Unavailable" : status === 502 ? "Bad Gateway" : "Server Error";
    reply = { status, body: json(message), headers: { "x-github-request-id": id } };
  }
  reply.headers = { ...reply.headers, ...o.headers };
  return { kind: "reply", description, reply };
}
