// Effective settings of the HPC CLI: defaults that fit a Julia package, then .hpc-ci.json, then
// Mycelia's environment variables (which keep their meaning), then command-line flags. Where results go
// comes from the operator only (operator.ts).
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { InvalidDocumentError } from "../contract/errors.js";
import { readDocument } from "../contract/json.js";
import { checkDocument } from "../contract/validate.js";
import type { Command } from "../process/run-command.js";
import type { ResultsSource } from "../benchmarks/collect.js";
import { hasWildcard } from "../fs/glob.js";
import { isFolder } from "../fs/kind.js";
import { type JudgeSettingsResolved, resolveJudgeSettings } from "./judge-settings.js";
import { resolveDestination } from "./operator.js";
import { ConfigError } from "./settings-error.js";
import { tokenSource } from "./token-file.js";
import type { HpcCiConfig, ResultsSourceConfig, SlurmSettings } from "./types.js";

export const CONFIG_FILE = ".hpc-ci.json";
export const DEFAULT_TEST_COMMAND: Command = [
  "julia",
  "--project=.",
  "-e",
  "import Pkg; Pkg.test(coverage=true)",
];
export const DEFAULT_FLAG = "hpc-extended";

export interface Settings {
  root: string;
  resultsDir: string;
  checkout: boolean;
  commit?: string;
  branch?: string;
  cluster?: string;
  env: Record<string, string>;
  tests: {
    command: Command;
    /** Why the command is what it is: configured, Julia's default for a Julia package, or none at all. */
    origin: "config" | "julia" | "none";
    junit?: string;
    env: Record<string, string>;
    timeoutSeconds?: number;
  };
  coverage: { enabled: boolean; dirs: string[]; lcov?: string; flag: string; codecov: boolean };
  benchmarks: {
    commands: Command[];
    /** Why the commands are what they are, for the log. */
    origin: "config" | "mycelia" | "benchmark/benchmarks.jl" | "none";
    /** Files, folders and globs to read results from (absolute), besides $HPC_CI_BENCHMARK_RESULTS. */
    results: ResultsSource[];
    /** $HPC_CI_BENCHMARK_RESULTS when the user named one plain file; else the run's own raw.json. */
    resultsFile?: string;
    env: Record<string, string>;
    /** Legacy: benchmarks.threshold_pct as written; the judge uses it as its floor when set. */
    thresholdPct: number;
    judge: JudgeSettingsResolved;
    baselineBranch?: string;
    reserveSeconds: number;
    timeoutSeconds?: number;
  };
  results: {
    /** How many times a rejected push is rebuilt and retried (HPC_RESULTS_PUSH_ATTEMPTS, default 30). */
    attempts: number;
    branch: string;
    remote: string;
    repoUrl?: string;
    repository?: string;
    publish: boolean;
    token?: string;
    /** HPC_RESULTS_TOKEN_FILE: read only when the token is used (see token-file.ts). */
    tokenFile?: string;
    /** Where repository_dispatch goes after a push with a token (GITHUB_API_URL); default: the remote's server. */
    apiUrl?: string;
  };
  slurm: SlurmSettings;
  codecovToken?: string;
  /** Said once before the command runs: ignored destination settings of .hpc-ci.json, a token in a URL. */
  warnings?: string[];
  /** CODECOV_TOKEN_FILE: read only when the coverage is uploaded. */
  codecovTokenFile?: string;
}

export { ConfigError };

export async function loadConfig(root: string): Promise<HpcCiConfig> {
  const path = join(root, CONFIG_FILE);
  if (!existsSync(path)) return {};
  try {
    const value = await readDocument(path, CONFIG_FILE);
    const errors = checkDocument("config", value, CONFIG_FILE);
    if (errors.length > 0) throw new InvalidDocumentError(errors);
    return value as HpcCiConfig;
  } catch (error) {
    if (error instanceof InvalidDocumentError) throw new ConfigError(error.message);
    throw error;
  }
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${name} must be a whole number of at least 1, not ${JSON.stringify(value)}`);
  return n;
}

function flagOf(value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const v = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(`expected 1 or 0 (true or false), got ${JSON.stringify(value)}`);
}

// The default benchmark runner for a package that follows the PkgBenchmark convention
// (benchmark/benchmarks.jl defines SUITE): results saved in BenchmarkTools' own JSON format, every
// Trial with its samples (as PkgBenchmark keeps them), so the spread and sample count are known.
const JULIA_BENCHMARK_SCRIPT = [
  "using BenchmarkTools",
  'include(joinpath("benchmark", "benchmarks.jl"))',
  "tune!(SUITE)",
  "results = run(SUITE, verbose = true)",
  'BenchmarkTools.save(ENV["HPC_CI_BENCHMARK_RESULTS"], results)',
].join("; ");

const MYCELIA_BENCHMARKS = 'include("run_extended_tests.jl"); exit(run_benchmarks_locally() ? 0 : 1)';

function defaultBenchmarks(root: string): {
  commands: Command[];
  origin: Settings["benchmarks"]["origin"];
  results?: ResultsSourceConfig[];
} {
  if (existsSync(join(root, "run_extended_tests.jl"))) {
    // Mycelia's extended tutorials and benchmarks, as ci/hpc/run_hpc_ci.sh ran them. Its scripts save
    // to "results/" in the working folder: benchmarking/results/ when run from benchmarking/ (as
    // benchmark_runner.jl does), results/ when run_extended_tests.jl includes them from the root.
    return {
      origin: "mycelia",
      results: ["benchmarking/results/", "results/"],
      commands: [
        ["julia", "--project=.", "run_extended_tests.jl", "tutorials"],
        // `run_extended_tests.jl benchmarks` asks "Continue with local execution? (y/N)" on stdin, and a batch
        // job's stdin answers nothing: the run is cancelled. Its own non-interactive body runs instead
        // (including the file defines it; main() runs only for `julia run_extended_tests.jl`).
        ["julia", "--project=.", "-e", MYCELIA_BENCHMARKS],
      ],
    };
  }
  if (existsSync(join(root, "benchmark", "benchmarks.jl"))) {
    const project = existsSync(join(root, "benchmark", "Project.toml")) ? "benchmark" : ".";
    return {
      origin: "benchmark/benchmarks.jl",
      commands: [["julia", `--project=${project}`, "-e", JULIA_BENCHMARK_SCRIPT]],
    };
  }
  return { origin: "none", commands: [] };
}

/** Julia reads a project from either name. */
function isJuliaPackage(root: string): boolean {
  return ["Project.toml", "JuliaProject.toml"].some((name) => existsSync(join(root, name)));
}

/** `flags`: the `run` command's options (only the judge's --bench-* are read here). */
export async function resolveSettings(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
  flags: Record<string, unknown> = {},
): Promise<Settings> {
  const config = await loadConfig(root);
  const destination = await resolveDestination(root, config, env);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(root, p));
  const defaults = defaultBenchmarks(root);
  const benchmarks = config.benchmarks ?? {};
  const hasConfiguredCommands = benchmarks.commands !== undefined;
  let publish: boolean | undefined;
  let checkout: boolean | undefined;
  try {
    publish = flagOf(env.HPC_RESULTS_PUBLISH);
  } catch (e) {
    throw new ConfigError(`HPC_RESULTS_PUBLISH: ${(e as Error).message}`);
  }
  try {
    checkout = flagOf(env.HPC_CI_CHECKOUT);
  } catch (e) {
    throw new ConfigError(`HPC_CI_CHECKOUT: ${(e as Error).message}`);
  }
  const resultsToken = tokenSource(env, "HPC_RESULTS_TOKEN");
  const codecovToken = tokenSource(env, "CODECOV_TOKEN");
  const minutes = (m: number | undefined) => (m === undefined ? undefined : Math.round(m * 60));
  const configured = hasConfiguredCommands ? benchmarks.results : (benchmarks.results ?? defaults.results);
  const sources: ResultsSource[] = (configured === undefined ? [] : [configured].flat()).map((s) => {
    const { path, tool } = typeof s === "string" ? { path: s, tool: undefined } : s;
    // resolve() drops a trailing "/", which says "a folder" even before the folder exists.
    const absolute = at(path) + (path.endsWith("/") && !at(path).endsWith("/") ? "/" : "");
    return tool ? { path: absolute, tool } : { path: absolute };
  });
  const only = sources.length === 1 ? sources[0] : undefined;
  const resultsFile =
    only && !only.tool && !hasWildcard(only.path) && !only.path.endsWith("/") && !isFolder(only.path)
      ? only.path
      : undefined;
  return {
    root,
    resultsDir: at(env.HPC_RESULTS_DIR || config.results?.dir || "hpc-ci"),
    checkout: checkout ?? false,
    commit: env.HPC_CI_COMMIT || undefined,
    branch: env.HPC_CI_BRANCH || undefined,
    cluster: env.HPC_CLUSTER_NAME || config.cluster || undefined,
    env: config.env ?? {},
    tests: {
      command: config.tests?.command ?? DEFAULT_TEST_COMMAND,
      origin: config.tests?.command ? "config" : isJuliaPackage(root) ? "julia" : "none",
      junit: config.tests?.junit ? at(config.tests.junit) : undefined,
      env: config.tests?.env ?? {},
      timeoutSeconds: minutes(config.tests?.timeout_minutes),
    },
    coverage: {
      enabled: config.coverage?.enabled ?? true,
      dirs: config.coverage?.dirs ?? ["src", "ext"],
      lcov: config.coverage?.lcov ? at(config.coverage.lcov) : undefined,
      flag: env.HPC_CODECOV_FLAG || config.coverage?.flag || DEFAULT_FLAG,
      codecov: config.coverage?.codecov ?? true,
    },
    benchmarks: {
      commands: benchmarks.enabled === false ? [] : (benchmarks.commands ?? defaults.commands),
      origin: benchmarks.enabled === false ? "none" : hasConfiguredCommands ? "config" : defaults.origin,
      results: sources,
      resultsFile,
      env: benchmarks.env ?? {},
      thresholdPct: benchmarks.threshold_pct ?? 10,
      judge: resolveJudgeSettings(benchmarks, env, flags),
      // The operator may pin it: the tested commit could otherwise pick a branch of its own runs.
      baselineBranch: env.HPC_BENCH_BASELINE_BRANCH || benchmarks.baseline_branch,
      reserveSeconds: minutes(benchmarks.reserve_minutes ?? 15)!,
      timeoutSeconds: minutes(benchmarks.timeout_minutes),
    },
    results: {
      // Where to and with what credential: the operator's alone (operator.ts).
      branch: destination.branch,
      remote: destination.remote,
      repoUrl: destination.repoUrl,
      repository: destination.repository,
      publish: publish ?? config.results?.publish ?? true,
      token: destination.token,
      tokenFile: resultsToken.file,
      apiUrl: env.GITHUB_API_URL || undefined,
      attempts: positiveInteger(env.HPC_RESULTS_PUSH_ATTEMPTS, "HPC_RESULTS_PUSH_ATTEMPTS") ?? 30,
    },
    slurm: config.slurm ?? {},
    codecovToken: codecovToken.value,
    codecovTokenFile: codecovToken.file,
    warnings: destination.warnings,
  };
}

/** Variables that hold credentials or say where they are: never handed to test or benchmark commands. */
export const SECRET_VARIABLES = [
  "CODECOV_TOKEN",
  "CODECOV_TOKEN_FILE",
  "HPC_RESULTS_TOKEN_FILE",
  "HPC_RESULTS_REPO_URL",
  "HPC_RESULTS_TOKEN",
  "GITHUB_TOKEN",
  "GH_TOKEN",
];
