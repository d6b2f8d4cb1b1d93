// The order in which runs were published: the results-branch commit that last wrote each run's folder, and
// that commit's place along the branch. Clusters' clocks disagree and two runs can share a generated_at;
// the branch's own history cannot, so readers order runs by it wherever it is known.
import { realpath } from "node:fs/promises";
import type { HpcResults } from "../contract/types.js";
import { git } from "../git/run.js";

export interface Publication {
  /** The results-branch commit that last changed the run's folder. */
  commit: string;
  /** Its place on the branch's first-parent history, 1 for the branch's first commit. */
  index: number;
}

/**
 * Where each of `folders` (run commit ids) was last published on the checkout at `root`. Empty when the
 * checkout is not a repository of its own or is shallow: a place counted in a cut history would not compare
 * with one counted in the whole.
 */
export async function publications(root: string, folders: string[]): Promise<Map<string, Publication>> {
  if (folders.length === 0 || !(await wholeHistory(root))) return new Map();
  try {
    return await lastPublished(root, folders);
  } catch {
    // No commit yet, or a checkout git cannot read: the runs keep their clocks' order.
    return new Map();
  }
}

async function lastPublished(root: string, folders: string[]): Promise<Map<string, Publication>> {
  const found = new Map<string, Publication>();
  const line = (await git(root, ["rev-list", "--first-parent", "HEAD"])).split("\n").filter(Boolean);
  const place = new Map(line.map((c, i) => [c, line.length - i]));
  // Newest first: the first commit naming a folder is the one that last published it.
  const log = await git(root, [
    "log",
    "--first-parent",
    "--no-renames",
    "--name-only",
    "--format=%x01%H",
    "HEAD",
    "--",
    ...folders.map((f) => `${f}/`),
  ]);
  for (const block of log.split("\x01").filter(Boolean)) {
    const [commit, ...paths] = block.split("\n").filter(Boolean);
    const index = place.get(commit!);
    if (index === undefined) continue;
    for (const path of paths) {
      const folder = path.slice(0, path.indexOf("/"));
      if (!found.has(folder)) found.set(folder, { commit: commit!, index });
    }
  }
  return found;
}

async function wholeHistory(root: string): Promise<boolean> {
  try {
    const top = (await git(root, ["rev-parse", "--show-toplevel"])).trim();
    if ((await realpath(top)) !== (await realpath(root))) return false;
    return (await git(root, ["rev-parse", "--is-shallow-repository"])).trim() === "false";
  } catch {
    return false;
  }
}

/** The run with its place on the results branch, or with none: a value the document itself claims is never kept. */
export function withPublication(run: HpcResults, publication: Publication | undefined): HpcResults {
  const { results_commit: _commit, results_index: _index, ...rest } = run;
  return publication
    ? { ...rest, results_commit: publication.commit, results_index: publication.index }
    : (rest as HpcResults);
}

function timeOf(run: HpcResults): number {
  const t = Date.parse(run.generated_at ?? "");
  return Number.isNaN(t) ? -Infinity : t;
}

function byTimeThenCommit(a: HpcResults, b: HpcResults): number {
  return timeOf(a) - timeOf(b) || (a.commit < b.commit ? -1 : a.commit > b.commit ? 1 : 0);
}

/**
 * Runs oldest first, in the order they were published: runs with a place on the results branch by that
 * place, the others (older histories, runs given by hand) by generated_at, the two merged by time. A total
 * order, so that the result never depends on the order of the input.
 */
export function publicationOrder(runs: HpcResults[]): HpcResults[] {
  const placed = runs
    .filter((r) => r.results_index !== undefined)
    .sort((a, b) => a.results_index! - b.results_index! || byTimeThenCommit(a, b));
  const unplaced = runs.filter((r) => r.results_index === undefined).sort(byTimeThenCommit);
  const out: HpcResults[] = [];
  let i = 0;
  let j = 0;
  while (i < placed.length || j < unplaced.length) {
    const take =
      j >= unplaced.length || (i < placed.length && byTimeThenCommit(placed[i]!, unplaced[j]!) <= 0);
    out.push(take ? placed[i++]! : unplaced[j++]!);
  }
  return out;
}

/** Whether `a` was published after `b` (the same order as publicationOrder for two runs). */
export function publishedAfter(a: HpcResults, b: HpcResults): boolean {
  if (a.results_index !== undefined && b.results_index !== undefined)
    return a.results_index > b.results_index;
  return timeOf(a) > timeOf(b);
}
