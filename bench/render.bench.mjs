// render-badges without git: one run added to a pages folder whose history.json holds 50, 100 and 200
// entries of 50 benchmarks each (read, check, merge, render endpoints, SVGs, history.json and index.html,
// write). The work must grow linearly with the history. Builds a small bundle of the library with ncc first.
// Run directly (or by bench/run.mjs) it prints a table, then its figures as JSON on the last line.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { commitId, median, table } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

async function library() {
  const out = mkdtempSync(join(tmpdir(), "bench-render-lib-"));
  execFileSync(
    process.execPath,
    [
      join(root, "node_modules/@vercel/ncc/dist/ncc/cli.js"),
      "build",
      join(root, "src/dashboard/folder.ts"),
      "-o",
      out,
      "-q",
    ],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  return { lib: await import(pathToFileURL(join(out, "index.js")).href), out };
}

/** A normalized run as ingest writes it, with `benchmarks` results in 5 groups and 4 suites. */
function normalizedRun(i, benchmarks) {
  const results = {};
  for (let b = 0; b < benchmarks; b++) {
    const base = 10 + b * 3;
    results[`group${b % 5}/benchmark-${b}`] = {
      median_ms: Math.round(base * (1 + 0.05 * Math.sin(i + b)) * 1000) / 1000,
      delta_vs_baseline_pct: Math.round(50 * Math.sin(i * b)) / 10,
      regression: Math.sin(i * b) > 0.9,
      memory_bytes: 1024 * (b + 1),
      allocs: 10 * b,
    };
  }
  return {
    schema_version: 1,
    commit: commitId(i),
    branch: "main",
    generated_at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z"),
    hpc: {
      cluster: "perlmutter",
      scheduler: "slurm",
      partition: "regular",
      job_id: String(10_000 + i),
      node: "nid001",
      nodes: 1,
      walltime_seconds: 5400,
      julia_version: "1.11.2",
    },
    coverage: {
      coverage_percent: 70 + (i % 20) / 2,
      covered_lines: 7000 + i,
      total_lines: 10_000,
      flag: "hpc-extended",
    },
    tests: {
      status: "passed",
      duration_seconds: 1800,
      totals: { passed: 400, failed: 0, total: 400 },
      suites: {
        unit: { passed: 250 },
        integration: { passed: 100 },
        io: { passed: 30 },
        mpi: { passed: 20 },
      },
    },
    benchmarks: { status: "passed", duration_seconds: 600, worst_regression_pct: 5, results },
  };
}

function folderWithHistory(entries, benchmarks) {
  const dir = mkdtempSync(join(tmpdir(), `bench-render-${entries}-`));
  const runs = Array.from({ length: entries }, (_, i) => normalizedRun(i, benchmarks)).reverse();
  writeFileSync(
    join(dir, "history.json"),
    `{"schema_version":1,"runs":[\n${runs.map((r) => JSON.stringify(r)).join(",\n")}\n]}\n`,
  );
  return dir;
}

export async function run({ runs = 7, sizes = [50, 100, 200], benchmarks = 50 } = {}) {
  const { lib, out } = await library();
  const folders = Object.fromEntries(sizes.map((n) => [n, folderWithHistory(n, benchmarks)]));
  const options = (n) => ({
    historySize: n,
    now: new Date(Date.UTC(2026, 0, 20)),
    badges: {},
    badgeStyle: "flat",
    staleAfterSeconds: 7 * 86400,
    repository: "octo-org/octo-repo",
    serverUrl: "https://github.com",
  });
  // The run added is newer than the history, so every round keeps `n` entries (one dropped, one added).
  const added = normalizedRun(10_000, benchmarks);
  const once = async (n) => {
    const started = process.hrtime.bigint();
    await lib.updatePagesFolder(folders[n], [added], options(n));
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  for (const n of sizes) await once(n); // warm-up
  const samples = Object.fromEntries(sizes.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) for (const n of sizes) samples[n].push(await once(n));

  const by = {};
  for (const n of sizes) {
    const ms = median(samples[n]);
    by[n] = {
      median_ms: Math.round(ms * 10) / 10,
      ms_per_entry: Math.round((ms / n) * 1000) / 1000,
      history_bytes: statSync(join(folders[n], "history.json")).size,
      index_html_bytes: statSync(join(folders[n], "index.html")).size,
    };
  }
  const entries = JSON.parse(readFileSync(join(folders[sizes.at(-1)], "history.json"), "utf8")).runs.length;
  for (const dir of [...Object.values(folders), out]) rmSync(dir, { recursive: true, force: true });
  const [small, large] = [sizes[0], sizes.at(-1)];
  return {
    runs,
    benchmarks_per_run: benchmarks,
    entries_kept: entries,
    by_entries: by,
    // Linear growth: time per entry stays about the same, so this stays near (or below, with fixed costs) the size ratio.
    time_ratio_largest_vs_smallest: Math.round((by[large].median_ms / by[small].median_ms) * 100) / 100,
    size_ratio_largest_vs_smallest: large / small,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await run({ runs: Number(process.env.RUNS ?? 7) });
  console.log(
    table([
      ["entries", "median ms", "ms/entry", "history.json", "index.html"],
      ...Object.entries(result.by_entries).map(([n, r]) => [
        n,
        r.median_ms,
        r.ms_per_entry,
        r.history_bytes,
        r.index_html_bytes,
      ]),
    ]),
  );
  console.log(
    `\n${result.benchmarks_per_run} benchmarks per run, median of ${result.runs} runs; time ratio ${result.time_ratio_largest_vs_smallest} for ${result.size_ratio_largest_vs_smallest}x the entries`,
  );
  // bench/run.mjs reads the figures from the last line.
  console.log(JSON.stringify(result));
}
