// The benchmarks phase: the walltime guard, the benchmark commands (no stdin, their own logs), the
// results file read in any of the supported formats, and the judge's verdicts against the default
// branch's history (benchmarks-judge.ts), confirmed by a second run when asked and time permits.
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { BenchmarkResult, BenchmarksSection, BenchmarksSummary } from "../contract/types.js";
import { ConfigError } from "../config/settings.js";
import { readBenchmarkResults } from "../benchmarks/index.js";
import { writeJsonAtomic } from "../fs/atomic.js";
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

export async function runBenchmarksPhase(
  ctx: RunContext,
  paths: ArtifactPaths,
  env: NodeJS.ProcessEnv,
  commit: string,
  provenance: DescribedProvenance,
  now: () => Date,
): Promise<{ section: BenchmarksSection; summary?: BenchmarksSummary } | undefined> {
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

  const raw = bench.results ?? join(paths.dir, "artifacts", "benchmarks", "raw.json");
  const commandEnv = { ...env, ...bench.env, HPC_CI_BENCHMARK_RESULTS: raw };
  const started = Date.now();
  const reasons: string[] = [];
  const opened = new Set<string>(); // logs this run has started; later commands add to them
  // One pass of the commands and the results they wrote; called again to confirm a regression.
  const measure = async (): Promise<{ failed: boolean; current?: Record<string, BenchmarkResult> }> => {
    await rm(raw, { force: true }); // an earlier run's results must not pass for this one's
    await mkdir(dirname(raw), { recursive: true }); // so the commands can write there
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
    if (!existsSync(raw)) {
      if (bench.origin !== "mycelia" && !failed) {
        reasons.push(`the commands wrote no results to ${bench.results ? raw : "$HPC_CI_BENCHMARK_RESULTS"}`);
        log.warn(`benchmarks: the commands wrote no results to ${raw}`);
      }
      return { failed };
    }
    try {
      return { failed, current: await readBenchmarkResults(raw) };
    } catch (error) {
      reasons.push(`the results could not be read: ${(error as Error).message.slice(0, 1000)}`);
      log.error(`benchmarks: ${(error as Error).message}`);
      return { failed: true };
    }
  };

  const first = await measure();
  let failed = first.failed;
  let judged: Judged | undefined;
  let confirmed: boolean | undefined;
  if (first.current) {
    const history = await loadHistory(ctx, commit, provenance.hpc);
    if (history.reason) log.info(`benchmarks: no history to judge by (${history.reason})`);
    judged = judgeRun(ctx, first.current, history, provenance.hpc.node);
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
        if (second.current) {
          const again = judgeRun(ctx, second.current, history, provenance.hpc.node);
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
    generated_at: now()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z"),
    duration_seconds: seconds,
    benchmarks: results,
    ...judgedFields,
  };
  if (summary) await writeJsonAtomic(paths.benchmarksSummary, summary);
  return { section, summary };
}
