// What one benchmark shows, as plain text (the comment escapes it for Markdown, the dashboard for HTML):
// before → after with units, change, noise band, verdict, and memory and allocations beside time.
import type { BenchmarkResult, JudgeSettings, MetricJudgement } from "../contract/types.js";
import { type BenchmarkLine, METRIC_WORD, VERDICT_ICON, VERDICT_WORD } from "./benchmark-assessment.js";
import { formatBytes, formatInteger, formatMilliseconds, signed } from "./run-table.js";

export interface BenchmarkCells {
  name: string;
  beforeAfter: string;
  change: string;
  band: string;
  verdict: string;
  memory: string;
  allocs: string;
}

export const BENCHMARK_COLUMNS = [
  "Benchmark",
  "Before → after",
  "Change",
  "Band",
  "Verdict",
  "Memory",
  "Allocations",
] as const;

export function benchmarkCells(line: BenchmarkLine, judge: JudgeSettings | undefined): BenchmarkCells {
  const r = line.result;
  const e = r.evidence ?? {};
  const primary = e.time
    ? { j: e.time, show: formatMilliseconds }
    : e.value
      ? { j: e.value, show: valueFormat(r) }
      : undefined;
  return {
    name: line.name,
    beforeAfter: primary ? beforeAfter(primary.j, primary.show) : legacyBeforeAfter(r),
    change: changeText(primary ? primary.j.change_pct : r.delta_vs_baseline_pct),
    band: bandText(primary?.j, e.shift_pct),
    verdict: verdictText(line, judge?.history_branch),
    memory: metricText(e.memory, r.memory_bytes, formatBytes),
    allocs: metricText(e.allocs, r.allocs, formatInteger),
  };
}

/** A value in its unit with three significant digits ("1.25 GB/s"); thousands separated. */
export function valueFormat(r: Pick<BenchmarkResult, "unit">): (v: number) => string {
  const unit = r.unit ? ` ${r.unit.slice(0, 20)}` : "";
  return (v) => `${Math.abs(v) >= 1000 ? formatInteger(v) : Number(v.toPrecision(3))}${unit}`;
}

function beforeAfter(j: MetricJudgement, show: (v: number) => string): string {
  const after = typeof j.current === "number" ? show(j.current) : "";
  return typeof j.baseline === "number" ? `${show(j.baseline)} → ${after}` : after;
}

function legacyBeforeAfter(r: BenchmarkResult): string {
  if (typeof r.median_ms !== "number") return typeof r.value === "number" ? valueFormat(r)(r.value) : "";
  const before = r.baseline_median_ms;
  const after = formatMilliseconds(r.median_ms);
  return typeof before === "number" ? `${formatMilliseconds(before)} → ${after}` : after;
}

function changeText(pct: number | null | undefined): string {
  return typeof pct === "number" ? signed(pct) : "n/a";
}

function bandText(j: MetricJudgement | undefined, shift: number | undefined): string {
  const band = typeof j?.band_pct === "number" ? `±${Number(j.band_pct.toFixed(1))}%` : "";
  const moved = typeof shift === "number" && shift !== 0 ? ` (suite shift ${signed(shift)} taken out)` : "";
  return `${band}${moved}`;
}

/** "needs 3 more main runs to gate": how far a tentative regression is from counting. */
export function tentativeText(needs: number | undefined, branch: string | undefined): string {
  if (needs === undefined) return "too little history to gate";
  return `needs ${formatInteger(needs)} more ${branch ?? "default-branch"} run${needs === 1 ? "" : "s"} to gate`;
}

function verdictText(line: BenchmarkLine, branch: string | undefined): string {
  if (line.tentative) return `🟡 regression, tentative: ${tentativeText(line.needs, branch)}`;
  const metric =
    line.cause?.metric && line.cause.metric !== "time" && line.cause.metric !== "value"
      ? ` (${METRIC_WORD[line.cause.metric]})`
      : "";
  return `${VERDICT_ICON[line.verdict]} ${VERDICT_WORD[line.verdict]}${metric}`;
}

/** Memory or allocations: before → after with the change when they moved, else the value; ⚠️ on a regression. */
function metricText(
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
