// Which requests the `hpc` check runs are brought up to date with on one processing run: those whose file
// changed since the last processed results commit, and those not final yet, newest first and at most
// `max`. A commit has one `hpc` check run, so only its newest request speaks for it.
import type { HpcRequest } from "../contract/types.js";
import { isOpen } from "./state.js";

export interface MirrorSelection {
  /** The newest request of each chosen commit, newest first. */
  chosen: HpcRequest[];
  /** Commits that would have been chosen past `max` (left for the next run when still open). */
  leftOut: HpcRequest[];
}

/**
 * `changed`: the ids of the requests whose file changed since the processed marker (undefined: no marker,
 * every request counts as changed).
 */
export function selectForMirror(
  requests: HpcRequest[],
  changed: ReadonlySet<string> | undefined,
  max: number,
): MirrorSelection {
  const newest = new Map<string, HpcRequest>();
  const wanted = new Set<string>();
  for (const r of requests) {
    const current = newest.get(r.commit);
    if (!current || newer(r, current)) newest.set(r.commit, r);
    if (!changed || changed.has(r.id) || isOpen(r)) wanted.add(r.commit);
  }
  const ordered = [...wanted]
    .map((commit) => newest.get(commit)!)
    .sort((a, b) => (newer(a, b) ? -1 : newer(b, a) ? 1 : 0));
  return { chosen: ordered.slice(0, max), leftOut: ordered.slice(max) };
}

/** Asked later (ties: changed later, then the larger id), so the order never depends on reading order. */
function newer(a: HpcRequest, b: HpcRequest): boolean {
  const asked = Date.parse(a.requested_at) - Date.parse(b.requested_at);
  if (asked !== 0) return asked > 0;
  const changed = Date.parse(a.updated_at) - Date.parse(b.updated_at);
  if (changed !== 0) return changed > 0;
  return a.id > b.id;
}
