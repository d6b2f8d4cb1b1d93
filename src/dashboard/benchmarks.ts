// The dashboard's benchmarks: the newest run's table (the same cells as the pull-request comment) and each
// benchmark's trend with the judge's noise band shaded around its baseline and its verdicts marked. Verdicts
// come from render/benchmark-assessment, as everywhere else; nothing here judges.
import type { HpcResults, MetricJudgement } from "../contract/types.js";
import {
  type BenchmarkLine,
  type BenchmarkRuleOptions,
  type BenchmarksAssessment,
  assessBenchmarks,
} from "../render/benchmark-assessment.js";
import { BENCHMARK_COLUMNS, benchmarkCells } from "../render/benchmark-cells.js";
import { escapeHtml as h } from "../render/escape.js";
import { signed } from "../render/run-table.js";
import { type MarkKind, type RunLabel, lineChart } from "./charts.js";
import { Links, table } from "./markup.js";
import type { Unit } from "./scale.js";
import { benchmarksVerdict } from "./verdicts.js";
import { type BranchView, branchName, runLabels, xTitle } from "./views.js";

/** The CSS class of a benchmark's change: the verdict's colour, never the size of the number. */
function verdictClass(line: BenchmarkLine): string {
  if (line.gating) return "worse";
  if (line.tentative) return "slower";
  return line.verdict === "improvement" ? "faster" : "";
}

function markOf(line: BenchmarkLine | undefined): MarkKind | undefined {
  if (!line) return undefined;
  if (line.tentative) return "tentative";
  if (line.verdict === "regression") return "regression";
  return line.verdict === "improvement" ? "improvement" : undefined;
}

/** The summary card's body: the section's verdict with its headline (as in the header and tables), the worst change. */
export function benchmarksCardBody(b: BenchmarksAssessment): string {
  if (!b.reported) return `<p class="muted">not reported</p>`;
  const worst = b.worst?.pct;
  // Marked only when the worst change is itself a regression: noise within its band is not shown as one.
  const is = (list: Array<{ name: string }>) => list.some((r) => r.name === b.worst?.name);
  const worstClass = is(b.regressions) ? "worse" : is(b.tentative) ? "slower" : "";
  return (
    `<p>${benchmarksVerdict(b)}</p>` +
    `<p class="muted">${h(`${b.count} benchmark${b.count === 1 ? "" : "s"}`)}</p>` +
    (typeof worst === "number"
      ? `<p>worst change <span class="${worstClass}">${h(signed(worst))}</span></p>`
      : "") +
    (b.reason ? `<p class="muted">${h(b.reason)}</p>` : "")
  );
}

function ruleParagraphs(b: BenchmarksAssessment, run: HpcResults, links: Links): string {
  const base = run.benchmarks?.baseline;
  const against = base?.commit
    ? `Changes against ${links.commit(base.commit)}${base.branch ? ` on ${h(base.branch)}` : ""}. `
    : "";
  const shifts = b.shifts.slice(0, 10).map((s) => {
    const factor = typeof s.factor === "number" ? ` ${Number(s.factor.toPrecision(3))}×` : "";
    const node = s.node ? ` on node <strong>${h(s.node)}</strong>` : "";
    const suite = s.suite !== undefined ? `Suite <strong>${h(s.suite)}</strong>` : "A suite";
    return `<p class="shift">🌐 ${suite} moved${factor} together${node}: an environment shift, not judged as regressions.</p>`;
  });
  return `<p class="muted rule">${against}Rule: ${h(b.rule.text)}.</p>${shifts.join("")}`;
}

export function benchmarksTable(run: HpcResults, links: Links, options: BenchmarkRuleOptions): string {
  const b = assessBenchmarks(run.benchmarks, options);
  if (b.lines.length === 0) return "";
  const rows = b.lines.map((line) => {
    const c = benchmarkCells(line, b.judge);
    const change = `<span class="${verdictClass(line)}">${h(c.change)}</span>`;
    return [h(c.name), h(c.beforeAfter), change, h(c.band), h(c.verdict), h(c.memory), h(c.allocs)];
  });
  const classes = b.lines.map((l) => `v-${l.tentative ? "tentative" : l.verdict}`);
  return (
    `<h3>Benchmarks of this run</h3>${ruleParagraphs(b, run, links)}` +
    table(BENCHMARK_COLUMNS, rows, [false, true, true, true, false, true, true], classes)
  );
}

/** The band of a judged run: the baseline ± band_pct, in the chart's unit. */
function bandOf(j: MetricJudgement | undefined): [number, number] | null {
  if (typeof j?.baseline !== "number" || typeof j.band_pct !== "number") return null;
  const half = Math.abs(j.baseline) * (j.band_pct / 100);
  return [j.baseline - half, j.baseline + half];
}

function readout(line: BenchmarkLine, b: BenchmarksAssessment): string {
  const c = benchmarkCells(line, b.judge);
  return [
    c.beforeAfter,
    `(${c.change})`,
    c.band && `band ${c.band}`,
    c.verdict,
    c.memory,
    c.allocs && `${c.allocs} allocs`,
  ]
    .filter(Boolean)
    .join(" · ");
}

function benchmarkCard(
  name: string,
  assessed: Array<{ b: BenchmarksAssessment; lines: Map<string, BenchmarkLine> }>,
  runs: RunLabel[],
  x: string,
): string {
  const lines = assessed.map((a) => a.lines.get(name));
  const results = lines.map((l) => l?.result);
  // A time where the benchmark has one; a throughput or other value in its unit otherwise.
  const timed = results.some((r) => typeof r?.median_ms === "number");
  const values = results.map((r) => {
    const v = timed ? r?.median_ms : r?.value;
    return typeof v === "number" ? v : null;
  });
  const valueUnit = results.find((r) => r?.unit)?.unit;
  const unit: Unit = timed ? { kind: "ms" } : { kind: "value", unit: valueUnit };
  const bands = results.map((r) => bandOf(timed ? r?.evidence?.time : r?.evidence?.value));
  const now = lines.at(-1);
  const newest = assessed.at(-1)!.b;
  const current = now
    ? (() => {
        const c = benchmarkCells(now, newest.judge);
        return (
          `<p class="now"><strong>${h(c.beforeAfter)}</strong> <span class="${verdictClass(now)}">${h(c.change)}</span>` +
          ` <span class="verdict">${h(c.verdict)}</span>` +
          (c.band ? ` <span class="muted">· band ${h(c.band)}</span>` : "") +
          (c.memory ? ` <span class="muted">· ${h(c.memory)}</span>` : "") +
          (c.allocs ? ` <span class="muted">· ${h(c.allocs)} allocs</span>` : "") +
          `</p>`
        );
      })()
    : `<p class="now muted">not in the newest run</p>`;
  const banded = bands.some(Boolean);
  const chart = lineChart([{ key: "median", label: timed ? "median" : "value", values }], {
    title: `${timed ? "Median time" : "Value"} of ${name} per run${banded ? ", with the noise band around the baseline" : ""}`,
    yTitle: timed ? "Median time" : `Value${valueUnit ? `, ${valueUnit.slice(0, 20)}` : ""}`,
    xTitle: x,
    size: "small",
    unit,
    runs,
    bands,
    marks: lines.map(markOf),
    readouts: lines.map((l, i) => (l ? readout(l, assessed[i]!.b) : "")),
  });
  const key = banded
    ? `<p class="legend"><span class="key band-key"></span>noise band <span class="key baseline-key"></span>baseline</p>`
    : "";
  return `<div class="card bench-card" data-name="${h(name)}"><h4>${h(name)}</h4>${current}${chart}${key}<p class="readout"></p></div>`;
}

/** Each benchmark's trend over the view's runs, grouped by the part of its name before the first "/". */
export function benchmarkTrends(view: BranchView, options: BenchmarkRuleOptions): string {
  const oldestFirst = [...view.runs].reverse();
  const assessed = oldestFirst.map((r) => {
    const b = assessBenchmarks(r.benchmarks, options);
    return { b, lines: new Map(b.lines.map((l) => [l.name, l])) };
  });
  const names = [...new Set(assessed.flatMap((a) => [...a.lines.keys()]))].sort();
  if (names.length === 0) return `<p class="muted">No benchmark results in the history yet.</p>`;
  const runs = runLabels(oldestFirst);
  // Said once above the cards in full; each small chart names its axis briefly.
  const x = `Runs of ${branchName(view)}, oldest left`;
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const slash = name.indexOf("/");
    const group = slash > 0 ? name.slice(0, slash) : "";
    groups.set(group, [...(groups.get(group) ?? []), name]);
  }
  const sections = [...groups.entries()].map(([group, members]) => {
    const cards = members.map((name) => benchmarkCard(name, assessed, runs, x));
    return (
      `<section class="bench-group" data-group="${h(group)}"><h3>${group ? h(group) : "Other benchmarks"}</h3>` +
      `<div class="bench-cards">${cards.join("")}</div></section>`
    );
  });
  const anyBand = assessed.some((a) => a.b.judged);
  return (
    `<div class="filter"><input id="bench-filter" type="search" placeholder="Filter benchmarks by name" aria-label="Filter benchmarks by name">` +
    `<span id="bench-count" class="muted">${names.length} ${names.length === 1 ? "benchmark" : "benchmarks"}</span></div>` +
    `<p class="muted">Each chart: ${h(xTitle(view).replace(/^R/, "r"))}; the y axis in the benchmark's unit.</p>` +
    (anyBand
      ? `<p class="legend" id="band-legend"><span class="key band-key"></span>shaded: the noise band, the baseline ± the band the judge measured; a change inside it is noise, not a regression ` +
        `<span class="key baseline-key"></span>dashed: the baseline ` +
        `<span class="key mark-regression"></span>regression <span class="key mark-tentative"></span>tentative regression <span class="key mark-improvement"></span>improvement</p>`
      : "") +
    `<div class="bench-groups">${sections.join("")}</div>`
  );
}
