// The benchmarks phase's judging: the default branch's history in this run's environment, the judge's
// verdicts, and the log lines that say what was found and on what evidence.
import type {
  Baseline,
  BenchmarkResult,
  BenchmarksSection,
  HpcProvenance,
  JudgeSettings,
} from "../contract/types.js";
import { worstRegression } from "../contract/normalize.js";
import { resultsToken } from "../config/token-file.js";
import { tokenEnvironment } from "../git/credentials.js";
import { type JudgeOutcome, judgeBenchmarks } from "../judge/index.js";
import { baselineBranch } from "../results-branch/baseline.js";
import { describeEnvironment, environmentOf, fetchHistory, historyFor } from "../results-branch/history.js";
import type { BenchmarkHistoryRun } from "../contract/types.js";
import { remoteUrl } from "./publish.js";
import type { RunContext } from "./run.js";

export interface LoadedHistory {
  branch: string;
  environment: string;
  runs: BenchmarkHistoryRun[];
  /** Why there is no history, for the log. */
  reason?: string;
}

/** The default branch's runs in this run's environment (never this commit's own), oldest first. */
export async function loadHistory(
  ctx: RunContext,
  commit: string,
  hpc: HpcProvenance,
): Promise<LoadedHistory> {
  const { settings } = ctx;
  const branch = await baselineBranch(settings);
  const env = environmentOf({ schema_version: 1, commit, hpc });
  const environment = describeEnvironment(env);
  const url = await remoteUrl(settings.root, settings.results.repoUrl ?? settings.results.remote).catch(
    () => undefined,
  );
  if (!url) return { branch, environment, runs: [], reason: "no remote to read the history from" };
  const fetched = await fetchHistory(
    url,
    settings.results.branch,
    branch,
    // A bad token file is said by the publish; the history is then read without it.
    tokenEnvironment(url, await resultsToken(settings).catch(() => undefined)),
  );
  if (!fetched.history) return { branch, environment, runs: [], reason: fetched.reason };
  const runs = historyFor(fetched.history, env, commit);
  const reason =
    runs.length === 0
      ? `${fetched.history.runs.length} ${branch} run(s) in the history, none in this environment (${environment})`
      : undefined;
  return { branch, environment, runs, ...(reason && { reason }) };
}

export interface Judged {
  outcome: JudgeOutcome;
  judge: JudgeSettings;
  baseline?: Baseline;
}

export function judgeRun(
  ctx: RunContext,
  current: Record<string, BenchmarkResult>,
  history: LoadedHistory,
  node: string | undefined,
): Judged {
  const { thresholds, sources, confirmSource } = ctx.settings.benchmarks.judge;
  const outcome = judgeBenchmarks({ current, node, history: history.runs, thresholds });
  const used = history.runs.slice(-thresholds.history_limit);
  const newest = used.at(-1);
  return {
    outcome,
    judge: {
      ...thresholds,
      history_branch: history.branch,
      history_points: outcome.historyPoints,
      environment: history.environment,
      sources: { ...sources, confirm: confirmSource, history_branch: historySource(ctx) },
    },
    ...(newest && {
      baseline: {
        commit: newest.commit,
        branch: history.branch,
        ...(newest.generated_at && { generated_at: newest.generated_at }),
      },
    }),
  };
}

/**
 * After a rerun: only regressions seen in both runs remain. The rerun's numbers are kept (the newer
 * measurement); a regression of one run only becomes the other run's verdict, with a note.
 */
export function keepConfirmed(first: JudgeOutcome, second: JudgeOutcome): JudgeOutcome {
  const results: Record<string, BenchmarkResult> = {};
  for (const [name, r] of Object.entries(second.results)) {
    const before = first.results[name];
    const once = (r.verdict === "regression") !== (before?.verdict === "regression");
    if (!once || r.verdict !== "regression") {
      results[name] = once ? withNote(r, "the first run's regression was not seen again") : r;
      continue;
    }
    results[name] = withNote(
      { ...r, verdict: "unchanged", regression: false },
      "a regression of the rerun only, not of the first run",
    );
  }
  const failing = second.failing.filter((n) => first.failing.includes(n));
  const anyImprovement = Object.values(results).some((r) => r.verdict === "improvement");
  const verdict =
    failing.length > 0
      ? "regression"
      : anyImprovement
        ? "improvement"
        : second.verdict === "no_baseline"
          ? "no_baseline"
          : "unchanged";
  return { ...second, results, failing, verdict, worst: worstRegression(results) };
}

function withNote(r: BenchmarkResult, note: string): BenchmarkResult {
  const evidence = { ...r.evidence, note: r.evidence?.note ? `${r.evidence.note}; ${note}` : note };
  return { ...r, evidence };
}

/** The section fields the judge fills. */
export function judgedSection(judged: Judged, confirmed: boolean | undefined): Partial<BenchmarksSection> {
  const { outcome } = judged;
  return {
    results: outcome.results,
    verdict: outcome.verdict,
    shifts: outcome.shifts,
    judge: judged.judge,
    worst_regression_pct: outcome.worst,
    // Legacy readers' threshold: the smallest time change that can ever be a regression.
    regression_threshold_pct: judged.judge.floor_pct,
    ...(judged.baseline && { baseline: judged.baseline }),
    ...(confirmed !== undefined && { confirmed }),
  };
}

/** What the log says about the verdicts: the run's verdict, each regression with its evidence, shifts. */
export function describeJudgement(judged: Judged): string[] {
  const { outcome, judge } = judged;
  const lines = [
    `benchmarks: ${outcome.verdict} against ${outcome.historyPoints} ${judge.history_branch} run(s) in ${judge.environment}` +
      ` (floor ${judge.floor_pct}%, cap ${judge.cap_pct}%, min history ${judge.min_history}, tolerance ${judge.tolerance_pct}%)`,
  ];
  for (const s of outcome.shifts)
    lines.push(
      `benchmarks: suite ${s.suite} moved x${s.factor} together${s.node ? ` on node ${s.node}` : ""} (${s.benchmarks} of ${s.of}): judged with that divided out`,
    );
  for (const [name, r] of Object.entries(outcome.results)) {
    if (r.verdict !== "regression" && r.verdict !== "improvement") continue;
    const e = r.evidence ?? {};
    const parts = (["time", "value", "allocs", "memory"] as const).flatMap((k) => {
      const m = e[k];
      if (!m || (m.verdict !== "regression" && m.verdict !== "improvement")) return [];
      const change =
        typeof m.change_pct === "number" ? `${m.change_pct > 0 ? "+" : ""}${m.change_pct}%` : "from 0";
      return [`${k} ${m.baseline} -> ${m.current} (${change}, band ±${m.band_pct}%)`];
    });
    const tag = e.tentative ? " (tentative: cannot fail)" : "";
    lines.push(`benchmarks: ${r.verdict}${tag}: ${name}: ${parts.join("; ")}${e.note ? ` [${e.note}]` : ""}`);
  }
  return lines;
}

function historySource(ctx: RunContext): string {
  if (ctx.env.HPC_BENCH_BASELINE_BRANCH) return "HPC_BENCH_BASELINE_BRANCH";
  if (ctx.settings.benchmarks.baselineBranch) return ".hpc-ci.json benchmarks.baseline_branch";
  return `${ctx.settings.results.remote}/HEAD`;
}
