// Coverage: Julia's .cov files to lcov, and lcov tracefiles to the totals `lcov --summary` reports.
export type { BranchCoverage, FileCoverage, FunctionCoverage } from "./file-coverage.js";
export { mergeByPath } from "./file-coverage.js";
export type { CleanOptions, JuliaCoverage, ParsedCov } from "./julia-cov.js";
export { cleanCoverageFiles, DEFAULT_COVERAGE_DIRS, parseJuliaCov, readJuliaCoverage } from "./julia-cov.js";
export type { LcovReadResult } from "./lcov-reader.js";
export { LcovReader, parseLcov } from "./lcov-reader.js";
export { readLcovFile } from "./lcov-file.js";
export type { LcovWriteOptions } from "./lcov-writer.js";
export { toLcov } from "./lcov-writer.js";
export type { CoverageRatio, FileSummary, FormatSummaryOptions, LcovSummary } from "./summary.js";
export {
  formatCoverageLine,
  formatLcovSummary,
  formatRate,
  percentOf,
  summarize,
  summarizeLcov,
  summarizeLcovFile,
} from "./summary.js";
