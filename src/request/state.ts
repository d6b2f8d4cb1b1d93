// How a request moves: queued → running → completed | failed; queued or running → cancelled or superseded;
// queued → stale. Every change is kept as an event (bounded), so the check run can say what happened when.
import type { HpcRequest, RequestEvent, RequestState } from "../contract/types.js";

/** The schema's bound on `events`. */
export const MAX_EVENTS = 50;

const FINAL: ReadonlySet<RequestState> = new Set(["completed", "failed", "cancelled", "superseded", "stale"]);

/** Still waiting or running: something may still happen to it. */
export function isOpen(request: HpcRequest): boolean {
  return !FINAL.has(request.state);
}

export function isFinal(state: RequestState): boolean {
  return FINAL.has(state);
}

/** Which states each state may move to. */
const NEXT: Record<RequestState, readonly RequestState[]> = {
  queued: ["running", "cancelled", "superseded", "stale", "failed"],
  running: ["completed", "failed", "cancelled", "superseded"],
  completed: [],
  failed: [],
  cancelled: [],
  superseded: [],
  stale: [],
};

export function canMove(from: RequestState, to: RequestState): boolean {
  return NEXT[from].includes(to);
}

export interface Change {
  at: string;
  by?: string;
  reason?: string;
  job_id?: string;
}

/** The request's events with one more, bounded: the first (who asked) and the newest are what a reader needs. */
export function withEvent(request: HpcRequest, event: RequestEvent): RequestEvent[] {
  const events = [...(request.events ?? []), event];
  return events.length > MAX_EVENTS ? [events[0]!, ...events.slice(-(MAX_EVENTS - 1))] : events;
}

/** The request in its new state, with the change recorded; throws on a move the lifecycle does not allow. */
export function transition(request: HpcRequest, state: RequestState, change: Change): HpcRequest {
  if (!canMove(request.state, state)) {
    throw new Error(`request ${request.id} cannot go from ${request.state} to ${state}`);
  }
  const event: RequestEvent = {
    state,
    at: change.at,
    ...(change.by !== undefined && { by: change.by }),
    ...(change.reason !== undefined && { reason: change.reason }),
    ...(change.job_id !== undefined && { job_id: change.job_id }),
  };
  const next: HpcRequest = { ...request, state, updated_at: change.at, events: withEvent(request, event) };
  if (change.reason !== undefined) next.reason = change.reason;
  else delete next.reason;
  if (change.job_id !== undefined) next.job_id = change.job_id;
  return next;
}
