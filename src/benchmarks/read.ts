// Benchmark result files, told apart by shape: BenchmarkTools save() JSON, PkgBenchmark writeresults
// JSON, or the generic list. Everything wrong is reported at once, each with the file and a JSON pointer.
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { InvalidDocumentError } from "../contract/errors.js";
import {
  type BenchmarkToolsVersions,
  isBenchmarkToolsDocument,
  readBenchmarkTools,
} from "./benchmarktools.js";
import { type BenchmarkResults, ResultCollector, describeValue, isRecord } from "./entry.js";
import { isGenericList, readGenericList } from "./generic-list.js";

export type BenchmarkFormat = "benchmarktools" | "pkgbenchmark" | "list";

export interface BenchmarkFile {
  format: BenchmarkFormat;
  results: BenchmarkResults;
  /** What the file says about the run (versions from BenchmarkTools' header, PkgBenchmark's metadata). */
  meta: BenchmarkToolsVersions & { name?: string; commit?: string; julia_commit?: string; date?: string };
}

/** Trials keep every sample, so real files are large; this bounds what is read into memory. */
export const MAX_BENCHMARK_BYTES = 256 * 1024 * 1024;

const FORMATS_EXPECTED =
  'not a benchmark results file: expected BenchmarkTools save() JSON ([{"Julia": ..., "BenchmarkTools": ...}, [values]]), ' +
  'PkgBenchmark writeresults JSON ({"benchmarkgroup": "...", "commit": ...}) or a list of {"name", "unit", "value"}';

/** Parses the text of a results file named `file` (used in errors, and to name loose Trials). */
export function parseBenchmarks(text: string, file: string): BenchmarkFile {
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
  return benchmarksFromJson(doc, file);
}

/** Reads the results in an already parsed document. */
export function benchmarksFromJson(doc: unknown, file: string): BenchmarkFile {
  const collector = new ResultCollector(file);
  const leafName = basename(file).replace(/\.json$/i, "") || "benchmark";
  if (isBenchmarkToolsDocument(doc)) {
    const meta = readBenchmarkTools(doc, collector, leafName);
    return { format: "benchmarktools", results: collector.finish(), meta };
  }
  if (isRecord(doc) && "benchmarkgroup" in doc) {
    const meta = readPkgBenchmark(doc, collector, leafName);
    return { format: "pkgbenchmark", results: collector.finish(), meta };
  }
  if (isGenericList(doc)) {
    readGenericList(doc, collector);
    return { format: "list", results: collector.finish(), meta: {} };
  }
  throw new InvalidDocumentError([
    { file, pointer: "", reason: `${FORMATS_EXPECTED}; found ${describeValue(doc)}` },
  ]);
}

/** Reads a results file from disk, refusing files over MAX_BENCHMARK_BYTES. */
export async function readBenchmarks(path: string, file = path): Promise<BenchmarkFile> {
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
    return parseBenchmarks((await handle.readFile()).toString("utf8"), file);
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
