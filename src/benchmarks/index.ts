// Benchmark reports: BenchmarkTools / PkgBenchmark / generic-list result files read into the contract's
// results by name, compared with a baseline run, and written up as benchmarks/summary.json.
export type { BaselineComparison } from "./baseline.js";
export { DEFAULT_REGRESSION_THRESHOLD_PCT, compareWithBaseline, deltaPct } from "./baseline.js";
export type { BenchmarkToolsVersions } from "./benchmarktools.js";
export type { BenchmarkEntry, BenchmarkResults } from "./entry.js";
export { msPerUnit } from "./generic-list.js";
export type { BenchmarkFile, BenchmarkFormat } from "./read.js";
export {
  MAX_BENCHMARK_BYTES,
  benchmarksFromJson,
  parseBenchmarks,
  readBenchmarkResults,
  readBenchmarks,
} from "./read.js";
export type { BenchmarksSummaryOptions } from "./summary.js";
export { benchmarksSummary } from "./summary.js";
