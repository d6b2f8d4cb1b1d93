// The pieces of comment-hpc-summary that need no server: escaping, the assessment of a run, the body with its
// folds and cuts, the planned statuses, and the pacing of writes.
import { describe, expect, it } from "vitest";
import { normalizeRun } from "../src/contract/normalize.js";
import type { HpcResults } from "../src/contract/types.js";
import { Pacer } from "../src/github/client.js";
import { commentMarker, isValidCommentKey } from "../src/github/comments.js";
import { planStatuses } from "../src/github/statuses.js";
import { assessRun } from "../src/render/assessment.js";
import { escapeGitHubText, escapeMarkdown, plainLine, truncateCharacters } from "../src/render/escape.js";
import {
  formatBytes,
  formatInteger,
  formatMilliseconds,
  formatTimestamp,
  runTable,
} from "../src/render/run-table.js";
import { markdownUrl, renderSummaryBody } from "../src/render/summary-body.js";

const COMMIT = "c0ffee".padEnd(40, "1");
const BASE_COMMIT = "ba5e".padEnd(40, "2");

function run(overrides: Partial<HpcResults> = {}): HpcResults {
  return {
    schema_version: 1,
    commit: COMMIT,
    branch: "feature/x",
    generated_at: "2026-02-01T08:00:00Z",
    hpc: {
      cluster: "perlmutter",
      partition: "regular",
      job_id: "4242",
      node: "nid001",
      walltime_seconds: 5400,
    },
    coverage: { coverage_percent: 81.25, total_lines: 800, covered_lines: 650 },
    tests: {
      status: "passed",
      duration_seconds: 1800,
      suites: { unit: { passed: 120, failed: 0 }, integration: { passed: 30, failed: 0 } },
    },
    benchmarks: {
      status: "passed",
      results: {
        "solver/3d": { median_ms: 123.4, delta_vs_baseline_pct: 14.5, memory_bytes: 2048, allocs: 12 },
        "io/read": { median_ms: 0.0042, delta_vs_baseline_pct: -3 },
        "new/one": { median_ms: 5, regression: true },
      },
    },
    ...overrides,
  };
}

function baseRun(percent: number | null, commit = BASE_COMMIT): HpcResults {
  return {
    schema_version: 1,
    commit,
    branch: "main",
    generated_at: "2026-01-31T08:00:00Z",
    coverage: percent === null ? null : { coverage_percent: percent },
  };
}

describe("escaping for GitHub", () => {
  it("breaks mentions, references, URLs, e-mail and commit-like words with an invisible space", () => {
    expect(escapeGitHubText("@octocat")).toBe("&#64;\u200boctocat");
    expect(escapeGitHubText("fixes #12 and GH-3")).toBe("fixes &#35;\u200b12 and GH\u200b-3");
    expect(escapeGitHubText("see https://x.example and www.y.example")).toBe(
      "see https&#58;\u200b//x.example and www\u200b.y.example",
    );
    expect(escapeGitHubText("a@b.example")).toBe("a&#64;\u200bb.example");
    expect(escapeGitHubText("deadbeefcafe")).toBe("deadbe\u200befcafe");
    expect(escapeGitHubText("abcdef")).toBe("abcdef"); // six hex digits name no commit
    expect(escapeGitHubText("<b>|`x`")).toBe("&#60;b&#62;&#124;&#96;x&#96;");
  });

  it("makes one line of bounded length, never splitting a character", () => {
    expect(escapeGitHubText("a\nb\r\n\tc\u0000d")).toBe("a b c d");
    expect(escapeGitHubText("x".repeat(500), 10)).toBe(`${"x".repeat(9)}…`);
    expect(truncateCharacters("😀😀😀", 2)).toBe("😀…");
    expect(truncateCharacters("😀😀", 2)).toBe("😀😀");
    expect(plainLine(" a \u2028 b\u0085c ")).toBe("a b c");
  });

  it("leaves escapeMarkdown as it was (ingest's summary uses it)", () => {
    expect(escapeMarkdown("@a #1 x|y")).toBe("&#64;a &#35;1 x&#124;y");
  });
});

describe("formatting", () => {
  it("formats times, sizes, counts and timestamps", () => {
    expect(formatMilliseconds(123.4)).toBe("123 ms");
    expect(formatMilliseconds(1234)).toBe("1.23 s");
    expect(formatMilliseconds(0.0042)).toBe("4.2 µs");
    expect(formatMilliseconds(0.0000042)).toBe("4.2 ns");
    expect(formatMilliseconds(undefined)).toBe("");
    expect(formatBytes(100)).toBe("100 B");
    expect(formatBytes(2048)).toBe("2 KiB");
    expect(formatBytes(5.5 * 1024 ** 3)).toBe("5.5 GiB");
    expect(formatInteger(1234567)).toBe("1,234,567");
    expect(formatInteger(-1000)).toBe("-1,000");
    expect(formatTimestamp("2026-02-01T08:00:00.5+01:00")).toBe("2026-02-01 07:00:00 UTC");
    expect(formatTimestamp("yesterday")).toBeUndefined();
  });

  it("keeps URLs from breaking out of a Markdown link", () => {
    expect(markdownUrl("https://x.example/a (b)/<c>")).toBe("https://x.example/a%20%28b%29/%3Cc%3E");
  });
});

describe("assessing a run", () => {
  it("marks benchmarks past the threshold: the input's, else the run's own, else 10%", () => {
    const a = assessRun(run());
    expect(a.benchmarks.thresholdPct).toBe(10);
    // Unmeasured changes go by the CLI's regression flag.
    expect(a.benchmarks.regressions).toEqual([
      { name: "solver/3d", pct: 14.5 },
      { name: "new/one", pct: null },
    ]);
    expect(a.benchmarks.verdict).toBe("failed");
    expect(a.benchmarks.worst).toEqual({ name: "solver/3d", pct: 14.5 });
    expect(a.overall).toBe("failed");

    const own = run();
    own.benchmarks!.regression_threshold_pct = 20;
    delete own.benchmarks!.results!["new/one"];
    expect(assessRun(own).benchmarks).toMatchObject({ thresholdPct: 20, regressions: [], verdict: "passed" });
    expect(assessRun(own, { regressionThresholdPct: 5 }).benchmarks.regressions).toHaveLength(1);
  });

  it("compares coverage with the base's newest run and applies the gates", () => {
    const base = { branch: "main", run: baseRun(84) };
    const c = assessRun(run(), { base }).coverage;
    expect(c).toMatchObject({ verdict: "passed", deltaPoints: -2.75, base: { branch: "main", percent: 84 } });
    expect(assessRun(run(), { base, coverageMaxDrop: 3 }).coverage.verdict).toBe("passed");
    expect(assessRun(run(), { base, coverageMaxDrop: 2.75 }).coverage.verdict).toBe("passed"); // not more than
    expect(assessRun(run(), { base, coverageMaxDrop: 2.7 }).coverage).toMatchObject({
      verdict: "failed",
      gateFailure: "2.75 points below main (at most 2.7 allowed)",
    });
    expect(assessRun(run(), { coverageMin: 90 }).coverage.gateFailure).toBe("below the 90% minimum");
    // A gate on the drop needs a base to compare with.
    expect(assessRun(run(), { coverageMaxDrop: 0 }).coverage.verdict).toBe("passed");

    expect(assessRun(run(), { base: { branch: "main", run: baseRun(null) } }).coverage.baseNote).toBe(
      "the newest run of main did not measure coverage",
    );
    expect(assessRun(run(), { base: { branch: "main", run: baseRun(50, COMMIT) } }).coverage.baseNote).toBe(
      "the newest run of main is this same commit",
    );
    expect(assessRun(run(), { base: { branch: "main" } }).coverage.baseNote).toBe(
      "there is no run of main to compare with",
    );
  });

  it("treats missing sections as skipped and not reported", () => {
    const bare: HpcResults = { schema_version: 1, commit: COMMIT };
    const a = assessRun(bare);
    expect(a.overall).toBe("skipped");
    expect(a.tests).toMatchObject({ verdict: "skipped", reported: false });
    expect(a.coverage.percent).toBeUndefined();
    expect(assessRun({ ...bare, coverage: null }).coverage.percent).toBeNull();
  });
});

describe("the body", () => {
  it("has one status line, the sections, provenance folded, and the links", () => {
    const body = renderSummaryBody({
      run: run(),
      assessment: assessRun(run(), { base: { branch: "main", run: baseRun(80) } }),
      links: {
        dashboard: "https://o.github.io/r/hpc/",
        workflowRun: "https://github.com/o/r/actions/runs/1",
        rawResults: "https://github.com/o/r/blob/hpc-results/x/hpc-results.json",
      },
    });
    const lines = body.split("\n");
    expect(lines[0]).toBe(
      "### ❌ HPC CI failed: tests passed · benchmarks failed · coverage 81.25% (+1.25 points vs main)",
    );
    expect(body).toContain("150 passed in 2 test sets · took 30 min 00 s");
    expect(body).toContain("No comparison: the newest run of main has no test sets.");
    expect(body).toContain("| Test set | Passed | Failed | Errored | Broken | Total |");
    expect(body).toContain("| `unit` | 120 | 0 | 0 | 0 | 120 |");
    expect(body).toContain(
      "**81.25%** of lines covered (650 of 800) · **+1.25** points against the newest run of main: 80.00% at `ba5e222`, 2026-01-31 08:00 UTC",
    );
    expect(body).toContain("⚠️ 2 regressions past the threshold: solver/3d (+14.5%), new/one (flagged)");
    expect(body).toContain("Rule: threshold 10% (default).");
    expect(body).toContain("| solver/3d | 123 ms | +14.5% |  | 🔴 regression | 2 KiB | 12 |");
    expect(body).toContain("| new/one | 5 ms | n/a |  | 🔴 regression |  |  |");
    expect(body).toContain("| io/read | 4.2 µs | -3.0% |  | ⚪ unchanged |  |  |");
    expect(body).toMatch(
      /<details><summary>Provenance<\/summary>\n\n\| \| \|\n\| --- \| --- \|\n\| Cluster \| perlmutter \|/,
    );
    expect(body).toContain("| Walltime | 1 h 30 min |");
    expect(lines.at(-1)).toBe(
      "Ran at 2026-02-01 08:00 UTC · [Dashboard](https://o.github.io/r/hpc/) · " +
        "[Workflow run](https://github.com/o/r/actions/runs/1) · " +
        "[Raw results](https://github.com/o/r/blob/hpc-results/x/hpc-results.json)",
    );
  });

  it("shows failing test sets first and open, the others folded", () => {
    const many = run();
    many.tests!.suites = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        `suite-${String(i).padStart(2, "0")}`,
        { passed: 1, failed: i === 11 ? 2 : 0 },
      ]),
    );
    const body = renderSummaryBody({ run: many, assessment: assessRun(many) });
    expect(body).toContain(
      "| Test set with failures | Passed | Failed | Errored | Broken | Total |\n| --- | ---: | ---: | ---: | ---: | ---: |\n| `suite-11` | 1 | **2** | 0 | 0 | 3 |\n\n<details><summary>11 test sets without failures</summary>\n\n| Test set |",
    );
    const rows = body.split("\n").filter((l) => l.startsWith("| `suite-"));
    expect(rows[0]).toBe("| `suite-11` | 1 | **2** | 0 | 0 | 3 |");
    expect(rows[1]).toBe("| `suite-00` | 1 | 0 | 0 | 0 | 1 |");
    expect(rows).toHaveLength(12);
    // Three benchmarks: not folded.
    expect(body).not.toContain("All 3 benchmarks");
  });

  it("cuts rows to the budget, the least important first, and says how many were cut", () => {
    const big = run();
    big.tests!.suites = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`suite ${i}`, { passed: i, failed: i % 60 === 0 ? 1 : 0 }]),
    );
    big.benchmarks!.results = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`bench ${i}`, { median_ms: i, delta_vs_baseline_pct: i / 10 }]),
    );
    const full = renderSummaryBody({ run: big, assessment: assessRun(big) });
    expect(full).not.toContain("not shown");
    for (const max of [6000, 12000, 20000, full.length - 1]) {
      const body = renderSummaryBody({ run: big, assessment: assessRun(big), maxCharacters: max });
      expect(body.length).toBeLessThanOrEqual(max);
      const rows = body.split("\n");
      const failing = rows.filter((l) => /^\| `suite \d+` \| \d+ \| \*\*1\*\*/.test(l)).length;
      const passing = rows.filter((l) => l.startsWith("| `suite ")).length - failing;
      const benches = rows.filter((l) => l.startsWith("| bench ")).length;
      const cut = [...body.matchAll(/_… ([\d,]+) more (test sets|benchmarks) not shown/g)].map((m) => [
        m[2],
        Number(m[1]),
      ]);
      expect(cut).toEqual(
        [
          ["test sets", 295 - passing],
          ["benchmarks", 300 - benches],
        ].filter(([, n]) => (n as number) > 0),
      );
      // The failing sets are all there; the passing ones give way before the benchmarks do (a leftover too
      // short for a benchmark row may still hold one short passing row).
      expect(failing).toBe(5);
      if (benches < 300) expect(passing).toBeLessThanOrEqual(1);
      expect(benches).toBeGreaterThan(0);
      // What follows the tables is still there, and the folds are closed.
      expect(body).toContain("<summary>Provenance</summary>");
      expect(body.match(/<details>/g)!.length).toBe(body.match(/<\/details>/g)!.length);
    }
    // The slowest change survives the cut.
    const tight = renderSummaryBody({ run: big, assessment: assessRun(big), maxCharacters: 6000 });
    expect(tight).toContain("| bench 299 |");
  });
});

describe("planned statuses", () => {
  it("says what each section found, within 140 characters", () => {
    const long = run();
    long.benchmarks!.results = {
      [`${"very-long-name/".repeat(30)}😀`]: { median_ms: 1, delta_vs_baseline_pct: 50 },
    };
    const specs = planStatuses(assessRun(long), {
      prefix: "hpc",
      skipped: "success",
      targetUrl: "https://x.example/",
    });
    expect(specs.map((s) => [s.context, s.state])).toEqual([
      ["hpc/tests", "success"],
      ["hpc/benchmarks", "failure"],
      ["hpc/coverage", "success"],
    ]);
    for (const s of specs) {
      expect(Array.from(s.description).length).toBeLessThanOrEqual(140);
      expect(s.target_url).toBe("https://x.example/");
    }
    expect(specs[1]!.description).toMatch(/^1 regression past \+10\.0%: very-long-name\/very-long-name.*…$/);
  });

  it("reports skipped sections as success saying so, or leaves them out", () => {
    const skipped = run({
      tests: { status: "skipped", reason: "benchmarks only\nthis time" },
      coverage: null,
      benchmarks: undefined,
    });
    expect(planStatuses(assessRun(skipped), { prefix: "lr", skipped: "success" })).toEqual([
      { context: "lr/tests", state: "success", description: "Skipped: benchmarks only this time" },
      { context: "lr/benchmarks", state: "success", description: "Skipped: not reported by this HPC run" },
      { context: "lr/coverage", state: "success", description: "Skipped: coverage not measured" },
    ]);
    expect(planStatuses(assessRun(skipped), { prefix: "lr", skipped: "off" })).toEqual([]);
    const failed = run({
      tests: { status: "failed", suites: { unit: { passed: 1, failed: 2, errored: 1 } } },
    });
    expect(planStatuses(assessRun(failed), { prefix: "hpc", skipped: "off" })[0]).toEqual({
      context: "hpc/tests",
      state: "failure",
      description: "Failed: 1 passed, 2 failed, 1 errored in 1 test set",
    });
  });
});

describe("comment markers", () => {
  it("accepts simple keys only, so that the marker stays one HTML comment", () => {
    expect(commentMarker("lr-cluster")).toBe("<!-- hpc-ci-actions:comment-hpc-summary key=lr-cluster -->");
    for (const bad of ["", "a b", "x-->", "<", "-leading", "a".repeat(101)])
      expect(isValidCommentKey(bad)).toBe(false);
    expect(() => commentMarker("x -->")).toThrow(/not a valid comment key/);
  });
});

describe("pacing of writes", () => {
  it("runs one job at a time, each at least minTime after the previous one started", async () => {
    const pacer = new Pacer(40);
    const started: number[] = [];
    let running = 0;
    const job = async () => {
      running++;
      expect(running).toBe(1);
      started.push(Date.now());
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    const failing = () => Promise.reject(new Error("boom"));
    const results = await Promise.allSettled([
      pacer.key().schedule({}, job),
      pacer.schedule({}, failing),
      pacer.schedule({}, job),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    // A failed job does not stop the queue; the gaps hold (timers may fire a millisecond early).
    expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(79);
  });
});

describe("what the cluster did not test exactly", () => {
  it("says so in the comment and in ingest's table when dirty or not pushed, and only then", () => {
    const both = run({ dirty: true, pushed: false });
    const body = renderSummaryBody({ run: both, assessment: assessRun(both) });
    expect(body).toContain(
      "⚠️ **Not exactly this commit**: tested with local changes: the work tree differed from this commit (dirty); the results remote did not have this commit when it was tested (not pushed).",
    );
    expect(runTable(both)).toContain("| Tested | ⚠️ tested with local changes");
    const clean = run({ dirty: false, pushed: true });
    expect(renderSummaryBody({ run: clean, assessment: assessRun(clean) })).not.toContain("Not exactly");
    expect(runTable(clean)).not.toContain("| Tested |");
  });

  it("reads dirty and pushed from meta.json when hpc-results.json does not carry them", () => {
    const normalized = normalizeRun(COMMIT, { meta: { commit: COMMIT, dirty: true, pushed: false } }, []);
    expect(normalized).toMatchObject({ dirty: true, pushed: false });
  });
});
