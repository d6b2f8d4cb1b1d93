// The benchmarks part of the comment and job summary: the verdict with the rule that made it, environment
// shifts once, then one row per benchmark (before → after with units, change, noise band, verdict, memory and
// allocations beside time), regressions first. Every string from the data is escaped.
import type { BenchmarkResult, MetricJudgement } from "../contract/types.js";
import {
  type BenchmarkChange,
  type BenchmarkLine,
  type BenchmarksAssessment,
  VERDICT_ICON,
  VERDICT_WORD,
  benchmarksHeadline,
} from "./benchmark-assessment.js";
import { type Block, FOLD_ROWS, NAME_CHARACTERS } from "./blocks.js";
import { escapeGitHubText as text } from "./escape.js";
import {
  STATUS_ICON,
  formatBytes,
  formatDuration,
  formatInteger,
  formatMilliseconds,
  signed,
} from "./run-table.js";

const METRIC_WORD: Record<string, string> = {
  time: "time",
  value: "value",
  allocs: "allocations",
  memory: "memory",
};

export function benchmarksBlocks(b: BenchmarksAssessment): Block[] {
  const word = b.reported
    ? `${STATUS_ICON[b.verdict]} ${b.verdict}: ${benchmarksHeadline(b)}`
    : "not reported";
  const heading = `#### Benchmarks ${word}`;
  if (!b.reported) return [heading, "This run says nothing about benchmarks."];
  const facts = [
    b.count > 0 ? `${formatInteger(b.count)} benchmark${b.count === 1 ? "" : "s"}` : "",
    b.worst && b.worst.pct !== null ? `worst change ${signed(b.worst.pct)}` : "",
    formatDuration(b.durationSeconds),
    b.status && b.status !== b.verdict ? `the run itself reports ${b.status}` : "",
    b.reason ? text(b.reason, 300) : "",
  ].filter(Boolean);
  const blocks: Block[] = [heading, facts.join(" · "), `Rule: ${text(b.rule.text, 600)}.`];
  for (const s of b.shifts.slice(0, 10)) blocks.push(shiftNotice(s));
  if (b.confirmed === true)
    blocks.push("Regressions confirmed: each was seen again in a rerun in the same job.");
  if (b.regressions.length > 0) {
    blocks.push(`⚠️ ${listed(b.regressions, b.judged ? "beyond the noise band" : "past the threshold")}`);
  }
  if (b.tentative.length > 0) {
    blocks.push(`🟡 ${listed(b.tentative, "tentative, too little history to fail this run")}`);
  }
  if (b.lines.length === 0) return blocks;
  const rows = b.lines.map((line) => row(line, b));
  blocks.push({
    header: [
      "| Benchmark | Before → after | Change | Band | Verdict | Memory | Allocations |",
      "| --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ],
    rows,
    noun: "benchmarks",
    fold:
      rows.length > FOLD_ROWS ? `All ${formatInteger(rows.length)} benchmarks, regressions first` : undefined,
  });
  return blocks;
}

function listed(changes: BenchmarkChange[], why: string): string {
  const n = changes.length;
  const shown = changes.slice(0, 5).map((c) => `${text(c.name, 80)} (${changeOf(c)})`);
  const more = n > shown.length ? `, and ${formatInteger(n - shown.length)} more` : "";
  return `${formatInteger(n)} regression${n === 1 ? "" : "s"} ${why}: ${shown.join(", ")}${more}`;
}

function changeOf(c: BenchmarkChange): string {
  const metric = c.metric ? `${METRIC_WORD[c.metric]} ` : "";
  return c.pct === null ? `${metric}flagged` : `${metric}${signed(c.pct)}`;
}

export function shiftNotice(s: BenchmarksAssessment["shifts"][number]): string {
  const suite = s.suite !== undefined ? `suite **${text(s.suite, 80)}**` : "a suite";
  const factor = typeof s.factor === "number" ? ` ${Number(s.factor.toPrecision(3))}×` : "";
  const node = s.node ? ` on node **${text(s.node, 80)}**` : "";
  const count =
    typeof s.benchmarks === "number"
      ? ` (${formatInteger(s.benchmarks)}${typeof s.of === "number" ? ` of ${formatInteger(s.of)}` : ""} benchmarks)`
      : "";
  return `🌐 ${suite.replace(/^s/, "S")} moved${factor} together${node}${count}: an environment shift, not judged as regressions.`;
}

function row(line: BenchmarkLine, b: BenchmarksAssessment): string {
  const r = line.result;
  const e = r.evidence ?? {};
  const primary = e.time ? { j: e.time, show: ms } : e.value ? { j: e.value, show: unitOf(r) } : undefined;
  const cells = [
    text(line.name, NAME_CHARACTERS),
    primary ? beforeAfter(primary.j, primary.show) : legacyBeforeAfter(r),
    primary ? changeCell(primary.j.change_pct) : changeCell(r.delta_vs_baseline_pct),
    bandCell(primary?.j, e.shift_pct),
    verdictCell(line, b.judge?.history_branch),
    metricCell(e.memory, r.memory_bytes, formatBytes),
    metricCell(e.allocs, r.allocs, formatInteger),
  ];
  return `| ${cells.join(" | ")} |`;
}

const ms = (v: number) => formatMilliseconds(v);

function unitOf(r: BenchmarkResult): (v: number) => string {
  const unit = r.unit ? ` ${text(r.unit, 20)}` : "";
  return (v) => `${Math.abs(v) >= 1000 ? formatInteger(v) : Number(v.toPrecision(3))}${unit}`;
}

function beforeAfter(j: MetricJudgement, show: (v: number) => string): string {
  const after = typeof j.current === "number" ? show(j.current) : "";
  return typeof j.baseline === "number" ? `${show(j.baseline)} → ${after}` : after;
}

function legacyBeforeAfter(r: BenchmarkResult): string {
  if (typeof r.median_ms !== "number") return typeof r.value === "number" ? unitOf(r)(r.value) : "";
  const before = r.baseline_median_ms;
  return typeof before === "number" ? `${ms(before)} → ${ms(r.median_ms)}` : ms(r.median_ms);
}

function changeCell(pct: number | null | undefined): string {
  return typeof pct === "number" ? signed(pct) : "n/a";
}

function bandCell(j: MetricJudgement | undefined, shift: number | undefined): string {
  const band = typeof j?.band_pct === "number" ? `±${Number(j.band_pct.toFixed(1))}%` : "";
  const moved = typeof shift === "number" && shift !== 0 ? ` (suite shift ${signed(shift)} taken out)` : "";
  return `${band}${moved}`;
}

function verdictCell(line: BenchmarkLine, branch: string | undefined): string {
  if (line.tentative) {
    const runs = `${branch ? text(branch, 40) : "default-branch"} run${line.needs === 1 ? "" : "s"}`;
    return line.needs !== undefined
      ? `🟡 regression, tentative: needs ${formatInteger(line.needs)} more ${runs} to gate`
      : "🟡 regression, tentative: too little history to gate";
  }
  const metric =
    line.cause?.metric && line.cause.metric !== "time" && line.cause.metric !== "value"
      ? ` (${METRIC_WORD[line.cause.metric]})`
      : "";
  return `${VERDICT_ICON[line.verdict]} ${VERDICT_WORD[line.verdict]}${metric}`;
}

/** Memory or allocations: before → after with the change when they moved, else the value; ⚠️ on a regression. */
function metricCell(
  j: MetricJudgement | undefined,
  fallback: number | undefined,
  show: (v: number) => string,
): string {
  const mark = j?.verdict === "regression" ? " ⚠️" : "";
  if (j && typeof j.baseline === "number" && typeof j.current === "number" && j.baseline !== j.current) {
    const change = typeof j.change_pct === "number" ? ` (${signed(j.change_pct)})` : "";
    return `${show(j.baseline)} → ${show(j.current)}${change}${mark}`;
  }
  const value = typeof j?.current === "number" ? j.current : fallback;
  return typeof value === "number" ? `${show(value)}${mark}` : "";
}
