// index.html of a pages folder: the newest run and trends over the history, in one self-contained file.
// Every string from the data goes through escapeHtml (text and attributes) or jsonForScript; links are
// built only from a checked repository name and commit ids, which the contract restricts to hex digits.
import type { PageBadge } from "../badges/endpoints.js";
import { PAGE_BADGES, signedPercent } from "../badges/endpoints.js";
import type { HpcResults, ShieldsEndpoint, TestCounts } from "../contract/types.js";
import { escapeHtml as h, jsonForScript } from "../render/escape.js";
import {
  formatBytes,
  formatCounts,
  formatDuration,
  formatInteger,
  formatMilliseconds,
  formatTimestamp,
} from "../render/run-table.js";
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLE } from "./assets.js";
import { legend, lineChart, type Series } from "./charts.js";
import { headlineRuns } from "./history.js";

export interface DashboardOptions {
  /** owner/name, for links to commits; checked by the caller. */
  repository?: string;
  serverUrl?: string;
  /** The badges beside the page, for the images' text. */
  endpoints: Record<PageBadge, ShieldsEndpoint>;
  staleAfterSeconds: number;
  regressionThresholdPct?: number;
  /**
   * The repository's default branch: the newest run and the trends are its runs only, while the runs table
   * lists every branch (the branch view). Undefined: every run counts.
   */
  defaultBranch?: string;
}

const DEFAULT_THRESHOLD = 10;
const STATUS_CLASS = new Set(["passed", "failed", "skipped"]);

function statusPill(status: string | undefined): string {
  const word = status ?? "not run";
  return `<span class="status ${STATUS_CLASS.has(word) ? word : "unknown"}">${h(word)}</span>`;
}

class Links {
  constructor(
    private readonly repository: string | undefined,
    private readonly serverUrl: string,
  ) {}

  commit(commit: string, length = 10): string {
    const code = `<code title="${h(commit)}">${h(commit.slice(0, length))}</code>`;
    if (!this.repository || !/^[0-9a-f]+$/.test(commit)) return code;
    return `<a href="${h(`${this.serverUrl}/${this.repository}/commit/${commit}`)}">${code}</a>`;
  }

  repositoryLink(): string {
    if (!this.repository) return "";
    return ` <a class="repo" href="${h(`${this.serverUrl}/${this.repository}`)}">${h(this.repository)}</a>`;
  }
}

function when(run: HpcResults): string {
  return formatTimestamp(run.generated_at) ?? "unknown time";
}

function day(run: HpcResults): string {
  return (formatTimestamp(run.generated_at) ?? "unknown").slice(0, 10);
}

function failedCount(totals: TestCounts): number {
  return (totals.failed ?? 0) + (totals.errored ?? 0);
}

function threshold(run: HpcResults, options: DashboardOptions): number {
  return options.regressionThresholdPct ?? run.benchmarks?.regression_threshold_pct ?? DEFAULT_THRESHOLD;
}

function changeClass(
  delta: number | null | undefined,
  regression: boolean | undefined,
  limit: number,
): string {
  if (regression || (typeof delta === "number" && delta > limit)) return "worse";
  if (typeof delta === "number" && delta > 0) return "slower";
  if (typeof delta === "number" && delta < 0) return "faster";
  return "";
}

function table(head: string[], rows: string[][], numeric: boolean[] = []): string {
  const cell = (tag: string, i: number, html: string) =>
    `<${tag}${numeric[i] ? ' class="n"' : ""}>${html}</${tag}>`;
  return (
    `<div class="scroll"><table><thead><tr>${head.map((x, i) => cell("th", i, h(x))).join("")}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((x, i) => cell("td", i, x)).join("")}</tr>`).join("")}</tbody></table></div>`
  );
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
  const bench = run.benchmarks;
  const worst = bench?.worst_regression_pct;
  const benchBody = bench
    ? `<p>${statusPill(bench.status)} ${bench.results ? h(`${Object.keys(bench.results).length} benchmarks`) : ""}</p>` +
      (typeof worst === "number"
        ? `<p>worst change <span class="${changeClass(worst, false, threshold(run, options))}">${h(signedPercent(worst))}</span></p>`
        : "") +
      (bench.reason ? `<p class="muted">${h(bench.reason)}</p>` : "")
    : `<p class="muted">not reported</p>`;
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

function benchmarksTable(run: HpcResults, links: Links, options: DashboardOptions): string {
  const results = run.benchmarks?.results;
  if (!results || Object.keys(results).length === 0) return "";
  const limit = threshold(run, options);
  const rows = Object.entries(results)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, r]) => {
      const delta = r.delta_vs_baseline_pct;
      const change =
        typeof delta === "number"
          ? `<span class="${changeClass(delta, r.regression, limit)}">${h(signedPercent(delta))}</span>`
          : r.regression
            ? `<span class="worse">regression</span>`
            : "";
      return [
        h(name),
        h(formatMilliseconds(r.median_ms)),
        change,
        h(formatBytes(r.memory_bytes)),
        r.allocs === undefined ? "" : h(formatInteger(r.allocs)),
      ];
    });
  const base = run.benchmarks?.baseline;
  const against = base?.commit
    ? `<p class="muted">Changes against ${links.commit(base.commit)}${base.branch ? ` on ${h(base.branch)}` : ""}; a regression is a slowdown over ${h(String(limit))}%.</p>`
    : "";
  return `<h3>Benchmarks of this run</h3>${against}${table(
    ["Benchmark", "Median", "Change", "Memory", "Allocations"],
    rows,
    [false, true, true, true, true],
  )}`;
}

function chartCard(title: string, chart: string, extra = ""): string {
  return `<div class="card"><h3>${h(title)}</h3>${extra}${chart}<p class="readout">Point at the chart to see a run.</p></div>`;
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

function benchmarkReadout(r: NonNullable<NonNullable<HpcResults["benchmarks"]>["results"]>[string]): string {
  return [
    formatMilliseconds(r.median_ms),
    typeof r.delta_vs_baseline_pct === "number" ? `(${signedPercent(r.delta_vs_baseline_pct)})` : "",
    r.memory_bytes !== undefined ? `· ${formatBytes(r.memory_bytes)}` : "",
    r.allocs !== undefined ? `· ${formatInteger(r.allocs)} allocs` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function benchmarkTrends(oldestFirst: HpcResults[], options: DashboardOptions): string {
  const names = [...new Set(oldestFirst.flatMap((r) => Object.keys(r.benchmarks?.results ?? {})))].sort();
  if (names.length === 0) return `<p class="muted">No benchmark results in the history yet.</p>`;
  const xLabels: [string, string] = [day(oldestFirst[0]!), day(oldestFirst.at(-1)!)];
  const newest = oldestFirst.at(-1)!;
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const slash = name.indexOf("/");
    const group = slash > 0 ? name.slice(0, slash) : "";
    groups.set(group, [...(groups.get(group) ?? []), name]);
  }
  const sections = [...groups.entries()].map(([group, members]) => {
    const cards = members.map((name) => {
      const points = oldestFirst.map((r) => r.benchmarks?.results?.[name]);
      const values = points.map((p) => (typeof p?.median_ms === "number" ? p.median_ms : null));
      const limit = threshold(newest, options);
      const marks = points.map(
        (p) =>
          !!p &&
          (p.regression === true ||
            (typeof p.delta_vs_baseline_pct === "number" && p.delta_vs_baseline_pct > limit)),
      );
      const now = newest.benchmarks?.results?.[name];
      const current = now
        ? `<p class="now"><strong>${h(formatMilliseconds(now.median_ms))}</strong>` +
          (typeof now.delta_vs_baseline_pct === "number"
            ? ` <span class="${changeClass(now.delta_vs_baseline_pct, now.regression, limit)}">${h(signedPercent(now.delta_vs_baseline_pct))}</span>`
            : "") +
          (now.memory_bytes !== undefined
            ? ` <span class="muted">· ${h(formatBytes(now.memory_bytes))}</span>`
            : "") +
          (now.allocs !== undefined
            ? ` <span class="muted">· ${h(formatInteger(now.allocs))} allocs</span>`
            : "") +
          `</p>`
        : `<p class="now muted">not in the newest run</p>`;
      const chart = lineChart([{ key: "median", label: "median", values }], {
        title: `Median time of ${name} per run`,
        width: 360,
        height: 140,
        format: (v) => formatMilliseconds(v),
        xLabels,
        marks,
        readouts: points.map((p) => (p ? benchmarkReadout(p) : "")),
      });
      return `<div class="card bench-card" data-name="${h(name)}"><h4>${h(name)}</h4>${current}${chart}<p class="readout"></p></div>`;
    });
    return (
      `<section class="bench-group" data-group="${h(group)}"><h3>${group ? h(group) : "Other benchmarks"}</h3>` +
      `<div class="bench-cards">${cards.join("")}</div></section>`
    );
  });
  return (
    `<div class="filter"><input id="bench-filter" type="search" placeholder="Filter benchmarks by name" aria-label="Filter benchmarks by name">` +
    `<span id="bench-count" class="muted">${names.length} ${names.length === 1 ? "benchmark" : "benchmarks"}</span></div>` +
    `<div class="bench-groups">${sections.join("")}</div>`
  );
}

function runsTable(newestFirst: HpcResults[], links: Links): string {
  const rows = newestFirst.map((r) => {
    const worst = r.benchmarks?.worst_regression_pct;
    return [
      links.commit(r.commit),
      r.branch !== undefined ? h(r.branch) : "",
      `<span class="nowrap">${h(when(r).replace(/:\d\d UTC$/, " UTC"))}</span>`,
      `${r.tests ? statusPill(r.tests.status) : ""} ${r.tests?.totals ? h(formatCounts(r.tests.totals)) : ""}`,
      r.coverage ? h(`${r.coverage.coverage_percent.toFixed(1)}%`) : "",
      r.benchmarks ? statusPill(r.benchmarks.status) : "",
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
${runsTable(runs, links)}
</section>
</main>
<footer>Rendered by hpc-ci-actions render-badges. Data: <a href="history.json">history.json</a>; badges: ${PAGE_BADGES.map((s) => `<a href="${s}.json">${s}.json</a>`).join(", ")}.</footer>
<script type="application/json" id="hpc-data">${jsonForScript(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
