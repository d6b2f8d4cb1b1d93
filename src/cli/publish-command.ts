// `hpc-ci publish`: push an hpc-results.json (Mycelia's or ours) and the summaries beside it.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { formatContractError, InvalidDocumentError } from "../contract/errors.js";
import { readDocument } from "../contract/json.js";
import { readValidDocument } from "../contract/read-valid.js";
import type { HpcResults } from "../contract/types.js";
import { checkDocument, type DocumentKinds } from "../contract/validate.js";
import { resolveSettings } from "../config/settings.js";
import { PublishError } from "../git/publish.js";
import type { PublishedRun } from "../results-branch/write-run.js";
import { artifactPaths } from "../run/artifacts.js";
import { repositoryRoot } from "../run/context.js";
import { consoleLogger } from "../run/log.js";
import { publishTarget, publishToBranch } from "../run/publish.js";
import { baselineBranch } from "../results-branch/baseline.js";
import { parseCommandLine } from "./parse.js";

/** A summary beside the results, published only when it is a valid one of this very commit. */
async function sibling<K extends "tests-summary" | "benchmarks-summary" | "meta">(
  path: string,
  kind: K,
  commit: string,
): Promise<DocumentKinds[K] | undefined> {
  const read = await readValidDocument(path, kind);
  if (!read) return undefined;
  if (read.value?.commit === commit) return read.value;
  const why = read.value
    ? `it is a ${kind} of another commit, not ${commit}`
    : read.errors.map(formatContractError).join("; ");
  consoleLogger.warn(`not publishing ${path}: ${why}`);
  return undefined;
}

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
  const results = await readDocument(input, input);
  const problems = checkDocument("hpc-results", results, input);
  if (problems.length > 0) throw new InvalidDocumentError(problems);
  const run = results as HpcResults;
  const paths = artifactPaths(dirname(input));
  const published: PublishedRun = {
    results: run,
    testsSummary: await sibling(paths.testsSummary, "tests-summary", run.commit),
    benchmarksSummary: await sibling(paths.benchmarksSummary, "benchmarks-summary", run.commit),
    meta: await sibling(paths.meta, "meta", run.commit),
  };
  try {
    const outcome = await publishToBranch(
      published,
      publishTarget(settings, {
        remote: values.remote,
        branch: values.branch,
        root,
        push: !values["no-push"],
        historyBranch: await baselineBranch(settings),
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
