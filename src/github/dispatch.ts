// Asking GitHub to process what the cluster just pushed: a repository_dispatch event (POST
// /repos/{owner}/{repo}/dispatches), which runs the workflow files of the default branch. A push to the
// orphan results branch starts nothing by itself (GitHub runs a push's workflows from the pushed tree).
// Best effort by design: the scheduled catch-up processes whatever a lost dispatch left, so every failure
// here is a reason for a warning, never an exception. The token goes in a header, never in a URL or a log.
import { VERSION } from "../cli/version.js";
import { describeFetchError } from "../codecov/upload-api.js";

export const DISPATCH_EVENT_TYPE = "hpc-results";
/** GitHub refuses a client_payload of 64 KB or more; 100 commits of 41 bytes stay far below. */
const MAX_COMMITS = 100;

export interface DispatchRequest {
  /** GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  apiUrl: string;
  repository: string;
  token: string;
  /** The commit of the results branch that holds the run. */
  resultsCommit: string;
  /** The tested commits whose runs it brought. */
  commits: string[];
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type DispatchOutcome = { ok: true } | { ok: false; reason: string };

export async function sendDispatch(request: DispatchRequest): Promise<DispatchOutcome> {
  const doFetch = request.fetch ?? globalThis.fetch;
  const base = request.apiUrl.replace(/\/+$/, "");
  const url = `${base}/repos/${request.repository}/dispatches`;
  const timeoutMs = request.timeoutMs ?? 5_000;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: "POST",
      headers: {
        Accept: "application/vnd.github+json",
        Authorization: `Bearer ${request.token}`,
        "Content-Type": "application/json",
        "User-Agent": `hpc-ci/${VERSION}`,
        "X-GitHub-Api-Version": "2022-11-28",
      },
      body: JSON.stringify({
        event_type: DISPATCH_EVENT_TYPE,
        client_payload: {
          results_commit: request.resultsCommit,
          commits: request.commits.slice(0, MAX_COMMITS),
        },
      }),
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, reason: safeDescription(error, url, timeoutMs) };
  }
  const text = await response.text().catch(() => "");
  if (response.status === 204 || response.status === 200) return { ok: true };
  return { ok: false, reason: refusal(response.status, text, request.repository) };
}

// Codecov's upload and the dispatch fail alike over Node's fetch; one description of why.
function safeDescription(error: unknown, url: string, timeoutMs: number): string {
  try {
    return describeFetchError(error, url, timeoutMs);
  } catch {
    return "GITHUB_API_URL is not a URL";
  }
}

function refusal(status: number, text: string, repository: string): string {
  let message: string;
  try {
    message = String((JSON.parse(text) as { message?: unknown }).message ?? "");
  } catch {
    message = ""; // not JSON: the status says enough
  }
  const said = message ? `: ${message.slice(0, 200)}` : "";
  if (status === 401) return `GitHub refused the token (401${said}); HPC_RESULTS_TOKEN is wrong or expired`;
  if (status === 403 || status === 404)
    return `GitHub answered ${status}${said}; the token needs Contents: write on ${repository} (a fine-grained token for that repository), and the repository must exist`;
  return `GitHub answered ${status}${said}`;
}

/**
 * owner/name of a GitHub remote URL (https, ssh or scp-like, on github.com or a GHES host); undefined for a
 * path or anything else, where the repository must be given (HPC_RESULTS_REPOSITORY_SLUG).
 */
export function repositoryFromRemote(remote: string): string | undefined {
  const m =
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?[^/]+\/([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(remote) ??
    /^[^@/\s]+@[^:/\s]+:([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(remote);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/**
 * The REST API of the server a remote lives on: api.github.com for github.com, https://HOST/api/v3 for a
 * GitHub Enterprise Server host, so that a token is only ever sent to the server it belongs to. Undefined
 * for a path or an unknown form (then GITHUB_API_URL or api.github.com).
 */
export function apiUrlForRemote(remote: string): string | undefined {
  const host =
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)/i.exec(remote)?.[1] ??
    /^[^@/\s]+@([^:/\s]+):/.exec(remote)?.[1];
  if (!host) return undefined;
  return host.toLowerCase() === "github.com" ? "https://api.github.com" : `https://${host}/api/v3`;
}
