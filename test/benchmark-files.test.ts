// Finding this run's result files: the small glob (Node 18 has no fs.glob), folders, lists, files
// older than the run or there before the commands ran, bad files beside good ones, and a benchmark
// reported in two files kept once.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { collectBenchmarkResults, snapshotBenchmarkFiles } from "../src/benchmarks/index.js";
import { glob, segmentMatcher } from "../src/fs/glob.js";

const MYCELIA = join(import.meta.dirname, "fixtures", "benchmarks", "mycelia", "results");
const BASIC = "data_processing_benchmark_2026-06-22_10-52-46.json";
const ENHANCED = "data_processing_enhanced_2026-06-22_10-52-46.json";
const KMER = "kmer_analysis_benchmark_2026-06-22_10-55-02.json";
const TRIALS = join(import.meta.dirname, "fixtures", "benchmarks", "benchmarktools-trials.json");

const root = mkdtempSync(join(tmpdir(), "bench-files-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function folder(): string {
  const dir = join(root, String(++n));
  mkdirSync(dir, { recursive: true });
  return dir;
}
function touch(path: string, text = "{}", ageSeconds?: number): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  if (ageSeconds !== undefined) {
    const t = Date.now() / 1000 - ageSeconds;
    utimesSync(path, t, t);
  }
}

describe("glob", () => {
  const dir = folder();
  for (const f of [
    "a.json",
    "b.json",
    "ab.txt",
    ".hidden.json",
    "x/c.json",
    "x/y/d.json",
    "x/y/z/e.json",
    ".git/f.json",
  ])
    touch(join(dir, f));
  symlinkSync(join(dir, "x"), join(dir, "link"));
  const rel = (files: string[]) => files.map((f) => f.slice(dir.length + 1));

  it("matches * and ? within one segment, not a leading dot", () => {
    expect(rel(glob("*.json", dir).files)).toEqual(["a.json", "b.json"]);
    expect(rel(glob("?.json", dir).files)).toEqual(["a.json", "b.json"]);
    expect(rel(glob("a*", dir).files)).toEqual(["a.json", "ab.txt"]);
    expect(rel(glob(".*.json", dir).files)).toEqual([".hidden.json"]);
  });

  it("matches ** across any number of folders, none included, without dot folders or links", () => {
    expect(rel(glob("**/*.json", dir).files)).toEqual([
      "a.json",
      "b.json",
      "x/c.json",
      "x/y/d.json",
      "x/y/z/e.json",
    ]);
    expect(rel(glob("x/**/e.json", dir).files)).toEqual(["x/y/z/e.json"]);
    expect(rel(glob("x/**", dir).files)).toEqual(["x/c.json", "x/y/d.json", "x/y/z/e.json"]);
    expect(rel(glob(`${dir}/x/*/d.json`, "/").files)).toEqual(["x/y/d.json"]);
  });

  it("matches nothing under a missing folder and treats other characters literally", () => {
    expect(glob("missing/**/*.json", dir).files).toEqual([]);
    expect(segmentMatcher("a+(b).json").test("a+(b).json")).toBe(true);
    expect(segmentMatcher("[ab].json").test("a.json")).toBe(false);
  });
});

describe("collectBenchmarkResults", () => {
  it("reads the new files of a folder, ignores an old one untouched, and keeps a twice-reported benchmark once", async () => {
    const dir = folder();
    const results = join(dir, "benchmarking", "results");
    const old = join(results, "data_processing_benchmark_2026-01-01_00-00-00.json");
    touch(old, readFileSync(join(MYCELIA, KMER), "utf8"), 3600);
    const oldBytes = readFileSync(old);
    const startedAt = new Date();
    copyFileSync(join(MYCELIA, BASIC), join(results, BASIC));
    copyFileSync(join(MYCELIA, ENHANCED), join(results, ENHANCED));
    const got = await collectBenchmarkResults([{ path: `${results}/` }], { startedAt }, dir);
    expect(got.problems).toEqual([]);
    expect(got.files).toEqual([`benchmarking/results/${BASIC}`, `benchmarking/results/${ENHANCED}`]);
    expect(Object.keys(got.results)).toEqual([
      "data_processing/assess_duplication_rates",
      "data_processing/count_records_file1",
      "data_processing/fastq_to_table_conversion",
      "data_processing/parallel_processing_4_threads",
      "data_processing/throughput_mbps",
    ]);
    expect(got.ignored).toEqual(["benchmarking/results/data_processing_benchmark_2026-01-01_00-00-00.json"]);
    expect(got.notes).toEqual([
      expect.stringMatching(
        /^benchmarking\/results\/data_processing_benchmark_2026-01-01_00-00-00\.json: ignored, older than this run \(written \d{4}-/,
      ),
      `benchmarking/results/${ENHANCED}: 4 benchmarks also in benchmarking/results/${BASIC}, each kept once (the same statistics)`,
    ]);
    expect(got.environment).toMatchObject({
      cpu_model: "AMD EPYC 7763 64-Core Processor",
      julia_version: "1.10.10",
    });
    expect(readFileSync(old).equals(oldBytes)).toBe(true);
  });

  it("tells a file that was there before the commands from a new one by the snapshot, whatever its mtime", async () => {
    const dir = folder();
    // A fresh checkout's committed results file: mtime just now, but not written by the benchmarks.
    touch(join(dir, "results", KMER), readFileSync(join(MYCELIA, KMER), "utf8"));
    const sources = [{ path: join(dir, "results/*.json") }];
    const before = await snapshotBenchmarkFiles(sources, dir);
    const startedAt = new Date(Date.now() - 60_000);
    copyFileSync(join(MYCELIA, BASIC), join(dir, "results", BASIC));
    const got = await collectBenchmarkResults(sources, { startedAt, before }, dir);
    expect(got.files).toEqual([`results/${BASIC}`]);
    expect(got.notes[0]).toMatch(
      /kmer_analysis_benchmark_.*: ignored, unchanged since before the benchmark commands ran/,
    );
  });

  it("keeps the good files' results beside a bad file's errors, each with file and pointer", async () => {
    const dir = folder();
    touch(join(dir, "out", "good.json"), JSON.stringify([{ name: "solve", unit: "ms", value: 5 }]));
    touch(join(dir, "out", "bad.json"), JSON.stringify({ results: { x: { median_time: "slow" } } }));
    touch(join(dir, "out", "broken.json"), '{"results": ');
    const got = await collectBenchmarkResults(
      [{ path: "out" }],
      { startedAt: new Date(Date.now() - 1000) },
      dir,
    );
    expect(got.results).toEqual({ solve: { median_ms: 5 } });
    expect(got.problems).toEqual([
      {
        file: "out/bad.json",
        pointer: "/results/x/median_time",
        reason: '"median_time" must be a non-negative number, found "slow"',
      },
      { file: "out/broken.json", pointer: "", reason: expect.stringMatching(/^not valid JSON/) },
    ]);
  });

  it("skips another program's JSON found in a folder with a note, but refuses it when named", async () => {
    const dir = folder();
    touch(join(dir, "results", "artifact-index.json"), JSON.stringify({ files: ["a.csv"] }));
    const since = { startedAt: new Date(Date.now() - 1000) };
    const found = await collectBenchmarkResults([{ path: "results/" }], since, dir);
    expect(found.problems).toEqual([]);
    expect(found.notes).toEqual(["results/artifact-index.json: not a benchmark results file; skipped"]);
    const named = await collectBenchmarkResults([{ path: "results/artifact-index.json" }], since, dir);
    expect(named.problems[0]).toMatchObject({ file: "results/artifact-index.json", pointer: "" });
    expect(named.problems[0]?.reason).toMatch(/^not a benchmark results file: expected BenchmarkTools/);
  });

  it("reads a list of sources, each file once, with the tool of a generic list, and notes a missing file", async () => {
    const dir = folder();
    touch(join(dir, "rates.json"), JSON.stringify([{ name: "io/read", unit: "MB/s", value: 420 }]));
    touch(join(dir, "bench", "trials.json"), readFileSync(TRIALS, "utf8"));
    const got = await collectBenchmarkResults(
      [
        { path: "rates.json", tool: "customBiggerIsBetter" },
        { path: "bench/**/*.json" },
        { path: "*.json" }, // rates.json again: read once, with the first source's tool
        { path: "never-written.json" },
      ],
      { startedAt: new Date(Date.now() - 1000) },
      dir,
    );
    expect(got.files).toEqual(["rates.json", "bench/trials.json"]);
    expect(got.results["io/read"]).toEqual({ value: 420, unit: "MB/s", direction: "bigger_is_better" });
    expect(got.results["io/read fasta"]?.samples).toBe(5);
    expect(got.notes).toEqual(["never-written.json: not written by the benchmark commands"]);
  });

  it("keeps the copy with more samples when two files disagree about one benchmark", async () => {
    const dir = folder();
    const trial = (times: number[]) => [
      "Trial",
      { times, gctimes: times.map(() => 0), memory: 0, allocs: 0, params: [] },
    ];
    const doc = (times: number[]) =>
      JSON.stringify([{ Julia: "1.10.10" }, [["BenchmarkGroup", { data: { s: trial(times) }, tags: [] }]]]);
    touch(join(dir, "a.json"), doc([1e6, 2e6]));
    touch(join(dir, "b.json"), doc([3e6, 3e6, 3e6]));
    const got = await collectBenchmarkResults(
      [{ path: "*.json" }],
      { startedAt: new Date(Date.now() - 1000) },
      dir,
    );
    expect(got.results.s).toMatchObject({ median_ms: 3, samples: 3 });
    expect(got.notes).toEqual([
      "b.json: 1 benchmark also in a.json, each kept once (1 with different statistics: kept the copy with more samples, then more statistics, then a.json's)",
    ]);
  });
});
