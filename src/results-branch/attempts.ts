// Several runs of the tests of one commit: a later run merges into the published one (writeRun, and
// run's own results directory), counting attempts and telling flaky tests from failing ones. The rule:
// a failure of the new run is flaky when the previous run's tests ran and that test (same file:line, or
// the same test set path and name when there is no location) did not fail there; a failure of the previous
// run that did not fail in the new run goes into `flaky`. "Did not fail" is only claimed from a complete
// list of failures (a passing run, or one whose failures_total its list holds in full): a failure past the
// first 50 might be the same test. Shards (`merge`) are different tests, not attempts, and never come here.
import type {
  HpcResults,
  TestFailure,
  TestFailureLists,
  TestsSection,
  TestsSummary,
} from "../contract/types.js";
import { MAX_FAILURES, failureKey } from "../test-report/index.js";

/** The new run's tests section, with attempts counted and flaky tests marked against the previous run's. */
export function mergeAttempts(previous: TestsSection, next: TestsSection): TestsSection {
  const attempts = Math.max(next.attempts ?? 1, (previous.attempts ?? 1) + 1);
  const before = completeKeys(previous);
  const now = completeKeys(next);
  // Once a test has passed in some run of the commit, its failures stay flaky in later attempts.
  const known = new Set(
    [...(previous.flaky ?? []), ...(previous.failures ?? []).filter((f) => f.flaky)].map(failureKey),
  );
  const failures = next.failures?.map((f) => {
    const key = failureKey(f);
    return (before && !before.has(key)) || known.has(key) ? { ...f, flaky: true } : f;
  });
  const flaky = new Map<string, TestFailure>();
  const add = (f: TestFailure) => {
    const key = failureKey(f);
    if (flaky.size < MAX_FAILURES && !flaky.has(key) && !now?.has(key)) flaky.set(key, { ...f, flaky: true });
  };
  if (now) for (const f of previous.failures ?? []) add(f);
  // Known flaky before (failed once, passed once): still so, unless it is among this run's failures.
  for (const f of [...(previous.flaky ?? []), ...(next.flaky ?? [])]) add(f);
  const { flaky: _, ...rest } = next;
  return {
    ...rest,
    ...(failures && { failures }),
    attempts,
    ...(flaky.size > 0 && { flaky: [...flaky.values()] }),
  };
}

/**
 * The same run published again (a retried publish): the same time and the same tests section. The time
 * alone is not enough: it has whole seconds, and two short runs can finish within one.
 */
export function republished(previous: HpcResults, next: HpcResults): boolean {
  return (
    previous.generated_at === next.generated_at &&
    JSON.stringify(previous.tests) === JSON.stringify(next.tests)
  );
}

/** The keys of every test that failed in the run, or undefined when its list does not hold them all. */
function completeKeys(tests: TestsSection): Set<string> | undefined {
  const listed = tests.failures ?? [];
  const complete =
    (tests.status === "passed" && listed.length === 0) ||
    (tests.failures_total !== undefined && listed.length >= tests.failures_total);
  return complete ? new Set(listed.map(failureKey)) : undefined;
}

/** The summary with the failure lists of the (merged) tests section, so that both documents say the same. */
export function withFailureLists(summary: TestsSummary, tests: TestsSection): TestsSummary {
  const { failures: _f, failures_total: _t, attempts: _a, flaky: _k, ...rest } = summary;
  const lists: TestFailureLists = {
    ...(tests.failures && { failures: tests.failures }),
    ...(tests.failures_total !== undefined && { failures_total: tests.failures_total }),
    ...(tests.attempts !== undefined && { attempts: tests.attempts }),
    ...(tests.flaky && { flaky: tests.flaky }),
  };
  return { ...rest, ...lists };
}
