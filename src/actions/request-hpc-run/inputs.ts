// The inputs of request-hpc-run, read and checked before anything is sent to GitHub or pushed.
import * as core from "@actions/core";
import { booleanInput, dashboardUrlInput, githubTimeScale, InputError, numberInput } from "../inputs.js";
import { insecureTransport, splitCredentials } from "../../git/credentials.js";

export interface RequestInputs {
  token: string;
  resultsBranch: string;
  /** Where the results branch is pushed: the repository itself unless given (a path in tests). */
  resultsRemote: string;
  /** A checkout of the results branch, read when mirroring request states to the check runs. */
  path: string;
  /** The results commit processed last: only request files changed since then, and open ones, are mirrored. */
  since: string;
  maxCheckRuns: number;
  pagesUrl?: string;
  failOnInvalid: boolean;
  /** HPC_CI_GITHUB_TIME_SCALE: scales every wait of the GitHub client (tests set it below 1). */
  timeScale: number;
}

export function readInputs(env: NodeJS.ProcessEnv = process.env): RequestInputs {
  const token = core.getInput("token").trim();
  // Masked before anything else can print it.
  if (token) core.setSecret(token);
  if (!token) throw new InputError('input "token" is empty: give a token (default: the workflow token)');
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const remote = core.getInput("results-remote").trim() || `${server}/${env.GITHUB_REPOSITORY ?? ""}.git`;
  // A token in the URL would reach git's command line and its messages: the token input is the way.
  if (splitCredentials(remote).secret) {
    throw new InputError(
      'input "results-remote" holds a credential: give the URL without it; the token input is used',
    );
  }
  const insecure = insecureTransport(remote);
  if (insecure) throw new InputError(`input "results-remote": ${insecure}`);
  const branch = core.getInput("results-branch").trim() || "hpc-results";
  if (!/^[A-Za-z0-9._/-]{1,200}$/.test(branch) || branch.startsWith("-") || branch.includes("..")) {
    throw new InputError(`input "results-branch" is not a branch name: ${JSON.stringify(branch)}`);
  }
  const since = core.getInput("since").trim();
  if (since !== "" && !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(since)) {
    throw new InputError(`input "since" must be a full commit id or empty, not ${JSON.stringify(since)}`);
  }
  return {
    token,
    resultsBranch: branch,
    resultsRemote: remote,
    path: core.getInput("path").trim() || ".",
    since,
    maxCheckRuns: numberInput("max-check-runs", 50, (n) => Number.isInteger(n) && n >= 1 && n <= 1000),
    pagesUrl: dashboardUrlInput(env),
    failOnInvalid: booleanInput("fail-on-invalid", true),
    timeScale: githubTimeScale(env),
  };
}
