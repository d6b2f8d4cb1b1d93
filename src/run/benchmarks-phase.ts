// The benchmarks phase: the walltime guard, the benchmark commands (no stdin, their own logs), the
// result files this run wrote read in any of the supported formats, and the judge's verdicts against the
// default branch's history (benchmarks-judge.ts), confirmed by a second run when asked and time permits.
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { BenchmarkResult, BenchmarksSection, BenchmarksSummary } from "../contract/types.js";
import { type Settings, ConfigError } from "../config/settings.js";
import {
  type CollectedBenchmarks,
  type FileEnvironment,
  type ResultsSource,
  collectBenchmarkResults,
  snapshotBenchmarkFiles,
} from "../benchmarks/index.js";
import { formatContractError } from "../contract/errors.js";
import { writeJsonAtomic } from "../fs/atomic.js";
import { withFileEnvironment } from "../provenance/machine.js";
import { describeCommand, runCommand } from "../process/run-command.js";
import { type ArtifactPaths, RELATIVE } from "./artifacts.js";
import {
  type Judged,
  describeJudgement,
  judgeRun,
  judgedSection,
  keepConfirmed,
  loadHistory,
} from "./benchmarks-judge.js";
import type { DescribedProvenance } from "./provenance-phase.js";
import type { RunContext } from "./run.js";
import { utcSeconds } from "../contract/time.js";

export async function runBenchmarksPhase(
  ctx: RunContext,
  paths: ArtifactPaths,
  env: NodeJS.ProcessEnv,
  commit: string,
  provenance: DescribedProvenance,
  now: () => Date,
): Promise<
  { section: BenchmarksSection; summary?: BenchmarksSummary; environment?: FileEnvironment } | undefined
> {
  const { settings, log } = ctx;
  const bench = settings.benchmarks;
  if (bench.commands.length === 0) {
    if (ctx.mode.benchmarks === "on") {
      throw new ConfigError(
        "benchmarks were asked for, but none are configured (benchmarks.commands in .hpc-ci.json, or benchmark/benchmarks.jl)",
      );
    }
    log.info("benchmarks: none configured; skipped");
    return undefined;
  }
  const guard = provenance.benchmarkGuard(now(), bench.reserveSeconds);
  if (guard.skip) {
    log.warn(`benchmarks skipped: ${guard.reason}`);
    return { section: { status: "skipped", duration_seconds: 0, reason: guard.reason } };
  }

  const { file: raw, sources } = resultsSources(bench, paths);
  await mkdir(dirname(raw), { recursive: true }); // so the commands can write there
  const commandEnv = { ...env, ...bench.env, HPC_CI_BENCHMARK_RESULTS: raw };
  const started = Date.now();
  const reasons: string[] = [];
  const opened = new Set<string>(); // logs this run has started; later commands add to them
  // One pass of the commands and the results they wrote; called again to confirm a regression. Nothing is
  // deleted: what a pass writes is told from what was there by a snapshot taken just before it.
  const measure = async (): Promise<{ failed: boolean; collected: CollectedBenchmarks }> => {
    const before = await snapshotBenchmarkFiles(sources, settings.root);
    const startedAt = new Date();
    let failed = false;
    for (const [i, command] of bench.commands.entries()) {
      // Mycelia's pair keeps its two logs; anything else shares benchmarks.log.
      const logName = bench.origin === "mycelia" && i === 0 ? "tutorials" : "benchmarks";
      log.info(`benchmarks: ${describeCommand(command)}`);
      const result = await runCommand(command, {
        cwd: settings.root,
        env: commandEnv,
        logFile: paths.log(logName),
        append: opened.has(logName),
        timeoutSeconds: bench.timeoutSeconds,
      });
      opened.add(logName);
      if (result.exitCode !== 0) {
        failed = true;
        reasons.push(
          `${describeCommand(command).slice(0, 200)} exited ${result.exitCode}${result.startError ? ` (${result.startError})` : ""}`,
        );
        log.warn(`benchmarks: exit ${result.exitCode}${result.startError ? ` (${result.startError})` : ""}`);
      }
    }
    const collected = await collectBenchmarkResults(sources, { startedAt, before }, settings.root);
    reasons.push(...readingReasons(collected, log));
    if (collected.problems.length > 0) failed = true;
    if (collected.files.length === 0 && collected.problems.length === 0 && !failed) {
      const where = bench.resultsFile ? raw : "$HPC_CI_BENCHMARK_RESULTS";
      const named = bench.results.filter((s) => s.path !== raw).map((s) => s.path);
      reasons.push(`the commands wrote no results to ${[where, ...named].join(", ")}`.slice(0, 1000));
      log.warn(`benchmarks: the commands wrote no results to ${[raw, ...named].join(", ")}`);
    }
    return { failed, collected };
  };

  const first = await measure();
  let failed = first.failed;
  let judged: Judged | undefined;
  let confirmed: boolean | undefined;
  const current: Record<string, BenchmarkResult> | undefined =
    first.collected.files.length > 0 ? first.collected.results : undefined;
  if (current) {
    // The environment that keys the history includes what the result files say (threads that really ran).
    const hpc = withFileEnvironment(provenance.hpc, first.collected.environment);
    const history = await loadHistory(ctx, commit, hpc);
    if (history.reason) log.info(`benchmarks: no history to judge by (${history.reason})`);
    judged = judgeRun(ctx, current, history, hpc.node);
    if (judged.outcome.failing.length > 0 && bench.judge.confirm) {
      // Walltime permitting: the rerun needs about as long as the first run (at least a minute: a
      // fast first run still has to start Julia again), plus the reserve.
      const took = Math.max(60, Math.round((Date.now() - started) / 1000));
      const guard = provenance.benchmarkGuard(now(), bench.reserveSeconds + took);
      if (guard.skip) log.warn(`benchmarks: regressions not confirmed: ${guard.reason}`);
      else {
        log.info(
          `benchmarks: ${judged.outcome.failing.length} regression(s); running the benchmarks again to confirm`,
        );
        const second = await measure();
        failed ||= second.failed;
        if (second.collected.files.length > 0) {
          const again = judgeRun(ctx, second.collected.results, history, hpc.node);
          judged = { ...again, outcome: keepConfirmed(judged.outcome, again.outcome) };
          confirmed = true;
        }
      }
    }
    for (const line of describeJudgement(judged)) log.info(line);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const results = judged?.outcome.results;
  const status = failed ? "failed" : "passed";
  log.info(`benchmarks ${status} in ${seconds}s${results ? `, ${Object.keys(results).length} results` : ""}`);
  const section: BenchmarksSection = {
    status,
    duration_seconds: seconds,
    benchmarks_log: RELATIVE.benchmarksLog,
    ...(bench.origin === "mycelia" && { tutorials_log: RELATIVE.tutorialsLog }),
    ...(judged && judgedSection(judged, confirmed)),
    ...(reasons.length > 0 && { reason: reasons.join("; ").slice(0, 4000) }),
  };
  const {
    results: _,
    worst_regression_pct: _worst,
    ...judgedFields
  } = judged ? judgedSection(judged, confirmed) : {};
  const summary: BenchmarksSummary | undefined = results && {
    schema_version: 1,
    commit,
    status,
    generated_at: utcSeconds(now()),
    duration_seconds: seconds,
    benchmarks: results,
    ...judgedFields,
  };
  if (summary) await writeJsonAtomic(paths.benchmarksSummary, summary);
  return { section, summary, environment: first.collected.environment };
}

/**
 * $HPC_CI_BENCHMARK_RESULTS (the one plain file the user named, else this run's own raw.json, read
 * along with every configured file, folder and glob) and all the sources to read.
 */
export function resultsSources(
  bench: Settings["benchmarks"],
  paths: ArtifactPaths,
): { file: string; sources: ResultsSource[] } {
  if (bench.resultsFile) return { file: bench.resultsFile, sources: bench.results };
  const file = join(paths.dir, "artifacts", "benchmarks", "raw.json");
  return { file, sources: [{ path: file }, ...bench.results] };
}

/** The section's reasons from reading: bad files (their errors), files left out (named, briefly). */
function readingReasons(collected: CollectedBenchmarks, log: RunContext["log"]): string[] {
  for (const line of collected.notes) log.info(`benchmarks: ${line}`);
  const reasons: string[] = [];
  if (collected.problems.length > 0) {
    const errors = collected.problems.map(formatContractError);
    for (const e of errors) log.error(`benchmarks: ${e}`);
    const good = collected.files.length;
    const kept = good > 0 ? ` (the results of the ${good} good file${good === 1 ? "" : "s"} are kept)` : "";
    reasons.push(`the results could not be read: ${errors.join("; ").slice(0, 2000)}${kept}`);
  }
  const { ignored } = collected;
  if (ignored.length > 0) {
    const shown =
      ignored.slice(0, 3).join(", ") + (ignored.length > 3 ? `, and ${ignored.length - 3} more` : "");
    reasons.push(
      `ignored ${ignored.length} file${ignored.length === 1 ? "" : "s"} this run did not write or cannot read as results: ${shown}`,
    );
  }
  return reasons;
}
