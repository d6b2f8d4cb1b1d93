// BenchmarkTools.jl's `save()` JSON (src/serialization.jl): `[versions, values]`, where versions is
// `{"Julia": "1.10.10", "BenchmarkTools": "1.5.0", ...}` and each value is `[typename, fields]`, the
// fields of the struct by name (JSON.lower). A BenchmarkGroup is `["BenchmarkGroup", {"data": {...},
// "tags": [...]}]`; its keys are written with `print`, so non-string keys arrive as their printed form
// (`1`, `(1, "a")`, a Symbol without its colon) and are kept as such. Leaves are a Trial (every sample:
// `times` and `gctimes` in ns, `memory` in bytes, `allocs`) or a TrialEstimate (one `time` in ns, the
// estimate the user took: median, minimum, ...). NaN and Inf are written as null by JSON.jl.
//
// PkgBenchmark.jl's `writeresults` wraps such a document as a JSON *string*:
// `{"name", "commit", "benchmarkgroup": "<BenchmarkTools JSON>", "date", "julia_commit", "vinfo",
// "benchmarkconfig"}`.
import { escapePointerToken } from "../contract/errors.js";
import {
  type BenchmarkEntry,
  type ResultSink,
  describeValue,
  isCount,
  isDuration,
  isRecord,
} from "./entry.js";
import { NS_PER_MS, median, timeStatistics } from "./statistics.js";

export interface BenchmarkToolsVersions {
  julia_version?: string;
  benchmarktools_version?: string;
}

const MAX_GROUP_DEPTH = 64;
// Values a results file may carry besides results (tuning parameters, filters): not benchmarks.
const NOT_RESULTS = new Set(["Parameters", "TagFilter"]);
const COMPARISONS = new Set(["TrialJudgement", "TrialRatio"]);

/** Whether `doc` has the shape of a BenchmarkTools save() file. */
export function isBenchmarkToolsDocument(doc: unknown): doc is [Record<string, unknown>, unknown[]] {
  return (
    Array.isArray(doc) &&
    doc.length === 2 &&
    isRecord(doc[0]) &&
    ("BenchmarkTools" in doc[0] || "Julia" in doc[0]) &&
    Array.isArray(doc[1])
  );
}

/**
 * Reads the results of a BenchmarkTools document into `collector`. Groups nest with "/"; a Trial or
 * TrialEstimate saved outside any group is named `leafName` (with its position when there are several).
 */
export function readBenchmarkTools(
  doc: [Record<string, unknown>, unknown[]],
  collector: ResultSink,
  leafName: string,
): BenchmarkToolsVersions {
  const [versions, values] = doc;
  const leaves = values.filter(
    (v) => Array.isArray(v) && (v[0] === "Trial" || v[0] === "TrialEstimate"),
  ).length;
  const stack: Array<{ value: unknown; path: string[]; pointer: string; top: boolean }> = [];
  values.forEach((value, i) => {
    const path = leaves > 1 ? [leafName, String(i + 1)] : [leafName];
    stack.push({ value, path, pointer: `/1/${i}`, top: true });
  });
  stack.reverse();
  while (stack.length > 0) {
    const { value, path, pointer, top } = stack.pop() as (typeof stack)[number];
    if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "string" || !isRecord(value[1])) {
      collector.problem(
        pointer,
        `expected a BenchmarkTools value ["<type>", {fields}], found ${describeValue(value)}`,
      );
      continue;
    }
    const type = value[0].replace(/^BenchmarkTools\./, "");
    const fields = value[1];
    if (type === "BenchmarkGroup") {
      const data = fields.data;
      if (!isRecord(data)) {
        collector.problem(
          `${pointer}/1/data`,
          `a BenchmarkGroup needs a "data" object, found ${describeValue(data)}`,
        );
        continue;
      }
      // Keys of a top-level group start the names; the file's own name is only for loose leaves.
      const prefix = top ? [] : path;
      if (prefix.length >= MAX_GROUP_DEPTH) {
        collector.problem(pointer, `benchmark groups nested deeper than ${MAX_GROUP_DEPTH} levels`);
        continue;
      }
      const children = Object.entries(data).map(([key, child]) => ({
        value: child,
        path: [...prefix, key],
        pointer: `${pointer}/1/data/${escapePointerToken(key)}`,
        top: false,
      }));
      stack.push(...children.reverse());
    } else if (type === "Trial" || type === "TrialEstimate") {
      const entry =
        type === "Trial" ? trial(fields, pointer, collector) : estimate(fields, pointer, collector);
      if (entry) collector.add(path, entry, pointer);
    } else if (COMPARISONS.has(type)) {
      collector.problem(
        pointer,
        `a ${type} compares two runs; save the results of run() (or their median) instead`,
      );
    } else if (!NOT_RESULTS.has(type)) {
      collector.problem(`${pointer}/0`, `unknown BenchmarkTools type "${type}"`);
    }
  }
  const out: BenchmarkToolsVersions = {};
  if (typeof versions.Julia === "string") out.julia_version = versions.Julia;
  if (typeof versions.BenchmarkTools === "string") out.benchmarktools_version = versions.BenchmarkTools;
  return out;
}

function trial(
  fields: Record<string, unknown>,
  pointer: string,
  collector: ResultSink,
): BenchmarkEntry | undefined {
  const times = fields.times;
  if (!Array.isArray(times) || times.length === 0) {
    collector.problem(
      `${pointer}/1/times`,
      `a Trial needs its samples in "times" (ns), found ${describeValue(times)}`,
    );
    return undefined;
  }
  const bad = times.findIndex((t) => !isDuration(t));
  if (bad !== -1) {
    collector.problem(
      `${pointer}/1/times/${bad}`,
      `a sample time must be a non-negative number of ns, found ${describeValue(times[bad])}`,
    );
    return undefined;
  }
  const entry = timeStatistics(times as number[], NS_PER_MS);
  // GC time as BenchmarkTools' median(trial) gives it: the median of the samples' GC times.
  const gctimes = fields.gctimes;
  if (Array.isArray(gctimes) && gctimes.length > 0 && gctimes.every(isDuration)) {
    entry.gc_ms = median(gctimes as number[]) / NS_PER_MS;
  }
  return withMemory(entry, fields, pointer, collector);
}

// A TrialEstimate holds one estimate of the time and BenchmarkTools does not record which one; it is
// what the user chose to save (median() in BenchmarkTools' and PkgBenchmark's examples), so it is
// reported, and compared, as the median.
function estimate(
  fields: Record<string, unknown>,
  pointer: string,
  collector: ResultSink,
): BenchmarkEntry | undefined {
  if (!isDuration(fields.time)) {
    collector.problem(
      `${pointer}/1/time`,
      `a TrialEstimate's "time" must be a non-negative number of ns, found ${describeValue(fields.time)}`,
    );
    return undefined;
  }
  const entry: BenchmarkEntry = { median_ms: fields.time / NS_PER_MS };
  if (isDuration(fields.gctime)) entry.gc_ms = fields.gctime / NS_PER_MS;
  return withMemory(entry, fields, pointer, collector);
}

function withMemory(
  entry: BenchmarkEntry,
  fields: Record<string, unknown>,
  pointer: string,
  collector: ResultSink,
): BenchmarkEntry | undefined {
  for (const [field, key] of [
    ["memory", "memory_bytes"],
    ["allocs", "allocs"],
  ] as const) {
    const value = fields[field];
    if (value === undefined) continue;
    if (!isCount(value)) {
      collector.problem(
        `${pointer}/1/${field}`,
        `"${field}" must be a non-negative integer, found ${describeValue(value)}`,
      );
      return undefined;
    }
    entry[key] = value;
  }
  return entry;
}
