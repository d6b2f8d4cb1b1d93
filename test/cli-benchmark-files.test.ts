// The CLI bundle reading benchmark results the way Mycelia writes them: folders, globs and lists in
// `benchmarks.results`, only the files this run wrote, the user's files never deleted or rewritten,
// bad files beside good ones, and the run's environment. The stand-in `julia` (test/fixtures/bin)
// writes Mycelia's two files (format "mycelia" of its stub.json) into results/ of its working folder.
import { readFileSync, writeFileSync, mkdirSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Project, makeProject, removeProject, runCli, showFile } from "./harness/cli.js";

const MYCELIA = join(import.meta.dirname, "fixtures", "benchmarks", "mycelia", "results");
const OLD_NAME = "data_processing_benchmark_2026-06-22_10-52-46.json";
const STUB = {
  format: "mycelia",
  suite: "data_processing",
  benchmarks: {
    count_records_file1: { time: 25e6, memory: 4557208, allocs: 30038, times: [303e6, 25.1e6, 24.8e6] },
    fastq_to_table_conversion: { time: 918e6, memory: 177985160, allocs: 1169587, times: [1624e6, 212e6] },
  },
};

const projects: Project[] = [];
afterAll(() => projects.forEach(removeProject));

/** A project whose benchmark command is the stand-in julia running bench/run.jl, with `config`. */
function project(config: Record<string, unknown>, stub: object = STUB): Project {
  const p = makeProject();
  projects.push(p);
  mkdirSync(join(p.dir, "bench"));
  writeFileSync(join(p.dir, "bench", "run.jl"), "# runs the benchmarks\n");
  writeFileSync(join(p.dir, "bench", "stub.json"), JSON.stringify(stub));
  writeFileSync(join(p.dir, ".hpc-ci.json"), JSON.stringify(config));
  return p;
}

/** Writes `text` at `rel` in the project, an hour old, and commits it, as a results file of an earlier run. */
function oldFile(p: Project, rel: string, text: string): Buffer {
  const path = join(p.dir, rel);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  const hourAgo = Date.now() / 1000 - 3600;
  utimesSync(path, hourAgo, hourAgo);
  p.git("add", "-A");
  p.git("commit", "-q", "-m", "earlier results");
  return readFileSync(path);
}

const results = (p: Project) => JSON.parse(readFileSync(join(p.dir, "hpc-ci", "hpc-results.json"), "utf8"));
const JULIA = ["julia", "--project=.", "bench/run.jl"];

describe("benchmarks.results as a folder", () => {
  it("reads this run's two Mycelia files, ignores and keeps the old one, and publishes every statistic", async () => {
    const p = project({
      tests: { command: ["true"] },
      benchmarks: { commands: [JULIA], results: "results" },
    });
    const before = oldFile(p, `results/${OLD_NAME}`, readFileSync(join(MYCELIA, OLD_NAME), "utf8"));
    const commit = p.git("rev-parse", "HEAD");
    const run = await runCli(["run", "--benchmarks-only", "--no-codecov"], {
      cwd: p.dir,
      env: { JULIA_NUM_THREADS: "4" },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(p.dir, "results", OLD_NAME)).equals(before)).toBe(true);
    const r = results(p);
    // Both files hold both benchmarks: each once, plus the enhanced file's throughput.
    expect(Object.keys(r.benchmarks.results)).toEqual([
      "data_processing/count_records_file1",
      "data_processing/fastq_to_table_conversion",
      "data_processing/throughput_mbps",
    ]);
    const count = r.benchmarks.results["data_processing/count_records_file1"];
    expect(count).toMatchObject({
      median_ms: 25.1,
      min_ms: 24.8,
      max_ms: 303,
      memory_bytes: 4557208,
      allocs: 30038,
    });
    expect(count.std_ms).toBeGreaterThan(150);
    expect(count.gc_ms).toBeCloseTo(800, 6);
    expect(r.benchmarks.results["data_processing/throughput_mbps"]).toMatchObject({
      value: 38.71,
      unit: "MB/s",
      direction: "bigger_is_better",
    });
    expect(r.benchmarks.status).toBe("passed");
    expect(r.benchmarks.reason).toBe(
      `ignored 1 file this run did not write or cannot read as results: results/${OLD_NAME}`,
    );
    expect(run.stdout + run.stderr).toContain(
      `results/${OLD_NAME}: ignored, unchanged since before the benchmark commands ran`,
    );
    expect(run.stdout + run.stderr).toMatch(
      /2 benchmarks also in results\/data_processing_benchmark_.*, each kept once \(the same statistics\)/,
    );
    // The environment: detected on the node, threads from JULIA_NUM_THREADS.
    expect(r.hpc).toMatchObject({ os: process.platform, threads: 4 });
    expect(typeof r.hpc.arch).toBe("string");
    const published = JSON.parse(showFile(p.origin, `${commit}/benchmarks.json`));
    expect(published.benchmarks["data_processing/count_records_file1"].max_ms).toBe(303);
  });

  it("no longer dies with EISDIR on a folder, and never deletes a configured file the commands did not write", async () => {
    const folder = project({
      tests: { command: ["true"] },
      benchmarks: { commands: [JULIA], results: "results" },
    });
    mkdirSync(join(folder.dir, "results"));
    const run = await runCli(["run", "--benchmarks-only", "--no-codecov", "--no-publish"], {
      cwd: folder.dir,
      env: { JULIA_STUB_PRINT_ENV: "HPC_CI_BENCHMARK_RESULTS" },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("EISDIR");
    // A folder is no file to write to: the commands get this run's own raw.json.
    expect(readFileSync(join(folder.dir, "hpc-ci/logs/benchmarks.log"), "utf8")).toContain(
      `julia-stub env: HPC_CI_BENCHMARK_RESULTS=${join(folder.dir, "hpc-ci/artifacts/benchmarks/raw.json")}`,
    );
    expect(Object.keys(results(folder).benchmarks.results)).toHaveLength(3);

    // A file named as the results, from an earlier run; this run's command writes nothing there.
    const file = project({
      tests: { command: ["true"] },
      benchmarks: {
        commands: [`printf '%s' "$HPC_CI_BENCHMARK_RESULTS" > seen.txt`],
        results: "bench-out.json",
      },
    });
    const before = oldFile(file, "bench-out.json", readFileSync(join(MYCELIA, OLD_NAME), "utf8"));
    const again = await runCli(["run", "--benchmarks-only", "--no-codecov", "--no-publish"], {
      cwd: file.dir,
    });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(readFileSync(join(file.dir, "bench-out.json")).equals(before)).toBe(true);
    expect(readFileSync(join(file.dir, "seen.txt"), "utf8")).toBe(join(file.dir, "bench-out.json"));
    const section = results(file).benchmarks;
    expect(section.results).toBeUndefined();
    expect(section.reason).toContain(
      "ignored 1 file this run did not write or cannot read as results: bench-out.json",
    );
  });
});

describe("benchmarks.results as globs and lists", () => {
  it("reads what a glob and a list name, with a list's tool, and keeps good files beside a bad one", async () => {
    const p = project({
      tests: { command: ["true"] },
      benchmarks: {
        commands: [
          JULIA,
          `mkdir -p out && printf '[{"name":"io/read","unit":"MB/s","value":420}]' > out/rates.json`,
          `printf '{"results": {"x": {"median_time": "slow"}}}' > results/broken_benchmark_2026-01-01_00-00-00.json`,
        ],
        results: ["results/*_benchmark_*.json", { path: "out/rates.json", tool: "customBiggerIsBetter" }],
      },
    });
    const run = await runCli(["run", "--benchmarks-only", "--no-codecov", "--no-publish"], { cwd: p.dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const section = results(p).benchmarks;
    // The glob names only the basic files: no throughput from the enhanced one.
    expect(Object.keys(section.results)).toEqual([
      "data_processing/count_records_file1",
      "data_processing/fastq_to_table_conversion",
      "io/read",
    ]);
    expect(section.results["io/read"]).toMatchObject({ value: 420, direction: "bigger_is_better" });
    expect(section.status).toBe("failed");
    expect(section.reason).toContain(
      'the results could not be read: results/broken_benchmark_2026-01-01_00-00-00.json at /results/x/median_time: "median_time" must be a non-negative number, found "slow" (the results of the 2 good files are kept)',
    );
  });
});

describe("the default runner of benchmark/benchmarks.jl", () => {
  it("saves every Trial with its samples, so the spread and the sample count reach the results", async () => {
    const p = makeProject();
    projects.push(p);
    const run = await runCli(["run", "--benchmarks-only", "--no-codecov", "--no-publish"], { cwd: p.dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const add = results(p).benchmarks.results["arith/add"];
    expect(add).toMatchObject({ median_ms: 1.204e-6, samples: 5, gc_ms: 0, allocs: 0 });
    expect(add.max_ms).toBeGreaterThan(add.min_ms);
    expect(add.std_ms).toBeGreaterThan(0);
  });
});

describe("Mycelia's defaults", () => {
  it("reads results/ and benchmarking/results/ after run_extended_tests.jl, ignoring committed results", async () => {
    const p = makeProject();
    projects.push(p);
    writeFileSync(join(p.dir, "run_extended_tests.jl"), "# Mycelia's runner\n");
    writeFileSync(join(p.dir, "mycelia-stub.json"), JSON.stringify(STUB));
    writeFileSync(join(p.dir, ".hpc-ci.json"), JSON.stringify({ tests: { command: ["true"] } }));
    oldFile(p, `benchmarking/results/${OLD_NAME}`, readFileSync(join(MYCELIA, OLD_NAME), "utf8"));
    const run = await runCli(["run", "--benchmarks-only", "--no-codecov", "--no-publish"], {
      cwd: p.dir,
      env: { JULIA_STUB_BENCH_CONFIG: join(p.dir, "mycelia-stub.json") },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const section = results(p).benchmarks;
    expect(section.tutorials_log).toBe("logs/tutorials.log");
    expect(Object.keys(section.results)).toHaveLength(3);
    expect(section.reason).toContain(`benchmarking/results/${OLD_NAME}`);
    // Its `benchmarks` command would have asked "Continue with local execution? (y/N)" and been cancelled.
    const log = readFileSync(join(p.dir, "hpc-ci", "logs", "benchmarks.log"), "utf8");
    expect(log).not.toContain("Continue with local execution");
  });

  it("Mycelia's own `run_extended_tests.jl benchmarks` is cancelled by a batch job's silent stdin", async () => {
    const p = makeProject();
    projects.push(p);
    writeFileSync(join(p.dir, "run_extended_tests.jl"), "# Mycelia's runner\n");
    writeFileSync(join(p.dir, "mycelia-stub.json"), JSON.stringify(STUB));
    writeFileSync(
      join(p.dir, ".hpc-ci.json"),
      JSON.stringify({
        tests: { command: ["true"] },
        benchmarks: { commands: [["julia", "--project=.", "run_extended_tests.jl", "benchmarks"]] },
      }),
    );
    const run = await runCli(["run", "--benchmarks-only", "--no-codecov", "--no-publish"], {
      cwd: p.dir,
      env: { JULIA_STUB_BENCH_CONFIG: join(p.dir, "mycelia-stub.json") },
    });
    expect(run.exitCode).toBe(1);
    const log = readFileSync(join(p.dir, "hpc-ci", "logs", "benchmarks.log"), "utf8");
    expect(log).toContain("Benchmark execution cancelled");
    expect(results(p).benchmarks.status).toBe("failed");
  });
});
