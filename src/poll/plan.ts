// What a poll finds to do before any job is asked about: new requests for branch heads and release tags
// without results, queued pull-request requests whose head moved on (superseded), queued requests
// nobody claimed in time (stale), and the queued requests to claim, oldest first. Pure: the same view
// gives the same plan, so --dry-run shows exactly what a poll would do.
import type { PollPolicy } from "../config/poll-policy.js";
import type { HpcRequest } from "../contract/types.js";
import { segmentMatcher } from "../fs/glob.js";
import { type Change, changeWhile } from "./record.js";
import { branchRequestId, moved, tagRequestId } from "./requests.js";
import type { SourceRefs } from "./source-refs.js";
import { utcSeconds } from "../contract/time.js";

export interface PollView {
  policy: PollPolicy;
  requests: HpcRequest[];
  refs: SourceRefs;
  /** Commits with `<sha>/hpc-results.json` on the results branch. */
  tested: Set<string>;
  /** Ids of the ended requests in requests-closed/ (their names only: a tag run once is never run again). */
  closed: ReadonlySet<string>;
  /** owner/repo the requests are about, when known. */
  repository?: string;
  now: Date;
  /** host:pid of this poller. */
  identity: string;
}

/** A change that holds only while the request is still queued for the same commit. */
function fromQueued(request: HpcRequest, summary: string, next: (r: HpcRequest) => HpcRequest): Change {
  return changeWhile(request, summary, (c) => c.state === "queued" && c.commit === request.commit, next);
}

export function housekeeping(view: PollView): Change[] {
  const { policy, refs, now, identity } = view;
  const at = utcSeconds(now);
  const changes: Change[] = [];
  const known = new Set([...view.requests.map((r) => r.id), ...view.closed]);
  const create = (request: HpcRequest, summary: string) => {
    if (known.has(request.id) || view.tested.has(request.commit)) return;
    known.add(request.id);
    changes.push({ id: request.id, commit: request.commit, summary, when: (c) => (c ? undefined : request) });
  };
  const fresh = (id: string, commit: string, extra: Partial<HpcRequest>): HpcRequest => ({
    schema_version: 1,
    id,
    what: policy.scope,
    commit,
    ...(view.repository && { repository: view.repository }),
    requested_at: at,
    state: "queued",
    updated_at: at,
    events: [{ state: "queued", at, by: identity }],
    source: "branch",
    ...extra,
  });

  const branches = policy.branches ?? (refs.defaultBranch ? [refs.defaultBranch] : []);
  // One run of a branch at a time: a head that moved while its last run is open waits for it to end.
  const open = (branch: string) =>
    view.requests.some(
      (r) => r.source === "branch" && r.branch === branch && (r.state === "queued" || r.state === "running"),
    );
  for (const branch of branches) {
    const commit = refs.heads.get(branch);
    if (commit && !open(branch))
      create(
        fresh(branchRequestId(branch, commit), commit, { source: "branch", branch }),
        `created ${branchRequestId(branch, commit)}: ${branch} at ${commit.slice(0, 12)} has no results`,
      );
  }
  if (policy.tags) {
    const matches = segmentMatcher(policy.tags);
    for (const [tag, commit] of [...refs.tags].sort(([a], [b]) => (a < b ? -1 : 1)))
      if (matches.test(tag))
        create(
          fresh(tagRequestId(tag), commit, { source: "tag", tag }),
          `created ${tagRequestId(tag)}: release tag ${tag} at ${commit.slice(0, 12)}`,
        );
  }

  for (const request of view.requests) {
    if (request.state !== "queued") continue;
    const head = request.pull_request === undefined ? undefined : refs.pulls.get(request.pull_request);
    const age = (now.getTime() - Date.parse(request.requested_at)) / 1000;
    if (request.source === "pull_request" && head && head !== request.commit) {
      const reason = `pull request #${request.pull_request} moved on to ${head}`;
      changes.push(
        fromQueued(request, `superseded ${request.id}: ${reason}`, (r) =>
          moved(r, "superseded", { reason }, at, identity),
        ),
      );
    } else if (age > policy.staleAfterSeconds) {
      const reason = `not claimed within ${describeSeconds(policy.staleAfterSeconds)} of the request`;
      changes.push(
        fromQueued(request, `stale ${request.id}: ${reason}`, (r) =>
          moved(r, "stale", { reason }, at, identity),
        ),
      );
    }
  }
  return changes;
}

/**
 * Queued requests this poller may claim, oldest first: pull requests' only when the policy serves them, and
 * none that names another repository than the results' (its commit would be fetched from this one anyway).
 */
export function claimable(view: PollView): HpcRequest[] {
  const ours = (r: HpcRequest) =>
    !r.repository || !view.repository || r.repository.toLowerCase() === view.repository.toLowerCase();
  return view.requests
    .filter((r) => r.state === "queued" && ours(r))
    .filter((r) => r.source !== "pull_request" || view.policy.pullRequests)
    .sort((a, b) => Date.parse(a.requested_at) - Date.parse(b.requested_at) || (a.id < b.id ? -1 : 1));
}

/** The claim: queued → running by this poller, only while fewer than max_jobs are running on the tip. */
export function claimChange(request: HpcRequest, view: PollView, at: string): Change {
  return {
    id: request.id,
    commit: request.commit,
    summary: `claimed ${request.id}`,
    when: (current, all) => {
      if (current?.state !== "queued" || current.commit !== request.commit) return undefined;
      if (all.filter((r) => r.state === "running").length >= view.policy.maxJobs) return undefined;
      return moved(current, "running", { claimed_by: view.identity, claimed_at: at }, at, view.identity);
    },
  };
}

export function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
