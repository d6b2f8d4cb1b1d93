// The judge's thresholds and where each came from. Precedence, lowest first: the defaults, then
// .hpc-ci.json (benchmarks.judge; the legacy benchmarks.threshold_pct as the floor), then the
// operator's environment (HPC_BENCH_*), then `run` flags (--bench-*). .hpc-ci.json belongs to the
// commit under test, so a pull request can loosen it for itself; the operator's variables and flags win.
import type { JudgeThresholds } from "../judge/types.js";
import { ConfigError } from "./settings-error.js";

export const DEFAULT_THRESHOLDS: JudgeThresholds = {
  floor_pct: 5,
  cap_pct: 100,
  min_history: 5,
  history_limit: 100,
  tolerance_pct: 1,
};
/** The history file keeps this many runs per environment; the judge reads at most as many. */
export const MAX_HISTORY = 100;

type Key = keyof JudgeThresholds;
const KEYS = Object.keys(DEFAULT_THRESHOLDS) as Key[];
const COUNTS: ReadonlySet<Key> = new Set(["min_history", "history_limit"]);

export const THRESHOLD_VARIABLES: Record<Key, string> = {
  floor_pct: "HPC_BENCH_FLOOR_PCT",
  cap_pct: "HPC_BENCH_CAP_PCT",
  min_history: "HPC_BENCH_MIN_HISTORY",
  history_limit: "HPC_BENCH_HISTORY_LIMIT",
  tolerance_pct: "HPC_BENCH_TOLERANCE_PCT",
};
export const THRESHOLD_FLAGS: Record<Key, string> = {
  floor_pct: "bench-floor-pct",
  cap_pct: "bench-cap-pct",
  min_history: "bench-min-history",
  history_limit: "bench-history-limit",
  tolerance_pct: "bench-tolerance-pct",
};

export interface JudgeConfig {
  judge?: Partial<JudgeThresholds>;
  threshold_pct?: number;
  confirm?: boolean;
}

export interface JudgeSettingsResolved {
  thresholds: JudgeThresholds;
  /** Per threshold: "default", ".hpc-ci.json benchmarks.judge.<key>", the variable or the flag. */
  sources: Record<Key, string>;
  confirm: boolean;
  confirmSource: string;
}

export function resolveJudgeSettings(
  config: JudgeConfig,
  env: NodeJS.ProcessEnv,
  flags: Record<string, unknown> = {},
): JudgeSettingsResolved {
  const thresholds = { ...DEFAULT_THRESHOLDS };
  const sources = Object.fromEntries(KEYS.map((k) => [k, "default"])) as Record<Key, string>;
  const set = (key: Key, raw: unknown, source: string) => {
    thresholds[key] = checked(key, raw, source);
    sources[key] = source;
  };
  if (config.threshold_pct !== undefined)
    set("floor_pct", config.threshold_pct, ".hpc-ci.json benchmarks.threshold_pct (legacy)");
  for (const key of KEYS) {
    if (config.judge?.[key] !== undefined)
      set(key, config.judge[key], `.hpc-ci.json benchmarks.judge.${key}`);
    const fromEnv = env[THRESHOLD_VARIABLES[key]];
    if (fromEnv !== undefined && fromEnv.trim() !== "") set(key, fromEnv.trim(), THRESHOLD_VARIABLES[key]);
    const fromFlag = flags[THRESHOLD_FLAGS[key]];
    if (fromFlag !== undefined) set(key, fromFlag, `--${THRESHOLD_FLAGS[key]}`);
  }
  if (thresholds.cap_pct < thresholds.floor_pct)
    throw new ConfigError(
      `the cap (${thresholds.cap_pct}%, ${sources.cap_pct}) is below the floor (${thresholds.floor_pct}%, ${sources.floor_pct})`,
    );
  let confirm = config.confirm ?? false;
  let confirmSource = config.confirm === undefined ? "default" : ".hpc-ci.json benchmarks.confirm";
  const fromEnv = env.HPC_BENCH_CONFIRM?.trim().toLowerCase();
  if (fromEnv) {
    if (!["1", "0", "true", "false"].includes(fromEnv))
      throw new ConfigError(`HPC_BENCH_CONFIRM must be 1 or 0, not ${JSON.stringify(env.HPC_BENCH_CONFIRM)}`);
    confirm = fromEnv === "1" || fromEnv === "true";
    confirmSource = "HPC_BENCH_CONFIRM";
  }
  return { thresholds, sources, confirm, confirmSource };
}

function checked(key: Key, raw: unknown, source: string): number {
  const n = typeof raw === "number" ? raw : typeof raw === "string" && raw !== "" ? Number(raw) : NaN;
  const ok = COUNTS.has(key)
    ? Number.isInteger(n) && n >= 1 && (key !== "history_limit" || n <= MAX_HISTORY)
    : Number.isFinite(n) && n >= 0;
  if (!ok) {
    const want = COUNTS.has(key)
      ? `a whole number from 1${key === "history_limit" ? ` to ${MAX_HISTORY}` : ""}`
      : "a number of percent >= 0";
    throw new ConfigError(`${source}: ${key} must be ${want}, not ${JSON.stringify(raw)}`);
  }
  return n;
}
