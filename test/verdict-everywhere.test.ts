// One verdict everywhere: a run published on the results branch goes through the three bundled actions as the
// runner runs them (ingest-hpc-results, comment-hpc-summary against the GitHub stand-in, render-badges), and
// ingest's outputs, the hpc/benchmarks status, the comment, the badge JSON and the dashboard page all say the
// same thing: the judge's stored verdict when the run has one (a tentative regression does not fail), the
// threshold only for a run without verdicts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeSha, startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import { ResultsRepo, ourRun, writeOurRun } from "./harness/results-branch.js";
import { scratchDir } from "./harness/scratch.js";
import { type Shown, throughTheActions } from "./harness/through-actions.js";

const TOKEN = "ghs_VerdictEverywhereToken0123456789abcdef";
let api: GitHubApi;

beforeAll(async () => {
  api = await startGitHubApi({ token: TOKEN });
});

afterAll(async () => {
  expect(api.violations).toEqual([]);
  await api.close();
});

type Kind = "regression" | "tentative" | "legacy";

/** A run of `commit` whose benchmarks summary carries the judge's verdicts (or, for legacy, only deltas). */
function publishedRun(commit: string, kind: Kind): ReturnType<typeof ourRun> {
  const run = ourRun(commit);
  const summary = run.benchmarks!;
  if (kind === "legacy") {
    (summary.benchmarks as Record<string, Record<string, unknown>>)["solver/3d"]!.delta_vs_baseline_pct =
      14.5;
    return run;
  }
  const points = kind === "tentative" ? 3 : 37;
  summary.verdict = "regression";
  summary.shifts = [{ suite: "io", node: "n0042", factor: 3, benchmarks: 2, of: 2 }];
  summary.judge = {
    floor_pct: 5,
    cap_pct: 50,
    min_history: 5,
    history_branch: "main",
    history_points: points,
    tolerance_pct: 1,
    sources: { floor_pct: "default", cap_pct: ".hpc-ci.json", min_history: "default" },
  };
  summary.benchmarks = {
    "solver/3d": {
      median_ms: 161.9,
      memory_bytes: 2048,
      allocs: 12,
      verdict: "regression",
      evidence: {
        history_points: points,
        tentative: kind === "tentative",
        time: { baseline: 123.4, current: 161.9, change_pct: 31.2, band_pct: 6.5, verdict: "regression" },
        allocs: { baseline: 12, current: 12, change_pct: 0, band_pct: 1, verdict: "unchanged" },
      },
    },
    "solver/2d": {
      median_ms: 40,
      verdict: "improvement",
      evidence: {
        history_points: points,
        time: { baseline: 50, current: 40, change_pct: -20, band_pct: 5, verdict: "improvement" },
      },
    },
    "io/read": {
      median_ms: 16.5,
      verdict: "unchanged",
      evidence: {
        history_points: points,
        shift_pct: 200,
        time: { baseline: 5.5, current: 16.5, change_pct: 200, band_pct: 12, verdict: "unchanged" },
      },
    },
    "io/write": {
      median_ms: 2.2,
      verdict: "unchanged",
      evidence: {
        history_points: points,
        shift_pct: 200,
        time: { baseline: 0.74, current: 2.2, change_pct: 197, band_pct: 12, verdict: "unchanged" },
      },
    },
  };
  return run;
}

interface Seen extends Omit<Shown, "ingest"> {
  ingest: Record<string, string>;
  /** ingest's job summary. */
  summary: string;
}

/** Publishes the run, then runs the three actions on it and collects what each shows. */
async function throughTheActionsOf(kind: Kind, pr: number): Promise<Seen> {
  const commit = createFakeSha(`verdict-${kind}`);
  const repo = new ResultsRepo();
  writeOurRun(repo.work, publishedRun(commit, kind));
  const pushed = repo.commit("publish");
  const event = repo.pushEvent("0".repeat(40), [pushed]);
  const site = scratchDir("verdict-site-");
  const shown = await throughTheActions({ api, token: TOKEN, checkout: repo.work, event, commit, pr, site });
  return { ...shown, ingest: shown.ingest.outputs, summary: shown.ingest.summary };
}

describe("one verdict everywhere", () => {
  it("a judged regression fails in every view, with the judge's rule and the shift said once", async () => {
    const seen = await throughTheActionsOf("regression", 31);
    expect(seen.ingest["benchmarks-verdict"]).toBe("regression");
    // The shifted io suite (+200%) is the environment's, not the worst regression.
    expect(seen.ingest["worst-regression-pct"]).toBe("31.2");
    expect(seen.summary).toContain(
      "| Benchmarks | ❌ failed · 4 benchmarks · 1 regression, 1 improvement · worst change +31.2%",
    );
    expect(seen.status).toEqual({
      state: "failure",
      description: "1 regression, 1 improvement beyond the noise band: solver/3d +31.2%",
    });
    expect(seen.comment).toContain("#### Benchmarks ❌ failed: 1 regression, 1 improvement");
    expect(seen.comment).toContain(
      "Rule: judge&#58; noise band from 37 main runs, floor 5% (default), cap 50% (from .hpc-ci.json), gates after 5 runs (default), allocations and memory tolerance 1%.",
    );
    expect(seen.comment).toContain(
      "🌐 Suite **io** moved 3× together on node **n0042** (2 of 2 benchmarks): an environment shift, not judged as regressions.",
    );
    // Regressions first, then improvements, then the rest; before → after with units; band; verdict.
    const rows = seen.comment.split("\n").filter((l) => /^\| (solver|io)\//.test(l));
    expect(rows.map((r) => r.split(" | ")[0])).toEqual([
      "| solver/3d",
      "| solver/2d",
      "| io/read",
      "| io/write",
    ]);
    expect(rows[0]).toBe("| solver/3d | 123 ms → 162 ms | +31.2% | ±6.5% | 🔴 regression | 2 KiB | 12 |");
    expect(rows[2]).toContain(
      "| 5.5 ms → 16.5 ms | +200.0% | ±12% (suite shift +200.0% taken out) | ⚪ unchanged |",
    );
    expect(seen.badges.benchmarks).toMatchObject({ message: "failed, 1 regression", color: "red" });
    expect(seen.badges.regression).toMatchObject({ message: "+31.2%", color: "red" });
    expect(seen.dashboard).toContain('<span class="status failed">failed</span> 1 regression, 1 improvement');
    expect(seen.dashboard).toContain('<tr class="v-regression"><td data-label="Benchmark">solver/3d</td>');
    expect(seen.dashboard).toContain('worst change <span class="worse">+31.2%</span>');
  });

  it("a tentative regression is shown as such and fails nowhere", async () => {
    const seen = await throughTheActionsOf("tentative", 32);
    expect(seen.ingest["benchmarks-verdict"]).toBe("regression"); // as the judge stored it
    expect(seen.ingest["worst-regression-pct"]).toBe("31.2");
    expect(seen.summary).toContain(
      "| Benchmarks | ✅ passed · 4 benchmarks · 1 tentative regression, 1 improvement",
    );
    expect(seen.status.state).toBe("success");
    expect(seen.status.description).toBe(
      "Passed: 4 benchmarks, 1 tentative regression, 1 improvement, worst change +31.2% (tentative)",
    );
    expect(seen.comment).toContain("#### Benchmarks ✅ passed: 1 tentative regression, 1 improvement");
    expect(seen.comment).toContain("🟡 regression, tentative&#58; needs 2 more main runs to gate");
    expect(seen.badges.benchmarks).toMatchObject({
      message: "passed, 1 tentative regression",
      color: "yellow",
    });
    expect(seen.badges.regression).toMatchObject({ message: "+31.2%", color: "yellow" });
    expect(seen.dashboard).toContain('<span class="status passed">passed</span> 1 tentative regression');
    expect(seen.dashboard).toContain('<tr class="v-tentative">');
  });

  it("a run without verdicts keeps the threshold, stated with its source", async () => {
    const seen = await throughTheActionsOf("legacy", 33);
    expect(seen.ingest["benchmarks-verdict"]).toBe("regression");
    expect(seen.ingest["worst-regression-pct"]).toBe("14.5");
    expect(seen.summary).toContain(
      "| Benchmarks | ❌ failed · 2 benchmarks · 1 regression · worst change +14.5%",
    );
    expect(seen.status).toEqual({
      state: "failure",
      description: "1 regression past +10.0%: solver/3d +14.5%",
    });
    expect(seen.comment).toContain("#### Benchmarks ❌ failed: 1 regression");
    expect(seen.comment).toContain("Rule: threshold 10% (default).");
    expect(seen.badges.benchmarks).toMatchObject({ message: "failed, 1 regression", color: "red" });
    expect(seen.badges.regression).toMatchObject({ message: "+14.5%", color: "red" });
    expect(seen.dashboard).toContain("Rule: threshold 10% (default).");
    expect(seen.dashboard).toContain('<span class="status failed">failed</span> 1 regression');
  });
});
