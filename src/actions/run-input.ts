// The run an action is given: inline (`results`) or as a file (`results-file`), validated against the
// contract before it is trusted. Shared by render-badges and comment-hpc-summary.
import { formatContractError, InvalidDocumentError } from "../contract/errors.js";
import { parseDocument, readDocument } from "../contract/json.js";
import type { HpcResults } from "../contract/types.js";
import { checkDocument } from "../contract/validate.js";
import { InputError } from "./inputs.js";

/** Parses and validates the run given inline (`results`) or as a file (`results-file`). */
export async function readRunInput(results: string, resultsFile: string): Promise<HpcResults> {
  const [name, load] = results.trim()
    ? ["input results", () => Promise.resolve(parseDocument(results, "input results"))]
    : resultsFile.trim()
      ? [resultsFile, () => readDocument(resultsFile, resultsFile)]
      : [undefined, undefined];
  if (!name || !load) {
    throw new InputError(
      "give the run as input results or results-file (for example the outputs of ingest-hpc-results)",
    );
  }
  let value: unknown;
  try {
    value = await load();
  } catch (error) {
    if (error instanceof InvalidDocumentError) throw new InputError(`invalid HPC results: ${error.message}`);
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new InputError(`${name}: no such file`);
    throw error;
  }
  const problems = checkDocument("hpc-results", value, name);
  if (problems.length > 0) {
    throw new InputError(`invalid HPC results:\n${problems.map(formatContractError).join("\n")}`);
  }
  return value as HpcResults;
}
