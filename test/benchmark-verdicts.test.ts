// How the judge's stored verdicts are shown (never re-judged): the benchmarks assessment every view uses, the
// comment's table, the hpc/benchmarks status and the history the dashboard draws from; and runs without
// verdicts, which keep the threshold on delta_vs_baseline_pct.
import { describe, expect, it } from "vitest";
import type { BenchmarkResult, BenchmarksSection, HpcResults } from "../src/contract/types.js";
import { historyEntry } from "../src/dashboard/history.js";
import { planStatuses } from "../src/github/statuses.js";
import { assessRun } from "../src/render/assessment.js";
import { assessBenchmarks } from "../src/render/benchmark-assessment.js";
import { renderSummaryBody } from "../src/render/summary-body.js";

const COMMIT = "c0ffee".padEnd(40, "3");
const BASE = "ba5e".padEnd(40, "4");

function timed(
  verdict: BenchmarkResult["verdict"],
  baseline: number,
  current: number,
  band: number,
  extra: Partial<NonNullable<BenchmarkResult["evidence"]>> = {},
): BenchmarkResult {
  const change = Math.round(((current - baseline) / baseline) * 1000) / 10;
  return {
    median_ms: current,
    verdict,
    evidence: {
      history_points: 37,
      baseline_commit: BASE,
      time: { baseline, current, change_pct: change, band_pct: band, verdict },
      ...extra,
    },
  };
}

function judged(results: Record<string, BenchmarkResult>, extra: Partial<BenchmarksSection> = {}) {
  const section: BenchmarksSection = {
    status: "passed",
    verdict: "regression",
    judge: {
      floor_pct: 5,
      cap_pct: 50,
      min_history: 5,
      history_branch: "main",
      history_points: 37,
      tolerance_pct: 1,
      environment: "lr / Xeon 6338 / julia 1.11 / 32 threads",
      sources: { floor_pct: "default", cap_pct: ".hpc-ci.json", min_history: "default" },
    },
    results,
    ...extra,
  };
  return section;
}

function run(benchmarks: BenchmarksSection): HpcResults {
  return { schema_version: 1, commit: COMMIT, branch: "feature/x", benchmarks };
}

const ALL_FOUR = {
  "cpu/sort": timed("regression", 100, 131, 6),
  "cpu/fft": timed("improvement", 50, 40, 5),
  "cpu/gemm": timed("unchanged", 10, 10.4, 7),
  "cpu/new": { median_ms: 3, verdict: "no_baseline" as const, evidence: { history_points: 0 } },
};

describe("the benchmarks assessment of a judged run", () => {
  it("shows the stored verdicts: regressions first, then improvements, unchanged, no baseline", () => {
    const b = assessBenchmarks(judged(ALL_FOUR));
    expect(b.judged).toBe(true);
    expect(b.word).toBe("regression");
    expect(b.verdict).toBe("failed");
    expect(b.lines.map((l) => [l.name, l.verdict])).toEqual([
      ["cpu/sort", "regression"],
      ["cpu/fft", "improvement"],
      ["cpu/gemm", "unchanged"],
      ["cpu/new", "no_baseline"],
    ]);
    expect(b.regressions).toEqual([{ name: "cpu/sort", metric: "time", pct: 31 }]);
    expect(b.improvements).toBe(1);
    expect(b.worst).toEqual({ name: "cpu/sort", pct: 31 });
    expect(b.rule.text).toBe(
      "judge: noise band from 37 main runs, floor 5% (default), cap 50% (from .hpc-ci.json), gates after 5 runs (default), allocations and memory tolerance 1%, environment lr / Xeon 6338 / julia 1.11 / 32 threads",
    );
  });

  it("does not fail on a tentative regression, and says how much history it still needs", () => {
    const r = run(
      judged({ "cpu/sort": timed("regression", 100, 131, 6, { tentative: true, history_points: 3 }) }),
    );
    const b = assessBenchmarks(r.benchmarks);
    expect(b.verdict).toBe("passed");
    expect(b.word).toBe("regression"); // as stored
    expect(b.regressions).toEqual([]);
    expect(b.tentative).toEqual([{ name: "cpu/sort", metric: "time", pct: 31 }]);
    expect(b.lines[0]).toMatchObject({ tentative: true, gating: false, needs: 2 });
    const body = renderSummaryBody({ run: r, assessment: assessRun(r) });
    expect(body).toContain("#### Benchmarks ✅ passed: 1 tentative regression");
    expect(body).toContain("🟡 regression, tentative&#58; needs 2 more main runs to gate");
    expect(body).toContain(
      "🟡 1 tentative regression with too little history to fail this run: cpu/sort (time +31.0%)",
    );
  });

  it("fails on allocations alone, exactly, even with time unchanged; shows memory and allocations before → after", () => {
    const results = {
      "alloc/heavy": {
        median_ms: 12,
        memory_bytes: 4 * 1024 * 1024,
        allocs: 2000,
        verdict: "regression" as const,
        evidence: {
          time: { baseline: 12.1, current: 12, change_pct: -0.8, band_pct: 6, verdict: "unchanged" as const },
          allocs: {
            baseline: 1000,
            current: 2000,
            change_pct: 100,
            band_pct: 1,
            verdict: "regression" as const,
          },
          memory: {
            baseline: 2 * 1024 * 1024,
            current: 4 * 1024 * 1024,
            change_pct: 100,
            band_pct: 1,
            verdict: "regression" as const,
          },
        },
      },
    };
    const r = run(judged(results));
    const b = assessBenchmarks(r.benchmarks);
    expect(b.verdict).toBe("failed");
    expect(b.regressions).toEqual([{ name: "alloc/heavy", metric: "allocs", pct: 100 }]);
    // The worst change is the time's, which did not move.
    expect(b.worst).toEqual({ name: "alloc/heavy", pct: -0.8 });
    const body = renderSummaryBody({ run: r, assessment: assessRun(r) });
    expect(body).toContain(
      "| alloc/heavy | 12.1 ms → 12 ms | -0.8% | ±6% | 🔴 regression (allocations) | 2 MiB → 4 MiB (+100.0%) ⚠️ | 1,000 → 2,000 (+100.0%) ⚠️ |",
    );
    const status = planStatuses(assessRun(r), { prefix: "hpc", skipped: "off" }).find(
      (x) => x.context === "hpc/benchmarks",
    );
    expect(status).toMatchObject({
      state: "failure",
      description: "1 regression beyond the noise band: alloc/heavy allocs +100.0%",
    });
  });

  it("counts a throughput that fell as worse, in its own unit", () => {
    const r = run(
      judged({
        "io/stream": {
          value: 1.02,
          unit: "GB/s",
          direction: "bigger_is_better",
          verdict: "regression",
          evidence: {
            value: { baseline: 1.25, current: 1.02, change_pct: -20, band_pct: 8, verdict: "regression" },
          },
        },
      }),
    );
    const b = assessBenchmarks(r.benchmarks);
    expect(b.worst).toEqual({ name: "io/stream", pct: 20 });
    // Listed with the change as measured, beside the table's column.
    expect(b.regressions).toEqual([{ name: "io/stream", metric: "value", pct: -20 }]);
    expect(renderSummaryBody({ run: r, assessment: assessRun(r) })).toContain(
      "| io/stream | 1.25 GB/s → 1.02 GB/s | -20.0% | ±8% | 🔴 regression |",
    );
  });

  it("reports a suite-wide shift once, and leaves the shifted suite out of the worst change", () => {
    const shifted = { shift_pct: 210 };
    const r = run(
      judged(
        {
          "io/read": timed("unchanged", 5, 15.5, 12, shifted),
          "io/write": timed("unchanged", 1, 3.1, 12, shifted),
          "cpu/sort": timed("unchanged", 100, 103, 6),
        },
        { verdict: "unchanged", shifts: [{ suite: "io", node: "n0042", factor: 3.1, benchmarks: 2, of: 2 }] },
      ),
    );
    const a = assessRun(r);
    expect(a.benchmarks.verdict).toBe("passed");
    expect(a.benchmarks.worst).toEqual({ name: "cpu/sort", pct: 3 });
    const body = renderSummaryBody({ run: r, assessment: a });
    expect(body.match(/environment shift/g)).toHaveLength(1);
    expect(body).toContain(
      "🌐 Suite **io** moved 3.1× together on node **n0042** (2 of 2 benchmarks): an environment shift, not judged as regressions.",
    );
    expect(body).toContain(
      "| io/read | 5 ms → 15.5 ms | +210.0% | ±12% (suite shift +210.0% taken out) | ⚪ unchanged |",
    );
    const status = planStatuses(a, { prefix: "hpc", skipped: "off" }).find(
      (x) => x.context === "hpc/benchmarks",
    );
    expect(status).toEqual({
      context: "hpc/benchmarks",
      state: "success",
      description: "Passed: 3 benchmarks, unchanged, largest change +3.0% (within its noise band)",
    });
  });

  it("fails on a stored section regression even when the benchmarks were pruned away", () => {
    const b = assessBenchmarks({ status: "passed", verdict: "regression" });
    expect(b.verdict).toBe("failed");
    expect(assessBenchmarks({ status: "passed", verdict: "unchanged" }).verdict).toBe("passed");
  });

  it("ignores the regression-threshold-pct input for a judged run, and says so", () => {
    const b = assessBenchmarks(
      judged({ "cpu/gemm": timed("unchanged", 10, 11.5, 20) }, { verdict: "unchanged" }),
      {
        regressionThresholdPct: 5,
      },
    );
    expect(b.verdict).toBe("passed");
    expect(b.rule.text).toMatch(
      /; input regression-threshold-pct \(5%\) applies only to runs without verdicts$/,
    );
  });
});

describe("runs without verdicts keep the threshold", () => {
  const legacy = (threshold?: number): BenchmarksSection => ({
    status: "passed",
    ...(threshold !== undefined && { regression_threshold_pct: threshold }),
    results: {
      a: { median_ms: 10, baseline_median_ms: 8.5, delta_vs_baseline_pct: 17.6 },
      b: { median_ms: 1, delta_vs_baseline_pct: 4 },
      c: { median_ms: 2 },
    },
  });

  it("takes the input, else the run's own, else 10%, and names the source", () => {
    expect(assessBenchmarks(legacy()).rule.text).toBe("threshold 10% (default)");
    expect(assessBenchmarks(legacy(20)).rule.text).toBe("threshold 20% (the run's regression_threshold_pct)");
    expect(assessBenchmarks(legacy(20), { regressionThresholdPct: 3 }).rule.text).toBe(
      "threshold 3% (input regression-threshold-pct)",
    );
    expect(assessBenchmarks(legacy()).verdict).toBe("failed");
    expect(assessBenchmarks(legacy(20)).verdict).toBe("passed");
    expect(
      assessBenchmarks(legacy(20), { regressionThresholdPct: 3 }).regressions.map((r) => r.name),
    ).toEqual(["a", "b"]);
    const b = assessBenchmarks(legacy());
    expect(b.judged).toBe(false);
    expect(b.word).toBe("regression");
    expect(b.lines.map((l) => [l.name, l.verdict])).toEqual([
      ["a", "regression"],
      ["b", "unchanged"],
      ["c", "no_baseline"],
    ]);
    const r = run(legacy());
    expect(renderSummaryBody({ run: r, assessment: assessRun(r) })).toContain(
      "| a | 8.5 ms → 10 ms | +17.6% |  | 🔴 regression |  |  |",
    );
  });
});

describe("the comment's benchmark table stays bounded and escaped", () => {
  it("keeps regressions when 3,000 benchmarks with long names are cut to the comment limit, saying how many", () => {
    const results: Record<string, BenchmarkResult> = {};
    for (let i = 0; i < 3000; i++) {
      results[`suite/${"very-long-benchmark-name-".repeat(6)}${i}`] = timed(
        i === 2999 ? "regression" : "unchanged",
        100,
        i === 2999 ? 140 : 101,
        6,
        { allocs: { baseline: 10, current: 10, change_pct: 0, band_pct: 1, verdict: "unchanged" } },
      );
    }
    const r = run(judged(results));
    const a = assessRun(r);
    const body = renderSummaryBody({ run: r, assessment: a });
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/_… [\d,]+ more benchmarks not shown: a comment holds at most 65,536 characters/);
    const first = body.split("\n").find((l) => l.startsWith("| suite/"));
    expect(first).toContain("2999 | 100 ms → 140 ms | +40.0% | ±6% | 🔴 regression");
    for (const s of planStatuses(a, { prefix: "hpc", skipped: "off" })) {
      expect(Array.from(s.description).length).toBeLessThanOrEqual(140);
    }
  });

  it("escapes names, units, suites and nodes from the data; no table is broken", () => {
    const hostile = "a|b <img src=x> @octocat #1";
    const r = run(
      judged(
        {
          [hostile]: {
            value: 2,
            unit: "ops|<s>",
            verdict: "unchanged",
            evidence: {
              value: { baseline: 2, current: 2, change_pct: 0, band_pct: 3, verdict: "unchanged" },
            },
          },
        },
        { verdict: "unchanged", shifts: [{ suite: "**x**|y", node: "<b>n</b>", factor: 2 }] },
      ),
    );
    const body = renderSummaryBody({ run: r, assessment: assessRun(r) });
    expect(body).not.toMatch(/<img|<s>|<b>|@octocat|\*\*x\*\*/);
    const row = body.split("\n").find((l) => l.startsWith("| a"))!;
    expect(row.split("|").length - 2).toBe(7);
    expect(row).toContain("2 ops&#124;&#60;s&#62; → 2 ops&#124;&#60;s&#62;");
  });
});

describe("the dashboard's history keeps what the band is drawn from", () => {
  it("keeps verdicts, evidence and the judge's settings, and drops the rest", () => {
    const section = judged(
      {
        "cpu/sort": { ...timed("regression", 100, 131, 6), std_ms: 4, samples: 5, gc_ms: 1 },
        "cpu/new": timed("regression", 10, 13, 8, {
          tentative: true,
          history_points: 3,
          allocs: { baseline: 5, current: 5, change_pct: 0, band_pct: 1, verdict: "unchanged" },
        }),
      },
      { shifts: [{ suite: "io", factor: 3 }], confirmed: true },
    );
    const entry = historyEntry(run(section));
    const kept = entry.benchmarks!;
    expect(kept.verdict).toBe("regression");
    expect(kept.confirmed).toBe(true);
    expect(kept.shifts).toEqual([{ suite: "io", factor: 3 }]);
    expect(kept.judge?.sources).toEqual(section.judge!.sources);
    expect(kept.results!["cpu/sort"]).toEqual({
      median_ms: 131,
      verdict: "regression",
      evidence: {
        time: { baseline: 100, current: 131, change_pct: 31, band_pct: 6, verdict: "regression" },
      },
    });
    // A tentative verdict keeps the history it had; allocations that did not move are left to the result.
    expect(kept.results!["cpu/new"]!.evidence).toEqual({
      history_points: 3,
      tentative: true,
      time: { baseline: 10, current: 13, change_pct: 30, band_pct: 8, verdict: "regression" },
    });
  });
});
