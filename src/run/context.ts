// Which commit and branch a run is about, and the optional checkout of that commit.
import { ConfigError } from "../config/settings.js";
import { git, GitError } from "../git/run.js";
import { isCommitId } from "../results-branch/layout.js";
import { relative } from "node:path";

/** The checkout itself failed (fetch, checkout): exit code 3. */
export class CheckoutError extends Error {
  override name = "CheckoutError";
}

export async function repositoryRoot(cwd: string): Promise<string | undefined> {
  try {
    return (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    return undefined;
  }
}

export async function headCommit(root: string): Promise<string> {
  return (await git(root, ["rev-parse", "HEAD"])).trim();
}

/**
 * The branch being tested. A detached checkout (as after HPC_CI_CHECKOUT) has none: then what the CI
 * system says, else a branch whose tip is this commit, else "detached" (never the word HEAD).
 */
export async function currentBranch(
  root: string,
  env: NodeJS.ProcessEnv,
  remote = "origin",
): Promise<string> {
  const name = (await git(root, ["rev-parse", "--abbrev-ref", "HEAD"]).catch(() => "HEAD")).trim();
  if (name !== "HEAD") return name;
  const fromCi = env.CI_COMMIT_REF_NAME || env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME;
  if (fromCi) return fromCi;
  const tips = await git(root, [
    "for-each-ref",
    "--points-at",
    "HEAD",
    "--format=%(refname)",
    "refs/heads",
    `refs/remotes/${remote}`,
  ]).catch(() => "");
  const names = tips
    .split("\n")
    .map((r) =>
      r
        .trim()
        .replace(/^refs\/heads\//, "")
        .replace(new RegExp(`^refs/remotes/${remote}/`), ""),
    )
    .filter((r) => r && r !== "HEAD" && !r.startsWith("refs/"));
  return names[0] ?? "detached";
}

/**
 * HPC_CI_CHECKOUT=1: check out `commit` in `root`. Refuses a dirty tree (other than the results
 * directory), fetches the commit when it is not there yet, then checks it out detached.
 */
export async function checkoutCommit(
  root: string,
  commit: string,
  resultsDir: string,
  remote: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (!isCommitId(commit))
    throw new ConfigError(`HPC_CI_COMMIT is not a full commit id: ${JSON.stringify(commit)}`);
  const inside = relative(root, resultsDir);
  const exclude = inside && !inside.startsWith("..") ? [`:(exclude)${inside}`] : [];
  const dirty = (
    await git(root, ["status", "--porcelain", "--untracked-files=no", "--", ".", ...exclude])
  ).trim();
  if (dirty) {
    throw new ConfigError(
      `refusing to check out ${commit}: the working tree has changes:\n${dirty.split("\n").slice(0, 10).join("\n")}`,
    );
  }
  const known = await git(root, ["cat-file", "-e", `${commit}^{commit}`]).then(
    () => true,
    () => false,
  );
  try {
    if (!known) await git(root, ["fetch", "--quiet", remote, commit], env);
    await git(root, ["checkout", "--quiet", "--detach", commit]);
  } catch (error) {
    throw new CheckoutError(
      `could not check out ${commit}: ${error instanceof GitError ? error.message : String(error)}`,
    );
  }
}
