// The judge: 500 benchmarks of a run against 100 default-branch runs (issue 14: under 100 ms), beside
// what the CLI does around it: parsing and validating the history file, and adding a run to it (publish).
// The baseline, measured in the same process and interleaved, is one pass that reads every history
// point once: the least any judge of this history must do. Builds small bundles of the library with ncc.
// Run directly (or by bench/run.mjs) it prints a table, then its figures as JSON on the last line.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { commitId, interleaved, table } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

async function library(entry) {
  const out = mkdtempSync(join(tmpdir(), "bench-judge-lib-"));
  execFileSync(
    process.execPath,
    [join(root, "node_modules/@vercel/ncc/dist/ncc/cli.js"), "build", join(root, entry), "-o", out, "-q"],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  return { lib: await import(pathToFileURL(join(out, "index.js")).href), out };
}

/** A seeded run of `benchmarks` benchmarks in 10 suites: noisy times with 2-5 samples, fixed allocations. */
function makeRun(i, benchmarks) {
  let a = (i + 1) * 2654435761;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const results = {};
  for (let b = 0; b < benchmarks; b++) {
    const t = (5 + b) * (1 + 0.05 * (random() - 0.5));
    results[`suite${b % 10}/bench_${b}`] = {
      min_ms: t,
      median_ms: t * 1.02,
      mean_ms: t * 3,
      samples: 2 + (b % 4),
      allocs: 100 + b,
      memory_bytes: 4096 * (1 + (b % 7)),
    };
  }
  return results;
}

export async function run({ runs = 15, benchmarks = 500, history = 100 } = {}) {
  const judge = await library("src/judge/index.ts");
  const files = await library("src/results-branch/history.ts");
  const { judgeBenchmarks } = judge.lib;
  const { parseHistory, withRun, historyEntry } = files.lib;
  const environment = { cluster: "c", cpu_model: "Xeon", julia_version: "1.10.10", threads: 8 };
  const runOf = (i, benchmarkResults) => ({
    schema_version: 1,
    commit: commitId(i),
    branch: "main",
    generated_at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z"),
    hpc: { ...environment, node: `n${i % 7}` },
    benchmarks: { status: "passed", results: benchmarkResults },
  });
  // The history as publish writes it, one run at a time.
  let built;
  for (let i = 0; i < history; i++)
    built = withRun(built, "main", historyEntry(runOf(i, makeRun(i, benchmarks))).entry);
  const past = built.runs;
  const text = JSON.stringify(built);
  const current = makeRun(10_000, benchmarks);
  const thresholds = { floor_pct: 5, cap_pct: 100, min_history: 5, history_limit: 100, tolerance_pct: 1 };
  const results = runOf(10_000, current);
  const parsed = parseHistory(text, "history/main.json");
  const time = (fn) => () => {
    const started = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  let sink = 0;
  const cases = {
    baseline: time(() => {
      for (const name of Object.keys(current)) for (const r of past) sink += r.benchmarks[name]?.min_ms ?? 0;
    }),
    judge: time(() => {
      sink += judgeBenchmarks({ current, node: "n1", history: past, thresholds }).failing.length;
    }),
    parse: time(() => {
      sink += parseHistory(text, "history/main.json").runs.length;
    }),
    add: time(() => {
      sink += withRun(parsed, "main", historyEntry(results).entry).runs.length;
    }),
  };
  for (const fn of Object.values(cases)) fn(); // warm-up
  const ms = interleaved(cases, runs);
  const verdict = judgeBenchmarks({ current, node: "n1", history: past, thresholds }).verdict;
  for (const dir of [judge.out, files.out]) rmSync(dir, { recursive: true, force: true });
  const round = (x) => Math.round(x * 100) / 100;
  return {
    runs,
    benchmarks,
    history_runs: history,
    history_bytes: text.length,
    verdict,
    judge_median_ms: round(ms.judge),
    baseline_median_ms: round(ms.baseline),
    judge_vs_baseline: round(ms.judge / ms.baseline),
    parse_history_median_ms: round(ms.parse),
    add_run_median_ms: round(ms.add),
    under_100_ms: ms.judge < 100,
    sink: sink > 0,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await run({ runs: Number(process.env.RUNS ?? 15) });
  console.log(
    table([
      ["what", "median ms"],
      [`judge ${r.benchmarks} benchmarks vs ${r.history_runs} runs`, r.judge_median_ms],
      ["baseline: read every history point once", r.baseline_median_ms],
      [`parse + validate the history file (${r.history_bytes} bytes)`, r.parse_history_median_ms],
      ["add a run to the history (publish)", r.add_run_median_ms],
    ]),
  );
  console.log(`\nmedian of ${r.runs} interleaved runs; judge under 100 ms: ${r.under_100_ms}`);
  // bench/run.mjs reads the figures from the last line.
  console.log(JSON.stringify(r));
}
