// TypeScript view of the schema_version=1 contract in schemas/*.schema.json.
// test/contract-types.test.ts keeps the two in agreement, property by property.

export type CommitId = string;
export type { HpcRequest, RequestEvent, RequestScope, RequestState } from "./request-types.js";
export type * from "./benchmark-types.js";
import type {
  Baseline,
  BenchmarkResult,
  BenchmarkShift,
  BenchmarkVerdict,
  JudgeSettings,
} from "./benchmark-types.js";
export type Status = "passed" | "failed" | "skipped";
export type Scheduler = "slurm" | "pbs" | "lsf" | "flux" | "gitlab" | "local";
export const STATUSES: readonly Status[] = ["passed", "failed", "skipped"];

export interface TestCounts {
  passed?: number;
  failed?: number;
  errored?: number;
  broken?: number;
  skipped?: number;
  total?: number;
  duration_seconds?: number;
}

export interface HpcProvenance {
  cluster?: string;
  job_id?: string;
  node?: string;
  julia_version?: string;
  scheduler?: Scheduler;
  partition?: string;
  account?: string;
  nodes?: number;
  cpus?: number;
  walltime_seconds?: number;
  time_limit_seconds?: number;
  pipeline_id?: string;
  runtime_versions?: Record<string, string>;
  cpu_model?: string;
  threads?: number;
  os?: string;
  arch?: string;
}

export interface CoverageSection {
  flag?: string;
  coverage_percent: number;
  total_lines?: number;
  covered_lines?: number;
  report_file?: string;
  summary_file?: string | null;
}

/** One failed or errored test, as Julia's Test or JUnit reported it (schemas: defs testFailure). */
export interface TestFailure {
  /** failed: the test's expression was false (`Test Failed`); errored: it threw (`Error During Test`). */
  kind: "failed" | "errored";
  /** The enclosing test sets, outermost first (JUnit: the suite names). */
  testset?: string[];
  /** The test's own name, when the report has one (a JUnit testcase). */
  name?: string;
  /** Path relative to the repository root (cluster paths are mapped onto the checkout). */
  file?: string;
  line?: number;
  /** `Expression:` of a failed test. */
  expression?: string;
  /** `Evaluated:` of a failed comparison. */
  evaluated?: string;
  /** The first lines of the error or the failure message. */
  message?: string;
  /** Another run of the same commit passed this test (a failure here, a pass there, or the other way round). */
  flaky?: boolean;
}

/** The failure lists a test phase carries; shared by the run's tests section and tests/summary.json. */
export interface TestFailureLists {
  /** The first failures in report order, in full (at most 50). */
  failures?: TestFailure[];
  /** Every failure and error the run reported, including those beyond `failures`. */
  failures_total?: number;
  /** Runs of this commit whose tests ran, this one included (a later run merges into the commit's folder). */
  attempts?: number;
  /** Failures of earlier runs of this commit that passed in this run (at most 50), each marked flaky. */
  flaky?: TestFailure[];
}

export interface TestsSection extends TestFailureLists {
  status: Status;
  duration_seconds?: number;
  log_file?: string;
  suites?: Record<string, TestCounts>;
  totals?: TestCounts;
  reason?: string;
}

export interface BenchmarksSection {
  status: Status;
  duration_seconds?: number;
  tutorials_log?: string;
  benchmarks_log?: string;
  results?: Record<string, BenchmarkResult>;
  baseline?: Baseline;
  regression_threshold_pct?: number;
  worst_regression_pct?: number | null;
  reason?: string;
  verdict?: BenchmarkVerdict;
  shifts?: BenchmarkShift[];
  judge?: JudgeSettings;
  /** Regressions were rerun and seen twice. */
  confirmed?: boolean;
}

/** `hpc-results.json`: one run of one commit. Unknown keys are kept, hence the index signature. */
export interface HpcResults {
  schema_version: 1;
  commit: CommitId;
  branch?: string;
  tag?: string | null;
  generated_at?: string;
  generated_by?: string;
  repository?: string;
  hpc?: HpcProvenance;
  coverage?: CoverageSection | null;
  tests?: TestsSection;
  benchmarks?: BenchmarksSection;
  sources?: string[];
  /** The tested work tree had changes not in the commit. */
  dirty?: boolean;
  /** The results remote had the tested commit. */
  pushed?: boolean;
  /** The results-branch commit that last published this run (set by ingest). */
  results_commit?: CommitId;
  /** results_commit's place on the results branch (first-parent, 1 = its first commit): the publication order. */
  results_index?: number;
  [unknown: string]: unknown;
}

/** `tests/summary.json`, published as `<sha>/tests.json`. */
export interface TestsSummary extends TestFailureLists {
  schema_version?: 1;
  commit: CommitId;
  status: Status;
  generated_at?: string;
  duration_seconds?: number;
  suites?: Record<string, TestCounts>;
  totals?: TestCounts;
  reason?: string;
  [unknown: string]: unknown;
}

/** `benchmarks/summary.json`, published as `<sha>/benchmarks.json`. */
export interface BenchmarksSummary {
  schema_version?: 1;
  commit: CommitId;
  status?: Status;
  generated_at?: string;
  duration_seconds?: number;
  benchmarks: Record<string, BenchmarkResult>;
  baseline?: Baseline;
  regression_threshold_pct?: number;
  reason?: string;
  verdict?: BenchmarkVerdict;
  shifts?: BenchmarkShift[];
  judge?: JudgeSettings;
  /** Regressions were rerun and seen twice. */
  confirmed?: boolean;
  [unknown: string]: unknown;
}

/** `meta.json`: provenance; also Mycelia's flat meta (tests_status, benchmarks_status, coverage_percent). */
export interface Meta {
  schema_version?: 1;
  commit: CommitId;
  branch?: string;
  tag?: string | null;
  generated_at?: string;
  scheduler?: Scheduler;
  cluster?: string;
  partition?: string;
  account?: string;
  job_id?: string;
  pipeline_id?: string;
  node?: string;
  nodes?: number;
  cpus?: number;
  walltime_seconds?: number;
  time_limit_seconds?: number;
  runtime_versions?: Record<string, string>;
  flags?: string[];
  options?: string[];
  tests_status?: Status | "unknown";
  benchmarks_status?: Status | "unknown";
  coverage_percent?: number | null;
  dirty?: boolean;
  pushed?: boolean;
  [unknown: string]: unknown;
}

/** Covered and missed lines of one file, as inclusive [first, last] line ranges in ascending order. */
export interface FileLineCoverage {
  covered: Array<[number, number]>;
  missed: Array<[number, number]>;
}

/**
 * `coverage/lines.json`, published as `<sha>/coverage-lines.json`: which lines the run executed, by
 * repository-relative path, so that the lines a pull request changed can be checked (patch coverage).
 */
export interface CoverageLines {
  schema_version: 1;
  commit: CommitId;
  files: Record<string, FileLineCoverage>;
}

/** A Shields.io endpoint badge (Mycelia publishes `<sha>/tests.json` in this shape). */
export interface ShieldsEndpoint {
  schemaVersion: 1;
  label: string;
  message: string;
  color?: string;
  labelColor?: string;
  isError?: boolean;
  namedLogo?: string;
  logoSvg?: string;
  logoColor?: string;
  logoSize?: string;
  logoWidth?: number;
  /** Accepted by Shields for compatibility; it has no effect. */
  logoPosition?: number;
  style?: string;
  cacheSeconds?: number;
}
