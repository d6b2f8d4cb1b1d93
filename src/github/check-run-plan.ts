// The check runs of an HPC run: `<prefix>/tests` (always, unless skipped sections are off), and
// `<prefix>/benchmarks` and `<prefix>/coverage` where those ran. Conclusions and titles come from the same
// section statuses as the commit statuses (statuses.ts), so both can never disagree; summaries reuse the
// comment's renderers; each failure with a file and line becomes an annotation there.
import type { HpcResults, TestFailure, TestsSection } from "../contract/types.js";
import type { Assessment } from "../render/assessment.js";
import { benchmarksBlocks } from "../render/benchmark-table.js";
import { type Block, fit } from "../render/blocks.js";
import { escapeGitHubText, neutralizeInvisible, plainLine, truncateUtf8Bytes } from "../render/escape.js";
import { STATUS_ICON, formatInteger } from "../render/run-table.js";
import { markdownUrl } from "../render/summary-body.js";
import { type SourceLinks, failureList, testSetTable } from "../render/test-report.js";
import {
  type CheckAnnotation,
  type CheckConclusion,
  type CheckRunSpec,
  CHECK_OUTPUT_BYTES,
} from "./check-runs.js";
import { type SectionName, type SectionStatus, sectionStatuses } from "./statuses.js";

export interface CheckRunPlanOptions {
  /** Names are `<prefix>/tests` and so on, as the status contexts. */
  prefix: string;
  /** A tests section that did not run: a `skipped` check run saying so, or none (`off`). */
  skipped: "success" | "off";
  /** The dashboard, else the workflow run: the check run's "details" link. */
  detailsUrl?: string;
  /** Where failures' files are, to link `file:line` to the tested commit. */
  sources: SourceLinks;
  /** The newest run of the base branch, for the change of each test set's counts. */
  baseTests?: TestsSection;
  links?: { dashboard?: string; rawResults?: string };
}

/** Check runs always shown even when their section did not run; the others only where it ran. */
const ALWAYS: readonly SectionName[] = ["tests"];

export function planCheckRuns(
  run: HpcResults,
  assessment: Assessment,
  options: CheckRunPlanOptions,
): CheckRunSpec[] {
  const specs: CheckRunSpec[] = [];
  for (const [section, status] of sectionStatuses(assessment)) {
    const skipped = "skipped" in status;
    if (skipped && (!ALWAYS.includes(section) || options.skipped === "off")) continue;
    const title = titleOf(status);
    const blocks: Block[] = [`### ${STATUS_ICON[iconOf(status)]} ${escapeGitHubText(title, 300)}`];
    if (section === "tests" && run.tests && !skipped) blocks.push(...testsBlocks(run.tests, options));
    if (section === "benchmarks") blocks.push(...benchmarksBlocks(assessment.benchmarks).slice(1));
    blocks.push(linksLine(options.links ?? {}));
    specs.push({
      name: `${options.prefix}/${section}`,
      headSha: run.commit,
      conclusion: conclusionOf(status),
      ...(options.detailsUrl ? { detailsUrl: options.detailsUrl } : {}),
      output: {
        title,
        summary: fitBytes(
          blocks.filter((b) => b !== ""),
          CHECK_OUTPUT_BYTES,
        ),
        ...(section === "tests" && run.tests ? { annotations: failureAnnotations(run.tests) } : {}),
      },
    });
  }
  return specs;
}

function conclusionOf(status: SectionStatus): CheckConclusion {
  if ("skipped" in status) return "skipped";
  return status.state === "success" ? "success" : "failure";
}

function iconOf(status: SectionStatus): string {
  if ("skipped" in status) return "skipped";
  return status.state === "success" ? "passed" : "failed";
}

function titleOf(status: SectionStatus): string {
  return plainLine("skipped" in status ? `Skipped: ${status.skipped}` : status.description);
}

function testsBlocks(tests: TestsSection, options: CheckRunPlanOptions): Block[] {
  const blocks: Block[] = [testSetTable(tests, options.baseTests)];
  const failures = tests.failures ?? [];
  if (failures.length > 0) {
    const total = Math.max(tests.failures_total ?? 0, failures.length);
    const listed = total > failures.length ? `the first ${formatInteger(failures.length)} of ` : "";
    blocks.push(`#### Failures (${listed}${formatInteger(total)})`, failureList(tests, options.sources));
  }
  if ((tests.flaky ?? []).length > 0) {
    blocks.push(
      "#### Flaky: failed in an earlier run of this commit, passed in this one",
      failureList({ ...tests, failures: tests.flaky }, options.sources),
    );
  }
  return blocks;
}

function linksLine(links: { dashboard?: string; rawResults?: string }): string {
  const parts: string[] = [];
  if (links.dashboard) parts.push(`[Dashboard](${markdownUrl(links.dashboard)})`);
  if (links.rawResults) parts.push(`[Raw results](${markdownUrl(links.rawResults)})`);
  return parts.join(" · ");
}

/** `fit` counts characters; GitHub counts the summary's UTF-8 bytes: shrink the budget until it fits. */
function fitBytes(blocks: Block[], maxBytes: number): string {
  const holds = `a check run's summary holds at most ${formatInteger(maxBytes)} bytes`;
  let budget = maxBytes;
  for (let attempt = 0; attempt < 6; attempt++) {
    const text = fit(blocks, budget, holds);
    const size = Buffer.byteLength(text);
    if (size <= maxBytes) return text;
    budget = Math.floor((budget * maxBytes) / size) - 64;
  }
  return truncateUtf8Bytes(fit(blocks, budget, holds), maxBytes);
}

/**
 * An annotation at each failure's file and line (the failures of this run, then those that passed in this
 * run after failing in an earlier one); flaky ones are warnings. Failures without a file are in the summary.
 */
export function failureAnnotations(tests: TestsSection): CheckAnnotation[] {
  const flaky = (tests.flaky ?? []).map((f) => ({ ...f, flaky: true }));
  return [...(tests.failures ?? []), ...flaky].flatMap((f) =>
    f.file && f.line ? [annotation(f as TestFailure & { file: string; line: number })] : [],
  );
}

function annotation(f: TestFailure & { file: string; line: number }): CheckAnnotation {
  const what = f.kind === "errored" ? "Error during test" : "Test failed";
  const set = f.testset?.length ? f.testset.join(" / ") : "";
  const lines = [
    f.expression ? `Expression: ${f.expression}` : "",
    f.evaluated ? `Evaluated: ${f.evaluated}` : "",
    f.message ?? "",
    f.flaky ? "Flaky: another run of this commit passed this test." : "",
  ].filter(Boolean);
  // Annotations are shown as plain text: no escaping, only the invisible characters made visible.
  const message = neutralizeInvisible(lines.join("\n") || what);
  return {
    path: f.file,
    start_line: f.line,
    end_line: f.line,
    annotation_level: f.flaky ? "warning" : "failure",
    title: neutralizeInvisible([what, set, f.name].filter(Boolean).join(": ")),
    message,
    raw_details: neutralizeInvisible(
      [`${what} at ${f.file}:${f.line}`, set ? `Test set: ${set}` : "", ...lines].filter(Boolean).join("\n"),
    ),
  };
}
