// One view per branch: its trends and its runs, never another branch's. The default branch's view is the
// page's own; every other branch gets a view of its own, folded and labelled with the branch's name.
import type { HpcResults } from "../contract/types.js";
import { type BenchmarkRuleOptions, assessBenchmarks } from "../render/benchmark-assessment.js";
import { escapeHtml as h } from "../render/escape.js";
import { formatCounts, formatInteger, formatTimestamp } from "../render/run-table.js";
import { signedPercent } from "../badges/endpoints.js";
import { type RunLabel, type Series, legend, lineChart } from "./charts.js";
import { Links, chartCard, day, table } from "./markup.js";
import { benchmarksVerdict, testsVerdict } from "./verdicts.js";

export interface BranchView {
  /** The branch's name; undefined for runs that name none. */
  branch: string | undefined;
  /** Newest first, in the order they were published. */
  runs: HpcResults[];
}

/** The branch's name as the page says it. */
export function branchName(view: BranchView): string {
  return view.branch === undefined ? "runs without a branch" : view.branch;
}

/**
 * The history (newest first) cut by branch: the main view is the default branch's (or, with none known, the
 * newest run's branch), the others follow by their newest run.
 */
export function branchViews(
  history: HpcResults[],
  defaultBranch: string | undefined,
): { main: BranchView; others: BranchView[] } {
  const main = defaultBranch ?? history[0]?.branch;
  const byBranch = new Map<string | undefined, HpcResults[]>();
  for (const run of history) byBranch.set(run.branch, [...(byBranch.get(run.branch) ?? []), run]);
  const others = [...byBranch.entries()]
    .filter(([branch]) => branch !== main)
    .map(([branch, runs]) => ({ branch, runs }));
  return { main: { branch: main, runs: byBranch.get(main) ?? [] }, others };
}

export function runLabels(oldestFirst: HpcResults[]): RunLabel[] {
  return oldestFirst.map((r) => ({ date: day(r), commit: r.commit }));
}

export function xTitle(view: BranchView): string {
  return `Runs of ${branchName(view)}, oldest left, in the order they were published (date, commit)`;
}

const failedCount = (t: { failed?: number; errored?: number }) => (t.failed ?? 0) + (t.errored ?? 0);

/** Coverage and test counts over the view's runs. */
export function trendCharts(view: BranchView): string {
  const oldestFirst = [...view.runs].reverse();
  const runs = runLabels(oldestFirst);
  const coverage = oldestFirst.map((r) => r.coverage?.coverage_percent ?? null);
  const totals = oldestFirst.map((r) => r.tests?.totals);
  const name = branchName(view);
  const cards: string[] = [];
  if (coverage.some((v) => v !== null)) {
    const chart = lineChart([{ key: "coverage", label: "coverage", values: coverage }], {
      title: `Line coverage of ${name} per run, in percent`,
      yTitle: "Line coverage, %",
      xTitle: xTitle(view),
      unit: { kind: "percent" },
      bounds: [0, 100],
      runs,
      readouts: coverage.map((v) => (v === null ? "" : `${v.toFixed(2)}% coverage`)),
    });
    cards.push(chartCard("Coverage", chart));
  }
  if (totals.some((t) => t !== undefined)) {
    const series: Series[] = [
      { key: "passed", label: "passed", values: totals.map((t) => (t ? (t.passed ?? 0) : null)) },
      { key: "failed", label: "failed or errored", values: totals.map((t) => (t ? failedCount(t) : null)) },
    ];
    const chart = lineChart(series, {
      title: `Passed and failed tests of ${name} per run`,
      yTitle: "Tests, count",
      xTitle: xTitle(view),
      unit: { kind: "count" },
      from: 0,
      runs,
      readouts: totals.map((t) => (t ? formatCounts(t) : "")),
    });
    cards.push(chartCard("Tests", chart, legend(series)));
  }
  if (cards.length === 0) return `<p class="muted">No coverage or test counts in the history yet.</p>`;
  return `<div class="charts">${cards.join("")}</div>`;
}

const when = (r: HpcResults) =>
  (formatTimestamp(r.generated_at) ?? "unknown time").replace(/:\d\d UTC$/, " UTC");

/** The view's runs, newest first, with the same verdicts as the header and the cards. */
export function runsTable(view: BranchView, links: Links, options: BenchmarkRuleOptions): string {
  const rows = view.runs.map((r) => {
    const bench = assessBenchmarks(r.benchmarks, options);
    const worst = bench.worst?.pct;
    return [
      links.commit(r.commit),
      `<span class="nowrap">${h(when(r))}</span>`,
      testsVerdict(r),
      r.coverage ? h(`${r.coverage.coverage_percent.toFixed(1)}%`) : "",
      benchmarksVerdict(bench),
      typeof worst === "number" ? h(signedPercent(worst)) : "",
    ];
  });
  return table(["Commit", "Run at", "Tests", "Coverage", "Benchmarks", "Worst change"], rows, [
    false,
    false,
    false,
    true,
    false,
    true,
  ]);
}

/** The other branches, each folded under its name with its own charts and runs. */
export function otherBranches(others: BranchView[], links: Links, options: BenchmarkRuleOptions): string {
  if (others.length === 0) return "";
  const views = others.map((view, i) => {
    const newest = view.runs[0]!;
    const count = `${formatInteger(view.runs.length)} ${view.runs.length === 1 ? "run" : "runs"}`;
    return (
      `<details class="branch-view" id="branch-${i + 1}" data-branch="${h(view.branch ?? "")}">` +
      `<summary>Branch <strong class="branch-name">${h(branchName(view))}</strong> · ${count} · newest ${h(when(newest))}</summary>` +
      `<h3>Trends of ${h(branchName(view))}</h3>${trendCharts(view)}` +
      `<h3>Runs of ${h(branchName(view))}</h3>${runsTable(view, links, options)}` +
      `</details>`
    );
  });
  return (
    `<section id="branches"><h2>Other branches</h2>` +
    `<p class="muted">Each branch on its own: its runs never join the trends above. Open one to see it.</p>` +
    views.join("") +
    `</section>`
  );
}

/** Links to each branch's view, the main one first. */
export function branchNav(main: BranchView, others: BranchView[]): string {
  if (others.length === 0) return "";
  const count = (v: BranchView) => `${formatInteger(v.runs.length)} ${v.runs.length === 1 ? "run" : "runs"}`;
  const links = [
    `<a href="#trends" aria-current="true"><strong>${h(branchName(main))}</strong> (${count(main)}, shown)</a>`,
    ...others.map((v, i) => `<a href="#branch-${i + 1}">${h(branchName(v))} (${count(v)})</a>`),
  ];
  return `<nav class="branches" aria-label="Branches">Branches: ${links.join(" ")}</nav>`;
}
