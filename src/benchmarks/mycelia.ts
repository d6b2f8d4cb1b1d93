// Mycelia's benchmark files (benchmarking/benchmark_utils.jl and the scripts in benchmarking/),
// written by JSON.jl's `JSON.print(f, dict, 2)`:
// - `save_benchmark_results`: `{"suite_name", "metadata": {"cpu_info": {"model", ...}, "julia_version",
//   "memory_total", "timestamp"}, "results": {name: stats}}` as `results/<suite>_benchmark_<stamp>.json`;
// - the scripts' "enhanced"/"comprehensive" file: `{"benchmark_name", "timestamp", "configuration",
//   "system_info": {"julia_version", "cpu_threads", "total_memory", "hostname", "platform"},
//   "performance_summary" | "performance_metrics": {...}, "resource_utilization", "detailed_results":
//   {name: stats}}` as `results/<suite>_enhanced_<stamp>.json` (or `_comprehensive_`).
// stats, from `add_benchmark_result!`: BenchmarkTools' median/mean/min/max/std of the Trial as
// `median_time` ... `std_time` (ns, Float64), `memory` (bytes) and `allocations` of the median, and
// `memory_stats` from `run_benchmark_with_memory`: `gc_time` in SECONDS (Base.gc_num's total_time / 1e9,
// over tuning, every sample and the GC.gc() forced after them), `gc_count`, and `allocations`, which is
// gc_num's `allocd` difference (bytes, not a count: left out). Scaling results carry only
// median_time, memory and allocations. `add_profiled_result!` stores one timed run instead:
// `wall_time_seconds`, `allocated_bytes`, `gc_time_seconds`. JSON.jl 0.21 writes NaN (std of one sample)
// as null and a VersionNumber as {"major", "minor", "patch", "prerelease", "build"}; JSON.jl 1.x writes
// the version as a string. Both are read.
import { basename } from "node:path";
import { escapePointerToken } from "../contract/errors.js";
import { type BenchmarkEntry, type ResultSink, describeValue, isRecord } from "./entry.js";
import { NS_PER_MS } from "./statistics.js";

/** What a Mycelia file says about where it ran (fallbacks for the node's own detection). */
export interface FileEnvironment {
  cpu_model?: string;
  julia_version?: string;
  os?: string;
  arch?: string;
  node?: string;
  threads?: number;
}

const TIME_FIELDS = [
  ["median_time", "median_ms"],
  ["mean_time", "mean_ms"],
  ["min_time", "min_ms"],
  ["max_time", "max_ms"],
  ["std_time", "std_ms"],
] as const;
const METRIC_SECTIONS = ["performance_summary", "performance_metrics"] as const;
// `<stem>_<yyyy-mm-dd_HH-MM-SS>.json`, the stem ending in what the file is.
const STAMPED =
  /^(.+?)(?:_(?:benchmark|enhanced|comprehensive|results))?_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.json$/i;

const STATISTIC_KEYS = [...TIME_FIELDS.map(([field]) => field), "wall_time_seconds"];

/**
 * Whether `doc` is a Mycelia benchmark file: an object whose results or detailed_results holds an
 * object with a time statistic, or save_benchmark_results' file of a suite that measured nothing.
 * Other JSON with a "results" key (a tutorial's output in the same folder) is not taken for one.
 */
export function isMyceliaDocument(doc: unknown): doc is Record<string, unknown> {
  if (!isRecord(doc)) return false;
  const results = isRecord(doc.detailed_results) ? doc.detailed_results : doc.results;
  if (!isRecord(results)) return false;
  const values = Object.values(results);
  if (values.length === 0)
    return typeof doc.suite_name === "string" || typeof doc.benchmark_name === "string";
  return values.some((v) => isRecord(v) && STATISTIC_KEYS.some((k) => k in v));
}

/**
 * The suite a file's benchmarks are named under. Both files of one script run must agree, so that a
 * benchmark in both is one benchmark: the enhanced file's benchmark_name ("data_processing"), else
 * the file name's stem ("data_processing_benchmark_2026-06-22_10-52-46.json" -> "data_processing"),
 * else suite_name ("Data Processing Performance"), else the file name.
 */
export function myceliaSuite(doc: Record<string, unknown>, file: string): string {
  const name = basename(file);
  const named = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
  return (
    named(doc.benchmark_name) ??
    STAMPED.exec(name)?.[1] ??
    named(doc.suite_name) ??
    (name.replace(/\.json$/i, "") || "benchmark")
  );
}

export function readMycelia(doc: Record<string, unknown>, sink: ResultSink, file: string): FileEnvironment {
  const suite = myceliaSuite(doc, file);
  const key = isRecord(doc.detailed_results) ? "detailed_results" : "results";
  const results = doc[key] as Record<string, unknown>;
  for (const [name, stats] of Object.entries(results)) {
    const pointer = `/${key}/${escapePointerToken(name)}`;
    if (!isRecord(stats)) {
      sink.problem(pointer, `expected the benchmark's statistics object, found ${describeValue(stats)}`);
      continue;
    }
    const entry = readStats(stats, pointer, sink);
    if (entry === null) continue;
    if (entry === undefined) sink.note(pointer, `"${name}" has no time statistics; left out`);
    else sink.add([suite, name], entry, pointer);
  }
  for (const section of METRIC_SECTIONS) {
    if (isRecord(doc[section])) readRates(doc[section], [suite], `/${section}`, sink);
  }
  return environment(doc);
}

/** The statistics of one benchmark; undefined when it has none, null when something was wrong. */
function readStats(
  stats: Record<string, unknown>,
  pointer: string,
  sink: ResultSink,
): BenchmarkEntry | undefined | null {
  const entry: BenchmarkEntry = {};
  let ok = true;
  const number = (field: string, value: unknown, where = `${pointer}/${field}`): number | undefined => {
    if (value === undefined || value === null) return undefined; // JSON.jl writes NaN as null
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
    sink.problem(where, `"${field}" must be a non-negative number, found ${describeValue(value)}`);
    ok = false;
    return undefined;
  };
  for (const [field, ours] of TIME_FIELDS) {
    const ns = number(field, stats[field]);
    if (ns !== undefined) entry[ours] = ns / NS_PER_MS;
  }
  const wall = number("wall_time_seconds", stats.wall_time_seconds);
  if (wall !== undefined && entry.median_ms === undefined) {
    // One timed run (add_profiled_result!): every statistic is that run.
    const ms = wall * 1000;
    Object.assign(entry, { median_ms: ms, mean_ms: ms, min_ms: ms, max_ms: ms, samples: 1 });
  }
  const memory = number("memory", stats.memory) ?? number("allocated_bytes", stats.allocated_bytes);
  if (memory !== undefined) entry.memory_bytes = Math.round(memory);
  const allocs = number("allocations", stats.allocations);
  if (allocs !== undefined) entry.allocs = Math.round(allocs);
  const memoryStats = stats.memory_stats;
  const gcSeconds = isRecord(memoryStats)
    ? number("gc_time", memoryStats.gc_time, `${pointer}/memory_stats/gc_time`)
    : number("gc_time_seconds", stats.gc_time_seconds);
  if (gcSeconds !== undefined) entry.gc_ms = gcSeconds * 1000;
  if (!ok) return null;
  return entry.median_ms === undefined && entry.mean_ms === undefined ? undefined : entry;
}

/**
 * Rates in performance_summary / performance_metrics, the one kind of number there that measures
 * this code rather than describing the run (file counts, sizes, total duration, scores): a key that
 * names its rate (`throughput_mbps`, `..._per_second`, `..._per_minute`) becomes a bigger-is-better
 * result `<suite>/<key>`; an object of them (`k_mer_throughput_per_second: {"11": ...}`) gives
 * `<suite>/<key>/<sub>`.
 */
function readRates(
  section: Record<string, unknown>,
  path: string[],
  pointer: string,
  sink: ResultSink,
): void {
  for (const [key, value] of Object.entries(section)) {
    const unit = rateUnit(key);
    if (unit === undefined) continue;
    const where = `${pointer}/${escapePointerToken(key)}`;
    const items = isRecord(value) ? Object.entries(value) : [[undefined, value] as const];
    for (const [sub, v] of items) {
      if (v === null) continue;
      const at = sub === undefined ? where : `${where}/${escapePointerToken(sub)}`;
      if (typeof v !== "number" || !Number.isFinite(v)) {
        sink.problem(at, `a rate must be a finite number, found ${describeValue(v)}`);
        continue;
      }
      const names = sub === undefined ? [...path, key] : [...path, key, sub];
      sink.add(names, { value: v, unit, direction: "bigger_is_better" }, at);
    }
  }
}

/** The unit a key names: `throughput_mbps` -> MB/s, `assembly_throughput_reads_per_minute` -> reads/min. */
export function rateUnit(key: string): string | undefined {
  const k = key.toLowerCase();
  if (/(?:^|_)mbps$/.test(k)) return "MB/s"; // Mycelia: (bytes / 1e6) / seconds
  if (/(?:^|_)gbps$/.test(k)) return "GB/s";
  const m = /^(.*?)_?per_(second|sec|minute|min|hour)$/.exec(k);
  if (!m) return undefined;
  const per = { second: "s", sec: "s", minute: "min", min: "min", hour: "h" }[m[2] as "second"];
  const [before, after] = (m[1] ?? "").split(/_?throughput_?/);
  const what = after || before || "1";
  return `${what}/${per}`;
}

function environment(doc: Record<string, unknown>): FileEnvironment {
  const env: FileEnvironment = {};
  const meta = isRecord(doc.metadata) ? doc.metadata : {};
  const system = isRecord(doc.system_info) ? doc.system_info : {};
  const cpu = isRecord(meta.cpu_info) ? meta.cpu_info.model : undefined;
  if (typeof cpu === "string" && cpu.trim() && cpu.trim() !== "unknown") env.cpu_model = cpu.trim();
  const julia = versionText(system.julia_version) ?? versionText(meta.julia_version);
  if (julia) env.julia_version = julia;
  if (typeof system.platform === "string") {
    // Sys.MACHINE: "x86_64-linux-gnu", "aarch64-apple-darwin23.0.0"; os named as Node's process.platform.
    const arch = system.platform.split("-")[0];
    if (arch) env.arch = arch;
    const os = /(linux|darwin|freebsd|openbsd|mingw|windows)/.exec(system.platform)?.[1];
    if (os) env.os = os === "mingw" || os === "windows" ? "win32" : os;
  }
  if (typeof system.hostname === "string" && system.hostname.trim()) env.node = system.hostname.trim();
  return env;
}

/** A Julia VersionNumber as JSON.jl 1.x ("1.10.10") or 0.21 ({"major": 1, ...}) writes it. */
export function versionText(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim().replace(/^v/, "") || undefined;
  if (!isRecord(value)) return undefined;
  const { major, minor, patch, prerelease, build } = value;
  if (![major, minor, patch].every((n) => typeof n === "number" && Number.isInteger(n))) return undefined;
  const parts = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.join(".") : "");
  const pre = parts(prerelease);
  const plus = parts(build);
  return `${major}.${minor}.${patch}${pre ? `-${pre}` : ""}${plus ? `+${plus}` : ""}`;
}
