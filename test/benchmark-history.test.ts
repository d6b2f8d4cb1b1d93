// The benchmark history on the results branch (who enters it, its bounds, reading it with a partial
// fetch from a real bare repository) and the judge's settings with their sources.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveJudgeSettings } from "../src/config/judge-settings.js";
import type { BenchmarkHistoryRun, HpcResults } from "../src/contract/types.js";
import {
  HISTORY_PER_ENVIRONMENT,
  HISTORY_RUNS,
  fetchHistory,
  historyEntry,
  historyFor,
  updateHistory,
  withRun,
} from "../src/results-branch/history.js";
import { writeRun } from "../src/results-branch/write-run.js";

const commit = (i: number) => i.toString(16).padStart(40, "0");
const endpoints = () => ({
  tests: { schemaVersion: 1 as const, label: "t", message: "m" },
  benchmarks: { schemaVersion: 1 as const, label: "b", message: "m" },
});

function run(i: number, extra: Partial<HpcResults> = {}): HpcResults {
  return {
    schema_version: 1,
    commit: commit(i),
    branch: "main",
    generated_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace(/\.\d+Z$/, "Z"),
    hpc: { cluster: "c", node: `n${i}`, cpu_model: "Xeon", julia_version: "1.10.10", threads: 8 },
    benchmarks: {
      status: "passed",
      results: {
        "a/x": {
          median_ms: 2,
          min_ms: 1,
          mean_ms: 9,
          allocs: 3,
          memory_bytes: 64,
          verdict: "unchanged",
          evidence: { note: "n" },
        },
      },
    },
    ...extra,
  };
}

const dirs: string[] = [];
function tmp(prefix: string) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("who enters the history", () => {
  it("keeps only what judging needs", () => {
    expect(historyEntry(run(1)).entry).toEqual({
      commit: commit(1),
      generated_at: "2026-01-01T00:01:00Z",
      node: "n1",
      environment: { cluster: "c", cpu_model: "Xeon", julia_version: "1.10.10", threads: 8 },
      benchmarks: { "a/x": { median_ms: 2, min_ms: 1, allocs: 3, memory_bytes: 64 } },
    });
  });

  it("refuses runs of a dirty tree, an unpushed commit, failed benchmarks, or no results", () => {
    expect(historyEntry(run(1, { dirty: true })).reason).toMatch(/uncommitted/);
    expect(historyEntry(run(1, { pushed: false })).reason).toMatch(/not pushed/);
    expect(historyEntry(run(1, { benchmarks: { ...run(1).benchmarks!, status: "failed" } })).reason).toMatch(
      /failed/,
    );
    expect(historyEntry(run(1, { benchmarks: { status: "passed" } })).reason).toMatch(/no benchmark/);
  });

  it("publish writes it for the history branch only, never for another branch's run", async () => {
    const dir = tmp("hpc-ci-history-write-");
    const options = { endpoints, branch: "hpc-results", historyBranch: "main" };
    const main = await writeRun(dir, { results: run(1) }, options);
    expect(main.history).toMatch(/added to history\/main\.json \(1 runs\)/);
    const pr = await writeRun(dir, { results: run(2, { branch: "feature/x" }) }, options);
    expect(pr.history).toBeUndefined();
    expect(() => readFileSync(join(dir, "history/feature%2Fx.json"))).toThrow();
    expect(JSON.parse(readFileSync(join(dir, "history/main.json"), "utf8")).runs).toHaveLength(1);
  });

  it("starts an unusable history file again instead of blocking the run", async () => {
    const dir = tmp("hpc-ci-history-bad-");
    mkdirSync(join(dir, "history"));
    writeFileSync(join(dir, "history/main.json"), '{"schema_version": 1, "runs": "no"}');
    expect(await updateHistory(dir, run(3))).toMatch(/unusable and is started again: .*\/runs/);
    expect(JSON.parse(readFileSync(join(dir, "history/main.json"), "utf8")).runs).toHaveLength(1);
  });
});

describe("the history's bounds", () => {
  const entry = (i: number, cluster = "c") =>
    historyEntry(run(i, { hpc: { ...run(i).hpc, cluster } })).entry as BenchmarkHistoryRun;

  it("keeps one run per commit and environment, oldest first", () => {
    let h = withRun(undefined, "main", entry(2));
    h = withRun(h, "main", entry(1));
    h = withRun(h, "main", entry(2));
    h = withRun(h, "main", entry(2, "other"));
    expect(h.runs.map((r) => [r.commit, r.environment.cluster])).toEqual([
      [commit(1), "c"],
      [commit(2), "c"],
      [commit(2), "other"],
    ]);
  });

  it(`keeps the newest ${HISTORY_PER_ENVIRONMENT} runs of each environment and ${HISTORY_RUNS} in all`, () => {
    let h = withRun(undefined, "main", entry(0, "rare"));
    for (let i = 1; i <= 150; i++) h = withRun(h, "main", entry(i));
    const here = historyFor(h, entry(0).environment);
    expect(here).toHaveLength(HISTORY_PER_ENVIRONMENT);
    expect(here[0]!.commit).toBe(commit(51));
    expect(historyFor(h, entry(0, "rare").environment)).toHaveLength(1);
    for (const cluster of ["d", "e", "f"])
      for (let i = 200; i < 300; i++) h = withRun(h, "main", entry(i, cluster));
    expect(h.runs).toHaveLength(HISTORY_RUNS);
    expect(historyFor(h, entry(0, "rare").environment)).toHaveLength(0);
  });

  it("leaves out the run's own commit and other environments when judging", () => {
    let h = withRun(undefined, "main", entry(1));
    h = withRun(h, "main", entry(2));
    h = withRun(h, "main", entry(3, "other"));
    expect(historyFor(h, entry(1).environment, commit(2)).map((r) => r.commit)).toEqual([commit(1)]);
  });
});

describe("reading the history from the results branch", () => {
  const origin = join(tmp("hpc-ci-history-origin-"), "origin.git");
  execFileSync("git", ["init", "-q", "--bare", origin]);
  const work = tmp("hpc-ci-history-work-");
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", ...args], {
      cwd: work,
      encoding: "utf8",
    });
  git("init", "-q", "-b", "hpc-results");
  mkdirSync(join(work, "history"));
  let h = withRun(undefined, "main", historyEntry(run(1)).entry!);
  h = withRun(h, "main", historyEntry(run(2)).entry!);
  writeFileSync(join(work, "history/main.json"), JSON.stringify(h));
  writeFileSync(join(work, "history/broken.json"), "{");
  for (let i = 0; i < 50; i++) {
    mkdirSync(join(work, commit(100 + i)));
    writeFileSync(join(work, commit(100 + i), "hpc-results.json"), JSON.stringify(run(100 + i)));
  }
  git("add", "-A");
  git("commit", "-q", "-m", "results");
  git("push", "-q", origin, "hpc-results");

  it.each([
    ["a server that filters (only the history's contents come over)", true],
    ["a server that does not filter (a plain shallow fetch)", false],
  ])("reads it from %s", async (_, filters) => {
    execFileSync("git", ["--git-dir", origin, "config", "uploadpack.allowFilter", String(filters)]);
    const fetched = await fetchHistory(origin, "hpc-results", "main");
    expect(fetched.reason).toBeUndefined();
    expect(fetched.history?.runs.map((r) => r.commit)).toEqual([commit(1), commit(2)]);
  });

  it("says why there is none: no file, an unusable file, no branch", async () => {
    expect((await fetchHistory(origin, "hpc-results", "dev")).reason).toBe(
      "hpc-results has no history/dev.json yet",
    );
    expect((await fetchHistory(origin, "hpc-results", "broken")).reason).toMatch(
      /history\/broken\.json is unusable: .*ends early/,
    );
    expect((await fetchHistory(origin, "nope", "main")).reason).toMatch(/cannot fetch nope/);
  });
});

describe("the judge's settings and where each came from", () => {
  it("takes defaults, then .hpc-ci.json, then the operator's HPC_BENCH_*, then --bench-* flags", () => {
    const r = resolveJudgeSettings(
      { threshold_pct: 12, judge: { cap_pct: 150, min_history: 3, tolerance_pct: 2 } },
      { HPC_BENCH_MIN_HISTORY: "8", HPC_BENCH_TOLERANCE_PCT: "0.5" },
      { "bench-tolerance-pct": "0" },
    );
    expect(r.thresholds).toEqual({
      floor_pct: 12,
      cap_pct: 150,
      min_history: 8,
      history_limit: 100,
      tolerance_pct: 0,
    });
    expect(r.sources).toEqual({
      floor_pct: ".hpc-ci.json benchmarks.threshold_pct (legacy)",
      cap_pct: ".hpc-ci.json benchmarks.judge.cap_pct",
      min_history: "HPC_BENCH_MIN_HISTORY",
      history_limit: "default",
      tolerance_pct: "--bench-tolerance-pct",
    });
    expect(r.confirm).toBe(false);
    expect(resolveJudgeSettings({ confirm: true }, { HPC_BENCH_CONFIRM: "0" })).toMatchObject({
      confirm: false,
      confirmSource: "HPC_BENCH_CONFIRM",
    });
  });

  it("refuses bad values, naming where they came from", () => {
    expect(() => resolveJudgeSettings({}, { HPC_BENCH_HISTORY_LIMIT: "500" })).toThrow(
      'HPC_BENCH_HISTORY_LIMIT: history_limit must be a whole number from 1 to 100, not "500"',
    );
    expect(() => resolveJudgeSettings({}, {}, { "bench-floor-pct": "-1" })).toThrow(
      "--bench-floor-pct: floor_pct must be a number of percent >= 0",
    );
    expect(() => resolveJudgeSettings({ judge: { floor_pct: 50, cap_pct: 20 } }, {})).toThrow(
      /the cap \(20%, \.hpc-ci\.json benchmarks\.judge\.cap_pct\) is below the floor/,
    );
    expect(() => resolveJudgeSettings({}, { HPC_BENCH_CONFIRM: "maybe" })).toThrow(
      /HPC_BENCH_CONFIRM must be 1 or 0/,
    );
  });
});
