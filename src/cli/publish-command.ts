// `hpc-ci publish`: push an hpc-results.json (Mycelia's or ours) and the summaries beside it.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { resolveSettings } from "../config/settings.js";
import { resultsToken } from "../config/token-file.js";
import { PublishError } from "../git/publish.js";
import { artifactPaths } from "../run/artifacts.js";
import { repositoryRoot } from "../run/context.js";
import { readRun } from "../run/read-run.js";
import { consoleLogger } from "../run/log.js";
import { publishTarget, publishToBranch } from "../run/publish.js";
import { baselineBranch } from "../results-branch/baseline.js";
import { parseCommandLine } from "./parse.js";

export async function publishCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseCommandLine(args, {
    input: { type: "string" },
    branch: { type: "string" },
    remote: { type: "string" },
    "no-push": { type: "boolean" },
  });
  const root = (await repositoryRoot(process.cwd())) ?? process.cwd();
  const settings = await resolveSettings(root, env);
  for (const warning of settings.warnings ?? []) consoleLogger.warn(warning);
  const input = resolve(values.input ?? artifactPaths(settings.resultsDir).results);
  if (!existsSync(input)) {
    consoleLogger.error(`input not found: ${input}`);
    return 2;
  }
  const published = await readRun(input, consoleLogger);
  try {
    const outcome = await publishToBranch(
      published,
      publishTarget(settings, {
        remote: values.remote,
        branch: values.branch,
        root,
        push: !values["no-push"],
        historyBranch: await baselineBranch(settings),
        token: await resultsToken(settings),
      }),
      consoleLogger,
    );
    if (!outcome.changed) consoleLogger.info("no hpc-results changes to publish");
    return 0;
  } catch (error) {
    if (error instanceof PublishError) {
      consoleLogger.error(error.message);
      return 3;
    }
    throw error;
  }
}
