// The outcome of a test run from the two things we know about it: how the process exited and what
// the report says. Either one is enough to fail: Pkg.test exits non-zero when a test fails, but also
// when something breaks outside any @testset (a load error, a crash, an out-of-memory kill) and then the
// counts may all be passing; and a runner that swallows its exit code can still print failures.
import type { TestCounts } from "../contract/types.js";

export interface TestStatus {
  status: "passed" | "failed";
  /** Why the run failed, for people (the `reason` of the tests section). Absent when it passed. */
  reason?: string;
}

/**
 * "passed" only when the process exited 0 and the counts (when there are any) show no failure or error.
 * `exitCode` null means the process did not exit by itself (killed by a signal).
 */
export function testStatus(exitCode: number | null, counts?: TestCounts): TestStatus {
  const failed = counts?.failed ?? 0;
  const errored = counts?.errored ?? 0;
  const bad = failed + errored;
  const tally = `${failed} failed, ${errored} errored`;
  if (exitCode === null) {
    return {
      status: "failed",
      reason: `the test process was killed before it exited${bad > 0 ? ` (${tally})` : ""}`,
    };
  }
  if (exitCode !== 0) {
    const why =
      bad > 0 ? tally : "although no test failed or errored: an error outside the tests, or a crash";
    return { status: "failed", reason: `the tests exited with code ${exitCode}, ${why}` };
  }
  if (bad > 0) return { status: "failed", reason: `${tally} (the test process exited with code 0)` };
  return { status: "passed" };
}
