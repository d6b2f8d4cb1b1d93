// Publishing a run to the results branch: small JSON only, safe when many jobs push at once.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resultsEndpoints } from "../badges/endpoints.js";
import { tokenEnvironment } from "../git/credentials.js";
import { apiUrlForRemote, repositoryOfRemote } from "../git/remote-url.js";
import { ConfigError } from "../config/settings-error.js";
import { baselineBranch } from "../results-branch/baseline.js";
import { publishWithRetry, type PublishResult } from "../git/publish.js";
import { type PublishedRun, runFolders, writeRun } from "../results-branch/write-run.js";
import type { Settings } from "../config/settings.js";
import { resultsToken } from "../config/token-file.js";
import { DEFAULT_API_URL } from "../github/cluster-api.js";
import { sendDispatch } from "../github/dispatch.js";
import type { Logger } from "./log.js";
import { refuseDefaultBranch, resultsRemote } from "./results-remote.js";

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

export async function publishToBranch(
  run: PublishedRun,
  target: PublishTarget,
  log: Logger,
): Promise<PublishResult> {
  const remote = await resultsRemote(target.root, target.remote, target.token);
  await refuseDefaultBranch(remote, target.branch);
  const { url, token } = remote;
  const dir = await mkdtemp(join(tmpdir(), "hpc-ci-publish-"));
  try {
    const result = await publishWithRetry({
      remote: url,
      branch: target.branch,
      dir,
      push: target.push,
      maxAttempts: target.attempts,
      env: tokenEnvironment(url, token),
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
      await askToProcess({ ...target, token }, url, result.commit, [run.results.commit], log);
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
export async function askToProcess(
  target: Pick<PublishTarget, "token" | "repository" | "apiUrl" | "branch">,
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
    // A destination the operator must fix (plain http with a credential, the default branch): exit 2.
    if (error instanceof ConfigError) throw error;
    log.error(
      `publishing to ${settings.results.branch} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}
