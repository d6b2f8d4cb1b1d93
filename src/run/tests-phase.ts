// The tests phase: the test command (Julia's Pkg.test with coverage by default), its Test Summary
// tables and failure reports, or its JUnit report, turned into suites, totals and named failures (paths
// relative to the repository), and a status from exit code and counts together.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { TestFailureLists, TestsSection, TestsSummary } from "../contract/types.js";
import { cleanCoverageFiles } from "../coverage/index.js";
import { writeJsonAtomic } from "../fs/atomic.js";
import { describeCommand, runCommand } from "../process/run-command.js";
import {
  type FailureReport,
  SourcePaths,
  type TestReport,
  dropOutOfRange,
  parseJuliaFailures,
  parseJuliaTestSummary,
  readJUnitXml,
  testStatus,
} from "../test-report/index.js";
import type { Logger } from "./log.js";
import { type ArtifactPaths, RELATIVE } from "./artifacts.js";
import type { RunContext } from "./run.js";
import { utcSeconds } from "../contract/time.js";

export async function runTestsPhase(
  ctx: RunContext,
  paths: ArtifactPaths,
  env: NodeJS.ProcessEnv,
  commit: string,
): Promise<{ section: TestsSection; summary: TestsSummary }> {
  const { settings, log } = ctx;
  if (settings.coverage.enabled && !settings.coverage.lcov) {
    // Coverage files of an earlier run would be summed into this one's.
    const removed = await cleanCoverageFiles(settings.coverage.dirs, { root: settings.root });
    if (removed.length > 0) log.info(`removed ${removed.length} .cov file(s) left by an earlier run`);
  }
  log.info(`tests: ${describeCommand(settings.tests.command)}`);
  const logFile = paths.log("tests");
  const result = await runCommand(settings.tests.command, {
    cwd: settings.root,
    env: { ...env, ...settings.tests.env },
    logFile,
    timeoutSeconds: settings.tests.timeoutSeconds,
  });
  if (result.startError) log.error(`tests: could not start the command: ${result.startError}`);

  let report: TestReport | undefined;
  let failures: FailureReport | undefined;
  const notes: string[] = [];
  if (settings.tests.junit) {
    if (existsSync(settings.tests.junit)) {
      try {
        const junit = await readJUnitXml(settings.tests.junit);
        report = junit;
        failures = junit.failures;
      } catch (error) {
        notes.push(`the JUnit report could not be read: ${(error as Error).message.slice(0, 1000)}`);
      }
    } else notes.push(`the JUnit report ${settings.tests.junit} was not written`);
    for (const note of notes) log.warn(`tests: ${note}`);
  }
  if (!report) {
    const text = await readFile(logFile, "utf8");
    const parsed = parseJuliaTestSummary(text);
    if (parsed.tables > 0) report = parsed;
    failures = parseJuliaFailures(text, parsed);
  }
  if (report) warnAll(log, dropOutOfRange(report));
  const lists = failureLists(report, failures, new SourcePaths(settings.root));
  const status = testStatus(result.exitCode, report?.totals);
  const reason = [status.reason, ...notes].filter(Boolean).join("; ") || undefined;
  const seconds = Math.round(result.seconds);
  log.info(`tests ${status.status} in ${seconds}s${status.reason ? `: ${status.reason}` : ""}`);
  const section: TestsSection = {
    status: status.status,
    duration_seconds: seconds,
    log_file: RELATIVE.testsLog,
    ...(report && { suites: report.suites, totals: report.totals }),
    ...lists,
    ...(reason && { reason }),
  };
  const summary: TestsSummary = {
    schema_version: 1,
    commit,
    status: status.status,
    generated_at: utcSeconds(),
    duration_seconds: seconds,
    ...(report && { suites: report.suites, totals: report.totals }),
    ...lists,
    ...(reason && { reason }),
  };
  await writeJsonAtomic(paths.testsSummary, summary);
  return { section, summary };
}

/**
 * The named failures, paths relative to the repository. The count is the larger of the failures seen and
 * the report's failed + errored (a failure printed by a worker, or cut from the log, still counts); it is
 * there whenever a report was read, so that 0 says "none failed" rather than "not known".
 */
function failureLists(
  report: TestReport | undefined,
  failures: FailureReport | undefined,
  paths: SourcePaths,
): TestFailureLists {
  const counted = (report?.totals.failed ?? 0) + (report?.totals.errored ?? 0);
  const total = Math.max(failures?.total ?? 0, counted);
  if (!report && total === 0) return {};
  const named = (failures?.failures ?? []).map((f) => paths.mapFailure(f));
  return { ...(named.length > 0 && { failures: named }), failures_total: total };
}

const MAX_WARNINGS = 10;

function warnAll(log: Logger, warnings: string[]): void {
  for (const warning of warnings.slice(0, MAX_WARNINGS)) log.warn(`tests: ${warning}`);
  if (warnings.length > MAX_WARNINGS)
    log.warn(`tests: ${warnings.length - MAX_WARNINGS} more values left out`);
}
