// What a run says, section by section: the verdicts that the pull-request comment, the job summary and the
// commit statuses all show, computed once so that they can never disagree.
import { sumSuites } from "../contract/normalize.js";
import type { HpcResults, TestCounts, TestsSection } from "../contract/types.js";
import { type BenchmarksAssessment, type Verdict, assessBenchmarks } from "./benchmark-assessment.js";
import { type PatchReport, patchRatio } from "./patch-coverage.js";

export type { BenchmarkChange, BenchmarksAssessment, Verdict } from "./benchmark-assessment.js";
export { DEFAULT_REGRESSION_THRESHOLD_PCT } from "./benchmark-assessment.js";

/** The newest run of a pull request's base branch, to compare coverage with. */
export interface BaseComparison {
  branch: string;
  /** Its newest run on the results branch, when there is one to compare with. */
  run?: HpcResults;
  /** Why there is nothing to compare with (no run yet, invalid, the same commit), in plain words. */
  note?: string;
}

export interface AssessOptions {
  /** For runs without the judge's verdicts: a slowdown past this many percent is a regression (default the
   * run's own threshold, else 10). */
  regressionThresholdPct?: number;
  /** Coverage gate: fail below this percentage. */
  coverageMin?: number;
  /** Coverage gate: fail when coverage falls more than this many points below the base's newest run. */
  coverageMaxDrop?: number;
  base?: BaseComparison;
  /** Patch coverage of the pull request (its changed lines against the run's covered lines). */
  patch?: PatchReport;
  /** Patch coverage gate: fail when the changed executable lines are covered below this percentage. */
  coveragePatchMin?: number;
}

export interface TestsAssessment {
  verdict: Verdict;
  reported: boolean;
  totals?: TestCounts;
  suiteCount: number;
  durationSeconds?: number;
  reason?: string;
  /** The base branch's newest run, when it reported tests: each test set's counts are compared with it. */
  base?: { branch: string; commit: string; generatedAt?: string; tests: TestsSection };
  /** Why there is no comparison with the base. */
  baseNote?: string;
}

export interface CoverageAssessment {
  verdict: Verdict;
  /** null: the run says it did not measure coverage; undefined: it says nothing. */
  percent?: number | null;
  coveredLines?: number;
  totalLines?: number;
  base?: { branch: string; percent: number; commit: string; generatedAt?: string };
  /** Percentage points against the base (positive: more coverage), rounded to hundredths. */
  deltaPoints?: number;
  /** Why there is no comparison with the base. */
  baseNote?: string;
  /** Why the coverage gate failed. */
  gateFailure?: string;
  patch?: PatchReport;
  /** Why the patch coverage gate failed (also part of gateFailure). */
  patchGateFailure?: string;
  /** Why the patch coverage gate, though set, did not apply (nothing executable changed, no data). */
  patchGateNote?: string;
}

export interface Assessment {
  overall: Verdict;
  tests: TestsAssessment;
  benchmarks: BenchmarksAssessment;
  coverage: CoverageAssessment;
}

export function assessRun(run: HpcResults, options: AssessOptions = {}): Assessment {
  const tests = assessTests(run, options.base);
  const benchmarks = assessBenchmarks(run.benchmarks, options);
  const coverage = assessCoverage(run, options);
  const verdicts = [tests.verdict, benchmarks.verdict, coverage.verdict];
  const overall: Verdict = verdicts.includes("failed")
    ? "failed"
    : verdicts.includes("passed")
      ? "passed"
      : "skipped";
  return { overall, tests, benchmarks, coverage };
}

function assessTests(run: HpcResults, base: BaseComparison | undefined): TestsAssessment {
  const section = run.tests;
  if (!section) return { verdict: "skipped", reported: false, suiteCount: 0 };
  const suites = section.suites ?? {};
  const totals = section.totals ?? (Object.keys(suites).length > 0 ? sumSuites(suites) : undefined);
  const result: TestsAssessment = {
    verdict: section.status,
    reported: true,
    totals,
    suiteCount: Object.keys(suites).length,
    durationSeconds: section.duration_seconds,
    reason: section.reason,
  };
  const { run: baseRun, note } = comparable(run, base);
  if (baseRun && !baseRun.tests?.suites)
    result.baseNote = `the newest run of ${base!.branch} has no test sets`;
  else if (baseRun?.tests) {
    result.base = {
      branch: base!.branch,
      commit: baseRun.commit,
      generatedAt: baseRun.generated_at,
      tests: baseRun.tests,
    };
  } else result.baseNote = note;
  return result;
}

/** The base's run when it can be compared with `run`, else why not (nothing when there is no base). */
function comparable(run: HpcResults, base: BaseComparison | undefined): { run?: HpcResults; note?: string } {
  if (!base) return {};
  if (!base.run) return { note: base.note ?? `there is no run of ${base.branch} to compare with` };
  if (base.run.commit === run.commit) return { note: `the newest run of ${base.branch} is this same commit` };
  return { run: base.run };
}

function roundHundredths(value: number): number {
  return Math.round(value * 100) / 100;
}

function assessCoverage(run: HpcResults, options: AssessOptions): CoverageAssessment {
  const section = run.coverage;
  if (!section) return { verdict: "skipped", percent: section };
  const percent = section.coverage_percent;
  const result: CoverageAssessment = {
    verdict: "passed",
    percent,
    coveredLines: section.covered_lines,
    totalLines: section.total_lines,
  };
  const base = options.base;
  const { run: baseRun, note } = comparable(run, base);
  if (base && baseRun) {
    const basePercent = baseRun.coverage?.coverage_percent;
    if (typeof basePercent !== "number") {
      result.baseNote = `the newest run of ${base.branch} did not measure coverage`;
    } else {
      result.base = {
        branch: base.branch,
        percent: basePercent,
        commit: baseRun.commit,
        generatedAt: baseRun.generated_at,
      };
      result.deltaPoints = roundHundredths(percent - basePercent);
    }
  } else result.baseNote = note;

  const failures: string[] = [];
  if (options.coverageMin !== undefined && percent < options.coverageMin) {
    failures.push(`below the ${options.coverageMin}% minimum`);
  }
  if (
    options.coverageMaxDrop !== undefined &&
    result.deltaPoints !== undefined &&
    -result.deltaPoints > options.coverageMaxDrop
  ) {
    failures.push(
      `${(-result.deltaPoints).toFixed(2)} points below ${result.base!.branch} (at most ${options.coverageMaxDrop} allowed)`,
    );
  }
  if (options.patch) result.patch = options.patch;
  const patchGate = patchGateOutcome(options.patch, options.coveragePatchMin);
  if (patchGate?.failure) {
    result.patchGateFailure = patchGate.failure;
    failures.push(patchGate.failure);
  } else if (patchGate?.note) result.patchGateNote = patchGate.note;
  if (failures.length > 0) {
    result.verdict = "failed";
    result.gateFailure = failures.join("; ");
  }
  return result;
}

/** The patch coverage gate: judged on the percentage as shown (hundredths), passing when it cannot apply. */
function patchGateOutcome(
  patch: PatchReport | undefined,
  min: number | undefined,
): { failure?: string; note?: string } | undefined {
  if (min === undefined) return undefined;
  const coverage = patch?.coverage;
  if (!coverage)
    return { note: `the ${min}% patch coverage minimum was not applied: patch coverage is unavailable` };
  if (coverage.percent === null)
    return { note: `no executable line changed, so the ${min}% patch coverage minimum passes` };
  if (roundHundredths(coverage.percent) < min)
    return { failure: `patch coverage ${patchRatio(coverage)} is below the ${min}% minimum` };
  return undefined;
}
