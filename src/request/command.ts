// The `/hpc` commands of a pull request comment. Only the comment's first line counts, so a command quoted
// further down (in a reply, a review) is never taken for a new one.
import type { RequestScope } from "../contract/types.js";

export type HpcCommand =
  | { kind: "run"; what: RequestScope }
  | { kind: "cancel" }
  /** `/hpc` followed by something this version does not know: answered with the usage. */
  | { kind: "unknown"; text: string };

export const SCOPES: readonly RequestScope[] = ["tests", "benchmarks", "all"];

export const COMMAND_USAGE =
  "`/hpc run` (or `/hpc run tests`, `/hpc run benchmarks`, `/hpc run all`) or `/hpc cancel`";

/** The command in the first line of `body`; undefined when the comment is not addressed to `/hpc`. */
export function parseCommand(body: string): HpcCommand | undefined {
  const first = (body.split(/\r?\n/, 1)[0] ?? "").trim();
  const match = /^\/hpc(?:\s+(.*))?$/i.exec(first);
  if (!match) return undefined;
  const words = (match[1] ?? "").trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words[0] === "run" && words.length <= 2) {
    const what = (words[1] ?? "all") as RequestScope;
    if (SCOPES.includes(what)) return { kind: "run", what };
  }
  if (words[0] === "cancel" && words.length === 1) return { kind: "cancel" };
  return { kind: "unknown", text: first };
}
