// Render a pages folder and publish it: on the newest tip of the pages branch, again after every rejected
// push (publishWithRetry), so that renders racing each other all land and lose no run.
import { join } from "node:path";
import type { HpcResults } from "../contract/types.js";
import { publishWithRetry } from "../git/publish.js";
import { type UpdateOptions, type UpdateResult, assertPlainFolder, updatePagesFolder } from "./folder.js";

export interface PublishPagesOptions extends UpdateOptions {
  /** Checkout of the pages branch (its `origin` is pushed to), or any folder when push is false. */
  pagesPath: string;
  /** Folder inside it, normalized ("" for the root). */
  pagesDir: string;
  branch: string;
  push: boolean;
  runs: HpcResults[];
  log?: (message: string) => void;
  maxAttempts?: number;
  backoffMs?: { base: number; max: number };
  env?: NodeJS.ProcessEnv;
}

export interface PublishPagesResult extends UpdateResult {
  changed: boolean;
  pushed: boolean;
  commit?: string;
  conflicts: number;
}

const AUTHOR = {
  name: "github-actions[bot]",
  email: "41898282+github-actions[bot]@users.noreply.github.com",
};

function commitMessage(runs: HpcResults[], dir: string): string {
  const where = dir || "the pages root";
  if (runs.length === 0) return `Refresh HPC badges in ${where}`;
  const shown = runs.map((r) => r.commit.slice(0, 12));
  return `HPC results of ${shown.length > 3 ? `${shown.slice(0, 3).join(", ")} and ${shown.length - 3} more` : shown.join(", ")} in ${where}`;
}

export async function publishPages(options: PublishPagesOptions): Promise<PublishPagesResult> {
  const render = async (root: string): Promise<UpdateResult> => {
    await assertPlainFolder(root, options.pagesDir);
    return updatePagesFolder(join(root, options.pagesDir), options.runs, options);
  };
  if (!options.push) {
    const result = await render(options.pagesPath);
    return { ...result, changed: result.files.length > 0, pushed: false, conflicts: 0 };
  }
  let last: UpdateResult = { history: [], added: [], files: [] };
  const published = await publishWithRetry({
    remote: "origin",
    branch: options.branch,
    dir: options.pagesPath,
    message: commitMessage(options.runs, options.pagesDir),
    author: AUTHOR,
    apply: async (dir) => {
      last = await render(dir);
    },
    push: true,
    log: options.log,
    maxAttempts: options.maxAttempts,
    backoffMs: options.backoffMs,
    env: options.env,
  });
  return {
    ...last,
    changed: published.changed,
    pushed: published.pushed,
    commit: published.commit,
    conflicts: published.conflicts,
  };
}
