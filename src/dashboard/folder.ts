// A pages folder on disk: read its history, add runs, write every file again.
import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { HpcResults } from "../contract/types.js";
import { writeFileAtomic } from "../fs/atomic.js";
import { HISTORY_FILE, headlineRuns, mergeHistory, parseHistory } from "./history.js";
import { MARKER_FILE, processedMarker } from "./marker.js";
import { type SiteOptions, renderSite } from "./site.js";

/** The pages folder cannot be written safely (it is reached through a link, or is not a folder). */
export class PagesFolderError extends Error {
  override name = "PagesFolderError";
}

export interface UpdateOptions extends SiteOptions {
  historySize: number;
  now: Date;
  warn?: (message: string) => void;
  /** Record that everything up to this results-branch commit is processed (processed.json). */
  processed?: { resultsBranch: string; resultsCommit: string };
}

export interface UpdateResult {
  /** The history written, newest first; empty when there was nothing to render. */
  history: HpcResults[];
  /** Commits of `runs` that are in the history written (a run older than a full history falls off). */
  added: string[];
  files: string[];
}

/** The history in `folder`, or none; a history.json that cannot be read is an error, never silently replaced. */
export async function readHistory(
  folder: string,
  warn: (message: string) => void = () => {},
): Promise<HpcResults[]> {
  const path = join(folder, HISTORY_FILE);
  let stat;
  try {
    stat = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  if (!stat.isFile()) throw new PagesFolderError(`${HISTORY_FILE} in the pages folder is not a regular file`);
  const parsed = parseHistory(await readFile(path, "utf8"), HISTORY_FILE);
  for (const reason of parsed.dropped) warn(`${HISTORY_FILE}: ${reason}`);
  return parsed.runs;
}

/** Refuses a pages folder reached through a symbolic link on the branch: files are written only inside the checkout. */
export async function assertPlainFolder(root: string, relative: string): Promise<void> {
  let path = root;
  for (const segment of relative.split("/").filter(Boolean)) {
    path = join(path, segment);
    try {
      const stat = await lstat(path);
      if (stat.isSymbolicLink() || !stat.isDirectory()) {
        throw new PagesFolderError(
          `${relative} in the pages checkout is ${stat.isSymbolicLink() ? "a symbolic link" : "not a folder"}`,
        );
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
  }
}

/** Adds `runs` (validated) to the history of `folder` and renders every file; with no runs, renders the history again. */
export async function updatePagesFolder(
  folder: string,
  runs: HpcResults[],
  options: UpdateOptions,
): Promise<UpdateResult> {
  const previous = await readHistory(folder, options.warn);
  const history =
    previous.length === 0 && runs.length === 0 ? [] : mergeHistory(previous, runs, options.historySize);
  const kept = new Set(history.map((r) => r.commit));
  const files = history.length > 0 ? renderSite(history, options, options.now) : new Map<string, string>();
  if (options.processed) {
    const marker = processedMarker({
      ...options.processed,
      now: options.now,
      headline: headlineRuns(history, options.defaultBranch)[0],
      staleAfterSeconds: options.staleAfterSeconds,
    });
    files.set(MARKER_FILE, `${JSON.stringify(marker, null, 2)}\n`);
  }
  for (const [name, content] of files) await writeFileAtomic(join(folder, name), content);
  return { history, added: runs.map((r) => r.commit).filter((c) => kept.has(c)), files: [...files.keys()] };
}
