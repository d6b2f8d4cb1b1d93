// Writing request changes to the results branch: one commit per batch, pushed without force. On a
// rejected push git/publish.ts rebuilds on the newest tip, and each change is decided again there from
// the request as it is now (`when`), never blindly reapplied: that is what makes a claim happen once.
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { HpcRequest } from "../contract/types.js";
import { writeJsonAtomic } from "../fs/atomic.js";
import { kindOfPath, linkOnPath } from "../fs/kind.js";
import { PublishError, publishWithRetry } from "../git/publish.js";
import { git } from "../git/run.js";
import {
  CLOSED_REQUESTS_FOLDER,
  REQUESTS_FOLDER,
  requestFile,
  closedRequestOf,
  closedRequestsFolder,
} from "../results-branch/layout.js";
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
  /** The request has ended and needs nothing more: it moves to requests-closed/ as it is. */
  archive?: true;
}

/** A change to an existing request that holds while `holds` says so of the request as it is on the tip. */
export function changeWhile(
  request: HpcRequest,
  summary: string,
  holds: (current: HpcRequest) => boolean,
  next: (current: HpcRequest) => HpcRequest,
): Change {
  return {
    id: request.id,
    commit: request.commit,
    summary,
    when: (current) => (current && holds(current) ? next(current) : undefined),
  };
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
      const closed = await closedIds(dir, writer.env);
      const archived: HpcRequest[] = [];
      for (const change of changes) {
        const current = all.find((r) => r.id === change.id);
        // A request in requests-closed/ has ended: nothing is created again or changed in its name.
        if (!current && closed.has(change.id)) continue;
        const next = change.when(current, all);
        if (!next) continue;
        const file = requestFile(change.id);
        const link = await linkOnPath(dir, file);
        // Anyone who can push to the branch can make requests/ a link to anywhere on this node.
        if (link)
          throw new PublishError(
            `${link} is a symbolic link on ${writer.branch}: refusing to write through it`,
          );
        if (change.archive && current) {
          await rm(join(dir, file)); // staged as a deletion by the commit's `git add -A`
          all.splice(all.indexOf(current), 1);
          archived.push(next);
        } else {
          await writeJsonAtomic(join(dir, file), next);
          all.splice(current ? all.indexOf(current) : all.length, current ? 1 : 0, next);
        }
        applied.push(change);
      }
      await stageClosed(dir, archived, writer.env);
    },
  });
  return { applied: result.pushed ? applied : [], ...(result.commit && { resultsCommit: result.commit }) };
}

/** The ids in requests-closed/ on the checked-out tip: names from git's tree, no file read. */
async function closedIds(dir: string, env: NodeJS.ProcessEnv): Promise<Set<string>> {
  const listed = await git(
    dir,
    ["ls-tree", "-r", "-z", "--name-only", "HEAD", `${CLOSED_REQUESTS_FOLDER}/`],
    env,
  ).catch(
    () => "", // no commit yet (an orphan branch being started)
  );
  return new Set(listed.split("\0").flatMap((p) => closedRequestOf(p)?.id ?? []));
}

/**
 * Adds each request as requests-closed/<commit>/<id>.json to the index without checking the folder out (the
 * checkout holds requests/ alone, so the cost stays with the open requests), marked skip-worktree so that
 * the commit's `git add -A` keeps it. Plumbing every git since 1.7 has; `add --sparse` needs 2.35.
 */
async function stageClosed(dir: string, requests: HpcRequest[], env: NodeJS.ProcessEnv): Promise<void> {
  if (requests.length === 0) return;
  const staging = join(dir, ".git", "hpc-ci-closed");
  await mkdir(staging, { recursive: true });
  const written = await Promise.all(
    requests.map(async (r) => {
      const file = join(staging, `${r.id}.json`);
      await writeJsonAtomic(file, r);
      return file;
    }),
  );
  const ids = (
    await git(dir, ["hash-object", "-w", "--stdin-paths"], env, { input: `${written.join("\n")}\n` })
  )
    .trim()
    .split("\n");
  const paths = requests.map((r) => requestFile(r.id, closedRequestsFolder(r.commit)));
  const lines = paths.map((path, i) => `100644 ${ids[i]}\t${path}\n`).join("");
  await git(dir, ["update-index", "--index-info"], env, { input: lines });
  await git(dir, ["update-index", "--skip-worktree", "--stdin"], env, { input: `${paths.join("\n")}\n` });
  await rm(staging, { recursive: true, force: true });
}

/** The valid requests of the checkout; links are not followed (nor their requests counted). */
async function readAll(dir: string): Promise<HpcRequest[]> {
  const folder = join(dir, REQUESTS_FOLDER);
  if ((await kindOfPath(folder)) !== "directory") return [];
  const files: { path: string; text: string }[] = [];
  for (const name of await readdir(folder)) {
    if (!name.endsWith(".json") || (await kindOfPath(join(folder, name))) !== "file") continue;
    files.push({ path: `${REQUESTS_FOLDER}/${name}`, text: await readFile(join(folder, name), "utf8") });
  }
  return parseRequests(files).requests;
}
