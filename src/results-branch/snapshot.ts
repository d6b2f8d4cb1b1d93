// A read-only look at the tip of the results branch: every path (trees only: a shallow fetch without
// file contents), the files of a few folders checked out (their contents fetched in one batch, as a
// sparse checkout does), and any other file fetched on demand. Where the server or an old git cannot
// filter, a plain shallow fetch does the same with every blob.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { linkOnPath } from "../fs/kind.js";
import { conePatterns } from "../git/publish.js";
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

/** `folders`: top-level folders to check out (plain names), read from disk; other files come one by one. */
export async function snapshotBranch(
  remote: string,
  branch: string,
  env: NodeJS.ProcessEnv,
  folders: string[] = [],
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
    if (folders.length > 0) {
      await mkdir(join(dir, ".git", "info"), { recursive: true });
      await writeFile(join(dir, ".git", "info", "sparse-checkout"), conePatterns(folders));
      const sparse = ["-c", "core.sparseCheckout=true", "-c", "core.sparseCheckoutCone=true"];
      await git(dir, [...options, ...sparse, "checkout", "-q", "--detach", tip], env);
    }
    const checkedOut = (path: string) => folders.some((f) => path.startsWith(`${f}/`));
    const read = async (path: string) => {
      if (!paths.has(path)) return undefined;
      // A linked file or folder is read as git holds it (the link's text), never followed.
      if (checkedOut(path) && !(await linkOnPath(dir, path))) return readFile(join(dir, path), "utf8");
      return git(dir, [...options, "show", `${tip}:${path}`], env);
    };
    return { tip, paths, read, close };
  } catch (error) {
    await close();
    throw error;
  }
}
