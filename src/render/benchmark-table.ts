// The benchmarks part of the comment and job summary: the verdict with the rule that made it, environment
// shifts once, then one row per benchmark (before → after with units, change, noise band, verdict, memory and
// allocations beside time), regressions first. Every string from the data is escaped.
import {
  type BenchmarkChange,
  type BenchmarkLine,
  type BenchmarksAssessment,
  METRIC_WORD,
  benchmarksHeadline,
  worstChangeText,
} from "./benchmark-assessment.js";
import { BENCHMARK_COLUMNS, benchmarkCells } from "./benchmark-cells.js";
import { type Block, FOLD_ROWS, NAME_CHARACTERS } from "./blocks.js";
import { escapeGitHubText as text } from "./escape.js";
import { STATUS_ICON, formatDuration, formatInteger, signed } from "./run-table.js";

export function benchmarksBlocks(b: BenchmarksAssessment): Block[] {
  const word = b.reported
    ? `${STATUS_ICON[b.verdict]} ${b.verdict}: ${benchmarksHeadline(b)}`
    : "not reported";
  const heading = `#### Benchmarks ${word}`;
  if (!b.reported) return [heading, "This run says nothing about benchmarks."];
  const facts = [
    b.count > 0 ? `${formatInteger(b.count)} benchmark${b.count === 1 ? "" : "s"}` : "",
    worstChangeText(b),
    formatDuration(b.durationSeconds),
    b.status && b.status !== b.verdict ? `the run itself reports ${b.status}` : "",
    b.reason ? text(b.reason, 300) : "",
  ].filter(Boolean);
  const blocks: Block[] = [heading, facts.join(" · "), `Rule: ${text(b.rule.text, 600)}.`];
  for (const s of b.shifts.slice(0, 10)) blocks.push(shiftNotice(s));
  if (b.confirmed === true)
    blocks.push("Regressions confirmed: each was seen again in a rerun in the same job.");
  if (b.regressions.length > 0) {
    blocks.push(
      `⚠️ ${listed(b.regressions, "regression", b.judged ? "beyond the noise band" : "past the threshold")}`,
    );
  }
  if (b.tentative.length > 0) {
    blocks.push(
      `🟡 ${listed(b.tentative, "tentative regression", "with too little history to fail this run")}`,
    );
  }
  if (b.lines.length === 0) return blocks;
  const rows = b.lines.map((line) => row(line, b));
  blocks.push({
    header: [`| ${BENCHMARK_COLUMNS.join(" | ")} |`, "| --- | ---: | ---: | ---: | --- | ---: | ---: |"],
    rows,
    noun: "benchmarks",
    fold:
      rows.length > FOLD_ROWS ? `All ${formatInteger(rows.length)} benchmarks, regressions first` : undefined,
  });
  return blocks;
}

function listed(changes: BenchmarkChange[], noun: string, why: string): string {
  const n = changes.length;
  const shown = changes.slice(0, 5).map((c) => `${text(c.name, 80)} (${changeOf(c)})`);
  const more = n > shown.length ? `, and ${formatInteger(n - shown.length)} more` : "";
  return `${formatInteger(n)} ${noun}${n === 1 ? "" : "s"} ${why}: ${shown.join(", ")}${more}`;
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
  const c = benchmarkCells(line, b.judge);
  const cells = [c.name, c.beforeAfter, c.change, c.band, c.verdict, c.memory, c.allocs];
  return `| ${cells.map((cell, i) => text(cell, i === 0 ? NAME_CHARACTERS : 300)).join(" | ")} |`;
}
