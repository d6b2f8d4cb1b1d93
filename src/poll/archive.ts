// Ended requests leave requests/ for requests-closed/ once nothing is left to do for them, so that each poll
// and each check-run mirror reads the open few, not every request the project ever made. The move is a
// change like any other: decided again on the newest tip, and made only if the request is as it was read.
import type { HpcRequest } from "../contract/types.js";
import { isFinal } from "../request/state.js";
import type { Change } from "./record.js";
import { stoppedMark } from "./watch.js";

/** Ended, and no poller has anything left to do: a cancelled request's job, if any, was dealt with. */
export function isDone(request: HpcRequest): boolean {
  if (!isFinal(request.state)) return false;
  if (request.state !== "cancelled" || !request.job_id) return true;
  const mark = stoppedMark(request.job_id);
  return (request.events ?? []).some((e) => e.reason?.startsWith(mark));
}

export function archiveChanges(requests: HpcRequest[]): Change[] {
  return requests.filter(isDone).map((request) => ({
    id: request.id,
    commit: request.commit,
    summary: `archived ${request.id} (${request.state})`,
    archive: true,
    when: (current) =>
      current && isDone(current) && current.updated_at === request.updated_at ? current : undefined,
  }));
}
