// history.json and index.html as a library: entries, merging in any order, bounds, the file format, the
// page's escaping and its Content-Security-Policy, charts, and renders that do not follow the clock.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { HpcResults } from "../src/contract/types.js";
import { checkDocument } from "../src/contract/validate.js";
import { lineChart } from "../src/dashboard/charts.js";
import {
  HistoryError,
  MAX_HISTORY_BYTES,
  historyEntry,
  mergeHistory,
  parseHistory,
  serializeHistory,
} from "../src/dashboard/history.js";
import { renderSite } from "../src/dashboard/site.js";
import { jsonForScript } from "../src/render/escape.js";
import { ourRun, sha } from "./harness/results-branch.js";

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
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(page).toContain(
      "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;",
    );
  });

  it("embeds its data as JSON that cannot end the script element, and that reads back exactly", () => {
    const json = /<script type="application\/json" id="hpc-data">(.*?)<\/script>/s.exec(page)![1]!;
    expect(json).not.toMatch(/[<>&]/);
    expect(JSON.parse(json).runs[0].branch).toBe(hostile);
    expect(JSON.parse(jsonForScript({ s: "<!-- \u2028 & </script>" }))).toEqual({
      s: "<!-- \u2028 & </script>",
    });
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
  const format = (v: number) => v.toFixed(0);

  it("breaks the line where a run has no value, and marks a lone point", () => {
    const svg = lineChart([{ key: "median", label: "m", values: [1, 2, null, 4, null, 6, 7] }], {
      title: "t",
      format,
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle class="line/g)).toHaveLength(1); // the 4 between two gaps
    expect(svg).toContain('data-runs="7"');
  });

  it("draws a flat series and a single run inside the chart", () => {
    for (const values of [[5, 5, 5], [5]]) {
      const svg = lineChart([{ key: "median", label: "m", values }], { title: "t", format });
      const ys = [...svg.matchAll(/(?:cy="|,)(-?[\d.]+)/g)].map((m) => Number(m[1]));
      for (const y of ys) expect(y).toBeGreaterThanOrEqual(0);
      expect(svg).not.toContain("NaN");
      expect(svg).not.toContain("Infinity");
    }
  });

  it("keeps a percentage between its bounds", () => {
    const svg = lineChart([{ key: "coverage", label: "c", values: [99.5, 100] }], {
      title: "t",
      format: (v) => `${v}`,
      bounds: [0, 100],
    });
    const ticks = [...svg.matchAll(/class="tick"[^>]*>([^<]+)</g)].map((m) => Number(m[1]));
    expect(Math.max(...ticks)).toBeLessThanOrEqual(100);
  });
});
