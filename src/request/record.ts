// What a `/hpc` command does to the requests/ folder of a fresh checkout of the results branch. Run inside
// publishWithRetry's apply, so after a lost push race it is done again on the newest tip: nothing here may
// depend on an earlier attempt.
import type { HpcRequest, RequestScope } from "../contract/types.js";
import type { ContractError } from "../contract/errors.js";
import { readRequests, writeRequest } from "./folder.js";
import { isOpen, transition } from "./state.js";

export interface PullRequestAsk {
  repository: string;
  pullRequest: number;
  commentId: number;
  what: RequestScope;
  /** The pull request's head when the comment was handled. */
  commit: string;
  requestedBy: string;
  at: string;
}

/** `pr-<number>-<comment id>`: one request per comment, so a redelivered event writes the same file. */
export function requestId(pullRequest: number, commentId: number): string {
  return `pr-${pullRequest}-${commentId}`;
}

export function newRequest(ask: PullRequestAsk): HpcRequest {
  return {
    schema_version: 1,
    id: requestId(ask.pullRequest, ask.commentId),
    source: "pull_request",
    what: ask.what,
    commit: ask.commit,
    repository: ask.repository,
    pull_request: ask.pullRequest,
    requested_by: ask.requestedBy,
    requested_at: ask.at,
    comment_id: ask.commentId,
    state: "queued",
    updated_at: ask.at,
    events: [{ state: "queued", at: ask.at, by: ask.requestedBy }],
  };
}

export interface Recorded {
  /** The request as on the branch (an earlier attempt's, when this comment was handled before). */
  request: HpcRequest;
  /** Open requests of the pull request for an older head, now superseded. */
  superseded: HpcRequest[];
  /** Request files of the pull request that could not be read (left as they are). */
  errors: ContractError[];
}

/** Writes the new request and supersedes the pull request's open requests for another commit. */
export async function recordRequest(dir: string, request: HpcRequest): Promise<Recorded> {
  const { requests, errors } = await readRequests(dir, ofPullRequest(request.pull_request!));
  const same = (r: HpcRequest) =>
    r.source === "pull_request" &&
    r.pull_request === request.pull_request &&
    (r.repository ?? request.repository) === request.repository;
  const existing = requests.find((r) => r.id === request.id);
  if (existing) return { request: existing, superseded: [], errors };
  const superseded: HpcRequest[] = [];
  for (const older of requests.filter((r) => same(r) && isOpen(r) && r.commit !== request.commit)) {
    const next = transition(older, "superseded", {
      at: request.requested_at,
      by: request.requested_by,
      reason: `the pull request moved on to ${request.commit} (request ${request.id})`,
    });
    await writeRequest(dir, next);
    superseded.push(next);
  }
  await writeRequest(dir, request);
  return { request, superseded, errors };
}

/** Marks every open request of the pull request cancelled; the poller cancels a running job. */
export async function cancelRequests(
  dir: string,
  change: { repository: string; pullRequest: number; by: string; at: string },
): Promise<{ cancelled: HpcRequest[]; errors: ContractError[] }> {
  const { requests, errors } = await readRequests(dir, ofPullRequest(change.pullRequest));
  const cancelled: HpcRequest[] = [];
  for (const r of requests) {
    if (r.pull_request !== change.pullRequest || (r.repository ?? change.repository) !== change.repository)
      continue;
    if (!isOpen(r)) continue;
    const next = transition(r, "cancelled", {
      at: change.at,
      by: change.by,
      reason: `cancelled by ${change.by}`,
    });
    await writeRequest(dir, next);
    cancelled.push(next);
  }
  return { cancelled, errors };
}

/** The files of one pull request's requests, by the id this action gives them. */
function ofPullRequest(number: number): (file: string) => boolean {
  return (file) => file.startsWith(`requests/pr-${number}-`);
}
