// Requests on the results branch (`requests/<id>.json`): reading them with the contract's checks, their
// names for branch heads and tags, and their state changes, each recorded as an event. Unlike the
// lifecycle of src/request/state.ts, a poller may record a change within a state (the job id of a running
// request, a cancelled request's job stopped), so it does not check the move.
import { formatContractError, InvalidDocumentError } from "../contract/errors.js";
import { parseDocument } from "../contract/json.js";
import type { HpcRequest, RequestEvent, RequestState } from "../contract/types.js";
import { checkDocument } from "../contract/validate.js";
import { REQUESTS_FOLDER } from "../results-branch/layout.js";
import { withEvent } from "../request/state.js";

const MAX_REASON = 4096;

export interface ReadRequests {
  requests: HpcRequest[];
  /** One line per unusable file: the file, the JSON pointer and the reason. */
  invalid: string[];
}

/** Whether a path is a request file (`requests/<name>.json`, directly in the folder). */
export function isRequestPath(path: string): boolean {
  return new RegExp(`^${REQUESTS_FOLDER}/[^/]+\\.json$`).test(path);
}

/** Parses and checks request files; a bad one is reported and left alone, never blocking the others. */
export function parseRequests(files: { path: string; text: string }[]): ReadRequests {
  const requests: HpcRequest[] = [];
  const invalid: string[] = [];
  for (const { path, text } of files) {
    try {
      const value = parseDocument(text, path);
      const problems = checkDocument("hpc-request", value, path);
      if (problems.length > 0) throw new InvalidDocumentError(problems);
      const request = value as HpcRequest;
      if (path !== `${REQUESTS_FOLDER}/${request.id}.json`)
        throw new InvalidDocumentError([{ file: path, pointer: "/id", reason: "is not the file's name" }]);
      requests.push(request);
    } catch (error) {
      if (!(error instanceof InvalidDocumentError)) throw error;
      invalid.push(error.errors.slice(0, 3).map(formatContractError).join("; "));
    }
  }
  return { requests, invalid };
}

/** A request id from free text: characters the id may not hold become '-', and it stays one file name. */
function idOf(prefix: string, text: string): string {
  const id = `${prefix}-${text}`.replace(/[^A-Za-z0-9._-]/g, "-").replace(/\.{2,}/g, "-");
  return id.slice(0, 128);
}

export function branchRequestId(branch: string, commit: string): string {
  // The commit goes last and is never cut off: a long branch name gives way instead.
  return `${idOf("branch", branch).slice(0, 114)}-${commit.slice(0, 12)}`;
}

export function tagRequestId(tag: string): string {
  return idOf("tag", tag);
}

export interface Transition {
  reason?: string;
  job_id?: string;
  claimed_by?: string;
  claimed_at?: string;
}

/** The request in its new state, with the change kept as an event (by: this poller). */
export function moved(
  request: HpcRequest,
  state: RequestState,
  details: Transition,
  at: string,
  by: string,
): HpcRequest {
  const reason = details.reason?.slice(0, MAX_REASON);
  const event: RequestEvent = {
    state,
    at,
    by,
    ...(reason && { reason }),
    ...(details.job_id && { job_id: details.job_id }),
  };
  const given = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
  const next: HpcRequest = { ...request, ...given, state, updated_at: at };
  if (reason) next.reason = reason;
  else if (state !== request.state) delete next.reason;
  next.events = withEvent(request, event);
  return next;
}
