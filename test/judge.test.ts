// The judge on a generated A/A sequence with the properties of real cluster runs (issue 14): no false
// regression over many pull-request runs of unchanged code, while an injected slowdown, a doubled
// allocation count and a real improvement are each reported.
import { describe, expect, it } from "vitest";
import { compareWithBaseline } from "./harness/fixed-threshold.js";
import type { BenchmarkResult } from "../src/contract/types.js";
import { DEFAULT_THRESHOLDS } from "../src/config/judge-settings.js";
import { type HistoryRun, judgeBenchmarks, type JudgeThresholds } from "../src/judge/index.js";
import { SLOW_FACTOR, SLOW_NODE, aaSequence, type GeneratedRun } from "./harness/aa-sequence.js";

const T: JudgeThresholds = DEFAULT_THRESHOLDS;
const commit = (i: number, salt = "a") => `${salt}${i.toString(16).padStart(7, "0")}`.padEnd(40, "0");

function history(runs: GeneratedRun[]): HistoryRun[] {
  return runs.map((r, i) => ({ commit: commit(i), node: r.node, benchmarks: r.results }));
}

function judge(run: GeneratedRun, past: HistoryRun[], thresholds = T) {
  return judgeBenchmarks({ current: run.results, node: run.node, history: past, thresholds });
}

function scaled(r: BenchmarkResult, factor: number): BenchmarkResult {
  const out = { ...r };
  for (const k of ["min_ms", "median_ms", "mean_ms", "max_ms", "std_ms"] as const)
    if (out[k] !== undefined) out[k] = (out[k] as number) * factor;
  return out;
}

// 40 default-branch runs (one of them on the slow node), then 100 pull-request runs of the same code.
const MAIN = aaSequence(14, 40, (i) => i === 17);
const PRS = aaSequence(1414, 100, (i) => i === 7);
const PAST = history(MAIN);

describe("the generated A/A sequence", () => {
  it("has the properties of the real runs", () => {
    const all = [...MAIN, ...PRS];
    const cpu = Object.keys(all[0]!.truth).filter((n) => n.startsWith("cpu/"));
    for (const name of cpu) {
      const ts = all.map((r) => r.truth[name]!);
      const mid = ts.slice().sort((a, b) => a - b)[Math.floor(ts.length / 2)]!;
      // Within about ±7% of the typical run (a few tail runs just beyond, as in any sample of 140).
      expect(ts.filter((t) => Math.abs(t / mid - 1) > 0.07).length).toBeLessThan(ts.length * 0.05);
    }
    // Single I/O benchmarks move +86% .. +425% between consecutive runs.
    const jumps = all.slice(1).flatMap((r, i) =>
      Object.keys(r.results)
        .filter((n) => n.startsWith("io/read"))
        .map((n) => r.results[n]!.median_ms! / all[i]!.results[n]!.median_ms!),
    );
    expect(jumps.some((j) => j > 1.86)).toBe(true);
    expect(Math.max(...jumps)).toBeGreaterThan(4);
    // The slow node moves the whole I/O suite 3x.
    const slow = PRS[7]!;
    expect(slow.node).toBe(SLOW_NODE);
    // 2-5 samples, the first carrying compilation: std far above the median.
    const stats = all.flatMap((r) => Object.values(r.results)).filter((r) => r.samples !== undefined);
    expect(new Set(stats.map((r) => r.samples))).toEqual(new Set([2, 3, 4, 5]));
    expect(Math.max(...stats.map((r) => r.std_ms! / r.median_ms!))).toBeGreaterThan(5);
    // Allocations and memory the same in every run.
    for (const name of cpu) expect(new Set(all.map((r) => r.results[name]!.allocs)).size).toBe(1);
  });

  it("is what a fixed 10% threshold on medians against the newest run cries wolf on", () => {
    const flagged = PRS.slice(0, 20).map(
      (r) => compareWithBaseline(r.results, MAIN.at(-1)!.results, 10).regressions.length,
    );
    expect(flagged.filter((n) => n > 0).length).toBeGreaterThan(10);
  });
});

describe("judgeBenchmarks", () => {
  it("finds no regression in 100 pull-request runs of unchanged code", () => {
    let tentative = 0;
    for (const [i, run] of PRS.entries()) {
      const outcome = judge(run, PAST);
      expect(outcome.failing, `run ${i}`).toEqual([]);
      expect(outcome.verdict, `run ${i}`).not.toBe("regression");
      tentative += Object.values(outcome.results).filter((r) => r.verdict === "regression").length;
      for (const r of Object.values(outcome.results)) {
        expect(r.regression).toBe(r.verdict === "regression");
        expect(r.evidence?.history_points).toBe(40);
        expect(r.evidence?.allocs?.verdict ?? "unchanged").toBe("unchanged");
      }
    }
    // At most a stray tentative mark on the noisiest benchmarks, out of 1,500 judgements.
    expect(tentative).toBeLessThanOrEqual(3);
  });

  it("reports the slow node's 3x once, as a shift of the I/O suite, not as regressions", () => {
    const outcome = judge(PRS[7]!, PAST);
    expect(outcome.shifts).toHaveLength(1);
    const [shift] = outcome.shifts;
    expect(shift).toMatchObject({ suite: "io", node: SLOW_NODE });
    expect(shift!.factor).toBeGreaterThan(SLOW_FACTOR * 0.8);
    expect(shift!.factor).toBeLessThan(SLOW_FACTOR * 1.25);
    expect(shift!.benchmarks).toBeGreaterThanOrEqual(7);
    expect(outcome.results["io/read_1"]!.evidence?.shift_pct).toBeGreaterThan(100);
    expect(outcome.results["io/read_1"]!.delta_vs_baseline_pct).toBeGreaterThan(100);
    expect(outcome.failing).toEqual([]);
    // Without the shift taken out, the same run would be full of regressions.
    const noShift = judgeBenchmarks({
      current: Object.fromEntries(
        Object.entries(PRS[7]!.results).filter(([n]) => n === "io/read_1" || n.startsWith("cpu/")),
      ),
      history: PAST,
      thresholds: T,
    });
    expect(noShift.results["io/read_1"]!.verdict).toBe("regression");
  });

  it("reports +30% on one stable benchmark as a regression, in every run it is injected into", () => {
    for (const run of PRS.slice(0, 30)) {
      const current = { ...run.results, "cpu/kernel_3": scaled(run.results["cpu/kernel_3"]!, 1.3) };
      const outcome = judge({ ...run, results: current }, PAST);
      expect(outcome.failing).toEqual(["cpu/kernel_3"]);
      expect(outcome.verdict).toBe("regression");
      const r = outcome.results["cpu/kernel_3"]!;
      expect(r.evidence?.time?.verdict).toBe("regression");
      expect(r.evidence?.time?.band_pct).toBeLessThan(30);
      expect(r.evidence?.time?.band_pct).toBeGreaterThanOrEqual(T.floor_pct);
      expect(r.delta_vs_baseline_pct).toBe(r.evidence?.time?.change_pct);
      expect(outcome.worst).toBe(r.delta_vs_baseline_pct);
    }
  });

  it("reports doubled allocations as a regression while the time is unchanged", () => {
    const run = PRS[3]!;
    const current = {
      ...run.results,
      "cpu/kernel_2": { ...run.results["cpu/kernel_2"]!, allocs: 2 * run.results["cpu/kernel_2"]!.allocs! },
    };
    const outcome = judge({ ...run, results: current }, PAST);
    const r = outcome.results["cpu/kernel_2"]!;
    expect(r.verdict).toBe("regression");
    expect(r.evidence?.time?.verdict).toBe("unchanged");
    expect(r.evidence?.allocs).toMatchObject({ verdict: "regression", change_pct: 100, band_pct: 1 });
    expect(outcome.failing).toEqual(["cpu/kernel_2"]);
  });

  it("reports a real improvement as an improvement", () => {
    const run = PRS[4]!;
    const current = { ...run.results, "cpu/kernel_4": scaled(run.results["cpu/kernel_4"]!, 0.7) };
    const outcome = judge({ ...run, results: current }, PAST);
    expect(outcome.results["cpu/kernel_4"]!.verdict).toBe("improvement");
    expect(outcome.verdict).toBe("improvement");
    expect(outcome.failing).toEqual([]);
  });

  it("judges bigger-is-better values with their direction", () => {
    const run = PRS[5]!;
    const value = run.results["io/throughput"]!.value!;
    const lower = judge(
      { ...run, results: { "io/throughput": { ...run.results["io/throughput"]!, value: value / 3 } } },
      PAST,
    );
    expect(lower.results["io/throughput"]!.verdict).toBe("regression");
    expect(lower.results["io/throughput"]!.evidence?.value?.change_pct).toBeLessThan(-60);
    const higher = judge(
      { ...run, results: { "io/throughput": { ...run.results["io/throughput"]!, value: value * 3 } } },
      PAST,
    );
    expect(higher.results["io/throughput"]!.verdict).toBe("improvement");
  });

  it("does not judge a rate whose direction is unknown, rather than judge it backwards", () => {
    const run = PRS[5]!;
    const { direction: _, ...rate } = run.results["io/throughput"]!;
    const outcome = judge(
      { ...run, results: { "io/throughput": { ...rate, value: rate.value! * 3 } } },
      PAST,
    );
    expect(outcome.results["io/throughput"]).toMatchObject({
      verdict: "no_baseline",
      evidence: { value: { verdict: "no_baseline" }, note: "MB/s without a direction: not judged" },
    });
  });

  it("cannot fail on time with less history than min_history, but can on allocations", () => {
    const run = PRS[6]!;
    const current = {
      ...run.results,
      "cpu/kernel_3": scaled(run.results["cpu/kernel_3"]!, 1.5),
      "cpu/kernel_5": {
        ...run.results["cpu/kernel_5"]!,
        memory_bytes: run.results["cpu/kernel_5"]!.memory_bytes! * 2,
      },
    };
    const outcome = judge({ ...run, results: current }, PAST.slice(0, 3));
    const slow = outcome.results["cpu/kernel_3"]!;
    expect(slow.verdict).toBe("regression");
    expect(slow.evidence).toMatchObject({ tentative: true, history_points: 3 });
    expect(slow.evidence?.note).toContain("3 of 5");
    expect(outcome.failing).toEqual(["cpu/kernel_5"]);
  });

  it("says no_baseline for a benchmark the history never had, and for an empty history", () => {
    const run = PRS[8]!;
    const outcome = judge(
      { ...run, results: { ...run.results, "cpu/new": { median_ms: 3, min_ms: 2 } } },
      PAST,
    );
    expect(outcome.results["cpu/new"]).toMatchObject({
      verdict: "no_baseline",
      regression: false,
      delta_vs_baseline_pct: null,
    });
    const none = judge(run, []);
    expect(none.verdict).toBe("no_baseline");
    expect(none.worst).toBeNull();
  });

  it("uses only the newest history_limit runs, with a baseline from recent runs rather than the newest alone", () => {
    const outcome = judge(PRS[9]!, PAST, { ...T, history_limit: 10 });
    expect(outcome.historyPoints).toBe(10);
    expect(outcome.results["cpu/kernel_1"]!.evidence?.history_points).toBe(10);
    expect(outcome.results["cpu/kernel_1"]!.evidence?.baseline_commit).toBe(commit(39));
    // An outlier as the newest default-branch run does not become the baseline.
    const spiked = [
      ...PAST,
      {
        ...PAST[39]!,
        commit: commit(40),
        benchmarks: { "cpu/kernel_1": scaled(MAIN[39]!.results["cpu/kernel_1"]!, 2) },
      },
    ];
    const r = judge(PRS[9]!, spiked).results["cpu/kernel_1"]!;
    expect(r.verdict).toBe("unchanged");
    expect(Math.abs(r.evidence!.time!.change_pct!)).toBeLessThan(10);
  });
});
