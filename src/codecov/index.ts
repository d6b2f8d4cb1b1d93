// Codecov: coverage uploads from a cluster, under the run's own flag.
export type { UploadOptions, UploadOutcome } from "./upload.js";
export { uploadCoverage } from "./upload.js";
export { uploadBody } from "./report.js";
