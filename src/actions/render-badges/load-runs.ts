// The runs to add: ingest's `runs-file` (every run of a push, oldest first) and/or one run given as
// `results` or `results-file`. All of it is untrusted, so each run is checked against the contract.
import { open } from "node:fs/promises";
import { futureProblem, latestRunTime } from "../../contract/accept.js";
import { formatContractError, InvalidDocumentError } from "../../contract/errors.js";
import { parseDocument } from "../../contract/json.js";
import type { HpcResults } from "../../contract/types.js";
import { checkDocument } from "../../contract/validate.js";
import { InputError } from "../inputs.js";
import { readRunInput } from "../run-input.js";

/** A push of many runs; each run is still held to the one-document limit by parseDocument. */
const MAX_RUNS_FILE_BYTES = 64 * 1024 * 1024;

async function readText(path: string, limit: number): Promise<string> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new InputError(`${path}: no such file`);
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size > limit) throw new InputError(`${path} is ${size} bytes, over the ${limit} byte limit`);
    return (await handle.readFile()).toString("utf8");
  } finally {
    await handle.close();
  }
}

/** The runs of a runs file (a JSON array of runs), each checked as its own document. */
export interface RunsFile {
  runs: HpcResults[];
  /** One line per run left out, and why: one bad run never blocks the others. */
  problems: string[];
}

export async function readRunsFile(path: string, now = Date.now()): Promise<RunsFile> {
  const text = (await readText(path, MAX_RUNS_FILE_BYTES)).replace(/^\uFEFF/, "");
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch {
    throw new InputError(`${path} is not valid JSON`);
  }
  if (!Array.isArray(items))
    throw new InputError(`${path} must hold a JSON array of runs (ingest's runs-file)`);
  const runs: HpcResults[] = [];
  const problems: string[] = [];
  items.forEach((item, i) => {
    const name = `${path} [${i}]`;
    try {
      // Re-parsed on its own, so that the size, depth and __proto__ checks apply to each run.
      const value = parseDocument(JSON.stringify(item), name);
      const invalid = checkDocument("hpc-results", value, name);
      const future = invalid.length
        ? undefined
        : futureProblem(value as HpcResults, name, latestRunTime(now));
      if (invalid.length > 0 || future) throw new InvalidDocumentError(future ? [future] : invalid);
      runs.push(value as HpcResults);
    } catch (error) {
      if (!(error instanceof InvalidDocumentError)) throw error;
      problems.push(`left out: ${error.errors.map(formatContractError).join("; ")}`);
    }
  });
  return { runs, problems };
}

/**
 * The runs to add, oldest first, one per commit (a later one replaces an earlier one); none for a re-render.
 * A bad run of the runs file is left out and reported through `report`; a bad single run is an input error.
 */
export async function loadRuns(
  inputs: { results: string; resultsFile: string; runsFile: string },
  report: (problem: string) => void = () => {},
  now = Date.now(),
): Promise<HpcResults[]> {
  const runs: HpcResults[] = [];
  if (inputs.runsFile) {
    const file = await readRunsFile(inputs.runsFile, now);
    file.problems.forEach((p) => report(p));
    runs.push(...file.runs);
  }
  if (inputs.results.trim() || inputs.resultsFile) {
    const run = await readRunInput(inputs.results, inputs.resultsFile);
    const future = futureProblem(run, inputs.resultsFile || "input results", latestRunTime(now));
    if (future) throw new InputError(formatContractError(future));
    runs.push(run);
  }
  const byCommit = new Map<string, HpcResults>();
  for (const run of runs) {
    byCommit.delete(run.commit);
    byCommit.set(run.commit, run);
  }
  return [...byCommit.values()];
}
