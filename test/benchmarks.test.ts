// Benchmark result files (fixtures in the formats of BenchmarkTools' save(), PkgBenchmark's
// writeresults and github-action-benchmark's customSmallerIsBetter list), baseline comparison and the
// benchmarks summary document.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  benchmarksFromJson,
  benchmarksSummary,
  msPerUnit,
  parseBenchmarks,
  readBenchmarkResults,
  readBenchmarks,
  type BenchmarkEntry,
} from "../src/benchmarks/index.js";
import { compareWithBaseline, deltaPct } from "./harness/fixed-threshold.js";
import { InvalidDocumentError } from "../src/contract/errors.js";
import { checkDocument } from "../src/contract/validate.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "benchmarks");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

/** The problems a document is refused for, as "pointer: reason". */
function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidDocumentError) return error.errors.map((e) => `${e.pointer}: ${e.reason}`);
    throw error;
  }
  throw new Error("expected the document to be refused");
}

const EXPECTED_MEDIANS = {
  "arith/3": { median_ms: 45e-6, memory_bytes: 16, allocs: 1, gc_ms: 0 },
  "arith/add": { median_ms: 1.204e-6, memory_bytes: 0, allocs: 0, gc_ms: 0 },
  'solver/(1, "a")': { median_ms: 812.5e-6, memory_bytes: 0, allocs: 0, gc_ms: 0 },
  "solver/solve 3d": { median_ms: 123.4567, memory_bytes: 224, allocs: 3, gc_ms: 0 },
};

function expectClose(actual: Record<string, BenchmarkEntry>, expected: Record<string, BenchmarkEntry>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name] as BenchmarkEntry;
    expect(Object.keys(got).sort(), name).toEqual(Object.keys(want).sort());
    for (const [field, value] of Object.entries(want)) {
      const v = got[field as keyof BenchmarkEntry];
      if (typeof value === "number") expect(v, `${name}.${field}`).toBeCloseTo(value, 12);
      else expect(v, `${name}.${field}`).toEqual(value);
    }
  }
}

describe("reading BenchmarkTools save() JSON", () => {
  it("reads TrialEstimates in nested groups, with printed non-string keys, sorted by name", () => {
    const file = parseBenchmarks(fixture("benchmarktools-median.json"), "benchmarks/results.json");
    expect(file.format).toBe("benchmarktools");
    expect(file.meta).toEqual({ julia_version: "1.10.10", benchmarktools_version: "1.5.0" });
    expectClose(file.results, EXPECTED_MEDIANS);
  });

  it("reads Trials (every statistic of the samples, GC time of the median) and skips saved Parameters", () => {
    const file = parseBenchmarks(fixture("benchmarktools-trials.json"), "trials.json");
    expect(file.meta).toEqual({ julia_version: "1.11.5", benchmarktools_version: "1.6.0" });
    expectClose(file.results, {
      "io/read fasta": {
        median_ms: 2.2,
        mean_ms: 2.54,
        min_ms: 2,
        max_ms: 3.9,
        std_ms: Math.sqrt(2.452 / 4), // Statistics.std: n - 1
        samples: 5,
        gc_ms: 0, // the median of [0, 0, 0, 512, 0] ns
        memory_bytes: 4096,
        allocs: 12,
      },
      "io/write": {
        median_ms: 0.00025,
        mean_ms: 0.00025,
        min_ms: 0.0001,
        max_ms: 0.0004,
        std_ms: Math.sqrt(50000 / 3) / 1e6,
        samples: 4,
        gc_ms: 0,
        memory_bytes: 0,
        allocs: 0,
      },
    });
  });

  it("has no standard deviation for one sample, and the GC time is the median sample's", () => {
    const trial = ["Trial", { times: [5e6], gctimes: [1e6], memory: 8, allocs: 1, params: [] }];
    const { results } = benchmarksFromJson([{ Julia: "1.10.10" }, [trial]], "one.json");
    expect(results.one).toEqual({
      median_ms: 5,
      mean_ms: 5,
      min_ms: 5,
      max_ms: 5,
      samples: 1,
      gc_ms: 1,
      memory_bytes: 8,
      allocs: 1,
    });
  });

  it("names a Trial saved outside any group after the file", () => {
    const trial = ["Trial", { times: [3e6, 1e6, 2e6], gctimes: [0, 0, 0], memory: 0, allocs: 0, params: [] }];
    const one = benchmarksFromJson([{ Julia: "1.10.10" }, [trial]], "out/solve.json");
    expect(Object.keys(one.results)).toEqual(["solve"]);
    expect(one.results.solve?.median_ms).toBe(2);
    const two = benchmarksFromJson([{ Julia: "1.10.10" }, [trial, trial]], "solve.json");
    expect(Object.keys(two.results)).toEqual(["solve/1", "solve/2"]);
  });

  it("reports every bad value with its JSON pointer", () => {
    const doc = [
      { Julia: "1.10.10", BenchmarkTools: "1.5.0" },
      [
        [
          "BenchmarkGroup",
          {
            data: {
              nan: ["TrialEstimate", { time: null, gctime: 0, memory: 0, allocs: 0 }],
              negative: ["Trial", { times: [1, -2], gctimes: [0, 0], memory: 0, allocs: 0 }],
              empty: ["Trial", { times: [], gctimes: [], memory: 0, allocs: 0 }],
              fraction: ["TrialEstimate", { time: 1, gctime: 0, memory: 1.5, allocs: 0 }],
              huge: ["TrialEstimate", { time: 1, gctime: 0, memory: 1e300, allocs: 0 }],
              judged: ["TrialJudgement", { ratio: [], time: "regression", memory: "invariant" }],
              odd: ["Widget", {}],
              broken: ["BenchmarkGroup", { data: [] }],
              "a~b/c": "not a value",
            },
            tags: [],
          },
        ],
      ],
    ];
    expect(problems(() => benchmarksFromJson(doc, "r.json"))).toEqual([
      `/1/0/1/data/nan/1/time: a TrialEstimate's "time" must be a non-negative number of ns, found null`,
      "/1/0/1/data/negative/1/times/1: a sample time must be a non-negative number of ns, found -2",
      `/1/0/1/data/empty/1/times: a Trial needs its samples in "times" (ns), found an array`,
      `/1/0/1/data/fraction/1/memory: "memory" must be a non-negative integer, found 1.5`,
      `/1/0/1/data/huge/1/memory: "memory" must be a non-negative integer, found 1e+300`,
      "/1/0/1/data/judged: a TrialJudgement compares two runs; save the results of run() (or their median) instead",
      `/1/0/1/data/odd/0: unknown BenchmarkTools type "Widget"`,
      `/1/0/1/data/broken/1/data: a BenchmarkGroup needs a "data" object, found an array`,
      `/1/0/1/data/a~0b~1c: expected a BenchmarkTools value ["<type>", {fields}], found "not a value"`,
    ]);
  });

  it("names the file and the pointer in the error message", () => {
    const doc = [{ Julia: "1.10.10" }, [["TrialEstimate", { time: "fast" }]]];
    expect(() => benchmarksFromJson(doc, "bench.json")).toThrow(
      `bench.json at /1/0/1/time: a TrialEstimate's "time" must be a non-negative number of ns, found "fast"`,
    );
  });

  it("refuses two results that end up with the same name", () => {
    const est = ["TrialEstimate", { time: 1, gctime: 0, memory: 0, allocs: 0 }];
    const doc = [
      { Julia: "1.10.10" },
      [
        [
          "BenchmarkGroup",
          {
            data: { "g/a": est, g: ["BenchmarkGroup", { data: { a: est }, tags: [] }] },
            tags: [],
          },
        ],
      ],
    ];
    expect(problems(() => benchmarksFromJson(doc, "r.json"))).toEqual([
      '/1/0/1/data/g/1/data/a: a second benchmark named "g/a" (the first is at /1/0/1/data/g~1a)',
    ]);
  });

  it("keeps names such as __proto__ and constructor as plain keys and pollutes no prototype", () => {
    const est = (time: number) => ["TrialEstimate", { time, gctime: 0, memory: 0, allocs: 0 }];
    const text = `[{"Julia":"1.10.10"},[["BenchmarkGroup",{"data":{"__proto__":${JSON.stringify(est(1e6))},"constructor":${JSON.stringify(est(2e6))},"toString":["BenchmarkGroup",{"data":{"__proto__":${JSON.stringify(est(3e6))}},"tags":[]}]},"tags":[]}]]]`;
    const file = parseBenchmarks(text, "r.json");
    expect(Object.keys(file.results)).toEqual(["(__proto__)", "constructor", "toString/__proto__"]);
    expect(file.results["constructor"]?.median_ms).toBe(2);
    expect(Object.getPrototypeOf(file.results)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).median_ms).toBeUndefined();
    expect(
      checkDocument("benchmarks-summary", benchmarksSummary("a".repeat(40), file.results), "s.json"),
    ).toEqual([]);
  });

  it("refuses groups nested deeper than 64 levels without exhausting the stack", () => {
    let value: unknown = ["TrialEstimate", { time: 1, gctime: 0, memory: 0, allocs: 0 }];
    for (let i = 0; i < 5000; i++) value = ["BenchmarkGroup", { data: { g: value }, tags: [] }];
    const found = problems(() => benchmarksFromJson([{ Julia: "1.10.10" }, [value]], "deep.json"));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/benchmark groups nested deeper than 64 levels$/);
  });

  it("accepts times up to the contract's 10 years, and names a result past them", () => {
    const tenYearsNs = 315576000000 * 1e6;
    const file = benchmarksFromJson(
      [{ Julia: "1.10.10" }, [["TrialEstimate", { time: tenYearsNs }]]],
      "big.json",
    );
    expect(file.results.big?.median_ms).toBe(315576000000);
    expect(
      problems(() =>
        benchmarksFromJson([{ Julia: "1.10.10" }, [["TrialEstimate", { time: 1e308 }]]], "big.json"),
      ),
    ).toEqual(["/1/0: median_ms must be <= 315576000000 (got 1e+302)"]);
  });
});

describe("reading PkgBenchmark writeresults JSON", () => {
  it("reads the embedded BenchmarkTools document and the run's metadata", () => {
    const file = parseBenchmarks(fixture("pkgbenchmark-results.json"), "pkgbenchmark.json");
    expect(file.format).toBe("pkgbenchmark");
    expect(file.meta).toEqual({
      name: "Mycelia",
      commit: "0123456789abcdef0123456789abcdef01234567",
      julia_commit: "8f5b7ca12ad48c6d740e058312fc8cf2bbe67848",
      date: "2026-01-17T12:34:56.789",
      julia_version: "1.10.10",
      benchmarktools_version: "1.5.0",
      cpu_model: "AMD EPYC 7763 64-Core Processor", // from vinfo's "CPU: 64 × ..."
      threads: 4, // benchmarkconfig.env.JULIA_NUM_THREADS
    });
    expectClose(file.results, EXPECTED_MEDIANS);
  });

  it("points into the embedded document when it is wrong", () => {
    const inner = JSON.stringify([
      { Julia: "1.10.10" },
      [["BenchmarkGroup", { data: { x: ["TrialEstimate", {}] } }]],
    ]);
    expect(problems(() => benchmarksFromJson({ name: "P", benchmarkgroup: inner }, "p.json"))).toEqual([
      `/benchmarkgroup: in the embedded BenchmarkTools JSON, at /1/0/1/data/x/1/time: a TrialEstimate's "time" must be a non-negative number of ns, found undefined`,
    ]);
    expect(problems(() => benchmarksFromJson({ benchmarkgroup: "{not json" }, "p.json"))[0]).toMatch(
      /^\/benchmarkgroup: the embedded BenchmarkTools JSON is not valid JSON/,
    );
    expect(problems(() => benchmarksFromJson({ benchmarkgroup: 42 }, "p.json"))).toEqual([
      "/benchmarkgroup: expected BenchmarkTools save() JSON, found 42",
    ]);
  });
});

describe("reading the generic list", () => {
  it("converts time units to milliseconds and keeps other units with their value", () => {
    const file = parseBenchmarks(fixture("github-action-benchmark.json"), "bench.json");
    expect(file.format).toBe("list");
    expectClose(file.results, {
      add: { median_ms: 1.204e-6 },
      "kmer count": { median_ms: 1.5 },
      "parse fasta": { median_ms: 0.8125 },
      "peak memory": { unit: "bytes", value: 1048576, direction: "smaller_is_better" },
      "solve/3d": { median_ms: 123.4 },
      startup: { median_ms: 1500 },
      throughput: { unit: "MB/s", value: 350.5, direction: "smaller_is_better" },
    });
  });

  it("takes every entry of a customBiggerIsBetter list as a value that is better bigger, times too", () => {
    const file = parseBenchmarks(fixture("github-action-benchmark.json"), "bench.json", {
      tool: "customBiggerIsBetter",
    });
    expect(file.results.throughput).toEqual({ unit: "MB/s", value: 350.5, direction: "bigger_is_better" });
    expect(file.results["solve/3d"]).toEqual({ unit: "ms", value: 123.4, direction: "bigger_is_better" });
    expect(Object.values(file.results).every((r) => r.median_ms === undefined)).toBe(true);
  });

  it("knows the time units", () => {
    expect(msPerUnit("ns")).toBe(1e-6);
    expect(msPerUnit("µs")).toBe(1e-3);
    expect(msPerUnit("μs")).toBe(1e-3);
    expect(msPerUnit(" ms ")).toBe(1);
    expect(msPerUnit("ns/op")).toBe(1e-6);
    expect(msPerUnit("min")).toBe(60000);
    expect(msPerUnit("bytes")).toBeUndefined();
    expect(msPerUnit("constructor")).toBeUndefined();
    expect(msPerUnit("MB/s")).toBeUndefined();
  });

  it("reports bad entries with their pointers", () => {
    const doc = [
      { name: "ok", unit: "ms", value: 1 },
      { name: "no value", unit: "ms" },
      { name: "ok", unit: "ms", value: 2 },
      { name: "", unit: "ms", value: 1 },
      { name: "nan", unit: "ms", value: "NaN" },
      { name: "negative", unit: "s", value: -1 },
      { name: "overflow", unit: "h", value: 1e308 },
      { name: "no unit", value: 1 },
      "text",
    ];
    expect(problems(() => benchmarksFromJson(doc, "l.json"))).toEqual([
      '/1/value: "value" must be a finite number, found undefined',
      '/2: a second benchmark named "ok" (the first is at /0)',
      '/3/name: "name" must be a non-empty string, found ""',
      '/4/value: "value" must be a finite number, found "NaN"',
      "/5/value: a time cannot be negative (-1 s)",
      "/6/value: 1e+308 h is too large to be a time in milliseconds",
      '/7/unit: "unit" must be a non-empty string, found undefined',
      '/8: expected {"name", "unit", "value"}, found "text"',
    ]);
  });

  it("accepts negative values of a unit that is not a time, and an empty list", () => {
    const file = benchmarksFromJson([{ name: "score", unit: "points", value: -3 }], "l.json");
    expect(file.results).toEqual({ score: { unit: "points", value: -3, direction: "smaller_is_better" } });
    expect(benchmarksFromJson([], "l.json").results).toEqual({});
  });
});

describe("telling the formats apart", () => {
  it("refuses what fits none of them, naming the formats, the file and the root pointer", () => {
    for (const doc of [{ foo: 1 }, 42, null, [1, 2], [{ value: 1 }]]) {
      const [problem] = problems(() => benchmarksFromJson(doc, "x.json"));
      expect(problem).toMatch(/^: not a benchmark results file: expected BenchmarkTools save\(\) JSON/);
    }
    expect(() => parseBenchmarks("{oops", "bad.json")).toThrow(/^bad\.json: not valid JSON \(/);
  });

  it("reads a file from disk, BOM included", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hpcci-bench-"));
    try {
      const path = join(dir, "results.json");
      writeFileSync(path, "\ufeff" + fixture("github-action-benchmark.json"));
      const file = await readBenchmarks(path, "benchmarks/results.json");
      expect(Object.keys(file.results)).toHaveLength(7);
      expect(await readBenchmarkResults(path)).toEqual(file.results);
      writeFileSync(path, "[1]");
      await expect(readBenchmarks(path, "benchmarks/results.json")).rejects.toThrow(
        /^benchmarks\/results\.json: not a/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("compareWithBaseline", () => {
  const current: Record<string, BenchmarkEntry> = {
    slower: { median_ms: 110.004, memory_bytes: 10 },
    faster: { median_ms: 95 },
    worse: { median_ms: 130 },
    new: { median_ms: 1 },
    toString: { median_ms: 1 },
    memory: { unit: "bytes", value: 200 },
    rate: { unit: "MB/s", value: 10 },
    units: { unit: "KiB", value: 1 },
  };
  const baseline: Record<string, BenchmarkEntry> = {
    slower: { median_ms: 100, delta_vs_baseline_pct: 3 },
    faster: { median_ms: 100 },
    worse: { median_ms: 100 },
    gone: { median_ms: 5 },
    memory: { unit: "bytes", value: 100 },
    rate: { unit: "MB/s", value: 20 },
    units: { unit: "bytes", value: 1024 },
  };

  it("fills deltas (positive = slower), baselines and regressions, and lists added and removed", () => {
    const before = JSON.stringify({ current, baseline });
    const c = compareWithBaseline(current, baseline, 10);
    expect(JSON.stringify({ current, baseline })).toBe(before);
    expect(c.results).toEqual({
      slower: {
        median_ms: 110.004,
        memory_bytes: 10,
        delta_vs_baseline_pct: 10,
        baseline_median_ms: 100,
        regression: false,
      },
      faster: { median_ms: 95, delta_vs_baseline_pct: -5, baseline_median_ms: 100, regression: false },
      worse: { median_ms: 130, delta_vs_baseline_pct: 30, baseline_median_ms: 100, regression: true },
      new: { median_ms: 1, delta_vs_baseline_pct: null, baseline_median_ms: null, regression: false },
      toString: { median_ms: 1, delta_vs_baseline_pct: null, baseline_median_ms: null, regression: false },
      memory: {
        unit: "bytes",
        value: 200,
        baseline_value: 100,
        delta_vs_baseline_pct: 100,
        baseline_median_ms: null,
        regression: true,
      },
      // A rate's direction is unknown, and different units do not compare.
      rate: {
        unit: "MB/s",
        value: 10,
        delta_vs_baseline_pct: null,
        baseline_median_ms: null,
        regression: false,
      },
      units: {
        unit: "KiB",
        value: 1,
        baseline_value: null,
        delta_vs_baseline_pct: null,
        baseline_median_ms: null,
        regression: false,
      },
    });
    expect(c.worst).toBe(100);
    expect(c.regressions).toEqual(["memory", "worse"]);
    expect(c.removed).toEqual(["gone"]);
    expect(c.added).toEqual(["new", "toString"]);
  });

  it("uses a threshold of 10% by default and compares strictly above it", () => {
    const c = compareWithBaseline(
      { a: { median_ms: 110 }, b: { median_ms: 110.01 } },
      { a: { median_ms: 100 }, b: { median_ms: 100 } },
    );
    expect(c.results.a?.regression).toBe(false);
    expect(c.results.b?.regression).toBe(true);
    expect(c.worst).toBe(10.01);
  });

  it("returns a null worst regression when nothing could be compared", () => {
    const c = compareWithBaseline({ a: { median_ms: 1 } }, {});
    expect(c.worst).toBeNull();
    expect(c.regressions).toEqual([]);
  });

  it("refuses a threshold that is not a percentage", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => compareWithBaseline({}, {}, bad)).toThrow(RangeError);
    }
  });

  it("rounds deltas to 0.01 and gives null where a percentage means nothing", () => {
    expect(deltaPct(101.234, 100)).toBe(1.23);
    expect(deltaPct(99.999, 100)).toBe(0);
    expect(Object.is(deltaPct(99.999, 100), -0)).toBe(false);
    expect(deltaPct(0, 0)).toBe(0);
    expect(deltaPct(1, 0)).toBeNull();
    expect(deltaPct(1, -1)).toBeNull();
    expect(deltaPct(Number.NaN, 1)).toBeNull();
    expect(deltaPct(1e308, 1e-308)).toBeNull();
  });
});

describe("benchmarksSummary", () => {
  it("builds a schema-valid benchmarks/summary.json", () => {
    const { results } = compareWithBaseline(
      parseBenchmarks(fixture("github-action-benchmark.json"), "b.json").results,
      { "solve/3d": { median_ms: 100 }, "peak memory": { unit: "bytes", value: 1048576 } },
      5,
    );
    const summary = benchmarksSummary("0123456789abcdef0123456789abcdef01234567", results, {
      baseline: {
        commit: "89abcdef0123456789abcdef0123456789abcdef",
        branch: "main",
        generated_at: "2026-01-16T00:00:00Z",
      },
      regression_threshold_pct: 5,
      status: "passed",
      generated_at: "2026-01-17T12:34:56Z",
      duration_seconds: 600,
    });
    expect(checkDocument("benchmarks-summary", summary, "benchmarks/summary.json")).toEqual([]);
    expect(summary).toMatchObject({
      schema_version: 1,
      commit: "0123456789abcdef0123456789abcdef01234567",
      regression_threshold_pct: 5,
      baseline: { branch: "main" },
    });
    expect(summary.benchmarks["solve/3d"]).toMatchObject({ delta_vs_baseline_pct: 23.4, regression: true });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(Object.keys(benchmarksSummary("a".repeat(40), {}))).toEqual([
      "schema_version",
      "commit",
      "benchmarks",
    ]);
  });
});
