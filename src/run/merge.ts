// Combining the results of several `run --shard I/N` jobs of one commit into one run.
import { existsSync } from "node:fs";
import { InvalidDocumentError } from "../contract/errors.js";
import { MAX_DOCUMENT_BYTES, readDocument } from "../contract/json.js";
import { sumSuites, worstRegression } from "../contract/normalize.js";
import type {
  CoverageLines,
  BenchmarkResult,
  BenchmarkShift,
  BenchmarkVerdict,
  HpcResults,
  Meta,
  Status,
  TestCounts,
  TestsSummary,
  BenchmarksSummary,
} from "../contract/types.js";
import { checkDocument } from "../contract/validate.js";
import { mergeByPath, readLcovFile, summarize, toLcov } from "../coverage/index.js";
import { formatCoverageLines, mergeCoverageLines } from "../coverage/lines.js";
import { summary } from "./read-run.js";
import { writeFileAtomic, writeJsonAtomic } from "../fs/atomic.js";
import { worstVerdict } from "../judge/index.js";
import type { PublishedRun } from "../results-branch/write-run.js";
import { FailureCollector, dropOutOfRange } from "../test-report/index.js";
import { artifactPaths, RELATIVE } from "./artifacts.js";
import type { Logger } from "./log.js";

const worse = (a: Status | undefined, b: Status | undefined): Status | undefined =>
  a === "failed" || b === "failed" ? "failed" : a === "passed" || b === "passed" ? "passed" : (a ?? b);

function addCounts(into: Record<string, TestCounts>, from: Record<string, TestCounts> | undefined): void {
  for (const [name, counts] of Object.entries(from ?? {})) {
    const sum: TestCounts = { ...into[name] };
    for (const [k, v] of Object.entries(counts) as Array<[keyof TestCounts, number]>)
      sum[k] = (sum[k] ?? 0) + v;
    Object.defineProperty(into, name, { value: sum, enumerable: true, writable: true, configurable: true });
  }
}

export async function mergeShards(dirs: string[], out: string, log: Logger): Promise<PublishedRun> {
  const shards: Array<{ dir: string; results: HpcResults }> = [];
  for (const dir of dirs) {
    const path = artifactPaths(dir).results;
    const value = await readDocument(path, path);
    const problems = checkDocument("hpc-results", value, path);
    if (problems.length > 0) throw new InvalidDocumentError(problems);
    shards.push({ dir, results: value as HpcResults });
  }
  const commit = shards[0]!.results.commit;
  const other = shards.find((s) => s.results.commit !== commit);
  if (other) {
    throw new InvalidDocumentError([
      {
        file: artifactPaths(other.dir).results,
        pointer: "/commit",
        reason: `is ${other.results.commit}, but the first shard is ${commit}`,
      },
    ]);
  }

  const suites: Record<string, TestCounts> = {};
  const benchmarks: Record<string, BenchmarkResult> = {};
  let testStatus: Status | undefined;
  let benchStatus: Status | undefined;
  let testSeconds = 0;
  let benchSeconds = 0;
  const jobs = new Set<string>();
  const verdicts: Array<BenchmarkVerdict | undefined> = [];
  const shifts: BenchmarkShift[] = [];
  for (const { results } of shards) {
    // Each shard was judged on its own benchmarks: the merged run's verdict is the worst of them.
    verdicts.push(results.benchmarks?.verdict);
    shifts.push(...(results.benchmarks?.shifts ?? []));
    testStatus = worse(testStatus, results.tests?.status);
    benchStatus = worse(benchStatus, results.benchmarks?.status);
    // Shards run side by side: the phase took as long as its slowest shard.
    testSeconds = Math.max(testSeconds, results.tests?.duration_seconds ?? 0);
    benchSeconds = Math.max(benchSeconds, results.benchmarks?.duration_seconds ?? 0);
    addCounts(suites, results.tests?.suites);
    for (const [name, r] of Object.entries(results.benchmarks?.results ?? {})) {
      Object.defineProperty(benchmarks, name, {
        value: r,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (results.hpc?.job_id) jobs.add(results.hpc.job_id);
  }

  const paths = artifactPaths(out);
  const lcovs = shards.map((s) => artifactPaths(s.dir).lcov).filter((p) => existsSync(p));
  let coverage: HpcResults["coverage"] = null;
  if (lcovs.length > 0) {
    const files = mergeByPath((await Promise.all(lcovs.map((p) => readLcovFile(p)))).flatMap((r) => r.files));
    const summary = summarize(files);
    await writeFileAtomic(paths.lcov, toLcov(files));
    coverage = {
      flag: shards.find((s) => s.results.coverage)?.results.coverage?.flag,
      coverage_percent: Math.round(summary.percent * 100) / 100,
      total_lines: summary.totalLines,
      covered_lines: summary.coveredLines,
      report_file: RELATIVE.lcov,
      summary_file: null,
    };
    log.info(`merged coverage of ${lcovs.length} shard(s): ${coverage.coverage_percent}%`);
  }

  const coverageLines = await mergeShardLines(shards, commit, paths.coverageLines, log);

  const first = shards[0]!.results;
  const hasSuites = Object.keys(suites).length > 0;
  const totals = sumSuites(suites);
  // Counts summed over shards may pass what the contract holds: left out, not a refused run.
  for (const warning of dropOutOfRange({ suites, totals })) log.warn(`merge: ${warning}`);
  // Shards ran different tests: their failures add up (attempts of the same tests are another matter).
  const failures = new FailureCollector();
  let failuresTotal: number | undefined;
  for (const { results } of shards) {
    for (const f of results.tests?.failures ?? []) failures.add(f);
    const t = results.tests?.failures_total;
    if (t !== undefined) failuresTotal = (failuresTotal ?? 0) + t;
  }
  const named = failures.report().failures;
  const failureLists = {
    ...(named.length > 0 && { failures: named }),
    ...(failuresTotal !== undefined && { failures_total: Math.max(failuresTotal, failures.report().total) }),
  };
  const results: HpcResults = {
    ...first,
    hpc: { ...first.hpc, ...(jobs.size > 0 && { job_id: [...jobs].join(",") }) },
    // One shard tested in a dirty tree makes the whole run so.
    ...(shards.some((s) => s.results.dirty) && { dirty: true }),
    coverage,
    ...(testStatus && {
      tests: {
        status: testStatus,
        duration_seconds: testSeconds,
        log_file: RELATIVE.testsLog,
        ...(hasSuites && { suites, totals }),
        ...failureLists,
      },
    }),
    ...(benchStatus && {
      benchmarks: {
        status: benchStatus,
        duration_seconds: benchSeconds,
        ...(Object.keys(benchmarks).length > 0 && {
          results: benchmarks,
          worst_regression_pct: worstRegression(benchmarks),
        }),
        ...(verdicts.some((v) => v !== undefined) && { verdict: worstVerdict(verdicts), shifts }),
        ...(first.benchmarks?.judge && { judge: first.benchmarks.judge }),
      },
    }),
  };
  const problems = checkDocument("hpc-results", results, paths.results);
  if (problems.length > 0) throw new InvalidDocumentError(problems);
  const testsSummary: TestsSummary | undefined = results.tests && {
    schema_version: 1,
    commit,
    status: results.tests.status,
    generated_at: results.generated_at,
    ...(hasSuites && { suites, totals: results.tests.totals }),
    ...(results.tests && failureLists),
  };
  const benchmarksSummary: BenchmarksSummary | undefined = results.benchmarks?.results && {
    schema_version: 1,
    commit,
    generated_at: results.generated_at,
    benchmarks,
    ...(results.benchmarks.verdict && { verdict: results.benchmarks.verdict, shifts }),
    ...(results.benchmarks.judge && { judge: results.benchmarks.judge }),
  };
  const meta: Meta = {
    schema_version: 1,
    commit,
    branch: first.branch,
    generated_at: first.generated_at,
    options: ["merge"],
    ...(results.dirty !== undefined && { dirty: results.dirty }),
    ...(results.pushed !== undefined && { pushed: results.pushed }),
  };
  await writeJsonAtomic(paths.results, results);
  if (testsSummary) await writeJsonAtomic(paths.testsSummary, testsSummary);
  if (benchmarksSummary) await writeJsonAtomic(paths.benchmarksSummary, benchmarksSummary);
  await writeJsonAtomic(paths.meta, meta);
  return { results, testsSummary, benchmarksSummary, meta, ...(coverageLines && { coverageLines }) };
}

/** The shards' covered lines as one, when every shard that measured coverage wrote them. */
async function mergeShardLines(
  shards: Array<{ dir: string; results: HpcResults }>,
  commit: string,
  out: string,
  log: Logger,
): Promise<CoverageLines | undefined> {
  const documents: CoverageLines[] = [];
  for (const { dir, results } of shards) {
    if (!results.coverage) continue;
    const read = await summary(artifactPaths(dir).coverageLines, "coverage-lines", commit, log);
    if (!read) {
      log.warn(`shard ${dir} has no coverage lines: patch coverage is unavailable for the merged run`);
      return undefined;
    }
    documents.push(read);
  }
  if (documents.length === 0) return undefined;
  const merged = mergeCoverageLines(commit, documents);
  const text = formatCoverageLines(merged);
  if (Buffer.byteLength(text) > MAX_DOCUMENT_BYTES) {
    log.warn(
      `the merged coverage lines are over the ${MAX_DOCUMENT_BYTES} byte limit: patch coverage is unavailable`,
    );
    return undefined;
  }
  await writeFileAtomic(out, text);
  return merged;
}
