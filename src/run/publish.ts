// Publishing a run to the results branch: small JSON only, safe when many jobs push at once.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { resultsEndpoints } from "../badges/endpoints.js";
import { tokenEnvironment } from "../git/credentials.js";
import { remoteKind } from "../git/remote-url.js";
import { git } from "../git/run.js";
import { PublishError, publishWithRetry, type PublishResult } from "../git/publish.js";
import { type PublishedRun, runFolders, writeRun } from "../results-branch/write-run.js";
import type { Settings } from "../config/settings.js";
import type { Logger } from "./log.js";

export interface PublishTarget {
  attempts?: number;
  /** A token for an https remote (HPC_RESULTS_TOKEN), sent as a header. */
  token?: string;
  /** URL or path to push to, or the name of a remote of the repository at `root`. */
  remote: string;
  branch: string;
  root: string;
  repository?: string;
  push: boolean;
}

/**
 * A remote name becomes its URL (used directly, so no credential is written into a config file). git runs
 * in a temporary folder, so a relative path becomes absolute: a remote's relative to the repository, as
 * git reads it there, and one given directly relative to where the command was started.
 */
export async function remoteUrl(root: string, remote: string): Promise<string> {
  if (/[/:]/.test(remote)) return absolutePath(process.cwd(), remote);
  try {
    return absolutePath(root, (await git(root, ["config", "--get", `remote.${remote}.url`])).trim());
  } catch {
    throw new PublishError(
      `the repository has no remote named ${JSON.stringify(remote)} (set HPC_RESULTS_REPO_URL or --remote)`,
    );
  }
}

export async function publishToBranch(
  run: PublishedRun,
  target: PublishTarget,
  log: Logger,
): Promise<PublishResult> {
  const url = await remoteUrl(target.root, target.remote);
  const dir = await mkdtemp(join(tmpdir(), "hpc-ci-publish-"));
  try {
    const result = await publishWithRetry({
      remote: url,
      branch: target.branch,
      dir,
      push: target.push,
      maxAttempts: target.attempts,
      env: tokenEnvironment(url, target.token),
      message: `hpc-ci: results for ${run.results.commit}`,
      sparse: runFolders(run.results),
      log: (m) => log.info(m),
      apply: async (checkout) => {
        await writeRun(checkout, run, {
          endpoints: resultsEndpoints,
          repository: target.repository,
          branch: target.branch,
        });
      },
    });
    if (!target.push && result.changed) log.info(`prepared ${target.branch} without pushing (--no-push)`);
    return result;
  } finally {
    if (target.push) await rm(dir, { recursive: true, force: true });
    else
      log.info(
        `the prepared checkout is in ${dir} (sparse: root files and ${runFolders(run.results).join("/, ")}/; git ls-files lists all)`,
      );
  }
}

/** A relative local path made absolute; URLs, scp-like `host:path` and absolute paths as they are. */
function absolutePath(base: string, url: string): string {
  const local = remoteKind(url) === "local" && !url.includes("://");
  return local && !isAbsolute(url) ? resolve(base, url) : url;
}

/** Where the settings say results go; a command line may override the remote, branch and push. */
export function publishTarget(settings: Settings, overrides: Partial<PublishTarget> = {}): PublishTarget {
  return {
    remote: settings.results.repoUrl ?? settings.results.remote,
    branch: settings.results.branch,
    root: settings.root,
    repository: settings.results.repository,
    push: true,
    token: settings.results.token,
    attempts: settings.results.attempts,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
}

/** The `run` command's publish step: false (exit 3) when it failed. */
export async function publishRun(
  ctx: { settings: Settings; log: Logger },
  run: PublishedRun,
): Promise<boolean> {
  const { settings, log } = ctx;
  try {
    await publishToBranch(run, publishTarget(settings), log);
    return true;
  } catch (error) {
    log.error(
      `publishing to ${settings.results.branch} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}
