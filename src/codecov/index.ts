// Codecov upload for the HPC CLI: Codecov's upload API through fetch (no binary needed), or codecov-cli
// when one is on PATH. Node built-ins only, so it bundles into the one-file CLI.
export { uploadCoverage } from "./upload.js";
export {
  DEFAULT_CI_SERVICE,
  DEFAULT_CODECOV_URL,
  GIT_SERVICES,
  resolveOptions,
  UploadOptionsError,
  type GitService,
  type ResolvedOptions,
  type UploadCoverageOptions,
  type UploadOptions,
  type UploadOutcome,
  type UseCli,
} from "./options.js";
export {
  codecovCliArgs,
  codecovCliEnv,
  findCodecovCli,
  type CliSearch,
  type CodecovCli,
} from "./cli-uploader.js";
export { FILE_END, formatReport, NETWORK_END, type ReportFile } from "./report.js";
export { PACKAGE, parseUploadAnswer, uploadQuery } from "./upload-api.js";
export { describeUrl, makeRedactor } from "./redact.js";
