// Codecov's upload API, version 4 of its legacy endpoint (what the bash and Node uploaders used and
// codecov-cli still sends with --legacy): POST {url}/upload/v4?<query> answers two lines, the commit's
// page and a pre-signed storage URL; the report then goes there with one PUT. Chosen over the CLI's
// newer API (create commit, create report, create upload, then PUT: three JSON calls) because one call
// carries commit, branch and flag, and codecov.io and self-hosted Codecov both serve it. The token goes
// in the X-Upload-Token header (the server reads `token` from the query or that header), never in the URL.
import { VERSION } from "../cli/version.js";
import type { ResolvedOptions } from "./options.js";
import { describeUrl } from "./redact.js";
import { retryAfterMs, withRetries, type Attempt, type Outcome } from "./retry.js";

/** Matches the package pattern the API counts uploaders by: "(<name>-)?uploader-<x.y.z>". */
export const PACKAGE = `hpc-ci-uploader-${VERSION}`;
const USER_AGENT = `hpc-ci/${VERSION}`;

export interface UploadTarget {
  /** Codecov's page of the commit (first line of the answer). */
  reportUrl: string;
  /** Pre-signed URL the report is PUT to (second line). */
  putUrl: string;
}

/** The query of the POST; every value Codecov validates, nothing secret. */
export function uploadQuery(o: ResolvedOptions): URLSearchParams {
  const params: Array<[string, string | undefined]> = [
    ["package", PACKAGE],
    ["commit", o.commit],
    ["branch", o.branch],
    ["build", o.build],
    ["build_url", o.buildUrl],
    ["name", o.name],
    ["slug", o.slug],
    ["service", o.ciService],
    ["flags", o.flags.join(",")],
  ];
  return new URLSearchParams(params.filter((p): p is [string, string] => !!p[1]));
}

/** Reads the two-line answer of the POST. */
export function parseUploadAnswer(text: string): UploadTarget | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length !== 2) return undefined;
  const [reportUrl, putUrl] = lines as [string, string];
  return isHttpUrl(reportUrl) && isHttpUrl(putUrl) ? { reportUrl, putUrl } : undefined;
}

export async function uploadThroughApi(
  o: ResolvedOptions,
  report: string,
  redact: (text: string) => string,
): Promise<Outcome<UploadTarget>> {
  const policy = { retries: o.retries, backoff: o.backoff, log: (l: string) => o.log(redact(l)) };
  const postUrl = `${o.url}/upload/v4?${uploadQuery(o).toString()}`;
  const target = await withRetries("asking for an upload URL", policy, () =>
    requestUploadUrl(o, postUrl, redact),
  );
  if (!target.ok) return target;
  const stored = await withRetries("storing the report", policy, () =>
    putReport(o, target.value.putUrl, report, redact),
  );
  return stored.ok ? target : stored;
}

async function requestUploadUrl(
  o: ResolvedOptions,
  postUrl: string,
  redact: (text: string) => string,
): Promise<Attempt<UploadTarget>> {
  const headers: Record<string, string> = { Accept: "text/plain", "User-Agent": USER_AGENT };
  if (o.token) headers["X-Upload-Token"] = o.token;
  const sent = await send(o, postUrl, { method: "POST", headers, redirect: "manual" });
  if (!sent.ok) return sent;
  const { response, text } = sent.value;
  const status = response.status;
  if (status === 200) {
    const target = parseUploadAnswer(text);
    if (target) return { ok: true, value: target };
    return {
      ok: false,
      retry: false,
      message: `${describeUrl(postUrl)} answered 200 without an upload URL; is ${o.url} a Codecov server?`,
    };
  }
  const detail = redact(answerDetail(text));
  const suffix = detail ? `: ${detail}` : "";
  if (status >= 300 && status < 400) {
    // Not followed: the token header would go along to wherever it points.
    const location = response.headers.get("location");
    return {
      ok: false,
      retry: false,
      message: `${describeUrl(postUrl)} redirects (${status})${location ? ` to ${describeUrl(new URL(location, postUrl))}` : ""}; set CODECOV_URL to the Codecov server's address`,
    };
  }
  if (status === 401 || status === 403)
    return { ok: false, retry: false, message: `token rejected (${status})${suffix}` };
  if (status === 404)
    return {
      ok: false,
      retry: false,
      message: detail
        ? `token rejected (404)${suffix}`
        : `${describeUrl(postUrl)} not found (404); is ${o.url} a Codecov server?`,
    };
  if (status === 429)
    return {
      ok: false,
      retry: true,
      message: `throttled by Codecov (429)${suffix}`,
      retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
    };
  if (status >= 500) return { ok: false, retry: true, message: `Codecov answered ${status}${suffix}` };
  return { ok: false, retry: false, message: `Codecov refused the upload (${status})${suffix}` };
}

async function putReport(
  o: ResolvedOptions,
  putUrl: string,
  report: string,
  redact: (text: string) => string,
): Promise<Attempt<void>> {
  const sent = await send(o, putUrl, {
    method: "PUT",
    headers: { "Content-Type": "text/plain", "User-Agent": USER_AGENT },
    body: report,
  });
  if (!sent.ok) return sent;
  const { status } = sent.value.response;
  if (status >= 200 && status < 300) return { ok: true, value: undefined };
  const detail = redact(answerDetail(sent.value.text));
  const message = `storage at ${describeUrl(putUrl)} answered ${status}${detail ? `: ${detail}` : ""}`;
  return { ok: false, retry: status >= 500 || status === 429, message };
}

/** One request with its timeout; the answer's body read in full, or why there is none. */
async function send(
  o: ResolvedOptions,
  url: string,
  init: RequestInit,
): Promise<Attempt<{ response: Response; text: string }>> {
  try {
    const response = await o.fetch(url, { ...init, signal: AbortSignal.timeout(o.timeoutMs) });
    const text = await response.text();
    return { ok: true, value: { response, text } };
  } catch (error) {
    return { ok: false, retry: true, message: describeFetchError(error, url, o.timeoutMs) };
  }
}

/** Node's fetch says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND, ...) in `cause`. */
export function describeFetchError(error: unknown, url: string, timeoutMs: number): string {
  const where = new URL(url).origin;
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError")
    return `no answer from ${where} within ${Math.round(timeoutMs / 100) / 10}s`;
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `could not reach ${where}: ${reason}`;
}

/** The useful part of an error answer: DRF's {"detail": ...}, or its first line of text; not HTML pages. */
export function answerDetail(text: string): string {
  const trimmed = text.trim();
  if (!trimmed || trimmed.startsWith("<")) return "";
  try {
    const value = JSON.parse(trimmed) as unknown;
    if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      for (const key of ["detail", "message", "error"])
        if (typeof record[key] === "string") return clip(record[key] as string);
      return clip(JSON.stringify(value));
    }
  } catch {
    // Plain text.
  }
  return clip(trimmed.split(/\r?\n/)[0] ?? "");
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}
