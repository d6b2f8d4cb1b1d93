// `hpc-ci doctor`: can this node publish results? Exit 0 when every check holds, 2 otherwise.
import { resolveSettings } from "../config/settings.js";
import { resultsToken } from "../config/token-file.js";
import { fail } from "../doctor/check.js";
import { formatReport, runDoctor } from "../doctor/index.js";
import { PublishError } from "../git/publish.js";
import { redactUrls } from "../git/redact.js";
import { repositoryOfRemote } from "../git/remote-url.js";
import { apiUrlOf } from "../github/cluster-api.js";
import { repositoryRoot } from "../run/context.js";
import { consoleLogger } from "../run/log.js";
import { resultsRemote } from "../run/results-remote.js";
import { UsageError } from "./errors.js";
import { parseCommandLine } from "./parse.js";

export async function doctorCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseCommandLine(args, {
    remote: { type: "string" },
    branch: { type: "string" },
    timeout: { type: "string" },
  });
  const timeout = Number(values.timeout ?? 15);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new UsageError(`--timeout must be a number of seconds, not ${JSON.stringify(values.timeout)}`);
  const root = (await repositoryRoot(process.cwd())) ?? process.cwd();
  const settings = await resolveSettings(root, env);
  const branch = values.branch ?? settings.results.branch;
  for (const warning of settings.warnings ?? []) consoleLogger.warn(warning);
  let url: string;
  let token: string | undefined;
  try {
    ({ url, token } = await resultsRemote(
      root,
      values.remote ?? settings.results.repoUrl ?? settings.results.remote,
      await resultsToken(settings),
    ));
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    const fix =
      "set HPC_RESULTS_REPO_URL to the repository's URL, or run from a checkout whose `origin` is it";
    process.stdout.write(formatReport([fail("remote", error.message, fix)]));
    return 2;
  }
  process.stdout.write(`hpc-ci doctor: results go to ${redactUrls(url)}, branch ${branch}\n`);
  const results = await runDoctor({
    url,
    branch,
    token,
    repository: settings.results.repository ?? repositoryOfRemote(url),
    apiUrl: apiUrlOf(env, url),
    // ssh must not wait at a prompt (an unknown host key, a passphrase): it fails at once and says why.
    env: env.GIT_SSH_COMMAND || env.GIT_SSH ? env : { ...env, GIT_SSH_COMMAND: "ssh -o BatchMode=yes" },
    timeoutMs: timeout * 1000,
  });
  process.stdout.write(formatReport(results));
  return results.some((r) => r.state === "fail") ? 2 : 0;
}
