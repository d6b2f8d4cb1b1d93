// history.json and index.html as a library: entries, merging in any order, bounds, the file format, the
// page's escaping and its Content-Security-Policy, charts, and renders that do not follow the clock.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { HpcResults, TestFailure } from "../src/contract/types.js";
import { checkDocument } from "../src/contract/validate.js";
import { lineChart } from "../src/dashboard/charts.js";
import { type Unit, niceScale } from "../src/dashboard/scale.js";
import {
  HistoryError,
  MAX_HISTORY_BYTES,
  historyEntry,
  mergeHistory,
  parseHistory,
  serializeHistory,
} from "../src/dashboard/history.js";
import { renderSite } from "../src/dashboard/site.js";
import type { PushEvent } from "../src/results-branch/discover.js";
import { ingest } from "../src/results-branch/ingest.js";
import { ResultsRepo, ourRun, sha, writeOurRun } from "./harness/results-branch.js";

/** A normalized run as ingest makes it: results, summaries and meta merged. */
function normalized(seed: string, at: string, extra: Partial<HpcResults> = {}): HpcResults {
  const r = ourRun(sha(seed), { generatedAt: at });
  return {
    ...(r.results as unknown as HpcResults),
    tests: {
      ...(r.results.tests as HpcResults["tests"])!,
      suites: { unit: { passed: 120, failed: 0 }, integration: { passed: 30, failed: 0 } },
      totals: { passed: 150, failed: 0, total: 150 },
    },
    benchmarks: {
      ...(r.results.benchmarks as HpcResults["benchmarks"])!,
      results: (r.benchmarks as { benchmarks: NonNullable<HpcResults["benchmarks"]>["results"] }).benchmarks,
      worst_regression_pct: 1.5,
    },
    sources: [`${sha(seed)}/hpc-results.json`],
    site_notes: { gpu: "a100" },
    ...extra,
  };
}

const commits = (runs: HpcResults[]) => runs.map((r) => r.commit);
const OPTIONS = {
  badges: {},
  badgeStyle: "flat" as const,
  staleAfterSeconds: 7 * 86400,
  repository: "octo/repo",
};

describe("history entries", () => {
  it("keep what the page shows, drop logs, sources and unknown keys, and stay valid runs", () => {
    const entry = historyEntry(normalized("e", "2026-02-01T08:00:00Z"));
    expect(checkDocument("hpc-results", entry, "entry")).toEqual([]);
    expect(entry).not.toHaveProperty("sources");
    expect(entry).not.toHaveProperty("site_notes");
    expect(entry.tests).not.toHaveProperty("log_file");
    expect(entry.benchmarks).not.toHaveProperty("benchmarks_log");
    expect(entry.coverage).toEqual({
      coverage_percent: 81.25,
      covered_lines: 650,
      total_lines: 800,
      flag: "hpc-extended",
    });
    expect(entry.hpc).toMatchObject({ cluster: "perlmutter", scheduler: "slurm", walltime_seconds: 5400 });
    expect(entry.tests?.suites).toEqual({
      unit: { passed: 120, failed: 0 },
      integration: { passed: 30, failed: 0 },
    });
    expect(entry.benchmarks?.results?.["solver/3d"]).toEqual({
      median_ms: 123.4,
      delta_vs_baseline_pct: -2.1,
      regression: false,
      memory_bytes: 2048,
      allocs: 12,
    });
    expect(historyEntry(entry)).toEqual(entry); // idempotent
  });

  it("keep a benchmark named __proto__ as data, never as a prototype", () => {
    const text = `{"schema_version":1,"runs":[{"schema_version":1,"commit":"${sha("p")}","benchmarks":{"status":"passed","results":{"__proto__":{"median_ms":1,"polluted":true}}}}]}`;
    const { runs } = parseHistory(text, "history.json");
    const results = runs[0]!.benchmarks!.results!;
    expect(Object.keys(results)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(results)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(serializeHistory(runs)).toContain('"__proto__":{"median_ms":1}');
  });
});

describe("merging runs into the history", () => {
  const a = normalized("a", "2026-02-01T08:00:00Z");
  const b = normalized("b", "2026-02-02T08:00:00Z");
  const c = normalized("c", "2026-02-03T08:00:00Z");

  it("keeps one entry per commit, newest first, bounded by the size", () => {
    expect(commits(mergeHistory([], [a, b, c], 200))).toEqual(commits([c, b, a]));
    expect(commits(mergeHistory([], [a, b, c], 2))).toEqual(commits([c, b]));
    const history = mergeHistory([], [c, b], 2);
    expect(commits(mergeHistory(history, [a], 2))).toEqual(commits([c, b])); // too old for a full history
  });

  it("replaces a commit's entry with a later run of it, never with an earlier one", () => {
    const history = mergeHistory([], [a, b], 10);
    const rerun = normalized("a", "2026-02-05T08:00:00Z", { coverage: { coverage_percent: 50 } });
    const after = mergeHistory(history, [rerun], 10);
    expect(commits(after)).toEqual(commits([a, b]));
    expect(after[0]!.coverage?.coverage_percent).toBe(50);
    const late = mergeHistory(after, [a], 10); // the older run of a arrives late
    expect(late[0]!.coverage?.coverage_percent).toBe(50);
  });

  it("ends with the same history whatever order renders apply their runs in", () => {
    const orders = [[[a], [b], [c]], [[c], [a], [b]], [[b, c], [a]], [[c, b, a]]];
    const results = orders.map((steps) =>
      serializeHistory(steps.reduce((h, runs) => mergeHistory(h, runs, 200), [] as HpcResults[])),
    );
    expect(new Set(results).size).toBe(1);
  });

  it("puts runs without a time last, ordered by commit", () => {
    const undated = normalized("u", "2026-02-01T08:00:00Z", { generated_at: undefined });
    expect(commits(mergeHistory([], [undated, a], 10))).toEqual(commits([a, undated]));
  });
});

describe("history.json", () => {
  const runs = mergeHistory(
    [],
    [normalized("x", "2026-02-01T08:00:00Z"), normalized("y", "2026-02-02T08:00:00Z")],
    10,
  );

  it("has one run per line and reads back to the same runs", () => {
    const text = serializeHistory(runs);
    expect(text.split("\n")).toHaveLength(runs.length + 3);
    expect(JSON.parse(text).runs).toEqual(runs);
    expect(parseHistory(text, "history.json")).toEqual({ runs, dropped: [] });
  });

  it("drops the oldest runs beyond the byte limit", () => {
    const big = (seed: string, at: string) =>
      normalized(seed, at, {
        benchmarks: {
          status: "passed",
          results: Object.fromEntries(
            Array.from({ length: 2000 }, (_, i) => [`bench/${"x".repeat(4000)}/${i}`, { median_ms: i }]),
          ),
        },
      });
    const history = mergeHistory(
      [],
      [
        big("old", "2026-01-01T00:00:00Z"),
        big("mid", "2026-01-02T00:00:00Z"),
        big("new", "2026-01-03T00:00:00Z"),
      ],
      10,
    );
    const text = serializeHistory(history);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_HISTORY_BYTES);
    expect(commits(JSON.parse(text).runs)).toEqual([sha("new"), sha("mid")]);
  });

  it("refuses a file that is not a history, instead of starting a new one", () => {
    expect(() => parseHistory("{", "history.json")).toThrow(HistoryError);
    expect(() => parseHistory("[]", "history.json")).toThrow(/not a render-badges history/);
    expect(() => parseHistory('{"schema_version":2,"runs":[]}', "history.json")).toThrow(
      /not a render-badges history/,
    );
  });
});

describe("index.html", () => {
  const hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>";
  const run = normalized("page", "2026-02-01T08:00:00Z", {
    branch: hostile,
    hpc: { cluster: hostile, job_id: `"onmouseover="alert(3)` },
  });
  run.benchmarks!.results![hostile] = { median_ms: 1 };
  run.tests!.suites![hostile] = { passed: 1 };
  const page = renderSite([historyEntry(run)], OPTIONS, new Date("2026-02-02T00:00:00Z")).get("index.html")!;

  it("escapes every string from the data: no tag, attribute or script of it survives", () => {
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain('"onmouseover=');
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page.match(/<\/script>/g)).toHaveLength(1);
    expect(page).toContain(
      "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;",
    );
  });

  it("names a hostile branch as text in the header", () => {
    expect(page).toContain(
      `Newest run of <strong>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</strong>`,
    );
  });

  it("allows by its Content-Security-Policy exactly its own style and script, and nothing from elsewhere", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!;
    const hash = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain("default-src 'none'");
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\/(?!github\.com\/octo\/repo)/);
    expect(page).not.toMatch(/ style="/); // inline style attributes would be blocked
  });

  it("links commits to the repository only through checked ids", () => {
    expect(page).toContain(`href="https://github.com/octo/repo/commit/${run.commit}"`);
    const noRepo = renderSite([historyEntry(run)], { ...OPTIONS, repository: undefined }, new Date()).get(
      "index.html",
    )!;
    expect(noRepo).not.toContain("/commit/");
  });
});

describe("rendering", () => {
  const history = mergeHistory(
    [],
    [normalized("r1", "2026-02-01T08:00:00Z"), normalized("r2", "2026-02-02T08:00:00Z")],
    10,
  );

  it("writes the same bytes for the same history, whatever the time, until the run goes stale", () => {
    const early = renderSite(history, OPTIONS, new Date("2026-02-02T09:00:00Z"));
    const later = renderSite(history, OPTIONS, new Date("2026-02-08T09:00:00Z"));
    expect([...later]).toEqual([...early]);
    const stale = renderSite(history, OPTIONS, new Date("2026-02-10T09:00:00Z"));
    const differ = [...stale.keys()].filter((k) => stale.get(k) !== early.get(k));
    expect(differ.sort()).toEqual(["freshness.json", "freshness.svg"]);
  });

  it("renders a one-run history, and a run with no tests, coverage or benchmarks", () => {
    const bare: HpcResults = { schema_version: 1, commit: sha("bare") };
    const files = renderSite([bare], OPTIONS, new Date());
    expect(files.get("index.html")).toContain("No coverage or test counts in the history yet.");
    expect(files.get("index.html")).toContain("No benchmark results in the history yet.");
    expect(JSON.parse(files.get("freshness.json")!).message).toBe("date unknown");
  });
});

describe("charts", () => {
  const base = { title: "t", yTitle: "Median time", xTitle: "Runs", unit: { kind: "ms" } as const };
  const labels = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ date: `2026-01-${i + 10}`, commit: sha(i) }));

  it("breaks the line where a run has no value, and marks a lone point", () => {
    const svg = lineChart([{ key: "median", label: "m", values: [1, 2, null, 4, null, 6, 7] }], {
      ...base,
      runs: labels(7),
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle class="line/g)).toHaveLength(1); // the 4 between two gaps
    expect(svg).toContain('data-runs="7"');
  });

  it("draws a flat series and a single run inside the chart", () => {
    for (const values of [[5, 5, 5], [5]]) {
      const svg = lineChart([{ key: "median", label: "m", values }], {
        ...base,
        runs: labels(values.length),
      });
      const ys = [...svg.matchAll(/(?:cy="|,)(-?[\d.]+)/g)].map((m) => Number(m[1]));
      for (const y of ys) expect(y).toBeGreaterThanOrEqual(0);
      expect(svg).not.toContain("NaN");
      expect(svg).not.toContain("Infinity");
    }
  });

  it("labels the y axis at round values, the lowest where the axis starts, with the axis's unit", () => {
    const svg = lineChart([{ key: "coverage", label: "c", values: [99.5, 100] }], {
      ...base,
      unit: { kind: "percent" },
      bounds: [0, 100],
      runs: labels(2),
    });
    const ticks = [...svg.matchAll(/class="yt t\d">([^<]+)</g)].map((m) => m[1]);
    expect(ticks).toEqual(["99.2%", "99.4%", "99.6%", "99.8%", "100.0%"]);
    expect(svg).toContain('data-y-min="99.2" data-y-max="100"');
    expect(svg).toContain('<figcaption class="axis-title">Median time</figcaption>');
  });

  it("names at most three runs under the x axis, by date and commit, whatever the number of runs", () => {
    const svg = lineChart([{ key: "median", label: "m", values: Array.from({ length: 40 }, (_, i) => i) }], {
      ...base,
      runs: labels(40),
    });
    const texts = [...svg.matchAll(/<text class="tick[^"]*"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(texts).toEqual([
      "2026-01-10",
      sha(0).slice(0, 7),
      "2026-01-30",
      sha(20).slice(0, 7),
      "2026-01-49",
      sha(39).slice(0, 7),
    ]);
  });
});

describe("the y axis", () => {
  it("starts at or below the data and ends at or above it, at steps of 1, 2, 2.5 or 5 times a power of ten", () => {
    const cases: Array<[number[], Unit, { from?: number; bounds?: [number, number] }]> = [
      [[70.3, 82.1], { kind: "percent" }, { bounds: [0, 100] }],
      [[146, 151], { kind: "count" }, { from: 0 }],
      [[0, 0], { kind: "count" }, { from: 0 }],
      [[115, 150.2], { kind: "ms" }, {}],
      [[0.75, 0.78], { kind: "ms" }, {}],
      [[2480, 2020], { kind: "ms" }, {}],
      [[5], { kind: "value", unit: "GB/s" }, {}],
    ];
    for (const [values, unit, options] of cases) {
      const s = niceScale(values, unit, options);
      expect(s.ticks).toHaveLength(5);
      expect(s.lo).toBeLessThanOrEqual(Math.min(...values));
      expect(s.hi).toBeGreaterThanOrEqual(Math.max(...values));
      const step = s.ticks[1]! - s.ticks[0]!;
      const mantissa = Number((step / 10 ** Math.floor(Math.log10(step))).toPrecision(6));
      expect([1, 2, 2.5, 5]).toContain(mantissa);
      if (options.bounds) expect(s.hi).toBeLessThanOrEqual(options.bounds[1]);
      if (unit.kind === "count") for (const t of s.ticks) expect(Number.isInteger(t)).toBe(true);
    }
    expect(niceScale([2480, 2020], { kind: "ms" }).labels).toEqual([
      "2.0 s",
      "2.2 s",
      "2.4 s",
      "2.6 s",
      "2.8 s",
    ]);
    expect(niceScale([0.75, 0.78], { kind: "ms" }).labels[0]).toBe("750 µs");
    expect(niceScale([146, 151], { kind: "count" }, { from: 0 }).labels).toEqual([
      "0",
      "50",
      "100",
      "150",
      "200",
    ]);
  });

  it("stays finite for values at the ends of the number line", () => {
    const s = niceScale([-1e308, 1e308], { kind: "value" });
    expect(s.ticks.every(Number.isFinite)).toBe(true);
  });
});

describe("the order runs were published in", () => {
  /** A run placed on the results branch at `index`. */
  const placed = (seed: string, at: string, index: number, extra: Partial<HpcResults> = {}) =>
    normalized(seed, at, { results_commit: sha(`results-${index}`), results_index: index, ...extra });

  it("keeps the results branch's order when generated_at ties or goes backwards, whatever order renders apply", () => {
    const a = placed("a", "2026-02-02T08:00:00Z", 3);
    const b = placed("b", "2026-02-02T08:00:00Z", 4); // the same time as a
    const c = placed("c", "2026-02-01T08:00:00Z", 5); // a clock behind
    for (const order of [
      [a, b, c],
      [c, b, a],
      [b, c, a],
    ]) {
      expect(commits(mergeHistory([], order, 10))).toEqual(commits([c, b, a]));
    }
    const entry = mergeHistory([], [c], 10)[0]!;
    expect(entry).toMatchObject({ results_commit: sha("results-5"), results_index: 5 });
    expect(checkDocument("hpc-results", entry, "entry")).toEqual([]);
  });

  it("reads an older history.json without the order key, and places new runs among its entries by time", () => {
    const o1 = normalized("o1", "2026-01-01T08:00:00Z");
    const o2 = normalized("o2", "2026-01-02T08:00:00Z");
    const old = serializeHistory(mergeHistory([], [o1, o2], 10));
    expect(old).not.toContain("results_index");
    const { runs, dropped } = parseHistory(old, "history.json");
    expect(dropped).toEqual([]);
    const n1 = placed("n1", "2026-01-03T08:00:00Z", 7);
    const n2 = placed("n2", "2026-01-03T08:00:00Z", 8);
    const merged = mergeHistory(runs, [n2, n1], 10);
    expect(commits(merged)).toEqual(commits([n2, n1, o2, o1]));
    expect(parseHistory(serializeHistory(merged), "history.json").runs).toEqual(merged);
  });

  it("replaces a commit's entry with its later publication, even when that run's clock was behind", () => {
    const first = placed("x", "2026-02-05T08:00:00Z", 3);
    const again = placed("x", "2026-02-01T08:00:00Z", 9, { coverage: { coverage_percent: 50 } });
    expect(mergeHistory(mergeHistory([], [again], 10), [first], 10)[0]!.coverage?.coverage_percent).toBe(50);
    expect(mergeHistory(mergeHistory([], [first], 10), [again], 10)[0]!.coverage?.coverage_percent).toBe(50);
  });

  it("is set by ingest from the results branch's history, never taken from the document, and left out of a shallow clone", async () => {
    const repo = new ResultsRepo();
    writeOurRun(repo.work, ourRun(sha("p0")));
    const base = repo.commit("base");
    const ahead = ourRun(sha("p1"), { generatedAt: "2026-03-02T00:00:00Z" });
    const behind = ourRun(sha("p2"), { generatedAt: "2026-03-01T00:00:00Z" });
    Object.assign(behind.results, { results_commit: sha("forged"), results_index: 9_000_000 });
    writeOurRun(repo.work, ahead);
    const c1 = repo.commit("p1");
    writeOurRun(repo.work, behind);
    const c2 = repo.commit("p2");
    try {
      const out = await ingest({ root: repo.work, event: repo.pushEvent(base.id, [c1, c2]) as PushEvent });
      expect(out.errors).toEqual([]);
      expect(out.runs.map((r) => [r.commit, r.results_commit, r.results_index])).toEqual([
        [sha("p1"), c1.id, 2],
        [sha("p2"), c2.id, 3],
      ]);
      execFileSync("git", ["-C", repo.work, "push", "-q", "origin", "hpc-results"]);
      const shallow = join(repo.work, "..", "shallow");
      execFileSync("git", ["clone", "-q", "--depth", "1", `file://${repo.origin}`, shallow]);
      const cut = await ingest({ root: shallow, commit: sha("p2") });
      expect(cut.runs[0]).not.toHaveProperty("results_index");
      expect(cut.runs[0]).not.toHaveProperty("results_commit");
    } finally {
      rmSync(join(repo.work, ".."), { recursive: true, force: true });
    }
  });
});

/** The part of the page `start` begins, up to its end. */
function part(page: string, start: string): string {
  const at = page.indexOf(start);
  expect(at, start).toBeGreaterThanOrEqual(0);
  return page.slice(at);
}

/** The first `<span class="verdict-…">…</span>` (pill and words) after `start`. */
function verdictAfter(page: string, start: string, kind: "tests" | "benchmarks"): string | undefined {
  return new RegExp(`<span class="verdict-${kind}">(.*?</span>[^<]*)</span>`).exec(part(page, start))?.[1];
}

describe("the header's verdict", () => {
  const judged = (verdict: "regression" | "unchanged", tentative: boolean) =>
    normalized("j", "2026-02-03T08:00:00Z", {
      benchmarks: {
        status: "passed",
        verdict,
        judge: { min_history: 5, history_branch: "main" },
        results: {
          "a/x": {
            median_ms: 12,
            verdict,
            evidence: {
              tentative,
              history_points: 2,
              time: { baseline: 10, current: 12, change_pct: 20, band_pct: 5, verdict },
            },
          },
          "a/y": {
            median_ms: 5,
            verdict: "improvement",
            evidence: {
              time: { baseline: 6, current: 5, change_pct: -16, band_pct: 5, verdict: "improvement" },
            },
          },
        },
      },
    });
  const unjudged = normalized("u", "2026-02-03T08:00:00Z", {
    benchmarks: { status: "passed", results: { "b/x": { median_ms: 1, delta_vs_baseline_pct: 12 } } },
  });
  const cases: Array<[string, HpcResults, number | undefined]> = [
    ["a judged regression", judged("regression", false), undefined],
    ["a tentative regression", judged("regression", true), undefined],
    ["a 12% slowdown under the default threshold", unjudged, undefined],
    ["a 12% slowdown under a 15% threshold", unjudged, 15],
    [
      "a failed section without results",
      normalized("f", "2026-02-03T08:00:00Z", { benchmarks: { status: "failed", reason: "timed out" } }),
      undefined,
    ],
    ["skipped tests", normalized("s", "2026-02-03T08:00:00Z", { tests: { status: "skipped" } }), undefined],
  ];

  it.each(cases)("equals the runs table's and the card's for %s", (_, run, threshold) => {
    const older = normalized("older", "2026-02-01T08:00:00Z");
    const history = mergeHistory([], [older, run], 10);
    const options = { ...OPTIONS, badges: { regressionThresholdPct: threshold }, defaultBranch: "main" };
    const page = renderSite(history, options, new Date("2026-02-04T00:00:00Z")).get("index.html")!;
    for (const kind of ["tests", "benchmarks"] as const) {
      const header = verdictAfter(page, '<p class="verdict" id="verdict">', kind);
      expect(header, kind).toBeDefined();
      expect(verdictAfter(page, '<section id="runs">', kind)).toBe(header);
      expect(verdictAfter(page, `<div class="card" id="card-${kind}">`, kind)).toBe(header);
    }
  });

  it("follows the threshold the page is rendered with, in the header and the table alike", () => {
    const at = (threshold: number | undefined) =>
      verdictAfter(
        renderSite([unjudged], { ...OPTIONS, badges: { regressionThresholdPct: threshold } }, new Date()).get(
          "index.html",
        )!,
        '<section id="runs">',
        "benchmarks",
      );
    expect(at(undefined)).toContain(">failed</span> 1 regression");
    expect(at(15)).toContain(">passed</span> none past the threshold");
  });
});

describe("branch views", () => {
  const main = [1, 2, 3].map((i) => normalized(`m${i}`, `2026-02-0${i}T08:00:00Z`));
  const feature = [1, 2].map((i) =>
    normalized(`f${i}`, `2026-02-0${i + 3}T09:00:00Z`, {
      branch: "feature/x",
      coverage: { coverage_percent: 10 },
    }),
  );
  const history = mergeHistory([], [...main, ...feature], 10);

  it("draws only the default branch in the main view, and each other branch in its own labelled view", () => {
    const page = renderSite(history, { ...OPTIONS, defaultBranch: "main" }, new Date()).get("index.html")!;
    const mainView = page.slice(
      page.indexOf('<section id="newest">'),
      page.indexOf('<section id="branches">'),
    );
    for (const r of main) expect(mainView).toContain(r.commit.slice(0, 10));
    for (const r of feature) expect(mainView).not.toContain(r.commit.slice(0, 10));
    const view = part(page, '<details class="branch-view" id="branch-1" data-branch="feature/x">');
    expect(view).toContain('<strong class="branch-name">feature/x</strong> · 2 runs');
    for (const r of feature) expect(view).toContain(r.commit.slice(0, 10));
    for (const r of main) expect(view).not.toContain(r.commit.slice(0, 10));
    expect(page).toContain('<a href="#branch-1">feature/x (2 runs)</a>');
  });

  it("says so in the header when the default branch has no run yet, and still shows the other branches", () => {
    const only = mergeHistory([], feature, 10);
    const page = renderSite(only, { ...OPTIONS, defaultBranch: "main" }, new Date()).get("index.html")!;
    expect(page).toContain('<p class="verdict muted" id="verdict">No run of main yet.</p>');
    expect(page).not.toContain('<section id="trends">');
    expect(page).toContain('<details class="branch-view" id="branch-1" data-branch="feature/x">');
  });

  it("with no default branch known, shows the newest run's branch as the main view, never all branches in one line", () => {
    const page = renderSite(history, OPTIONS, new Date()).get("index.html")!;
    expect(page).toContain("<h2>Newest run of feature/x</h2>");
    const readouts = [...page.matchAll(/data-readouts="([^"]*)"/g)].map((m) => m[1]!);
    for (const r of readouts) {
      const drawn = r.split("|").map((x) => x.split(" · ")[0]);
      const branches = new Set(drawn.map((c) => history.find((h) => h.commit.startsWith(c!))!.branch));
      expect(branches.size).toBe(1);
    }
  });
});

describe("failing tests", () => {
  const failures: TestFailure[] = [
    {
      kind: "failed",
      testset: ["P", "io"],
      file: "test/io.jl",
      line: 12,
      expression: "a < <b>",
      evaluated: "2 < 1",
    },
    { kind: "errored", testset: ["P"], file: "../../other/repo/x.jl", line: 3, message: "boom" },
    { kind: "errored", file: "/global/homes/u/x.jl", line: 4 },
    { kind: "failed", testset: ["P"], file: "test/a b#c.jl", line: 5 },
  ];
  const run = normalized("ft", "2026-02-03T08:00:00Z", {
    tests: { status: "failed", failures, failures_total: 73, totals: { passed: 1, failed: 73 } },
  });
  const page = renderSite([historyEntry(run)], OPTIONS, new Date()).get("index.html")!;

  it("links file:line to the file at the tested commit, escaped, and says how many more there are", () => {
    expect(page).toContain(
      `<a class="source" href="https://github.com/octo/repo/blob/${run.commit}/test/io.jl#L12"><code>test/io.jl:12</code></a>`,
    );
    expect(page).toContain(`href="https://github.com/octo/repo/blob/${run.commit}/test/a%20b%23c.jl#L5"`);
    expect(page).toContain("<code>a &lt; &lt;b&gt;</code>");
    expect(page).toContain("Failing tests (the first 4 of 73; the run's log has the rest)");
  });

  it("links no path that could leave the repository", () => {
    expect(page).toContain("<code>../../other/repo/x.jl:3</code>");
    expect(page).not.toContain("/blob/" + run.commit + "/..");
    expect(page).not.toMatch(/href="[^"]*global\/homes/);
  });
});
