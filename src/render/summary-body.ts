// The Markdown of the pull-request comment and the job summary: one status line, tests by suite, coverage
// against the base branch, benchmarks, provenance and links. Every string from the data goes through
// escapeGitHubText; the whole stays within a character budget by cutting table rows, saying so.
import type { HpcResults, TestCounts } from "../contract/types.js";
import type { Assessment, CoverageAssessment, TestsAssessment, Verdict } from "./assessment.js";
import { benchmarksBlocks } from "./benchmark-table.js";
import { type Block, FOLD_ROWS, GITHUB_COMMENT_LIMIT, NAME_CHARACTERS, fit } from "./blocks.js";
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

export { GITHUB_COMMENT_LIMIT };

export interface SummaryLinks {
  dashboard?: string;
  workflowRun?: string;
  rawResults?: string;
  /** The tested sources on GitHub, for links to changed lines. */
  sources?: SourceLinks;
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
    originLine(run),
    ...truthBlocks(run),
    ...testsBlocks(run, assessment.tests),
    ...coverageBlocks(assessment.coverage),
    ...patchCoverageBlocks(assessment.coverage.patch, input.links?.sources, {
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
  const delta = c.deltaPoints !== undefined ? ` (${signedPoints(c.deltaPoints)})` : "";
  return `${c.percent.toFixed(2)}%${delta}${c.gateFailure ? " ❌" : ""}`;
}

function signedPoints(points: number): string {
  return `${points > 0 ? "+" : ""}${points.toFixed(2)}`;
}

function originLine(run: HpcResults): string {
  const parts = [`Commit \`${run.commit}\``];
  if (run.branch) parts.push(`branch ${text(run.branch, 100)}`);
  const where = [run.hpc?.cluster, run.hpc?.partition].filter(Boolean).map((s) => text(s!, 80));
  if (where.length > 0) parts.push(`on ${where.join(" / ")}`);
  const when = formatTimestamp(run.generated_at);
  if (when) parts.push(`finished ${when}`);
  return parts.join(" · ");
}

function truthBlocks(run: HpcResults): string[] {
  const warnings = truthWarnings(run);
  return warnings.length > 0 ? [`⚠️ **Not exactly this commit**: ${warnings.join("; ")}.`] : [];
}

// --- tests -------------------------------------------------------------------------------------------------

const COUNT_COLUMNS = ["passed", "failed", "errored", "broken", "skipped"] as const;

function testsBlocks(run: HpcResults, t: TestsAssessment): Block[] {
  const heading = `#### Tests ${t.reported ? `${STATUS_ICON[t.verdict]} ${t.verdict}` : "not reported"}`;
  if (!t.reported) return [heading, "This run says nothing about tests."];
  const counts = [
    t.totals ? formatCounts(t.totals) : "",
    t.suiteCount > 0 ? `in ${formatInteger(t.suiteCount)} suite${t.suiteCount === 1 ? "" : "s"}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const blocks: Block[] = [heading];
  const line = [counts, formatDuration(t.durationSeconds), t.reason ? text(t.reason, 300) : ""]
    .filter(Boolean)
    .join(" · ");
  if (line) blocks.push(line);
  const suites = Object.entries(run.tests?.suites ?? {});
  if (suites.length === 0) return blocks;
  // Passed, failed and errored always; broken and skipped only when some suite has them.
  const columns = COUNT_COLUMNS.filter(
    (k) => k === "passed" || k === "failed" || k === "errored" || suites.some(([, c]) => (c[k] ?? 0) > 0),
  );
  const failing = (c: TestCounts) => (c.failed ?? 0) + (c.errored ?? 0) > 0;
  // Failing suites first, so that a cut table still shows them.
  suites.sort(
    ([an, a], [bn, b]) => Number(failing(b)) - Number(failing(a)) || (an < bn ? -1 : an > bn ? 1 : 0),
  );
  const rows = suites.map(
    ([name, counts]) =>
      `| ${text(name, NAME_CHARACTERS)} | ${columns.map((k) => countCell(k, counts[k])).join(" | ")} |`,
  );
  blocks.push({
    header: [
      `| Suite | ${columns.map((k) => k[0]!.toUpperCase() + k.slice(1)).join(" | ")} |`,
      `| --- | ${columns.map(() => "---:").join(" | ")} |`,
    ],
    rows,
    noun: "suites",
    fold: rows.length > FOLD_ROWS ? `All ${formatInteger(rows.length)} suites` : undefined,
  });
  return blocks;
}

function countCell(kind: string, value: number | undefined): string {
  const n = value ?? 0;
  return (kind === "failed" || kind === "errored") && n > 0 ? `**${formatInteger(n)}**` : formatInteger(n);
}

// --- coverage ----------------------------------------------------------------------------------------------

function coverageBlocks(c: CoverageAssessment): Block[] {
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
  const parts = [`**${c.percent.toFixed(2)}%** of lines${lines}`];
  if (c.base && c.deltaPoints !== undefined) {
    const when = formatTimestamp(c.base.generatedAt);
    parts.push(
      `**${signedPoints(c.deltaPoints)}** points against the newest run of ${text(c.base.branch, 100)}: ` +
        `${c.base.percent.toFixed(2)}% at \`${c.base.commit.slice(0, 12)}\`${when ? `, ${when}` : ""}`,
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
  const when = formatTimestamp(run.generated_at) ?? (run.generated_at && text(run.generated_at, 60));
  if (when) parts.push(`Ran at ${when}`);
  const link = (label: string, url: string | undefined) => {
    if (url) parts.push(`[${label}](${markdownUrl(url)})`);
  };
  link("Dashboard", links.dashboard);
  link("Workflow run", links.workflowRun);
  link("Raw results", links.rawResults);
  return parts.join(" · ");
}

/** A URL that cannot break out of a Markdown link destination. */
export function markdownUrl(url: string): string {
  return new URL(url).href.replace(
    /[()<> "'`\\]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}
