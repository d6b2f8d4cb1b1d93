// The benchmarks' verdict as every view shows it (comment, job summary, status, ingest's outputs, badges,
// dashboard). A judged run carries the judge's verdicts and is shown as stored: nothing here re-judges. A run
// without verdicts (Mycelia's own files, older runs) keeps the threshold on delta_vs_baseline_pct.
import type {
  BenchmarkResult,
  BenchmarkShift,
  BenchmarkVerdict,
  BenchmarksSection,
  JudgeSettings,
  MetricJudgement,
} from "../contract/types.js";
import { type GateRule, judgeRule, thresholdRule } from "./benchmark-rule.js";
import { worstRegression } from "../contract/normalize.js";
import { signed } from "./signed.js";

export type { GateRule } from "./benchmark-rule.js";

export type Verdict = "passed" | "failed" | "skipped";

/** A slowdown past this many percent is a regression of a run without verdicts, unless told otherwise. */
export const DEFAULT_REGRESSION_THRESHOLD_PCT = 10;

export type Metric = "time" | "value" | "allocs" | "memory";
const METRICS: readonly Metric[] = ["time", "value", "allocs", "memory"];

export interface BenchmarkChange {
  name: string;
  /** Percent change against the baseline, null when not measured. For `worst`, positive is worse (a throughput
   * that fell counts as positive); otherwise as measured (time, memory, allocations: positive is worse). */
  pct: number | null;
  /** The metric that changed (judged runs). */
  metric?: Metric;
}

/** One benchmark of the run as shown. */
export interface BenchmarkLine {
  name: string;
  result: BenchmarkResult;
  verdict: BenchmarkVerdict;
  /** A regression with too little history to fail the run. */
  tentative: boolean;
  /** A regression that fails the run. */
  gating: boolean;
  /** Change of the time (or value) against the baseline in percent, positive is worse. */
  worsePct: number | null;
  /** The metric whose verdict made this line a regression or improvement, with its change. */
  cause?: BenchmarkChange;
  /** More default-branch runs needed before this benchmark can fail a run, when known. */
  needs?: number;
}

export interface BenchmarksAssessment {
  verdict: Verdict;
  reported: boolean;
  /** The status the run itself reports (a passed run can still fail here through a regression). */
  status?: string;
  /** The run carries the judge's verdicts. */
  judged: boolean;
  /** The section's verdict in the judge's words: stored, or for a run without verdicts from the threshold. */
  word?: BenchmarkVerdict;
  rule: GateRule;
  /** The threshold of a run without verdicts. */
  thresholdPct: number;
  count: number;
  /** The largest change, positive is worse. */
  worst?: BenchmarkChange;
  /**
   * The worst regression in percent, as the results store it (`worst_regression_pct`): for a judged run the
   * largest change among its regressions, 0 when none; without verdicts, the worst change.
   */
  worstRegressionPct?: number | null;
  /** Regressions that fail the run, worst first. */
  regressions: BenchmarkChange[];
  /** Regressions that cannot fail the run yet. */
  tentative: BenchmarkChange[];
  improvements: number;
  /** Every benchmark: regressions first, then improvements, unchanged, no baseline. */
  lines: BenchmarkLine[];
  shifts: BenchmarkShift[];
  confirmed?: boolean;
  judge?: JudgeSettings;
  durationSeconds?: number;
  reason?: string;
}

export interface BenchmarkRuleOptions {
  /** The action input regression-threshold-pct; applies to runs without verdicts only. */
  regressionThresholdPct?: number;
}

export function assessBenchmarks(
  section: BenchmarksSection | undefined,
  options: BenchmarkRuleOptions = {},
): BenchmarksAssessment {
  const input = options.regressionThresholdPct;
  const thresholdPct = input ?? section?.regression_threshold_pct ?? DEFAULT_REGRESSION_THRESHOLD_PCT;
  const results = Object.entries(section?.results ?? {});
  const judged = section?.verdict !== undefined || results.some(([, r]) => r.verdict !== undefined);
  const rule = judged ? judgeRule(section?.judge, input) : thresholdRule(thresholdPct, input, section);
  const empty = { judged, rule, thresholdPct, regressions: [], tentative: [], improvements: 0, lines: [] };
  if (!section) return { verdict: "skipped", reported: false, count: 0, shifts: [], ...empty };

  const lines = results
    .map(([name, r]) => (judged ? judgedLine(name, r, section.judge) : thresholdLine(name, r, thresholdPct)))
    .sort(byImportance);
  const regressions = lines.filter((l) => l.gating).map(causeOf);
  const tentative = lines.filter((l) => l.tentative).map(causeOf);
  const improvements = lines.filter((l) => l.verdict === "improvement").length;
  // A change that a suite-wide shift explains is the environment's, reported once as the shift: not the worst.
  const measured = lines
    .filter((l) => l.worsePct !== null && !l.result.evidence?.shift_pct)
    .sort((a, b) => b.worsePct! - a.worsePct!);
  let worst = measured[0] ? { name: measured[0].name, pct: measured[0].worsePct } : undefined;
  const stored = section.worst_regression_pct;
  if (lines.length === 0 && !judged && typeof stored === "number") {
    // Only the run's own worst change is known (a summary without results): the threshold applies to it.
    worst = { name: "worst benchmark", pct: stored };
    if (stored > thresholdPct) regressions.push(worst);
  }
  const worstRegressionPct = judged
    ? stored !== undefined
      ? stored
      : worstRegression(section.results ?? {})
    : worst?.pct;
  const word = section.verdict ?? (lines.length > 0 ? sectionWord(lines) : undefined);
  // A stored "regression" with no benchmark left to show (a pruned history entry) still fails.
  const failing = regressions.length > 0 || (judged && lines.length === 0 && word === "regression");
  const verdict: Verdict =
    section.status === "failed" || (section.status === "passed" && failing) ? "failed" : section.status;
  return {
    ...empty,
    verdict,
    reported: true,
    status: section.status,
    word,
    count: lines.length,
    worst,
    worstRegressionPct,
    regressions,
    tentative,
    improvements,
    lines,
    shifts: section.shifts ?? [],
    ...(section.confirmed !== undefined && { confirmed: section.confirmed }),
    ...(section.judge && { judge: section.judge }),
    durationSeconds: section.duration_seconds,
    reason: section.reason,
  };
}

function causeOf(line: BenchmarkLine): BenchmarkChange {
  return line.cause ?? { name: line.name, pct: line.worsePct };
}

/** Percent change with "worse" positive: a throughput (bigger is better) that fell is worse. */
function worse(change: number | null | undefined, direction: BenchmarkResult["direction"]): number | null {
  if (typeof change !== "number" || !Number.isFinite(change)) return null;
  return direction === "bigger_is_better" ? -change : change;
}

function judgedLine(name: string, result: BenchmarkResult, judge: JudgeSettings | undefined): BenchmarkLine {
  const evidence = result.evidence ?? {};
  const verdict = result.verdict ?? "no_baseline";
  const primary = evidence.time ?? evidence.value;
  const worsePct = primary
    ? worse(primary.change_pct, evidence.time ? "smaller_is_better" : result.direction)
    : worse(result.delta_vs_baseline_pct, result.direction);
  const metric = METRICS.find((m) => evidence[m]?.verdict === verdict);
  const judgement: MetricJudgement | undefined = metric && evidence[metric];
  const cause =
    metric && (verdict === "regression" || verdict === "improvement")
      ? { name, metric, pct: worse(judgement?.change_pct, "smaller_is_better") }
      : undefined;
  const tentative = verdict === "regression" && evidence.tentative === true;
  const points = evidence.history_points ?? judge?.history_points;
  const missing =
    typeof judge?.min_history === "number" && typeof points === "number"
      ? judge.min_history - points
      : undefined;
  return {
    name,
    result,
    verdict,
    tentative,
    gating: verdict === "regression" && !tentative,
    worsePct,
    ...(cause && { cause }),
    ...(tentative && missing !== undefined && missing > 0 && { needs: missing }),
  };
}

function thresholdLine(name: string, result: BenchmarkResult, thresholdPct: number): BenchmarkLine {
  const pct = typeof result.delta_vs_baseline_pct === "number" ? result.delta_vs_baseline_pct : null;
  // Without a measured change, the CLI's own regression flag is all there is to go on.
  const regression = pct === null ? result.regression === true : pct > thresholdPct;
  const verdict: BenchmarkVerdict = regression ? "regression" : pct === null ? "no_baseline" : "unchanged";
  return { name, result, verdict, tentative: false, gating: regression, worsePct: pct };
}

const ORDER: Record<BenchmarkVerdict, number> = {
  regression: 0,
  improvement: 2,
  unchanged: 3,
  no_baseline: 4,
};

function rank(line: BenchmarkLine): number {
  return line.tentative ? 1 : ORDER[line.verdict];
}

/** Failing regressions, tentative ones, improvements, unchanged, no baseline; worst (or best) change first. */
function byImportance(a: BenchmarkLine, b: BenchmarkLine): number {
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  const sign = a.verdict === "improvement" ? -1 : 1;
  const pa = a.worsePct ?? sign * -Infinity;
  const pb = b.worsePct ?? sign * -Infinity;
  if (pa !== pb) return sign * (pb > pa ? 1 : -1);
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function sectionWord(lines: BenchmarkLine[]): BenchmarkVerdict {
  for (const word of ["regression", "improvement", "unchanged"] as const) {
    if (lines.some((l) => l.verdict === word)) return word;
  }
  return "no_baseline";
}

/**
 * A few words for a status or a card: "2 regressions, 1 improvement", "1 tentative regression", "unchanged";
 * `short` keeps only the first, most important part (for a badge).
 */
export function benchmarksHeadline(b: BenchmarksAssessment, short = false): string {
  if (!b.reported) return "not reported";
  const counted = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts: string[] = [];
  if (b.regressions.length > 0) parts.push(counted(b.regressions.length, "regression"));
  if (b.tentative.length > 0) parts.push(counted(b.tentative.length, "tentative regression"));
  if (b.improvements > 0) parts.push(counted(b.improvements, "improvement"));
  if (parts.length > 0) return short ? parts[0]! : parts.join(", ");
  if (b.count === 0) return b.word ? VERDICT_WORD[b.word] : b.verdict;
  if (b.lines.every((l) => l.verdict === "no_baseline")) return "no baseline yet";
  return b.judged ? "unchanged" : "none past the threshold";
}

/**
 * The run's largest change in words, "" when none was measured. For a judged run a change the judge did not
 * call a regression is said to be within its noise band: a bare "+60%" on a passing run reads as an alarm.
 */
export function worstChangeText(b: BenchmarksAssessment): string {
  const worst = b.worst;
  if (!worst || worst.pct === null) return "";
  if (!b.judged || b.regressions.some((r) => r.name === worst.name))
    return `worst change ${signed(worst.pct)}`;
  if (b.tentative.some((r) => r.name === worst.name)) return `worst change ${signed(worst.pct)} (tentative)`;
  return `largest change ${signed(worst.pct)} (within its noise band)`;
}

export const VERDICT_WORD: Record<BenchmarkVerdict, string> = {
  regression: "regression",
  improvement: "improvement",
  unchanged: "unchanged",
  no_baseline: "no baseline",
};

export const METRIC_WORD: Record<Metric, string> = {
  time: "time",
  value: "value",
  allocs: "allocations",
  memory: "memory",
};

export const VERDICT_ICON: Record<BenchmarkVerdict, string> = {
  regression: "🔴",
  improvement: "🟢",
  unchanged: "⚪",
  no_baseline: "🆕",
};
