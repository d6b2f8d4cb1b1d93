// TypeScript view of schemas/hpc-request.schema.json: `requests/<id>.json` on the results branch, written
// by the request-hpc-run action and the poller (re-exported by types.ts with the rest of the contract).
/** What a request asks the cluster to run. */
export type RequestScope = "tests" | "benchmarks" | "all";
/**
 * queued → running → completed | failed; queued or running → cancelled (`/hpc cancel`) or superseded (the
 * pull request's head moved on); queued → stale (nobody claimed it in time).
 */
export type RequestState =
  "queued" | "running" | "completed" | "failed" | "cancelled" | "superseded" | "stale";

/** One state change of a request, kept for the reader of the check run. */
export interface RequestEvent {
  state: RequestState;
  at: string;
  by?: string;
  reason?: string;
  job_id?: string;
}

/**
 * `requests/<id>.json` on the results branch (schemas/hpc-request.schema.json): what to run and where it
 * stands. Data only: no code, no commands, no paths; the poller decides how to run it from the operator's policy.
 */
export interface HpcRequest {
  schema_version: 1;
  /** Also the file name: letters, digits, '.', '_' and '-'. */
  id: string;
  /** pull_request: a maintainer's `/hpc run`; branch: the poller's nightly run of a branch head; tag: a release tag. */
  source: "pull_request" | "branch" | "tag";
  what: RequestScope;
  /** The exact commit to test, pinned when the request was made. */
  commit: string;
  /** owner/repo the commit belongs to (the cluster fetches it from this repository only, by SHA). */
  repository?: string;
  pull_request?: number;
  branch?: string;
  tag?: string;
  requested_by?: string;
  requested_at: string;
  /** The `/hpc run` comment. */
  comment_id?: number;
  state: RequestState;
  updated_at: string;
  /** The poller that claimed it (host and process). */
  claimed_by?: string;
  claimed_at?: string;
  job_id?: string;
  /** Why the request is in its state (a refusal, a job's failure reason, the newer head). */
  reason?: string;
  /** The `hpc` check run that mirrors this request. */
  check_run_id?: number;
  /** State changes, oldest first (at most 50). */
  events?: RequestEvent[];
}
