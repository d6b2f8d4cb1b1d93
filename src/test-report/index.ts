// Test reports: Julia's `Test Summary:` tables from a test log, and JUnit XML, read into suites and
// totals (the tests section of the contract), and the pass/fail decision from exit code and counts.
export type { TestReport } from "./counts.js";
export type { JuliaTestReport } from "./julia-summary.js";
export { durationSeconds, parseJuliaTestSummary, stripAnsi } from "./julia-summary.js";
export { JUnitError, MAX_JUNIT_BYTES, parseJUnitXml, readJUnitXml } from "./junit.js";
export type { TestStatus } from "./status.js";
export { testStatus } from "./status.js";
export type { XmlHandler } from "./xml.js";
export { XmlError, scanXml } from "./xml.js";
