// Asking GitHub to process what the cluster just pushed: a repository_dispatch event (POST
// /repos/{owner}/{repo}/dispatches), which runs the workflow files of the default branch. A push to the
// orphan results branch starts nothing by itself (GitHub runs a push's workflows from the pushed tree).
// Best effort by design: the scheduled catch-up processes whatever a lost dispatch left, so every failure
// here is a reason for a warning, never an exception. The token goes in a header, never in a URL or a log.
import { UnreachableError, answerMessage, apiCall } from "./cluster-api.js";

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
}

export type DispatchOutcome = { ok: true } | { ok: false; reason: string };

export async function sendDispatch(request: DispatchRequest): Promise<DispatchOutcome> {
  const body = JSON.stringify({
    event_type: DISPATCH_EVENT_TYPE,
    client_payload: { results_commit: request.resultsCommit, commits: request.commits.slice(0, MAX_COMMITS) },
  });
  try {
    const answer = await apiCall(request.apiUrl, `/repos/${request.repository}/dispatches`, request.token, {
      method: "POST",
      body,
      timeoutMs: request.timeoutMs ?? 5_000,
    });
    if (answer.status === 204 || answer.status === 200) return { ok: true };
    return { ok: false, reason: refusal(answer.status, answerMessage(answer), request.repository) };
  } catch (error) {
    if (error instanceof UnreachableError) return { ok: false, reason: error.message };
    // new URL() refuses a malformed GITHUB_API_URL before anything is sent.
    return { ok: false, reason: `GITHUB_API_URL is not a URL (${(error as Error).message.slice(0, 200)})` };
  }
}

function refusal(status: number, message: string, repository: string): string {
  const said = message ? `: ${message.slice(0, 200)}` : "";
  if (status === 401) return `GitHub refused the token (401${said}); HPC_RESULTS_TOKEN is wrong or expired`;
  if (status === 403 || status === 404)
    return `GitHub answered ${status}${said}; the token needs Contents: write on ${repository} (a fine-grained token for that repository), and the repository must exist`;
  return `GitHub answered ${status}${said}`;
}
