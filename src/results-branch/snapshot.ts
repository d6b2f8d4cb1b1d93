// A read-only look at the tip of the results branch: every path (trees only: a shallow fetch without
// file contents), and the few files a reader needs, fetched on demand. Where the server or an old git
// cannot filter, a plain shallow fetch does the same with every blob.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../git/run.js";

export interface BranchSnapshot {
  /** The tip commit; undefined when the branch does not exist yet. */
  tip?: string;
  paths: Set<string>;
  /** A file's text at the tip (undefined when there is no such file). */
  read(path: string): Promise<string | undefined>;
  close(): Promise<void>;
}

const PARTIAL = ["-c", "remote.results.promisor=true", "-c", "extensions.partialClone=results"];

export async function snapshotBranch(
  remote: string,
  branch: string,
  env: NodeJS.ProcessEnv,
): Promise<BranchSnapshot> {
  const dir = await mkdtemp(join(tmpdir(), "hpc-ci-snapshot-"));
  const close = () => rm(dir, { recursive: true, force: true });
  try {
    await git(dir, ["init", "-q"], env);
    const options = ["-c", `remote.results.url=${remote}`, ...PARTIAL];
    const ref = `+refs/heads/${branch}:refs/hpc-ci/snapshot`;
    const fetch = (extra: string[], from: string) =>
      git(dir, [...options, "fetch", "-q", "--no-tags", "--depth=1", ...extra, from, ref], env);
    const exists = await fetch(["--filter=blob:none"], "results")
      .catch(() => fetch([], remote))
      .then(
        () => true,
        (error: Error) => {
          if (/couldn't find remote ref/i.test(error.message)) return false;
          throw error;
        },
      );
    if (!exists) return { paths: new Set(), read: async () => undefined, close };
    const tip = (await git(dir, ["rev-parse", "refs/hpc-ci/snapshot"], env)).trim();
    const listed = await git(dir, ["ls-tree", "-r", "-z", "--name-only", tip], env);
    const paths = new Set(listed.split("\0").filter(Boolean));
    const read = async (path: string) =>
      paths.has(path) ? git(dir, [...options, "show", `${tip}:${path}`], env) : undefined;
    return { tip, paths, read, close };
  } catch (error) {
    await close();
    throw error;
  }
}
