// Where a run writes its files, under the results directory (HPC_RESULTS_DIR, default hpc-ci/).
import { join } from "node:path";

export interface ArtifactPaths {
  dir: string;
  results: string;
  lcov: string;
  coverageSummary: string;
  /** Covered and missed lines by repository-relative path (CoverageLines), for patch coverage. */
  coverageLines: string;
  testsSummary: string;
  benchmarksSummary: string;
  meta: string;
  logs: string;
  log: (name: string) => string;
}

export function artifactPaths(resultsDir: string): ArtifactPaths {
  const artifacts = join(resultsDir, "artifacts");
  return {
    dir: resultsDir,
    results: join(resultsDir, "hpc-results.json"),
    lcov: join(artifacts, "coverage", "lcov.info"),
    coverageSummary: join(artifacts, "coverage", "summary.json"),
    coverageLines: join(artifacts, "coverage", "lines.json"),
    testsSummary: join(artifacts, "tests", "summary.json"),
    benchmarksSummary: join(artifacts, "benchmarks", "summary.json"),
    meta: join(artifacts, "meta.json"),
    logs: join(resultsDir, "logs"),
    log: (name: string) => join(resultsDir, "logs", `${name}.log`),
  };
}

/** Paths as written into hpc-results.json: relative to the results directory, as Mycelia's are. */
export const RELATIVE = {
  lcov: "artifacts/coverage/lcov.info",
  coverageSummary: "artifacts/coverage/summary.json",
  testsLog: "logs/tests.log",
  tutorialsLog: "logs/tutorials.log",
  benchmarksLog: "logs/benchmarks.log",
} as const;
