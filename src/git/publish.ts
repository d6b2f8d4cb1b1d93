// Commit a change to a branch and push it, safely when many jobs push at once: on a rejected
// push, fetch the newest tip, apply the change again on top of it, and retry with backoff.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { redactUrls } from "./redact.js";
import { GitError, git } from "./run.js";

export interface PublishOptions {
  /** Remote to publish to: a URL or path (used directly, never stored in .git/config), or a remote name. */
  remote: string;
  branch: string;
  /** Working repository: an existing checkout, or an empty or missing folder to initialize. */
  dir: string;
  message: string;
  /** Writes the change into the checkout of the newest tip. Called again after every conflict. */
  apply: (dir: string) => Promise<void>;
  /**
   * The top-level folders `apply` reads and writes besides root files. When given, a working repository
   * this call creates checks out only those (a sparse checkout), so that an attempt costs the same however
   * much the branch holds. An existing checkout is left as it is.
   */
  sparse?: string[];
  push?: boolean;
  author?: { name: string; email: string };
  maxAttempts?: number;
  backoffMs?: { base: number; max: number };
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

export interface PublishResult {
  changed: boolean;
  pushed: boolean;
  commit?: string;
  attempts: number;
  conflicts: number;
}

export class PublishError extends Error {
  override name = "PublishError";
  constructor(message: string) {
    super(redactUrls(message));
  }
}

/** git's words for "someone else pushed first", from the client and from the server. */
const CONFLICT =
  /fetch first|non-fast-forward|failed to update ref|cannot lock ref|incorrect old value|stale info|reference already exists/i;

export function isPushConflict(stderr: string): boolean {
  return CONFLICT.test(stderr);
}

const DEFAULT_AUTHOR = { name: "hpc-ci", email: "hpc-ci@users.noreply.github.com" };

export async function publishWithRetry(options: PublishOptions): Promise<PublishResult> {
  const { branch, dir } = options;
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const maxAttempts = options.maxAttempts ?? 30;
  const backoff = options.backoffMs ?? { base: 200, max: 4000 };
  const author = options.author ?? DEFAULT_AUTHOR;
  const tracking = `refs/hpc-ci/remote/${branch}`;
  await ensureRepository(dir, env, options.sparse);

  let conflicts = 0;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const exists = await fetchTip(dir, options.remote, branch, tracking, env);
    if (exists) {
      await git(dir, ["checkout", "-q", "-f", "-B", branch, tracking], env);
    } else {
      await git(dir, ["checkout", "-q", "-f", "--orphan", branch], env);
      await git(dir, ["rm", "-rfq", "--cached", "--ignore-unmatch", "."], env);
    }
    await git(dir, ["clean", "-qfdx"], env);
    await options.apply(dir);
    await git(dir, ["add", "-A"], env);
    const staged = await git(dir, ["diff", "--cached", "--name-only"], env);
    if (staged.trim() === "") {
      log(`nothing changed on ${branch}; no commit made`);
      return { changed: false, pushed: false, attempts: attempt, conflicts };
    }
    await git(
      dir,
      [
        "-c",
        `user.name=${author.name}`,
        "-c",
        `user.email=${author.email}`,
        "commit",
        "-q",
        "--no-verify",
        "-m",
        options.message,
      ],
      env,
    );
    const commit = (await git(dir, ["rev-parse", "HEAD"], env)).trim();
    if (options.push === false) return { changed: true, pushed: false, commit, attempts: attempt, conflicts };
    try {
      await git(dir, ["push", "-q", options.remote, `HEAD:refs/heads/${branch}`], env);
      log(`pushed ${commit.slice(0, 12)} to ${branch}${conflicts ? ` after ${conflicts} conflict(s)` : ""}`);
      return { changed: true, pushed: true, commit, attempts: attempt, conflicts };
    } catch (error) {
      if (!(error instanceof GitError) || !isPushConflict(error.stderr)) {
        throw new PublishError(
          `push to ${branch} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      conflicts++;
      const wait = Math.random() * Math.min(backoff.max, backoff.base * 2 ** Math.min(attempt, 10));
      log(
        `push to ${branch} rejected (someone pushed first); rebuilding on the new tip in ${Math.round(wait)} ms`,
      );
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  throw new PublishError(`push to ${branch} was rejected ${maxAttempts} times in a row; giving up`);
}

async function ensureRepository(dir: string, env: NodeJS.ProcessEnv, sparse?: string[]): Promise<void> {
  if (existsSync(join(dir, ".git"))) return;
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new PublishError(`${dir} is not a git checkout and not empty`);
  await git(dir, ["init", "-q"], env);
  if (sparse && sparse.every((folder) => PLAIN_FOLDER.test(folder))) {
    // Written by hand rather than with `git sparse-checkout` (git 2.25+): clusters keep older gits, and
    // every git since 1.7 reads this file; git 2.25+ also recognizes it as a cone and matches it fast.
    await git(dir, ["config", "core.sparseCheckout", "true"], env);
    await git(dir, ["config", "core.sparseCheckoutCone", "true"], env);
    await mkdir(join(dir, ".git", "info"), { recursive: true });
    await writeFile(join(dir, ".git", "info", "sparse-checkout"), conePatterns(sparse));
  }
}

/** A top-level folder name that needs no escaping in a sparse-checkout pattern. */
const PLAIN_FOLDER = /^[\w.-]+$/;

/** git's cone pattern set (git-sparse-checkout(1), "Internals"): every root file, and these folders. */
export function conePatterns(folders: string[]): string {
  return ["/*", "!/*/", ...[...new Set(folders)].sort().map((f) => `/${f}/`)].join("\n") + "\n";
}

/** Fetches the branch tip into a private ref; false when the branch does not exist yet. */
async function fetchTip(
  dir: string,
  remote: string,
  branch: string,
  tracking: string,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  // One round trip per attempt: a branch that does not exist yet is told apart by git's own answer.
  try {
    await git(
      dir,
      ["fetch", "-q", "--no-tags", "--depth=1", remote, `+refs/heads/${branch}:${tracking}`],
      env,
    );
    return true;
  } catch (error) {
    if (error instanceof GitError && /couldn't find remote ref/i.test(error.stderr)) {
      await git(dir, ["update-ref", "-d", tracking], env).catch(() => undefined);
      return false;
    }
    throw new PublishError(
      `cannot reach ${remote}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
