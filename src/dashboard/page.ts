// index.html of a pages folder: the newest run of the default branch and its trends, then each other branch
// on its own, in one self-contained file. Every string from the data goes through escapeHtml (text and
// attributes); links are built only from a checked repository name and commit ids (hex digits).
import type { PageBadge } from "../badges/endpoints.js";
import { PAGE_BADGES } from "../badges/endpoints.js";
import type { HpcResults, ShieldsEndpoint } from "../contract/types.js";
import { escapeHtml as h } from "../render/escape.js";
import { formatDuration, formatInteger, formatTimestamp } from "../render/run-table.js";
import { type BenchmarksAssessment, assessBenchmarks } from "../render/benchmark-assessment.js";
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLE } from "./assets.js";
import { benchmarkTrends, benchmarksCardBody, benchmarksTable } from "./benchmarks.js";
import { failingTests } from "./failures.js";
import { Links, table } from "./markup.js";
import { benchmarksVerdict, testsVerdict } from "./verdicts.js";
import {
  type BranchView,
  branchName,
  branchNav,
  branchViews,
  otherBranches,
  runsTable,
  trendCharts,
} from "./views.js";

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
   * The repository's default branch: the header, the newest run, the trends and the runs table are its runs
   * only; every other branch has a view of its own. Undefined: the branch of the newest run.
   */
  defaultBranch?: string;
}

function when(run: HpcResults): string {
  return formatTimestamp(run.generated_at) ?? "unknown time";
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

function summaryCards(run: HpcResults, bench: BenchmarksAssessment): string {
  const tests = run.tests;
  const testsBody = tests
    ? `<p>${testsVerdict(run)}</p>` +
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
  return (
    `<div class="cards">` +
    `<div class="card" id="card-tests"><h3>Tests</h3>${testsBody}</div>` +
    `<div class="card" id="card-coverage"><h3>Coverage</h3>${coverageBody}</div>` +
    `<div class="card" id="card-benchmarks"><h3>Benchmarks</h3>${benchmarksCardBody(bench)}</div>` +
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

/** The header's one line: what the newest run of the main view says, in the words of the cards and tables. */
function verdictLine(view: BranchView, links: Links, bench: BenchmarksAssessment): string {
  const newest = view.runs[0];
  if (!newest) return `<p class="verdict muted" id="verdict">No run of ${h(branchName(view))} yet.</p>`;
  const parts = [
    newest.tests ? `tests ${testsVerdict(newest)}` : "",
    bench.reported ? `benchmarks ${benchmarksVerdict(bench)}` : "",
    newest.coverage ? `coverage ${h(newest.coverage.coverage_percent.toFixed(1))}%` : "",
  ].filter(Boolean);
  return (
    `<p class="verdict" id="verdict">Newest run of <strong>${h(branchName(view))}</strong> (${links.commit(newest.commit, 7)}, ${h(when(newest))}): ` +
    `${parts.length ? parts.join(" · ") : "nothing reported"}</p>`
  );
}

/** The page for `runs` (newest first, at least one). Same input, same bytes: nothing here depends on the clock. */
export function renderDashboard(runs: HpcResults[], options: DashboardOptions): string {
  if (runs.length === 0) throw new Error("renderDashboard needs at least one run");
  const { main, others } = branchViews(runs, options.defaultBranch);
  const newest = main.runs[0];
  const name = h(branchName(main));
  const links = new Links(
    options.repository,
    (options.serverUrl ?? "https://github.com").replace(/\/+$/, ""),
  );
  // Computed once for the header, the card and the table of the newest run.
  const bench = assessBenchmarks(newest?.benchmarks, options);
  const badges = PAGE_BADGES.map((stem) => {
    const e = options.endpoints[stem];
    return `<img src="${stem}.svg" alt="${h(`${e.label}: ${e.message}`)}">`;
  }).join("");
  const title = `HPC results${options.repository ? ` · ${options.repository}` : ""}`;
  const count = `${main.runs.length} ${main.runs.length === 1 ? "run" : "runs"}`;
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
${verdictLine(main, links, bench)}
${branchNav(main, others)}
</header>
<main>
<section id="newest">
<h2>Newest run of ${name}</h2>
${
  newest
    ? `${facts(newest, links, options)}
${summaryCards(newest, bench)}
${failingTests(newest, links)}
${suitesTable(newest)}
${benchmarksTable(newest, links, options)}`
    : `<p class="muted">No run of ${name} yet: the badges wait for one. Other branches are shown below, each on its own.</p>`
}
</section>
${
  newest
    ? `<section id="trends">
<h2>Trends of ${name} over ${count}</h2>
${trendCharts(main)}
</section>
<section id="benchmarks">
<h2>Benchmarks of ${name}</h2>
${benchmarkTrends(main, options)}
</section>
<section id="runs">
<h2>Runs of ${name}</h2>
${runsTable(main, links, options)}
</section>`
    : ""
}
${otherBranches(others, links, options)}
</main>
<footer>Rendered by hpc-ci-actions render-badges. Points and rows are in the order the runs were published on the results branch. Data: <a href="history.json">history.json</a>; badges: ${PAGE_BADGES.map((s) => `<a href="${s}.json">${s}.json</a>`).join(", ")}.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
