// Slurm: the batch script `hpc-ci submit` writes, and its submission.
export type { BatchScriptOptions } from "./batch-script.js";
export { BatchScriptError, DEFAULT_OUTPUT, renderBatchScript } from "./batch-script.js";
export type { SubmitOptions, Submitted } from "./submit.js";
export { SubmitError, submitBatch } from "./submit.js";
export { shellQuote } from "./shell.js";
