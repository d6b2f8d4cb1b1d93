// Which commit folders a push to the results branch touched, or arrived since a given results commit.
import type { ContractError } from "../contract/errors.js";
import { git } from "../git/run.js";
import { classifyChangedPath } from "./layout.js";

/** The part of GitHub's push event payload this reads. */
export interface PushEvent {
  before?: string;
  after?: string;
  commits?: Array<{ added?: string[]; modified?: string[] }>;
}

export interface Discovery {
  /** Commit folders touched, in the order the push touched them (oldest first). */
  commits: string[];
  errors: ContractError[];
  /** How the paths were found, for the log. */
  how: "event" | "git diff" | "none";
  warnings: string[];
}

// GitHub cuts `commits` in the push payload; past that, only a diff tells what changed.
export const PAYLOAD_COMMIT_LIMIT = 20;
const ZERO = /^0+$/;

export async function discoverCommits(event: PushEvent | undefined, checkout: string): Promise<Discovery> {
  if (!event || (!event.commits && !event.after))
    return { commits: [], errors: [], how: "none", warnings: [] };
  const commits = event.commits ?? [];
  const newBranch = event.before !== undefined && ZERO.test(event.before);
  const cut = commits.length >= PAYLOAD_COMMIT_LIMIT;
  if (!cut && !newBranch && commits.length > 0) {
    const paths = commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? [])]);
    return { ...fromPaths(paths), how: "event", warnings: [] };
  }
  if (!event.after || ZERO.test(event.after)) return { commits: [], errors: [], how: "none", warnings: [] };
  const listed = newBranch
    ? await listPaths(checkout, ["ls-tree", "-r", "--name-only", "-z", event.after])
    : await listPaths(checkout, diffArgs(event.before!, event.after));
  return "warning" in listed
    ? { commits: [], errors: [], how: "none", warnings: [listed.warning] }
    : { ...fromPaths(listed.paths), how: "git diff", warnings: [] };
}

/**
 * Every commit folder added or changed between the results commit `since` (the last one processed) and
 * the checkout's HEAD: what arrived since, whichever events or pushes brought it.
 */
export async function discoverSince(since: string, checkout: string): Promise<Discovery> {
  const listed = await listPaths(checkout, diffArgs(since, "HEAD"));
  return "warning" in listed
    ? { commits: [], errors: [], how: "none", warnings: [listed.warning] }
    : { ...fromPaths(listed.paths), how: "git diff", warnings: [] };
}

/** Every file under `folder/` added or changed between the results commit `since` and the checkout's HEAD. */
export async function changedSince(
  since: string,
  checkout: string,
  folders: string[],
): Promise<{ paths: string[] } | { warning: string }> {
  return listPaths(checkout, [...diffArgs(since, "HEAD"), "--", ...folders.map((f) => `${f}/`)]);
}

function diffArgs(from: string, to: string): string[] {
  return ["diff", "--name-only", "--no-renames", "--diff-filter=AM", "-z", from, to];
}

async function listPaths(
  checkout: string,
  args: string[],
): Promise<{ paths: string[] } | { warning: string }> {
  try {
    return { paths: (await git(checkout, args)).split("\0").filter(Boolean) };
  } catch (error) {
    return {
      warning: `could not list what changed (${(error as Error).message}); check out the branch with enough history (fetch-depth: 0)`,
    };
  }
}

function fromPaths(paths: string[]): { commits: string[]; errors: ContractError[] } {
  const commits = new Set<string>();
  const errors: ContractError[] = [];
  const bad = new Set<string>();
  for (const path of paths) {
    const found = classifyChangedPath(path);
    if (!found) continue;
    if ("commit" in found) {
      commits.add(found.commit);
    } else if (!bad.has(found.badFolder)) {
      bad.add(found.badFolder);
      errors.push({
        file: path,
        pointer: "",
        reason: `folder "${found.badFolder}" is not a commit id (40 or 64 lowercase hexadecimal digits); ignored`,
      });
    }
  }
  return { commits: [...commits], errors };
}
