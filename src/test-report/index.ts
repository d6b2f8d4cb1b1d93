// Test reports: Julia's `Test Summary:` tables and failure reports from a test log, and JUnit XML, read
// into suites, totals and named failures (the tests section of the contract), and the pass/fail decision
// from exit code and counts.
export type { TestReport } from "./counts.js";
export { dropOutOfRange } from "./counts.js";
export type { FailureReport } from "./failures.js";
export { FailureCollector, MAX_FAILURES, failureKey } from "./failures.js";
export { parseJuliaFailures } from "./julia-failures.js";
export type { JuliaTestReport, SummaryRow } from "./julia-summary.js";
export { durationSeconds, parseJuliaTestSummary, stripAnsi } from "./julia-summary.js";
export type { JUnitReport } from "./junit.js";
export { JUnitError, MAX_JUNIT_BYTES, parseJUnitXml, readJUnitXml } from "./junit.js";
export { SourcePaths } from "./source-path.js";
export type { TestStatus } from "./status.js";
export { testStatus } from "./status.js";
export type { XmlHandler } from "./xml.js";
export { XmlError, scanXml } from "./xml.js";
