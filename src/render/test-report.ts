// The tests of a run as Markdown: the test-set table and the named failures. Shared by the pull-request
// comment, the job summary and the `hpc/tests` check run, so that all three say the same.
import type { TestFailure, TestsSection } from "../contract/types.js";
import { escapeGitHubText } from "./escape.js";
import { formatCounts } from "./run-table.js";

/** Where the tested sources are, so that `file:line` can link to the file at the tested commit. */
export interface SourceLinks {
  /** e.g. https://github.com (GITHUB_SERVER_URL). */
  serverUrl: string;
  /** owner/repo */
  repository: string;
  /** The tested commit (full SHA). */
  commit: string;
}

/** A link to `file` at `line` in the tested commit, or undefined when the failure has no file. */
export function sourceUrl(failure: TestFailure, links: SourceLinks): string | undefined {
  if (!failure.file) return undefined;
  const path = failure.file.split("/").map(encodeURIComponent).join("/");
  const anchor = failure.line ? `#L${failure.line}` : "";
  return `${links.serverUrl}/${links.repository}/blob/${links.commit}/${path}${anchor}`;
}

/** Markdown table of the test sets with their counts; `base` adds the change against the base run. */
export function testSetTable(tests: TestsSection, _base?: TestsSection): string {
  const suites = Object.entries(tests.suites ?? {});
  if (suites.length === 0) return "";
  const rows = suites.map(([name, counts]) => `| ${escapeGitHubText(name, 200)} | ${formatCounts(counts)} |`);
  return ["| Test set | Results |", "| --- | --- |", ...rows].join("\n");
}

/** Markdown list of the failures, each with its test set, linked `file:line` and expression. */
export function failureList(tests: TestsSection, links: SourceLinks): string {
  const failures = tests.failures ?? [];
  const lines = failures.map((f) => {
    const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ""}` : "";
    const url = sourceUrl(f, links);
    const place = where ? (url ? ` at [${escapeGitHubText(where, 300)}](${url})` : ` at ${where}`) : "";
    const set = f.testset?.length ? escapeGitHubText(f.testset.join(" / "), 300) : "(top level)";
    return `- ${f.kind}: ${set}${place}${f.flaky ? " (flaky)" : ""}`;
  });
  return lines.join("\n");
}
