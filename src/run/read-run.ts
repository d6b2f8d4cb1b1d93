// A finished run read back from its results directory: hpc-results.json (validated) and the summaries
// beside it, each only when it is a valid document of the same commit. Used by `publish` and by
// `submit --wait`, which publishes the job's results after the job.
import { dirname } from "node:path";
import { formatContractError, InvalidDocumentError } from "../contract/errors.js";
import { readDocument } from "../contract/json.js";
import { readValidDocument } from "../contract/read-valid.js";
import type { HpcResults } from "../contract/types.js";
import { checkDocument, type DocumentKinds } from "../contract/validate.js";
import type { PublishedRun } from "../results-branch/write-run.js";
import { artifactPaths } from "./artifacts.js";
import type { Logger } from "./log.js";

/** Reads the run whose hpc-results.json is `input`; an invalid one is an InvalidDocumentError. */
export async function readRun(input: string, log: Logger): Promise<PublishedRun> {
  const results = await readDocument(input, input);
  const problems = checkDocument("hpc-results", results, input);
  if (problems.length > 0) throw new InvalidDocumentError(problems);
  const run = results as HpcResults;
  const paths = artifactPaths(dirname(input));
  const sibling = <K extends SiblingKind>(path: string, kind: K) => summary(path, kind, run.commit, log);
  return {
    results: run,
    testsSummary: await sibling(paths.testsSummary, "tests-summary"),
    benchmarksSummary: await sibling(paths.benchmarksSummary, "benchmarks-summary"),
    meta: await sibling(paths.meta, "meta"),
    coverageLines: await sibling(paths.coverageLines, "coverage-lines"),
  };
}

type SiblingKind = "tests-summary" | "benchmarks-summary" | "meta" | "coverage-lines";

/** A summary beside the results, kept only when it is a valid one of this very commit. */
export async function summary<K extends SiblingKind>(
  path: string,
  kind: K,
  commit: string,
  log: Logger,
): Promise<DocumentKinds[K] | undefined> {
  const read = await readValidDocument(path, kind);
  if (!read) return undefined;
  if (read.value?.commit === commit) return read.value;
  const why = read.value
    ? `it is a ${kind} of another commit, not ${commit}`
    : read.errors.map(formatContractError).join("; ");
  log.warn(`not publishing ${path}: ${why}`);
  return undefined;
}
