// The `run` command: test with coverage, benchmark, upload coverage, write the results, publish.
// Every phase is timed and its failure is contained: the results are written whatever happens.
import { rm } from "node:fs/promises";
import { InvalidDocumentError } from "../contract/errors.js";
import { readValidDocument } from "../contract/read-valid.js";
import type { BenchmarksSummary, HpcResults, Meta, TestsSummary } from "../contract/types.js";
import { checkDocument } from "../contract/validate.js";
import { ConfigError, SECRET_VARIABLES, type Settings } from "../config/settings.js";
import { TOKEN_FILES, checkTokenFile } from "../config/token-file.js";
import { type Command, canRun } from "../process/run-command.js";
import { writeJsonAtomic } from "../fs/atomic.js";
import { type ArtifactPaths, artifactPaths } from "./artifacts.js";
import { tokenEnvironment } from "../git/credentials.js";
import { settingsRemote } from "./results-remote.js";
import { PublishError } from "../git/publish.js";
import { checkoutCommit, currentBranch, headCommit } from "./context.js";
import type { Logger } from "./log.js";
import { runTestsPhase } from "./tests-phase.js";
import { runCoveragePhase } from "./coverage-phase.js";
import { runBenchmarksPhase } from "./benchmarks-phase.js";
import { uploadPhase } from "./upload-phase.js";
import { publishRun } from "./publish.js";
import { summary } from "./read-run.js";
import { describeProvenance } from "./provenance-phase.js";
import { withFileEnvironment } from "../provenance/index.js";
import { describeCommitState } from "./commit-state.js";
import { mergeRuns } from "../results-branch/write-run.js";
import { withFailureLists } from "../results-branch/attempts.js";
import { utcSeconds } from "../contract/time.js";

export interface RunMode {
  tests: boolean;
  /** "auto": run the benchmarks when some are configured. */
  benchmarks: "auto" | "on" | "off";
  uploadOnly: boolean;
  codecov: boolean;
  publish: boolean;
  shard?: { index: number; count: number };
  /** The command-line options, recorded in meta.json. */
  options: string[];
}

export interface RunContext {
  settings: Settings;
  mode: RunMode;
  env: NodeJS.ProcessEnv;
  log: Logger;
  version: string;
  now?: () => Date;
}

export interface RunOutcome {
  exitCode: 0 | 1 | 3;
  results?: HpcResults;
}

/** The environment of test and benchmark commands: what the job was given, less the credentials. */
export function childEnvironment(ctx: RunContext, commit: string, branch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...ctx.env };
  for (const name of SECRET_VARIABLES) delete env[name];
  return {
    ...env,
    JULIA_NUM_THREADS: ctx.env.JULIA_NUM_THREADS || "auto",
    ...ctx.settings.env,
    HPC_CI_COMMIT: commit,
    HPC_CI_BRANCH: branch,
    HPC_RESULTS_DIR: ctx.settings.resultsDir,
    ...(ctx.mode.shard && {
      HPC_CI_SHARD_INDEX: String(ctx.mode.shard.index),
      HPC_CI_SHARD_COUNT: String(ctx.mode.shard.count),
    }),
  };
}

/** The results of an earlier run in this results directory, only when they are for this commit. */
async function earlierRun(
  paths: ArtifactPaths,
  commit: string,
  log: Logger,
): Promise<HpcResults | undefined> {
  const previous = await readValidDocument(paths.results, "hpc-results");
  if (!previous) return undefined;
  if (previous.value?.commit === commit) return previous.value;
  // Another commit's (or an unreadable) result: nothing of it may be reused.
  log.info(`discarding earlier results in ${paths.dir}: they are not for ${commit}`);
  for (const stale of [
    paths.results,
    paths.lcov,
    paths.coverageSummary,
    paths.coverageLines,
    paths.testsSummary,
    paths.benchmarksSummary,
    paths.meta,
  ]) {
    await rm(stale, { force: true });
  }
  return undefined;
}

/** Tests without a command to run them: a configuration mistake (also said by `submit`, before queueing). */
export function requireTestCommand(settings: Settings, mode: RunMode): void {
  if (mode.tests && !mode.uploadOnly && settings.tests.origin === "none") {
    throw new ConfigError(
      `${settings.root} is not a Julia package (no Project.toml) and .hpc-ci.json has no tests.command: add {"tests": {"command": "<how to run your tests>"}} to .hpc-ci.json, or run --benchmarks-only`,
    );
  }
}

/** Commands that cannot even start are a configuration mistake, said before anything runs. */
function preflight(ctx: RunContext): void {
  const { settings, mode, env } = ctx;
  const check = (command: Command, what: string, where: string) => {
    if (!canRun(command, env)) {
      const program = Array.isArray(command) ? command[0] : command;
      throw new ConfigError(`${program} not found on PATH: the ${what} command cannot run (${where})`);
    }
  };
  requireTestCommand(settings, mode);
  if (mode.tests && !mode.uploadOnly) check(settings.tests.command, "test", "tests.command in .hpc-ci.json");
  if (mode.benchmarks !== "off" && !mode.uploadOnly) {
    for (const command of settings.benchmarks.commands)
      check(command, "benchmark", "benchmarks.commands in .hpc-ci.json");
  }
}

/**
 * Token files are checked now and read after the tests. A token in the environment is in this
 * process's /proc/<pid>/environ (and its parents'), which the code under test may read: said, not refused.
 */
async function credentialPreflight(ctx: RunContext): Promise<void> {
  const { settings, mode, env, log } = ctx;
  const uploads = mode.codecov && settings.coverage.codecov;
  if (mode.publish && settings.results.tokenFile)
    await checkTokenFile(settings.results.tokenFile, TOKEN_FILES.HPC_RESULTS_TOKEN);
  if (uploads && settings.codecovTokenFile)
    await checkTokenFile(settings.codecovTokenFile, TOKEN_FILES.CODECOV_TOKEN);
  if (mode.uploadOnly) return;
  for (const [variable, file] of Object.entries(TOKEN_FILES))
    if (env[variable])
      log.warn(
        `${variable} is in the environment, where the code under test can read it (/proc/<pid>/environ of this process and of the shell that started it): put the token in a file only you can read (chmod 600) and set ${file} instead; see docs/security.md`,
      );
}

export async function runHpcCi(ctx: RunContext): Promise<RunOutcome> {
  const { settings, log } = ctx;
  const now = ctx.now ?? (() => new Date());
  const startedAt = now().getTime();
  const paths = artifactPaths(settings.resultsDir);

  if (settings.checkout) {
    if (!settings.commit)
      throw new Error("HPC_CI_CHECKOUT=1 needs HPC_CI_COMMIT: which commit to check out?");
    // A clone without the named remote may still hold the commit: git then says what is missing.
    const remote = await settingsRemote(settings).catch((error: unknown) => {
      if (error instanceof PublishError) return { url: settings.results.remote, token: undefined };
      throw error;
    });
    await checkoutCommit(
      settings.root,
      settings.commit,
      settings.resultsDir,
      remote.url,
      tokenEnvironment(remote.url, remote.token),
    );
    log.info(`checked out ${settings.commit}`);
  }
  const commit = settings.commit ?? (await headCommit(settings.root));
  const branch = settings.branch ?? (await currentBranch(settings.root, ctx.env, settings.results.remote));
  preflight(ctx);
  await credentialPreflight(ctx);
  const provenance = await describeProvenance(ctx);
  log.info(`commit ${commit} on ${branch}; ${provenance.summary}`);
  const previous = await earlierRun(paths, commit, log);
  const env = childEnvironment(ctx, commit, branch);
  const state = ctx.mode.uploadOnly ? {} : await describeCommitState(ctx, commit);

  if (ctx.mode.uploadOnly) {
    if (!previous) {
      log.error(`--upload-only: no results for ${commit} in ${paths.dir}; run the tests first`);
      return { exitCode: 1 };
    }
    await uploadPhase(ctx, paths, commit, branch);
    return { exitCode: 0, results: previous };
  }

  let tests: HpcResults["tests"];
  let testsSummary: TestsSummary | undefined;
  let coverage: HpcResults["coverage"] | undefined;
  if (ctx.mode.tests) {
    ({ section: tests, summary: testsSummary } = await runTestsPhase(ctx, paths, env, commit));
    if (settings.coverage.enabled) coverage = await runCoveragePhase(ctx, paths, commit);
  }

  let benchmarks: HpcResults["benchmarks"];
  let benchmarksSummary: BenchmarksSummary | undefined;
  let hpc = provenance.hpc;
  if (ctx.mode.benchmarks !== "off") {
    const outcome = await runBenchmarksPhase(ctx, paths, env, commit, provenance, now);
    if (outcome) ({ section: benchmarks, summary: benchmarksSummary } = outcome);
    if (outcome?.environment) hpc = withFileEnvironment(hpc, outcome.environment);
  }

  const generatedAt = utcSeconds(now());
  const fresh: HpcResults = {
    schema_version: 1,
    commit,
    branch,
    generated_at: generatedAt,
    generated_by: `hpc-ci ${ctx.version}`,
    ...(settings.results.repository && { repository: settings.results.repository }),
    // The job's elapsed time when it started us, plus this run.
    hpc: {
      ...hpc,
      walltime_seconds: Math.round((hpc.walltime_seconds ?? 0) + (now().getTime() - startedAt) / 1000),
    },
    ...(coverage !== undefined && { coverage }),
    ...(tests && { tests }),
    ...(benchmarks && { benchmarks }),
    ...state,
  };
  const results = mergeRuns(previous, fresh);
  if (testsSummary && results.tests && results.tests !== fresh.tests) {
    testsSummary = withFailureLists(testsSummary, results.tests);
    await writeJsonAtomic(paths.testsSummary, testsSummary);
  }
  const meta: Meta = {
    schema_version: 1,
    commit,
    branch,
    tag: provenance.tag ?? null,
    generated_at: generatedAt,
    ...provenance.meta,
    flags: [settings.coverage.flag],
    options: ctx.mode.options,
    ...state,
  };
  const problems = checkDocument("hpc-results", results, paths.results);
  if (problems.length > 0) throw new InvalidDocumentError(problems);
  await writeJsonAtomic(paths.meta, meta);
  await writeJsonAtomic(paths.results, results);
  log.info(`wrote ${paths.results}`);

  if (ctx.mode.tests && ctx.mode.codecov && results.coverage) await uploadPhase(ctx, paths, commit, branch);

  // Judged by what this run did: an earlier run's failure merged in is not this run's failure. A
  // regression fails the run only when the judge is sure (the section's verdict; tentative ones do not).
  const regressed = fresh.benchmarks?.verdict === "regression";
  if (regressed) log.error("benchmarks: regression (see above); the run fails");
  const failed = fresh.tests?.status === "failed" || fresh.benchmarks?.status === "failed" || regressed;
  if (ctx.mode.publish) {
    const coverageLines = await summary(paths.coverageLines, "coverage-lines", commit, log);
    const run = { results, testsSummary, benchmarksSummary, meta, coverageLines };
    const published = await publishRun(ctx, run);
    if (!published) return { exitCode: 3, results };
  }
  return { exitCode: failed ? 1 : 0, results };
}
