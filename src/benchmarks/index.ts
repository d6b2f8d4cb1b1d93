// Benchmark reports: BenchmarkTools / PkgBenchmark / Mycelia / generic-list result files found and read
// into the contract's results by name (src/judge/ gives their verdicts), and written up as
// benchmarks/summary.json.
export type { BenchmarkToolsVersions } from "./benchmarktools.js";
export type { BenchmarkEntry, BenchmarkResults } from "./entry.js";
export type { CollectedBenchmarks, FileSnapshot, ResultsSource } from "./collect.js";
export { CLOCK_SLACK_MS, collectBenchmarkResults, snapshotBenchmarkFiles } from "./collect.js";
export type { ListTool } from "./generic-list.js";
export { LIST_TOOLS, msPerUnit } from "./generic-list.js";
export type { FileEnvironment } from "./mycelia.js";
export { myceliaSuite, rateUnit, versionText } from "./mycelia.js";
export type { BenchmarkFile, BenchmarkFormat, ReadOptions } from "./read.js";
export {
  MAX_BENCHMARK_BYTES,
  UnknownFormatError,
  versionInfoEnvironment,
  benchmarksFromJson,
  parseBenchmarks,
  readBenchmarkResults,
  readBenchmarks,
} from "./read.js";
export type { BenchmarksSummaryOptions } from "./summary.js";
export { benchmarksSummary } from "./summary.js";
