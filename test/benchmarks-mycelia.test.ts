// Mycelia's benchmark files, in both shapes its scripts write (benchmarking/benchmark_utils.jl's
// save_benchmark_results, and the scripts' "enhanced"/"comprehensive" file). The fixtures in
// test/fixtures/benchmarks/mycelia/results/ are printed as JSON.jl 0.21's `JSON.print(f, dict, 2)`
// prints those Dicts: Julia's Float64 printing (2.512086e7, 933916.0), NaN as null, a VersionNumber as
// {"major", ...}; count_records_file1's statistics are those of Mycelia's committed results file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  benchmarksFromJson,
  myceliaSuite,
  parseBenchmarks,
  rateUnit,
  UnknownFormatError,
  versionInfoEnvironment,
  versionText,
} from "../src/benchmarks/index.js";
import { InvalidDocumentError } from "../src/contract/errors.js";
import { checkDocument } from "../src/contract/validate.js";

const DIR = join(import.meta.dirname, "fixtures", "benchmarks", "mycelia", "results");
const BASIC = "data_processing_benchmark_2026-06-22_10-52-46.json";
const ENHANCED = "data_processing_enhanced_2026-06-22_10-52-46.json";
const COMPREHENSIVE = "kmer_analysis_comprehensive_2026-06-22_10-55-40.json";
const read = (name: string) => parseBenchmarks(readFileSync(join(DIR, name), "utf8"), `results/${name}`);

describe("Mycelia's save_benchmark_results file", () => {
  const file = read(BASIC);

  it("is told apart from the other formats and names benchmarks <suite>/<benchmark>", () => {
    expect(file.format).toBe("mycelia");
    expect(Object.keys(file.results)).toEqual([
      "data_processing/assess_duplication_rates",
      "data_processing/count_records_file1",
      "data_processing/fastq_to_table_conversion",
      "data_processing/parallel_processing_4_threads",
    ]);
  });

  it("converts ns to ms, keeps memory and allocations, and GC time from seconds", () => {
    const r = file.results["data_processing/count_records_file1"];
    expect(r).toEqual({
      median_ms: 25.12086,
      mean_ms: 117.69970566666667,
      min_ms: 24.783926,
      max_ms: 303.194331,
      std_ms: 160.64314614011818,
      memory_bytes: 4557208,
      allocs: 30038,
      gc_ms: 821.710107, // memory_stats.gc_time is seconds (gc_num().total_time / 1e9)
    });
    // memory_stats.allocations is gc_num().allocd, bytes: it is not the allocation count.
    expect(r?.allocs).not.toBe(496);
    expect(r?.samples).toBeUndefined(); // Mycelia does not record how many samples it took
  });

  it("leaves the standard deviation out where JSON.jl wrote NaN (one sample) as null", () => {
    const r = file.results["data_processing/assess_duplication_rates"];
    expect(r?.median_ms).toBeCloseTo(1526.35367, 9);
    expect(r).not.toHaveProperty("std_ms");
  });

  it("reads where it ran from the metadata (VersionNumber as JSON.jl 0.21 writes it)", () => {
    expect(file.meta).toEqual({ cpu_model: "AMD EPYC 7763 64-Core Processor", julia_version: "1.10.10" });
  });

  it("gives results a benchmarks summary accepts", () => {
    const summary = { schema_version: 1, commit: "a".repeat(40), benchmarks: file.results };
    expect(checkDocument("benchmarks-summary", summary, "s.json")).toEqual([]);
  });
});

describe("Mycelia's enhanced and comprehensive files", () => {
  it("reads detailed_results under the same names as the basic file, and throughput as bigger-is-better", () => {
    const basic = read(BASIC);
    const enhanced = read(ENHANCED);
    expect(enhanced.format).toBe("mycelia");
    const { "data_processing/throughput_mbps": throughput, ...times } = enhanced.results;
    expect(times).toEqual(basic.results);
    expect(throughput).toEqual({ value: 38.71, unit: "MB/s", direction: "bigger_is_better" });
    // Counts, sizes, the whole script's duration and resource_utilization's sums are not measurements.
    expect(Object.keys(enhanced.results).filter((n) => /total|duration|peak/.test(n))).toEqual([]);
    expect(enhanced.meta).toEqual({
      julia_version: "1.10.10",
      arch: "x86_64",
      os: "linux",
      node: "n0042.savio3",
    });
  });

  it("reads a scaling result (median only) and an object of rates keyed by k", () => {
    const kmer = read(COMPREHENSIVE);
    expect(kmer.results["kmer_analysis/scaling_kmer_size10000"]).toEqual({
      median_ms: 0.512433,
      memory_bytes: 802128,
      allocs: 33,
      gc_ms: 388.192735,
    });
    expect(kmer.results["kmer_analysis/k_mer_throughput_per_second/11"]).toEqual({
      value: 1.9996e7,
      unit: "k_mer/s",
      direction: "bigger_is_better",
    });
    expect(Object.keys(kmer.results).filter((n) => n.includes("scaling_efficiency"))).toEqual([]);
  });

  it("names the suite so that both files of one run agree", () => {
    expect(myceliaSuite({ suite_name: "Data Processing Performance" }, `r/${BASIC}`)).toBe("data_processing");
    expect(myceliaSuite({ benchmark_name: "data_processing" }, "r/anything.json")).toBe("data_processing");
    expect(
      myceliaSuite({ suite_name: "Binning Benchmark" }, "r/binning_benchmark_2026-01-02_03-04-05.json"),
    ).toBe("binning");
    expect(myceliaSuite({ suite_name: "My Suite" }, "r/latest.json")).toBe("My Suite");
    expect(myceliaSuite({}, "r/latest.json")).toBe("latest");
  });

  it("knows the units rates are named in", () => {
    expect(rateUnit("throughput_mbps")).toBe("MB/s");
    expect(rateUnit("prediction_throughput_bp_per_second")).toBe("bp/s");
    expect(rateUnit("assembly_throughput_reads_per_minute")).toBe("reads/min");
    expect(rateUnit("k_mer_throughput_per_second")).toBe("k_mer/s");
    expect(rateUnit("benchmark_duration_minutes")).toBeUndefined();
    expect(rateUnit("total_data_size_mb")).toBeUndefined();
  });
});

describe("other results Mycelia's helpers store", () => {
  it("reads a profiled single run (add_profiled_result!) as one sample", () => {
    const doc = {
      suite_name: "Binning Benchmark",
      metadata: {},
      results: {
        vamb: {
          wall_time_seconds: 12.5,
          allocated_bytes: 1048576,
          allocated_mb: 1.048576,
          gc_time_seconds: 0.25,
          gc_allocd_bytes: 0,
          gc_total_time_seconds: 0.75,
          metadata: { outdir: "/tmp/x" },
        },
      },
    };
    const file = benchmarksFromJson(doc, "results/binning_benchmark_2026-01-02_03-04-05.json");
    expect(file.results["binning/vamb"]).toEqual({
      median_ms: 12500,
      mean_ms: 12500,
      min_ms: 12500,
      max_ms: 12500,
      samples: 1,
      memory_bytes: 1048576,
      gc_ms: 250,
    });
  });

  it("accepts an empty results object, and notes a result without times instead of failing", () => {
    const empty = benchmarksFromJson({ suite_name: "Binning Benchmark", results: {} }, "b.json");
    expect(empty.results).toEqual({});
    const doc = { results: { fast: { median_time: 1e6 }, accuracy: { summary: { rate: 0.9 } } } };
    const odd = benchmarksFromJson(doc, "s.json");
    expect(Object.keys(odd.results)).toEqual(["s/fast"]);
    expect(odd.notes).toEqual(['s.json at /results/accuracy: "accuracy" has no time statistics; left out']);
  });

  it("does not take other JSON with a results key (a tutorial's output) for a Mycelia file", () => {
    for (const doc of [{ results: { n50: 12345 } }, { results: { a: { summary: {} } } }, { results: {} }]) {
      expect(() => benchmarksFromJson(doc, "t.json")).toThrow(UnknownFormatError);
    }
  });

  it("reads JSON.jl 1.x's output: the version as a string, keys sorted", () => {
    const doc = JSON.parse(
      '{"metadata":{"cpu_info":{"model":"unknown"},"julia_version":"1.12.1","timestamp":"2026-06-22T10:51:18.863"},' +
        '"results":{"x":{"allocations":3,"max_time":2.0e6,"mean_time":1.5e6,"median_time":1.5e6,"memory":64,"min_time":1.0e6,"std_time":707106.78}},' +
        '"suite_name":"S"}',
    );
    const file = benchmarksFromJson(doc, "s_benchmark_2026-06-22_10-52-46.json");
    expect(file.results["s/x"]).toMatchObject({ median_ms: 1.5, max_ms: 2, allocs: 3, memory_bytes: 64 });
    expect(file.meta).toEqual({ julia_version: "1.12.1" }); // a CPU model of "unknown" is no model
  });

  it("refuses wrong values with their JSON pointers, and gives no half result", () => {
    const doc = {
      results: {
        "a/b": { median_time: "fast", memory: -1 },
        ok: { median_time: 1e6 },
        c: 3,
        d: { median_time: 1e6, memory_stats: { gc_time: "x" } },
      },
      performance_summary: { throughput_mbps: "n/a" },
    };
    try {
      benchmarksFromJson(doc, "bad.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidDocumentError);
      expect((error as InvalidDocumentError).errors.map((e) => `${e.pointer}: ${e.reason}`)).toEqual([
        '/results/a~1b/median_time: "median_time" must be a non-negative number, found "fast"',
        '/results/a~1b/memory: "memory" must be a non-negative number, found -1',
        "/results/c: expected the benchmark's statistics object, found 3",
        '/results/d/memory_stats/gc_time: "gc_time" must be a non-negative number, found "x"',
        '/performance_summary/throughput_mbps: a rate must be a finite number, found "n/a"',
      ]);
      expect((error as Error).message).toContain("bad.json at /results/c:");
    }
  });
});

describe("environment in other formats", () => {
  it("reads versions as JSON.jl writes them", () => {
    expect(versionText({ major: 1, minor: 11, patch: 0, prerelease: ["rc1"], build: [] })).toBe("1.11.0-rc1");
    expect(versionText("v1.10.10")).toBe("1.10.10");
    expect(versionText({ major: "1" })).toBeUndefined();
  });

  it("reads the CPU and threads of versioninfo() (PkgBenchmark's vinfo), old and new", () => {
    expect(
      versionInfoEnvironment(
        "Platform Info:\n  CPU: 64 × AMD EPYC 7763 64-Core Processor\n  Threads: 8 default, 0 interactive, 4 GC (on 64 virtual cores)\n",
      ),
    ).toEqual({ cpu_model: "AMD EPYC 7763 64-Core Processor", threads: 8 });
    expect(
      versionInfoEnvironment(
        "  CPU: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\n  Threads: 4 on 28 virtual cores\n",
      ),
    ).toEqual({
      cpu_model: "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz",
      threads: 4,
    });
  });
});
