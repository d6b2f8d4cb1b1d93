// The Markdown of the pull-request comment and the job summary: one status line, the tests (what failed,
// then the test sets against the base run), coverage against the base branch, benchmarks, provenance and
// links. A list of blocks: every string from the data is escaped (escapeGitHubText, or code spans for
// names of tests), and the whole stays within a character budget by cutting the least important table
// rows first, saying so.
import type { HpcResults } from "../contract/types.js";
import type { Assessment, CoverageAssessment, TestsAssessment, Verdict } from "./assessment.js";
import { benchmarksBlocks } from "./benchmark-table.js";
import { type Block, GITHUB_COMMENT_LIMIT, fit } from "./blocks.js";
import { escapeGitHubText as text } from "./escape.js";
import { patchCoverageBlocks } from "./patch-coverage.js";
import type { SourceLinks } from "./test-report.js";
import {
  STATUS_ICON,
  formatCounts,
  formatDuration,
  formatInteger,
  formatTimestamp,
  truthWarnings,
} from "./run-table.js";
import { type RepositoryLinks, commitLink, markdownUrl } from "./source-links.js";
import { failureBlocks, testSetBlocks } from "./test-report.js";

export { GITHUB_COMMENT_LIMIT, markdownUrl };

export interface SummaryLinks {
  dashboard?: string;
  workflowRun?: string;
  rawResults?: string;
  /** The repository on GitHub: commits, failing lines and uncovered changed lines become links into it. */
  repository?: RepositoryLinks;
}

export interface SummaryBodyInput {
  run: HpcResults;
  assessment: Assessment;
  links?: SummaryLinks;
  /** At most this many characters (UTF-16 units, never fewer than GitHub's count). Default 65,536. */
  maxCharacters?: number;
}

export function renderSummaryBody(input: SummaryBodyInput): string {
  const max = input.maxCharacters ?? GITHUB_COMMENT_LIMIT;
  const { run, assessment } = input;
  const blocks: Block[] = [
    statusLine(assessment),
    originLine(run, input.links?.repository),
    ...truthBlocks(run),
    ...testsBlocks(run, assessment.tests, input.links?.repository),
    ...coverageBlocks(assessment.coverage, input.links?.repository),
    ...patchCoverageBlocks(assessment.coverage.patch, sourcesOf(run, input.links?.repository), {
      failed: assessment.coverage.patchGateFailure !== undefined,
      note: assessment.coverage.patchGateNote,
    }),
    ...benchmarksBlocks(assessment.benchmarks),
    ...provenanceBlocks(run),
    footer(run, input.links ?? {}),
  ];
  return fit(blocks, max);
}

function statusLine(a: Assessment): string {
  const parts = [
    `tests ${sectionWord(a.tests.verdict, a.tests.reported)}`,
    `benchmarks ${sectionWord(a.benchmarks.verdict, a.benchmarks.reported)}`,
    `coverage ${coverageWord(a.coverage)}`,
  ];
  return `### ${STATUS_ICON[a.overall]} HPC CI ${a.overall}: ${parts.join(" · ")}`;
}

function sectionWord(verdict: Verdict, reported: boolean): string {
  return reported ? verdict : "not reported";
}

function coverageWord(c: CoverageAssessment): string {
  if (typeof c.percent !== "number") return c.percent === null ? "not measured" : "not reported";
  const delta =
    c.deltaPoints !== undefined && c.base
      ? ` (${signedPoints(c.deltaPoints)} points vs ${text(c.base.branch, 100)})`
      : "";
  return `${c.percent.toFixed(2)}%${delta}${c.gateFailure ? " ❌" : ""}`;
}

function signedPoints(points: number): string {
  return `${points > 0 ? "+" : ""}${points.toFixed(2)}`;
}

/** The tested sources, for links to changed lines: the repository at the run's commit. */
function sourcesOf(run: HpcResults, repository: RepositoryLinks | undefined): SourceLinks | undefined {
  return repository && { ...repository, commit: run.commit };
}

function originLine(run: HpcResults, repository: RepositoryLinks | undefined): string {
  const parts = [`Commit ${commitLink(run.commit, repository)}`];
  if (run.branch) parts.push(`branch ${text(run.branch, 100)}`);
  const where = [run.hpc?.cluster, run.hpc?.partition].filter(Boolean).map((s) => text(s!, 80));
  if (where.length > 0) parts.push(`on ${where.join(" / ")}`);
  const when = formatTimestamp(run.generated_at, "minute");
  if (when) parts.push(`finished ${when}`);
  return parts.join(" · ");
}

function truthBlocks(run: HpcResults): string[] {
  const warnings = truthWarnings(run);
  return warnings.length > 0 ? [`⚠️ **Not exactly this commit**: ${warnings.join("; ")}.`] : [];
}

// --- tests -------------------------------------------------------------------------------------------------

function testsBlocks(run: HpcResults, t: TestsAssessment, repository: RepositoryLinks | undefined): Block[] {
  const heading = `#### Tests ${t.reported ? `${STATUS_ICON[t.verdict]} ${t.verdict}` : "not reported"}`;
  if (!t.reported || !run.tests) return [heading, "This run says nothing about tests."];
  const tests = run.tests;
  const sets =
    t.suiteCount > 0 ? `in ${formatInteger(t.suiteCount)} test set${t.suiteCount === 1 ? "" : "s"}` : "";
  const duration = formatDuration(t.durationSeconds);
  const line = [
    [t.totals ? formatCounts(t.totals) : "", sets].filter(Boolean).join(" "),
    duration ? `took ${duration}` : "",
    tests.attempts && tests.attempts > 1 ? `run ${formatInteger(tests.attempts)} times on this commit` : "",
    t.reason ? text(t.reason, 300) : "",
  ]
    .filter(Boolean)
    .join(" · ");
  const blocks: Block[] = [heading];
  if (line) blocks.push(line);
  const links = repository && { ...repository, commit: run.commit };
  blocks.push(...failureBlocks(tests, links));
  const setTables = testSetBlocks(tests, t.base?.tests);
  if (setTables.length > 0) blocks.push(testSetCaption(t, repository), ...setTables);
  return blocks;
}

/** What the numbers of the test-set tables are, and what the changes in parentheses are against. */
function testSetCaption(t: TestsAssessment, repository: RepositoryLinks | undefined): string {
  const what = "Tests per test set; a set's counts include those of the sets nested in it.";
  if (t.base) {
    const when = formatTimestamp(t.base.generatedAt, "minute");
    return (
      `${what} In parentheses: the change against the newest run of ${text(t.base.branch, 100)} ` +
      `(${commitLink(t.base.commit, repository)}${when ? `, ${when}` : ""}); sets it did not have are marked new.`
    );
  }
  return t.baseNote ? `${what} No comparison: ${text(t.baseNote, 300)}.` : what;
}

// --- coverage ----------------------------------------------------------------------------------------------

function coverageBlocks(c: CoverageAssessment, repository: RepositoryLinks | undefined): Block[] {
  const heading = `#### Coverage${c.gateFailure ? " ❌" : ""}`;
  if (typeof c.percent !== "number") {
    return [
      heading,
      c.percent === null ? "Not measured in this run." : "This run says nothing about coverage.",
    ];
  }
  const lines =
    c.totalLines !== undefined
      ? ` (${formatInteger(c.coveredLines ?? 0)} of ${formatInteger(c.totalLines)})`
      : "";
  const parts = [`**${c.percent.toFixed(2)}%** of lines covered${lines}`];
  if (c.base && c.deltaPoints !== undefined) {
    const when = formatTimestamp(c.base.generatedAt, "minute");
    parts.push(
      `**${signedPoints(c.deltaPoints)}** points against the newest run of ${text(c.base.branch, 100)}: ` +
        `${c.base.percent.toFixed(2)}% at ${commitLink(c.base.commit, repository)}${when ? `, ${when}` : ""}`,
    );
  } else if (c.baseNote) {
    parts.push(`No comparison: ${text(c.baseNote, 300)}`);
  }
  const blocks: Block[] = [heading, parts.join(" · ")];
  if (c.gateFailure) blocks.push(`Coverage gate failed: ${text(c.gateFailure, 400)}.`);
  return blocks;
}

// --- provenance and links ----------------------------------------------------------------------------------

function provenanceBlocks(run: HpcResults): Block[] {
  const hpc = run.hpc ?? {};
  const rows: Array<[string, string]> = [];
  const add = (label: string, value: string | undefined) => {
    if (value) rows.push([label, value]);
  };
  add("Cluster", hpc.cluster && text(hpc.cluster, 100));
  add("Partition", hpc.partition && text(hpc.partition, 100));
  add("Scheduler", hpc.scheduler && text(hpc.scheduler, 40));
  add("Job ID", hpc.job_id ? text(hpc.job_id, 60) : "n/a");
  add(
    "Node",
    [
      hpc.node ? text(hpc.node, 100) : "",
      hpc.nodes !== undefined ? `${formatInteger(hpc.nodes)} node(s)` : "",
    ]
      .filter(Boolean)
      .join(", "),
  );
  add("Runtime", runtimeText(run));
  const walltime = formatDuration(hpc.walltime_seconds);
  const limit = formatDuration(hpc.time_limit_seconds);
  add("Walltime", [walltime, limit ? `limit ${limit}` : ""].filter(Boolean).join(", "));
  if (run.generated_by) add("Produced by", text(run.generated_by, 100));
  return [
    `<details><summary>Provenance</summary>\n\n| | |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join("\n")}\n\n</details>`,
  ];
}

function runtimeText(run: HpcResults): string {
  const versions = { ...run.hpc?.runtime_versions };
  if (run.hpc?.julia_version && !versions.julia) versions.julia = run.hpc.julia_version;
  return Object.entries(versions)
    .slice(0, 8)
    .map(([name, version]) => `${text(name, 40)} ${text(String(version), 40)}`)
    .join(", ");
}

function footer(run: HpcResults, links: SummaryLinks): string {
  const parts: string[] = [];
  const when =
    formatTimestamp(run.generated_at, "minute") ?? (run.generated_at && text(run.generated_at, 60));
  if (when) parts.push(`Ran at ${when}`);
  const link = (label: string, url: string | undefined) => {
    if (url) parts.push(`[${label}](${markdownUrl(url)})`);
  };
  link("Dashboard", links.dashboard);
  link("Workflow run", links.workflowRun);
  link("Raw results", links.rawResults);
  return parts.join(" · ");
}
