// The rule that decided a run's benchmark regressions, in one line that says where each setting came from:
// the judge's settings as it recorded them, or the threshold of a run without verdicts and its source.
import type { BenchmarksSection, JudgeSettings } from "../contract/types.js";

/** How regressions were decided, with where each setting came from, in one line of plain text. */
export interface GateRule {
  kind: "judge" | "threshold";
  text: string;
}

/** " (default)", " (from .hpc-ci.json)": where a setting came from, as the judge recorded it. */
function sourceOf(judge: JudgeSettings | undefined, setting: string): string {
  const source = judge?.sources?.[setting];
  if (!source) return "";
  return /^(default|from |input |env|option |flag )/i.test(source) ? ` (${source})` : ` (from ${source})`;
}

export function judgeRule(judge: JudgeSettings | undefined, input: number | undefined): GateRule {
  const j = judge ?? {};
  const parts: string[] = [];
  const branch = j.history_branch ?? "default-branch";
  if (typeof j.history_points === "number") {
    parts.push(
      `noise band from ${j.history_points} ${branch} run${j.history_points === 1 ? "" : "s"}${sourceOf(j, "history_branch")}`,
    );
  } else parts.push(`noise band from ${branch} history`);
  const setting = (key: keyof JudgeSettings, label: string, unit = "%") => {
    const v = j[key];
    if (typeof v === "number") parts.push(`${label} ${v}${unit}${sourceOf(j, key)}`);
  };
  setting("floor_pct", "floor");
  setting("cap_pct", "cap");
  setting("min_history", "gates after", " runs");
  setting("history_limit", "history of at most", " runs");
  setting("tolerance_pct", "allocations and memory tolerance");
  if (j.environment) parts.push(`environment ${j.environment}`);
  const ignored =
    input !== undefined
      ? `; input regression-threshold-pct (${input}%) applies only to runs without verdicts`
      : "";
  return { kind: "judge", text: `judge: ${parts.join(", ")}${ignored}` };
}

export function thresholdRule(
  pct: number,
  input: number | undefined,
  section: BenchmarksSection | undefined,
): GateRule {
  const source =
    input !== undefined
      ? "input regression-threshold-pct"
      : section?.regression_threshold_pct !== undefined
        ? "the run's regression_threshold_pct"
        : "default";
  return { kind: "threshold", text: `threshold ${pct}% (${source})` };
}
