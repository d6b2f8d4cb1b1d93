// Slurm: the batch script `hpc-ci submit` writes, and its submission with sbatch.
export type { BatchScriptOptions } from "./batch-script.js";
export { BatchScriptError, DEFAULT_JOB_NAME, DEFAULT_OUTPUT, renderBatchScript } from "./batch-script.js";
export { isCredential } from "./credentials.js";
export { optionValue, readDirectives, sbatchWord } from "./directives.js";
export type { JobEnd, SubmitOptions, Submitted } from "./submit.js";
export { SubmitError, outputFolders, parseJobEnd, parseParsable, submitBatch } from "./submit.js";
export { exportedKnobs } from "./knobs.js";
export type { JobStatus } from "./job-state.js";
export {
  SlurmUnavailableError,
  cancelJob,
  describeEnd,
  jobStatus,
  parseSacct,
  requireSbatch,
} from "./job-state.js";
export { shellQuote } from "../process/shell.js";
export { isTokenFileVariable, jobEnvironment } from "./job-environment.js";
