// Benchmark result files, told apart by shape: BenchmarkTools save() JSON, PkgBenchmark writeresults
// JSON, Mycelia's files, or the generic list. Everything wrong in a file is reported at once, each with
// the file and a JSON pointer, and a file with anything wrong gives no results (never half a file).
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { InvalidDocumentError } from "../contract/errors.js";
import {
  type BenchmarkToolsVersions,
  isBenchmarkToolsDocument,
  readBenchmarkTools,
} from "./benchmarktools.js";
import { type BenchmarkResults, ResultCollector, describeValue, isRecord } from "./entry.js";
import { type ListTool, isGenericList, readGenericList } from "./generic-list.js";
import { type FileEnvironment, isMyceliaDocument, readMycelia } from "./mycelia.js";

export type BenchmarkFormat = "benchmarktools" | "pkgbenchmark" | "mycelia" | "list";

export interface BenchmarkFile {
  format: BenchmarkFormat;
  results: BenchmarkResults;
  /** What the file says about the run (versions, PkgBenchmark's metadata, Mycelia's system_info). */
  meta: BenchmarkToolsVersions &
    FileEnvironment & { name?: string; commit?: string; julia_commit?: string; date?: string };
  /** What was left out on purpose (a Mycelia result without times), for the log. */
  notes: string[];
}

export interface ReadOptions {
  /** Which way is better in a generic list (github-action-benchmark's tool); smaller by default. */
  tool?: ListTool;
}

/** Trials keep every sample, so real files are large; this bounds what is read into memory. */
export const MAX_BENCHMARK_BYTES = 256 * 1024 * 1024;

const FORMATS_EXPECTED =
  'not a benchmark results file: expected BenchmarkTools save() JSON ([{"Julia": ..., "BenchmarkTools": ...}, [values]]), ' +
  'PkgBenchmark writeresults JSON ({"benchmarkgroup": "...", "commit": ...}), Mycelia\'s save_benchmark_results JSON ' +
  '({"results": {...}} or {"detailed_results": {...}}) or a list of {"name", "unit", "value"}';

/** Valid JSON in none of the formats: a file found in a folder may be some other program's. */
export class UnknownFormatError extends InvalidDocumentError {
  override name = "UnknownFormatError";
}

/** Parses the text of a results file named `file` (used in errors, and to name loose Trials). */
export function parseBenchmarks(text: string, file: string, options: ReadOptions = {}): BenchmarkFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InvalidDocumentError([
      { file, pointer: "", reason: `not valid JSON (${message.slice(0, 200)})` },
    ]);
  }
  return benchmarksFromJson(doc, file, options);
}

/** Reads the results in an already parsed document. */
export function benchmarksFromJson(doc: unknown, file: string, options: ReadOptions = {}): BenchmarkFile {
  const collector = new ResultCollector(file);
  const leafName = basename(file).replace(/\.json$/i, "") || "benchmark";
  const done = (format: BenchmarkFormat, meta: BenchmarkFile["meta"]): BenchmarkFile => ({
    format,
    results: collector.finish(),
    meta,
    notes: collector.notes,
  });
  if (isBenchmarkToolsDocument(doc))
    return done("benchmarktools", readBenchmarkTools(doc, collector, leafName));
  if (isRecord(doc) && "benchmarkgroup" in doc)
    return done("pkgbenchmark", readPkgBenchmark(doc, collector, leafName));
  if (isMyceliaDocument(doc)) return done("mycelia", readMycelia(doc, collector, file));
  if (isGenericList(doc)) {
    readGenericList(doc, collector, options.tool);
    return done("list", {});
  }
  throw new UnknownFormatError([
    { file, pointer: "", reason: `${FORMATS_EXPECTED}; found ${describeValue(doc)}` },
  ]);
}

/** Reads a results file from disk, refusing files over MAX_BENCHMARK_BYTES. */
export async function readBenchmarks(
  path: string,
  file = path,
  options: ReadOptions = {},
): Promise<BenchmarkFile> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size > MAX_BENCHMARK_BYTES) {
      throw new InvalidDocumentError([
        {
          file,
          pointer: "",
          reason: `the file is ${size} bytes, over the ${MAX_BENCHMARK_BYTES} byte limit`,
        },
      ]);
    }
    return parseBenchmarks((await handle.readFile()).toString("utf8"), file, options);
  } finally {
    await handle.close();
  }
}

/** Only the results of a file (see readBenchmarks). */
export async function readBenchmarkResults(path: string, file = path): Promise<BenchmarkResults> {
  return (await readBenchmarks(path, file)).results;
}

function readPkgBenchmark(
  doc: Record<string, unknown>,
  collector: ResultCollector,
  leafName: string,
): BenchmarkFile["meta"] {
  const meta: BenchmarkFile["meta"] = {};
  for (const key of ["name", "commit", "julia_commit", "date"] as const) {
    if (typeof doc[key] === "string") meta[key] = doc[key];
  }
  if (typeof doc.vinfo === "string") Object.assign(meta, versionInfoEnvironment(doc.vinfo));
  // BenchmarkConfig's env, as PkgBenchmark ran Julia with it: {"JULIA_NUM_THREADS": 4}.
  const config = isRecord(doc.benchmarkconfig) ? doc.benchmarkconfig : {};
  const threads = Number(isRecord(config.env) ? config.env.JULIA_NUM_THREADS : undefined);
  if (meta.threads === undefined && Number.isInteger(threads) && threads > 0) meta.threads = threads;
  // writeresults stores the group as the text of a BenchmarkTools file; accept it parsed as well.
  let inner = doc.benchmarkgroup;
  if (typeof inner === "string") {
    try {
      inner = JSON.parse(inner);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      collector.problem(
        "/benchmarkgroup",
        `the embedded BenchmarkTools JSON is not valid JSON (${message.slice(0, 200)})`,
      );
      return meta;
    }
  }
  if (!isBenchmarkToolsDocument(inner)) {
    collector.problem(
      "/benchmarkgroup",
      `expected BenchmarkTools save() JSON, found ${describeValue(inner)}`,
    );
    return meta;
  }
  const sink = collector.embedded("/benchmarkgroup", "in the embedded BenchmarkTools JSON");
  return { ...readBenchmarkTools(inner, sink, meta.name ?? leafName), ...meta };
}

/**
 * The CPU and threads in Julia's versioninfo() text (PkgBenchmark's vinfo): "  CPU: 16 × AMD EPYC
 * 7763 64-Core Processor" (older: "  CPU: Intel(R) ..."), "  Threads: 4 default, 0 interactive, ..."
 * (older: "  Threads: 4 on 16 virtual cores").
 */
export function versionInfoEnvironment(vinfo: string): FileEnvironment {
  const env: FileEnvironment = {};
  const cpu = /^\s*CPU:\s*(?:\d+\s*×\s*)?(.+?)\s*$/m.exec(vinfo)?.[1];
  if (cpu) env.cpu_model = cpu.slice(0, 200);
  const threads = /^\s*Threads:\s*(\d+)/m.exec(vinfo)?.[1];
  if (threads && Number(threads) > 0) env.threads = Number(threads);
  return env;
}
