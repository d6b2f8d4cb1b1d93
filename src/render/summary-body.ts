// The Markdown of the pull-request comment and the job summary: one status line, tests by suite, coverage
// against the base branch, benchmarks, provenance and links. Every string from the data goes through
// escapeGitHubText; the whole stays within a character budget by cutting table rows, saying so.
import type { BenchmarkResult, HpcResults, TestCounts } from "../contract/types.js";
import {
  type Assessment,
  type BenchmarkChange,
  type BenchmarksAssessment,
  type CoverageAssessment,
  type TestsAssessment,
  type Verdict,
  byChangeDescending,
} from "./assessment.js";
import { escapeGitHubText as text } from "./escape.js";
import {
  formatBytes,
  formatCounts,
  formatDuration,
  formatInteger,
  formatMilliseconds,
  formatTimestamp,
  signed,
  truthWarnings,
} from "./run-table.js";

/** GitHub refuses issue comments longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface SummaryLinks {
  dashboard?: string;
  workflowRun?: string;
  rawResults?: string;
}

export interface SummaryBodyInput {
  run: HpcResults;
  assessment: Assessment;
  links?: SummaryLinks;
  /** At most this many characters (UTF-16 units, never fewer than GitHub's count). Default 65,536. */
  maxCharacters?: number;
}

/** Tables longer than this are folded into <details>. */
const FOLD_ROWS = 10;
/** Names (suites, benchmarks) are cut to this many characters before escaping. */
const NAME_CHARACTERS = 160;

const ICON: Record<Verdict, string> = { passed: "✅", failed: "❌", skipped: "⏭️" };

interface Table {
  header: string[];
  rows: string[];
  /** What a row is, plural ("benchmarks"), for the line that says rows were cut. */
  noun: string;
  /** Summary text of the <details> that folds the table, when it is folded. */
  fold?: string;
}

type Block = string | Table;

export function renderSummaryBody(input: SummaryBodyInput): string {
  const max = input.maxCharacters ?? GITHUB_COMMENT_LIMIT;
  const { run, assessment } = input;
  const blocks: Block[] = [
    statusLine(assessment),
    originLine(run),
    ...truthBlocks(run),
    ...testsBlocks(run, assessment.tests),
    ...coverageBlocks(assessment.coverage),
    ...benchmarksBlocks(run, assessment.benchmarks),
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
  return `### ${ICON[a.overall]} HPC CI ${a.overall}: ${parts.join(" · ")}`;
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
  const heading = `#### Tests ${t.reported ? `${ICON[t.verdict]} ${t.verdict}` : "not reported"}`;
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

// --- benchmarks --------------------------------------------------------------------------------------------

function benchmarksBlocks(run: HpcResults, b: BenchmarksAssessment): Block[] {
  const word = b.reported ? `${ICON[b.verdict]} ${b.verdict}` : "not reported";
  const heading = `#### Benchmarks ${word}`;
  if (!b.reported) return [heading, "This run says nothing about benchmarks."];
  const facts = [
    b.count > 0 ? `${formatInteger(b.count)} benchmark${b.count === 1 ? "" : "s"}` : "",
    b.worst && b.worst.pct !== null ? `worst change ${signed(b.worst.pct)}` : "",
    `marked past ${signed(b.thresholdPct)}`,
    formatDuration(b.durationSeconds),
  ].filter(Boolean);
  const blocks: Block[] = [heading];
  const status = b.status && b.status !== b.verdict ? `the run itself reports ${b.status}` : "";
  blocks.push([facts.join(" · "), status, b.reason ? text(b.reason, 300) : ""].filter(Boolean).join(" · "));
  if (b.regressions.length > 0) {
    const listed = b.regressions.slice(0, 5).map((r) => `${text(r.name, 80)} ${changeText(r.pct)}`);
    const more =
      b.regressions.length > listed.length
        ? `, and ${formatInteger(b.regressions.length - listed.length)} more`
        : "";
    blocks.push(`⚠️ ${formatInteger(b.regressions.length)} past the threshold: ${listed.join(", ")}${more}`);
  }
  const results = Object.entries(run.benchmarks?.results ?? {});
  if (results.length === 0) return blocks;
  const entries = results
    .map(([name, r]): [BenchmarkChange, BenchmarkResult] => [
      { name, pct: typeof r.delta_vs_baseline_pct === "number" ? r.delta_vs_baseline_pct : null },
      r,
    ])
    // Slowest change first, so that a cut table still shows the regressions.
    .sort(([a], [c]) => byChangeDescending(a, c));
  const flagged = new Set(b.regressions.map((r) => r.name));
  const rows = entries.map(
    ([change, r]) =>
      `| ${text(change.name, NAME_CHARACTERS)} | ${formatMilliseconds(r.median_ms)} | ${changeText(change.pct)}${flagged.has(change.name) ? " ⚠️" : ""} | ${formatBytes(r.memory_bytes)} | ${typeof r.allocs === "number" ? formatInteger(r.allocs) : ""} |`,
  );
  blocks.push({
    header: ["| Benchmark | Median | Change | Memory | Allocations |", "| --- | ---: | ---: | ---: | ---: |"],
    rows,
    noun: "benchmarks",
    fold:
      rows.length > FOLD_ROWS
        ? `All ${formatInteger(rows.length)} benchmarks, slowest change first`
        : undefined,
  });
  return blocks;
}

function changeText(pct: number | null): string {
  return pct === null ? "n/a" : signed(pct);
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

// --- staying within the budget -----------------------------------------------------------------------------

function renderTable(table: Table, rows: string[], cutLine: string | undefined): string {
  const lines = [...table.header, ...rows].join("\n");
  const body = cutLine ? `${lines}\n\n${cutLine}` : lines;
  return table.fold ? `<details><summary>${table.fold}</summary>\n\n${body}\n\n</details>` : body;
}

function cutLine(table: Table, cut: number): string {
  return (
    `_… ${formatInteger(cut)} more ${table.noun} not shown: a comment holds at most ` +
    `${formatInteger(GITHUB_COMMENT_LIMIT)} characters. The raw results have them all._`
  );
}

function join(blocks: Block[], render: (t: Table) => string): string {
  return blocks.map((b) => (typeof b === "string" ? b : render(b))).join("\n\n");
}

/** Joins the blocks; when that is too long, keeps as many table rows as fit and says how many were cut. */
function fit(blocks: Block[], max: number): string {
  const full = join(blocks, (t) => renderTable(t, t.rows, undefined));
  if (full.length <= max) return full;

  const tables = blocks.filter((b): b is Table => typeof b !== "string");
  // The body without any rows, each table with the longest cut line it could need.
  const skeleton = join(blocks, (t) => renderTable(t, [], cutLine(t, t.rows.length)));
  let available = max - skeleton.length;
  const kept = new Map<Table, number>(tables.map((t) => [t, 0]));
  // First each table its fair share, then whatever is left in order, so that one long table cannot starve
  // the others.
  const take = (table: Table, budget: number): number => {
    let used = 0;
    let n = kept.get(table)!;
    while (n < table.rows.length && used + table.rows[n]!.length + 1 <= budget) {
      used += table.rows[n]!.length + 1;
      n++;
    }
    kept.set(table, n);
    return used;
  };
  const share = Math.floor(Math.max(0, available) / Math.max(1, tables.length));
  for (const t of tables) available -= take(t, share);
  for (const t of tables) available -= take(t, Math.max(0, available));

  const body = join(blocks, (t) => {
    const n = kept.get(t)!;
    return renderTable(t, t.rows.slice(0, n), n < t.rows.length ? cutLine(t, t.rows.length - n) : undefined);
  });
  if (body.length <= max) return body;
  // Only reachable if the parts without tables alone are too long, which their bounded strings prevent.
  const notice = "\n\n_… cut here: a comment holds at most this many characters._";
  return body.slice(0, Math.max(0, max - notice.length)).replace(/[\ud800-\udbff]$/, "") + notice;
}
