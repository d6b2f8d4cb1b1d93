// A run's verdicts as the page shows them, wherever it shows them: the header, the summary cards and the
// runs tables all call these, so that none can say something another does not. The benchmarks' verdict
// comes from render/benchmark-assessment, as in the comment, the statuses and the badges.
import type { HpcResults } from "../contract/types.js";
import { type BenchmarksAssessment, benchmarksHeadline } from "../render/benchmark-assessment.js";
import { escapeHtml as h } from "../render/escape.js";
import { formatCounts } from "../render/run-table.js";
import { statusPill } from "./markup.js";

/** The tests' status and counts, or "" when the run has no tests section. */
export function testsVerdict(run: HpcResults): string {
  const tests = run.tests;
  if (!tests) return "";
  const counts = tests.totals ? ` ${h(formatCounts(tests.totals))}` : "";
  return `<span class="verdict-tests">${statusPill(tests.status)}${counts}</span>`;
}

/** The benchmarks' verdict and headline ("failed 1 regression"), or "" when none were reported. */
export function benchmarksVerdict(b: BenchmarksAssessment): string {
  if (!b.reported) return "";
  return `<span class="verdict-benchmarks">${statusPill(b.verdict)} ${h(benchmarksHeadline(b))}</span>`;
}
