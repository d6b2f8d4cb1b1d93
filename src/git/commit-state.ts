// Whether a tested commit is the commit others can see: the work tree holds nothing beyond it, and a
// remote has it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git, GitError } from "./run.js";

/**
 * Paths of the work tree that differ from `commit`: tracked files changed (staged or not) and untracked
 * files git does not ignore (an untracked folder as one entry), limited by `pathspecs` (git's magic
 * pathspecs, such as `:(exclude,literal)hpc-ci`).
 */
export async function changedPaths(root: string, commit: string, pathspecs: string[]): Promise<string[]> {
  const pathspec = ["--", ".", ...pathspecs];
  const [tracked, untracked] = await Promise.all([
    git(root, ["diff", "--name-only", "--no-renames", commit, ...pathspec]),
    git(root, [
      "ls-files",
      "--others",
      "--exclude-standard",
      "--directory",
      "--no-empty-directory",
      ...pathspec,
    ]),
  ]);
  return [...new Set(`${tracked}\n${untracked}`.split("\n").filter(Boolean))];
}

/**
 * Whether the repository at `url` has `commit`, asked of the server itself: fetch that one commit into a
 * throwaway repository. Protocol v2 serves any object the server has; `--filter=tree:0` keeps the transfer
 * to the commit object where the server allows filters (GitHub does). Throws GitError when the remote
 * cannot be asked (unreachable, refused, or an old server that only serves advertised tips).
 */
export async function remoteHasCommit(
  url: string,
  commit: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), "hpc-ci-pushed-"));
  try {
    await git(dir, ["init", "-q"], env);
    await git(dir, ["fetch", "-q", "--no-tags", "--depth=1", "--filter=tree:0", url, commit], env, {
      timeoutMs,
    });
    return true;
  } catch (error) {
    if (error instanceof GitError && /not our ref/i.test(error.stderr)) return false;
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
