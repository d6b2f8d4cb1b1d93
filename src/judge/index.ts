// The benchmark judge: verdicts with evidence against a bounded default-branch history (pure, no I/O).
export { judgeBenchmarks, worstVerdict } from "./judge.js";
export { BASELINE_WINDOW, COUNT_SLACK } from "./metric.js";
export { SHIFT_MIN_BENCHMARKS, SHIFT_MIN_SHARE, suiteOf } from "./shift.js";
export type { HistoryPoint, HistoryRun, JudgeInput, JudgeOutcome, JudgeThresholds } from "./types.js";
