// JUnit XML test reports (`<testsuites>` / `<testsuite name tests failures errors skipped time>` /
// `<testcase>` with `<failure>`, `<error>` or `<skipped>` children), as TestReports.jl and most test
// runners write them, read into the same shape as Julia's Test Summary tables. Testcases are counted
// themselves (their suite's attributes are often inconsistent); a suite without testcases falls back to
// its attributes. Nested testsuites are joined with "/" and, as in Julia, a parent includes its children.
import { readFile } from "node:fs/promises";
import type { TestCounts } from "../contract/types.js";
import { SuiteCollector, addCounts, roundSeconds, segmentName, type TestReport } from "./counts.js";
import type { FailureReport } from "./failures.js";
import { JUnitFailures } from "./junit-failures.js";
import { XmlError, scanXml } from "./xml.js";

/** Test reports larger than this are refused rather than read into memory. */
export const MAX_JUNIT_BYTES = 64 * 1024 * 1024;

export class JUnitError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = "JUnitError";
  }
}

type Outcome = "passed" | "failed" | "errored" | "skipped";
// When a testcase has several outcome elements, the worst one counts.
const OUTCOME_RANK: Record<Outcome, number> = { passed: 0, skipped: 1, failed: 2, errored: 3 };
const OUTCOME_OF: Record<string, Outcome> = { failure: "failed", error: "errored", skipped: "skipped" };

interface SuiteNode {
  path: string[];
  attributes: ReadonlyMap<string, string>;
  counts: TestCounts;
  cases: number;
  children: SuiteNode[];
}

export interface JUnitReport extends TestReport {
  failures: FailureReport;
}

/** Parses a JUnit XML document; throws JUnitError naming `file` (and the line) when it is not one. */
export function parseJUnitXml(xml: string, file = "<junit>"): JUnitReport {
  const roots: SuiteNode[] = [];
  const suites: SuiteNode[] = [];
  let rootName: string | undefined;
  let rootAttributes: ReadonlyMap<string, string> = new Map();
  let testcase: { outcome: Outcome; suite: SuiteNode } | undefined;
  let orphans: SuiteNode | undefined;
  const failures = new JUnitFailures();

  try {
    scanXml(xml, {
      text: (read) => failures.text(read),
      open(rawName, attributes) {
        const name = localName(rawName);
        rootName ??= name;
        if (rootName === name && suites.length === 0 && name === "testsuites") rootAttributes = attributes;
        if (name === "testsuite") {
          const parent = suites[suites.length - 1];
          const node: SuiteNode = {
            path: [...(parent?.path ?? []), segmentName(attributes.get("name") ?? "")],
            attributes,
            counts: {},
            cases: 0,
            children: [],
          };
          (parent ? parent.children : roots).push(node);
          suites.push(node);
        } else if (name === "testcase") {
          let suite = suites[suites.length - 1];
          if (!suite) {
            orphans ??= { path: ["(no suite)"], attributes: new Map(), counts: {}, cases: 0, children: [] };
            suite = orphans;
          }
          testcase = { outcome: "passed", suite };
          failures.openTestcase(attributes, suite.path, suite.attributes);
        } else if (testcase && OUTCOME_OF[name] !== undefined) {
          const outcome = OUTCOME_OF[name] as Outcome;
          if (OUTCOME_RANK[outcome] > OUTCOME_RANK[testcase.outcome]) testcase.outcome = outcome;
          if (outcome === "failed" || outcome === "errored") failures.openOutcome(outcome, attributes);
        }
      },
      close(rawName) {
        const name = localName(rawName);
        if (name === "testsuite") suites.pop();
        else if (name === "failure" || name === "error") failures.closeOutcome();
        else if (name === "testcase" && testcase) {
          failures.closeTestcase();
          const { suite, outcome } = testcase;
          suite.cases++;
          suite.counts[outcome] = (suite.counts[outcome] ?? 0) + 1;
          testcase = undefined;
        }
      },
    });
  } catch (error) {
    if (error instanceof XmlError) throw new JUnitError(file, `not well-formed XML (${error.message})`);
    throw error;
  }
  if (rootName !== "testsuites" && rootName !== "testsuite") {
    throw new JUnitError(
      file,
      `not a JUnit report: the root element is <${rootName}>, not <testsuites> or <testsuite>`,
    );
  }
  if (orphans) roots.push(orphans);

  const collector = new SuiteCollector();
  for (const root of roots) collect(root, collector);
  const report = collector.report();
  if (roots.length === 0) report.totals = attributeCounts(rootAttributes);
  return { ...report, failures: failures.report() };
}

export async function readJUnitXml(path: string, file = path): Promise<JUnitReport> {
  const bytes = await readFile(path);
  if (bytes.length > MAX_JUNIT_BYTES) {
    throw new JUnitError(file, `the report is ${bytes.length} bytes, over the ${MAX_JUNIT_BYTES} byte limit`);
  }
  return parseJUnitXml(bytes.toString("utf8"), file);
}

// Depth-first, parents before children, each with its cumulative counts. Recursion is bounded by the
// tokenizer's nesting limit.
function collect(node: SuiteNode, collector: SuiteCollector): { counts: TestCounts; cases: number } {
  // Reserve the parent's place first so that suites come out in document order; its cumulative
  // counts are added once the children are known.
  collector.add(node.path, {});
  const counts = addCounts({}, node.counts);
  let cases = node.cases;
  for (const child of node.children) {
    const sub = collect(child, collector);
    addCounts(counts, sub.counts);
    cases += sub.cases;
  }
  const own = cases > 0 ? withTotal(counts) : attributeCounts(node.attributes);
  const time = seconds(node.attributes.get("time"));
  if (time !== undefined) own.duration_seconds = time;
  collector.add(node.path, own);
  const { duration_seconds: _, ...forParent } = own;
  return { counts: forParent, cases: cases > 0 ? cases : (own.total ?? 0) };
}

function withTotal(counts: TestCounts): TestCounts {
  const total = (counts.passed ?? 0) + (counts.failed ?? 0) + (counts.errored ?? 0) + (counts.skipped ?? 0);
  return {
    passed: counts.passed ?? 0,
    failed: counts.failed ?? 0,
    errored: counts.errored ?? 0,
    skipped: counts.skipped ?? 0,
    total,
  };
}

/** A suite's own attributes, for reports that list suites without their testcases. */
function attributeCounts(attributes: ReadonlyMap<string, string>): TestCounts {
  const tests = count(attributes.get("tests"));
  const failed = count(attributes.get("failures")) ?? 0;
  const errored = count(attributes.get("errors")) ?? 0;
  const skipped = count(attributes.get("skipped") ?? attributes.get("disabled")) ?? 0;
  if (tests === undefined) return {};
  return { passed: Math.max(0, tests - failed - errored - skipped), failed, errored, skipped, total: tests };
}

function count(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d{1,15}\s*$/.test(text)) return undefined;
  return Number(text);
}

function seconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim().replace(/,/g, ""));
  return text.trim() !== "" && Number.isFinite(n) && n >= 0 ? roundSeconds(n) : undefined;
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}
