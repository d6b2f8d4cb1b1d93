// `hpc-ci poll [--once] [--dry-run]`: one pass of the poller (cron or scrontab starts it every few
// minutes; see templates/). The policy is the operator's (the `poll` section of HPC_CI_OPERATOR_CONFIG),
// the results destination and its token as for `run`. Exit 0 when the poll completed, even when requests
// failed; 2 for a configuration error; 3 when git or Slurm cannot be used.
import { mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveDestination } from "../config/operator.js";
import { loadPollPolicy } from "../config/poll-policy.js";
import { ConfigError } from "../config/settings-error.js";
import { TOKEN_FILES, readToken, tokenSource } from "../config/token-file.js";
import { tokenEnvironment } from "../git/credentials.js";
import { PublishError } from "../git/publish.js";
import { remoteHost } from "../git/remote-url.js";
import { poll } from "../poll/poll.js";
import { consoleLogger } from "../run/log.js";
import { refuseDefaultBranch, resultsRemote } from "../run/results-remote.js";
import { parseCommandLine } from "./parse.js";

export async function pollCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // --once is what every run does (one short pass); the templates say it so that a reader knows.
  const { values } = parseCommandLine(args, { once: { type: "boolean" }, "dry-run": { type: "boolean" } });
  const policy = await loadPollPolicy(env);
  const destination = await resolveDestination(policy.workdir, {}, env);
  for (const warning of destination.warnings) consoleLogger.warn(warning);
  // Jobs publish themselves, and never get a token from the environment (the code under test could read it).
  for (const [variable, file] of Object.entries(TOKEN_FILES))
    if (env[variable])
      consoleLogger.warn(
        `${variable} is not passed to the jobs this poll submits: put the token in a file (chmod 600) named by ${file}`,
      );
  const token = await readToken(
    { value: destination.token, file: tokenSource(env, "HPC_RESULTS_TOKEN").file },
    "HPC_RESULTS_TOKEN",
  );
  const remote = await resultsRemote(process.cwd(), destination.repoUrl ?? destination.remote, token).catch(
    (error: unknown) => {
      if (error instanceof PublishError)
        throw new ConfigError(
          `poll needs the results repository's URL: set results.repo_url in the operator's config or HPC_RESULTS_REPO_URL (${error.message})`,
        );
      throw error;
    },
  );
  await refuseDefaultBranch(remote, destination.branch);
  const source = policy.source ?? remote.url;
  // The token goes only to the server it belongs to.
  const sameServer =
    source === remote.url ||
    (remoteHost(source) !== undefined && remoteHost(source) === remoteHost(remote.url));
  const workDir = await mkdtemp(join(tmpdir(), "hpc-ci-poll-"));
  try {
    const outcome = await poll({
      policy,
      results: {
        remote: remote.url,
        branch: destination.branch,
        env: tokenEnvironment(remote.url, remote.token),
        token: remote.token,
        repository: destination.repository,
        apiUrl: env.GITHUB_API_URL || undefined,
      },
      job: {
        source,
        sourceEnv: tokenEnvironment(source, sameServer ? remote.token : undefined),
        env,
        cliPath: fileURLToPath(import.meta.url),
      },
      workDir,
      dryRun: Boolean(values["dry-run"]),
      identity: `${hostname()}:${process.pid}`,
      log: consoleLogger,
    });
    consoleLogger.info(
      `poll done${values["dry-run"] ? " (dry run: nothing written or submitted)" : ""}: ${outcome.actions.length} action(s), ${outcome.submitted.length} job(s) submitted, ${outcome.invalid.length} invalid request(s)`,
    );
    return 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
