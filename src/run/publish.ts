// Publishing a run to the results branch: small JSON only, safe when many jobs push at once.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { resultsEndpoints } from "../badges/endpoints.js";
import { tokenEnvironment } from "../git/credentials.js";
import { apiUrlForRemote, remoteKind, repositoryOfRemote } from "../git/remote-url.js";
import { git } from "../git/run.js";
import { baselineBranch } from "../results-branch/baseline.js";
import { PublishError, publishWithRetry, type PublishResult } from "../git/publish.js";
import { type PublishedRun, runFolders, writeRun } from "../results-branch/write-run.js";
import type { Settings } from "../config/settings.js";
import { resultsToken } from "../config/token-file.js";
import { DEFAULT_API_URL } from "../github/cluster-api.js";
import { sendDispatch } from "../github/dispatch.js";
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
  /** GitHub's REST API, told of each push made with a token (repository_dispatch). */
  apiUrl?: string;
  /** The source branch whose runs become benchmark history (see writeRun). */
  historyBranch?: string;
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
        const outcome = await writeRun(checkout, run, {
          endpoints: resultsEndpoints,
          repository: target.repository,
          branch: target.branch,
          historyBranch: target.historyBranch,
        });
        if (outcome.history) log.info(`benchmarks: ${outcome.history}`);
      },
    });
    if (!target.push && result.changed) log.info(`prepared ${target.branch} without pushing (--no-push)`);
    if (result.pushed && result.commit)
      await askToProcess(target, url, result.commit, [run.results.commit], log);
    return result;
  } finally {
    if (target.push) await rm(dir, { recursive: true, force: true });
    else
      log.info(
        `the prepared checkout is in ${dir} (sparse: root files and ${runFolders(run.results).join("/, ")}/; git ls-files lists all)`,
      );
  }
}

/**
 * With a token, asks GitHub to process the push now (repository_dispatch to the default branch's workflow);
 * without one, the scheduled catch-up will. A failure is a warning: the run is on the branch either way.
 */
async function askToProcess(
  target: PublishTarget,
  url: string,
  resultsCommit: string,
  commits: string[],
  log: Logger,
): Promise<void> {
  if (!target.token) {
    log.info("no HPC_RESULTS_TOKEN: GitHub processes this run at its next scheduled catch-up");
    return;
  }
  const repository = target.repository ?? repositoryOfRemote(url);
  if (!repository) {
    log.warn(
      "cannot tell the GitHub repository from the results remote, so GitHub was not asked to process this run now (set HPC_RESULTS_REPOSITORY_SLUG=owner/name); the scheduled catch-up will",
    );
    return;
  }
  const apiUrl = target.apiUrl ?? apiUrlForRemote(url) ?? DEFAULT_API_URL;
  const outcome = await sendDispatch({ apiUrl, repository, token: target.token, resultsCommit, commits });
  if (outcome.ok)
    log.info(
      `asked GitHub to process ${resultsCommit.slice(0, 12)} (repository_dispatch hpc-results to ${repository})`,
    );
  else
    log.warn(
      `could not ask GitHub to process this run now (repository_dispatch to ${repository}): ${outcome.reason}; the run is on ${target.branch} and the scheduled catch-up will process it`,
    );
}

/** A relative local path made absolute; URLs, scp-like `host:path` and absolute paths as they are. */
function absolutePath(base: string, url: string): string {
  const local = remoteKind(url) === "local" && !url.includes("://");
  return local && !isAbsolute(url) ? resolve(base, url) : url;
}

/** Where the settings say results go; a command line may override the remote, branch and push. */
export function publishTarget(settings: Settings, overrides: Partial<PublishTarget> = {}): PublishTarget {
  return {
    historyBranch: settings.benchmarks.baselineBranch,
    remote: settings.results.repoUrl ?? settings.results.remote,
    branch: settings.results.branch,
    root: settings.root,
    repository: settings.results.repository,
    push: true,
    token: settings.results.token,
    apiUrl: settings.results.apiUrl,
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
    const historyBranch = await baselineBranch(settings);
    const token = await resultsToken(settings);
    await publishToBranch(run, publishTarget(settings, { historyBranch, token }), log);
    return true;
  } catch (error) {
    log.error(
      `publishing to ${settings.results.branch} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}
