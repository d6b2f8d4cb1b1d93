// index.html of a pages folder: the newest run and trends over the history, in one self-contained file.
// Every string from the data goes through escapeHtml (text and attributes) or jsonForScript; links are
// built only from a checked repository name and commit ids, which the contract restricts to hex digits.
import type { PageBadge } from "../badges/endpoints.js";
import { PAGE_BADGES, signedPercent } from "../badges/endpoints.js";
import type { HpcResults, ShieldsEndpoint, TestCounts } from "../contract/types.js";
import { escapeHtml as h, jsonForScript } from "../render/escape.js";
import { formatCounts, formatDuration, formatInteger, formatTimestamp } from "../render/run-table.js";
import { assessBenchmarks } from "../render/benchmark-assessment.js";
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLE } from "./assets.js";
import { benchmarkTrends, benchmarksCardBody, benchmarksTable } from "./benchmarks.js";
import { legend, lineChart, type Series } from "./charts.js";
import { headlineRuns } from "./history.js";
import { Links, chartCard, day, statusPill, table } from "./markup.js";

export interface DashboardOptions {
  /** owner/name, for links to commits; checked by the caller. */
  repository?: string;
  serverUrl?: string;
  /** The badges beside the page, for the images' text. */
  endpoints: Record<PageBadge, ShieldsEndpoint>;
  staleAfterSeconds: number;
  /** For runs without the judge's verdicts (see render/benchmark-assessment). */
  regressionThresholdPct?: number;
  /**
   * The repository's default branch: the newest run and the trends are its runs only, while the runs table
   * lists every branch (the branch view). Undefined: every run counts.
   */
  defaultBranch?: string;
}

function when(run: HpcResults): string {
  return formatTimestamp(run.generated_at) ?? "unknown time";
}

function failedCount(totals: TestCounts): number {
  return (totals.failed ?? 0) + (totals.errored ?? 0);
}

function facts(run: HpcResults, links: Links, options: DashboardOptions): string {
  const hpc = run.hpc ?? {};
  const rows: Array<[string, string | undefined]> = [
    ["Commit", links.commit(run.commit, 40)],
    ["Branch", run.branch !== undefined ? h(run.branch) : undefined],
    ["Tag", typeof run.tag === "string" ? h(run.tag) : undefined],
    [
      "Run at",
      `${h(when(run))} <span class="age" data-time="${h(run.generated_at ?? "")}" data-stale-after="${options.staleAfterSeconds}"></span>`,
    ],
    ["Cluster", hpc.cluster ? h(hpc.cluster) : undefined],
    ["Scheduler", hpc.scheduler ? h(hpc.scheduler) : undefined],
    ["Partition", hpc.partition ? h(hpc.partition) : undefined],
    ["Account", hpc.account ? h(hpc.account) : undefined],
    ["Job", hpc.job_id ? h(hpc.job_id) : undefined],
    ["Pipeline", hpc.pipeline_id ? h(hpc.pipeline_id) : undefined],
    ["Node", hpc.node ? h(hpc.node) : undefined],
    ["Nodes", hpc.nodes !== undefined ? h(String(hpc.nodes)) : undefined],
    ["CPUs", hpc.cpus !== undefined ? h(String(hpc.cpus)) : undefined],
    [
      "Walltime",
      hpc.walltime_seconds !== undefined
        ? h(
            formatDuration(hpc.walltime_seconds) +
              (hpc.time_limit_seconds !== undefined ? ` of ${formatDuration(hpc.time_limit_seconds)}` : ""),
          )
        : undefined,
    ],
    ["Julia", hpc.julia_version ? h(hpc.julia_version) : undefined],
    [
      "Versions",
      hpc.runtime_versions && Object.keys(hpc.runtime_versions).length > 0
        ? Object.entries(hpc.runtime_versions)
            .map(([k, v]) => `${h(k)} ${h(v)}`)
            .join(", ")
        : undefined,
    ],
  ];
  return `<dl class="facts">${rows
    .filter((r): r is [string, string] => r[1] !== undefined)
    .map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`)
    .join("")}</dl>`;
}

function summaryCards(run: HpcResults, options: DashboardOptions): string {
  const tests = run.tests;
  const testsBody = tests
    ? `<p>${statusPill(tests.status)} ${tests.totals ? h(formatCounts(tests.totals)) : ""}</p>` +
      (tests.duration_seconds !== undefined
        ? `<p class="muted">in ${h(formatDuration(tests.duration_seconds))}</p>`
        : "") +
      (tests.reason ? `<p class="muted">${h(tests.reason)}</p>` : "")
    : `<p class="muted">not reported</p>`;
  const cov = run.coverage;
  const coverageBody = cov
    ? `<p class="big">${h(cov.coverage_percent.toFixed(1))}%</p>` +
      (cov.total_lines !== undefined
        ? `<p class="muted">${h(formatInteger(cov.covered_lines ?? 0))} of ${h(formatInteger(cov.total_lines))} lines</p>`
        : "") +
      (cov.flag ? `<p class="muted">flag ${h(cov.flag)}</p>` : "")
    : `<p class="muted">${cov === null ? "not measured" : "not reported"}</p>`;
  const benchBody = benchmarksCardBody(run, options);
  return (
    `<div class="cards">` +
    `<div class="card" id="card-tests"><h3>Tests</h3>${testsBody}</div>` +
    `<div class="card" id="card-coverage"><h3>Coverage</h3>${coverageBody}</div>` +
    `<div class="card" id="card-benchmarks"><h3>Benchmarks</h3>${benchBody}</div>` +
    `</div>`
  );
}

function suitesTable(run: HpcResults): string {
  const suites = run.tests?.suites;
  if (!suites || Object.keys(suites).length === 0) return "";
  const keys = ["passed", "failed", "errored", "broken", "skipped"] as const;
  const rows = Object.entries(suites)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, c]) => [h(name), ...keys.map((k) => (c[k] === undefined ? "" : h(formatInteger(c[k]!))))]);
  return `<h3>Test suites</h3>${table(["Suite", ...keys], rows, [false, true, true, true, true, true])}`;
}

function trends(oldestFirst: HpcResults[]): string {
  const xLabels: [string, string] = [day(oldestFirst[0]!), day(oldestFirst.at(-1)!)];
  const coverage = oldestFirst.map((r) => r.coverage?.coverage_percent ?? null);
  const withTotals = oldestFirst.map((r) => r.tests?.totals);
  const cards: string[] = [];
  if (coverage.some((v) => v !== null)) {
    cards.push(
      chartCard(
        "Coverage",
        lineChart([{ key: "coverage", label: "coverage", values: coverage }], {
          title: "Line coverage per run, in percent",
          format: (v) => `${v.toFixed(1)}%`,
          bounds: [0, 100],
          xLabels,
          readouts: coverage.map((v) => (v === null ? "" : `${v.toFixed(2)}% coverage`)),
        }),
      ),
    );
  }
  if (withTotals.some((t) => t !== undefined)) {
    const series: Series[] = [
      { key: "passed", label: "passed", values: withTotals.map((t) => (t ? (t.passed ?? 0) : null)) },
      {
        key: "failed",
        label: "failed or errored",
        values: withTotals.map((t) => (t ? failedCount(t) : null)),
      },
    ];
    cards.push(
      chartCard(
        "Tests",
        lineChart(series, {
          title: "Passed and failed tests per run",
          format: (v) => formatInteger(v),
          yMin: 0,
          xLabels,
          readouts: withTotals.map((t) => (t ? formatCounts(t) : "")),
        }),
        legend(series),
      ),
    );
  }
  if (cards.length === 0) return `<p class="muted">No coverage or test counts in the history yet.</p>`;
  return `<div class="charts">${cards.join("")}</div>`;
}

function runsTable(newestFirst: HpcResults[], links: Links, options: DashboardOptions): string {
  const rows = newestFirst.map((r) => {
    const bench = assessBenchmarks(r.benchmarks, options);
    const worst = bench.worst?.pct;
    return [
      links.commit(r.commit),
      r.branch !== undefined ? h(r.branch) : "",
      `<span class="nowrap">${h(when(r).replace(/:\d\d UTC$/, " UTC"))}</span>`,
      `${r.tests ? statusPill(r.tests.status) : ""} ${r.tests?.totals ? h(formatCounts(r.tests.totals)) : ""}`,
      r.coverage ? h(`${r.coverage.coverage_percent.toFixed(1)}%`) : "",
      bench.reported ? statusPill(bench.verdict) : "",
      typeof worst === "number" ? h(signedPercent(worst)) : "",
    ];
  });
  return table(["Commit", "Branch", "Run at", "Tests", "Coverage", "Benchmarks", "Worst change"], rows, [
    false,
    false,
    false,
    false,
    true,
    false,
    true,
  ]);
}

/** The page for `runs` (newest first, at least one). Same input, same bytes: nothing here depends on the clock. */
export function renderDashboard(runs: HpcResults[], options: DashboardOptions): string {
  if (runs.length === 0) throw new Error("renderDashboard needs at least one run");
  const branch = options.defaultBranch;
  const headline = headlineRuns(runs, branch);
  const newest = headline[0];
  const links = new Links(
    options.repository,
    (options.serverUrl ?? "https://github.com").replace(/\/+$/, ""),
  );
  const oldestFirst = [...headline].reverse();
  const data = {
    runs: oldestFirst.map((r) => ({
      commit: r.commit,
      date: (formatTimestamp(r.generated_at) ?? "unknown time").replace(/:\d\d UTC$/, " UTC"),
      branch: r.branch ?? "",
    })),
  };
  const badges = PAGE_BADGES.map((stem) => {
    const e = options.endpoints[stem];
    return `<img src="${stem}.svg" alt="${h(`${e.label}: ${e.message}`)}">`;
  }).join("");
  const title = `HPC results${options.repository ? ` · ${options.repository}` : ""}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>HPC results${links.repositoryLink()}</h1>
<p class="badges">${badges}</p>
</header>
<main>
<section id="newest">
<h2>Newest run${branch === undefined ? "" : ` of ${h(branch)}`}</h2>
${
  newest
    ? `${facts(newest, links, options)}
${summaryCards(newest, options)}
${suitesTable(newest)}
${benchmarksTable(newest, links, options)}`
    : `<p class="muted">No run of ${h(branch ?? "")} yet: the badges wait for one. Runs of other branches are listed under Runs.</p>`
}
</section>
${
  newest
    ? `<section id="trends">
<h2>Trends over ${headline.length} ${headline.length === 1 ? "run" : "runs"}${branch === undefined ? "" : ` of ${h(branch)}`}</h2>
${trends(oldestFirst)}
</section>
<section id="benchmarks">
<h2>Benchmarks</h2>
${benchmarkTrends(oldestFirst, options)}
</section>`
    : ""
}
<section id="runs">
<h2>Runs${branch === undefined ? "" : " of every branch"}</h2>
${runsTable(runs, links, options)}
</section>
</main>
<footer>Rendered by hpc-ci-actions render-badges. Data: <a href="history.json">history.json</a>; badges: ${PAGE_BADGES.map((s) => `<a href="${s}.json">${s}.json</a>`).join(", ")}.</footer>
<script type="application/json" id="hpc-data">${jsonForScript(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
