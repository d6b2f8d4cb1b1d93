// Writing request changes to the results branch: one commit per batch, pushed without force. On a
// rejected push git/publish.ts rebuilds on the newest tip, and each change is decided again there from
// the request as it is now (`when`), never blindly reapplied: that is what makes a claim happen once.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { HpcRequest } from "../contract/types.js";
import { writeJsonAtomic } from "../fs/atomic.js";
import { publishWithRetry } from "../git/publish.js";
import { REQUESTS_FOLDER, requestFile } from "../results-branch/layout.js";
import { parseRequests } from "./requests.js";

export interface Change {
  id: string;
  /** The tested commit, for the dispatch that tells GitHub. */
  commit: string;
  /** A line for the poll's output. */
  summary: string;
  /**
   * The request as it is on the newest tip (undefined: no such file yet), and every valid request there:
   * the new request, or undefined when the change no longer holds.
   */
  when: (current: HpcRequest | undefined, all: HpcRequest[]) => HpcRequest | undefined;
}

export interface BranchWriter {
  remote: string;
  branch: string;
  /** A working folder kept for the poll's pushes (a sparse checkout of requests/). */
  dir: string;
  env: NodeJS.ProcessEnv;
  attempts?: number;
  log: (message: string) => void;
}

export interface Recorded {
  /** The changes that held on the tip that was pushed. */
  applied: Change[];
  resultsCommit?: string;
}

/** Applies what still holds of `changes` and pushes it as one commit. */
export async function recordChanges(
  writer: BranchWriter,
  changes: Change[],
  message: string,
): Promise<Recorded> {
  if (changes.length === 0) return { applied: [] };
  let applied: Change[] = [];
  const result = await publishWithRetry({
    remote: writer.remote,
    branch: writer.branch,
    dir: writer.dir,
    env: writer.env,
    maxAttempts: writer.attempts,
    sparse: [REQUESTS_FOLDER],
    message,
    log: writer.log,
    apply: async (dir) => {
      applied = [];
      const all = await readAll(dir);
      for (const change of changes) {
        const current = all.find((r) => r.id === change.id);
        const next = change.when(current, all);
        if (!next) continue;
        await writeJsonAtomic(join(dir, requestFile(change.id)), next);
        all.splice(current ? all.indexOf(current) : all.length, current ? 1 : 0, next);
        applied.push(change);
      }
    },
  });
  return { applied: result.pushed ? applied : [], ...(result.commit && { resultsCommit: result.commit }) };
}

async function readAll(dir: string): Promise<HpcRequest[]> {
  const folder = join(dir, REQUESTS_FOLDER);
  const names = await readdir(folder).catch(() => [] as string[]);
  const files = await Promise.all(
    names
      .filter((n) => n.endsWith(".json"))
      .map(async (n) => ({ path: `${REQUESTS_FOLDER}/${n}`, text: await readFile(join(folder, n), "utf8") })),
  );
  return parseRequests(files).requests;
}
