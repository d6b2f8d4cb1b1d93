// The tests phase: the test command (Julia's Pkg.test with coverage by default), its Test Summary
// tables or JUnit report turned into suites and totals, and a status from exit code and counts together.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { TestsSection, TestsSummary } from "../contract/types.js";
import { cleanCoverageFiles } from "../coverage/index.js";
import { writeJsonAtomic } from "../fs/atomic.js";
import { describeCommand, runCommand } from "../process/run-command.js";
import { parseJuliaTestSummary, readJUnitXml, testStatus, type TestReport } from "../test-report/index.js";
import { type ArtifactPaths, RELATIVE } from "./artifacts.js";
import type { RunContext } from "./run.js";

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
  const notes: string[] = [];
  if (settings.tests.junit) {
    if (existsSync(settings.tests.junit)) {
      try {
        report = await readJUnitXml(settings.tests.junit);
      } catch (error) {
        notes.push(`the JUnit report could not be read: ${(error as Error).message.slice(0, 1000)}`);
      }
    } else notes.push(`the JUnit report ${settings.tests.junit} was not written`);
    for (const note of notes) log.warn(`tests: ${note}`);
  }
  if (!report) {
    const parsed = parseJuliaTestSummary(await readFile(logFile, "utf8"));
    if (parsed.tables > 0) report = parsed;
  }
  const status = testStatus(result.exitCode, report?.totals);
  const reason = [status.reason, ...notes].filter(Boolean).join("; ") || undefined;
  const seconds = Math.round(result.seconds);
  log.info(`tests ${status.status} in ${seconds}s${status.reason ? `: ${status.reason}` : ""}`);
  const section: TestsSection = {
    status: status.status,
    duration_seconds: seconds,
    log_file: RELATIVE.testsLog,
    ...(report && { suites: report.suites, totals: report.totals }),
    ...(reason && { reason }),
  };
  const summary: TestsSummary = {
    schema_version: 1,
    commit,
    status: status.status,
    generated_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    duration_seconds: seconds,
    ...(report && { suites: report.suites, totals: report.totals }),
    ...(reason && { reason }),
  };
  await writeJsonAtomic(paths.testsSummary, summary);
  return { section, summary };
}
