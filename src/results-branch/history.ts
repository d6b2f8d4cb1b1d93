// The benchmark history of a source branch on the results branch: `history/<encoded branch>.json`, the
// newest runs with only what judging needs (schemas/benchmark-history.schema.json). publish adds runs
// of the default branch; the CLI reads the file with one partial fetch, in time that grows with the
// file's bound, and keeps the runs of its own environment.
import { join } from "node:path";
import { InvalidDocumentError, formatContractError } from "../contract/errors.js";
import { parseDocument, readDocument } from "../contract/json.js";
import type {
  BenchmarkEnvironment,
  BenchmarkHistory,
  BenchmarkHistoryPoint,
  BenchmarkHistoryRun,
  HpcResults,
} from "../contract/types.js";
import { checkDocument } from "../contract/validate.js";
import { writeJsonAtomic } from "../fs/atomic.js";
import { type BranchSnapshot, snapshotBranch } from "./snapshot.js";

export const HISTORY_FOLDER = "history";
/** Runs kept per environment, and in all (the oldest environments go first). */
export const HISTORY_PER_ENVIRONMENT = 100;
export const HISTORY_RUNS = 300;
/** 300 runs of a few hundred benchmarks; the file is bounded by its runs, not by this. */
export const HISTORY_MAX_BYTES = 32 * 1024 * 1024;

export function historyFile(branch: string): string {
  return `${HISTORY_FOLDER}/${encodeURIComponent(branch)}.json`;
}

const ENVIRONMENT_KEYS = ["cluster", "cpu_model", "julia_version", "threads", "os", "arch"] as const;

export function environmentOf(results: HpcResults): BenchmarkEnvironment {
  const hpc = results.hpc ?? {};
  const env: BenchmarkEnvironment = {};
  for (const key of ENVIRONMENT_KEYS) if (hpc[key] !== undefined) Object.assign(env, { [key]: hpc[key] });
  return env;
}

export function sameEnvironment(a: BenchmarkEnvironment, b: BenchmarkEnvironment): boolean {
  return ENVIRONMENT_KEYS.every((k) => a[k] === b[k]);
}

/** "cluster lr, CPU Xeon 6130, Julia 1.10.10, 8 threads, linux/x86_64" (what is known). */
export function describeEnvironment(env: BenchmarkEnvironment): string {
  const parts = [
    env.cluster && `cluster ${env.cluster}`,
    env.cpu_model && `CPU ${env.cpu_model}`,
    env.julia_version && `Julia ${env.julia_version}`,
    env.threads !== undefined && `${env.threads} threads`,
    (env.os || env.arch) && [env.os, env.arch].filter(Boolean).join("/"),
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "unknown environment";
}

/** The history entry of a run, or why the run does not belong in the history. */
export function historyEntry(results: HpcResults): { entry?: BenchmarkHistoryRun; reason?: string } {
  const bench = results.benchmarks;
  if (!bench?.results || Object.keys(bench.results).length === 0) return { reason: "no benchmark results" };
  if (bench.status !== "passed") return { reason: `the benchmarks ${bench.status}` };
  if (results.dirty === true) return { reason: "the tested tree had uncommitted changes" };
  if (results.pushed === false) return { reason: "the tested commit was not pushed" };
  const benchmarks: Record<string, BenchmarkHistoryPoint> = {};
  for (const [name, r] of Object.entries(bench.results)) {
    const point: BenchmarkHistoryPoint = {};
    // Six significant digits: finer than any timing repeats, and a third smaller a file.
    for (const key of ["median_ms", "min_ms", "value"] as const)
      if (r[key] !== undefined) point[key] = Number((r[key] as number).toPrecision(6));
    if (r.direction !== undefined) point.direction = r.direction;
    if (r.allocs !== undefined) point.allocs = r.allocs;
    if (r.memory_bytes !== undefined) point.memory_bytes = r.memory_bytes;
    benchmarks[name] = point;
  }
  return {
    entry: {
      commit: results.commit,
      ...(results.generated_at && { generated_at: results.generated_at }),
      ...(results.hpc?.node && { node: results.hpc.node }),
      environment: environmentOf(results),
      benchmarks,
    },
  };
}

/** The history with `entry` added: one run per commit and environment, oldest first, bounded. */
export function withRun(
  history: BenchmarkHistory | undefined,
  branch: string,
  entry: BenchmarkHistoryRun,
): BenchmarkHistory {
  const others = (history?.runs ?? []).filter(
    (r) => !(r.commit === entry.commit && sameEnvironment(r.environment, entry.environment)),
  );
  const runs = [...others, entry].sort((a, b) => time(a) - time(b));
  const kept: BenchmarkHistoryRun[] = [];
  const perEnvironment = new Map<string, number>();
  for (let i = runs.length - 1; i >= 0 && kept.length < HISTORY_RUNS; i--) {
    const run = runs[i] as BenchmarkHistoryRun;
    const key = JSON.stringify(ENVIRONMENT_KEYS.map((k) => run.environment[k] ?? null));
    const n = perEnvironment.get(key) ?? 0;
    if (n >= HISTORY_PER_ENVIRONMENT) continue;
    perEnvironment.set(key, n + 1);
    kept.push(run);
  }
  return { schema_version: 1, branch, runs: kept.reverse() };
}

function time(run: BenchmarkHistoryRun): number {
  const t = Date.parse(run.generated_at ?? "");
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Adds the run to its branch's history in a checkout of the results branch. An unreadable history file
 * is started again rather than blocking the run. Returns what was done, for the log.
 */
export async function updateHistory(dir: string, results: HpcResults): Promise<string> {
  const branch = results.branch;
  if (!branch) return "not added to the benchmark history: the run names no branch";
  const { entry, reason } = historyEntry(results);
  if (!entry) return `not added to the ${branch} benchmark history: ${reason}`;
  const file = historyFile(branch);
  let history: BenchmarkHistory | undefined;
  let note = "";
  try {
    const value = await readDocument(join(dir, file), file, HISTORY_MAX_BYTES);
    const problems = checkDocument("benchmark-history", value, file);
    if (problems.length > 0) throw new InvalidDocumentError(problems);
    history = value as BenchmarkHistory;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      const why =
        error instanceof InvalidDocumentError
          ? error.errors.map(formatContractError).join("; ")
          : String(error);
      note = ` (the old file was unusable and is started again: ${why.slice(0, 300)})`;
    }
  }
  const updated = withRun(history, branch, entry);
  await writeJsonAtomic(join(dir, file), updated);
  return `added to ${file} (${updated.runs.length} runs)${note}`;
}

/** A history file's text as a valid history; throws InvalidDocumentError with the reasons. */
export function parseHistory(text: string, file: string): BenchmarkHistory {
  const value = parseDocument(text, file, HISTORY_MAX_BYTES);
  const problems = checkDocument("benchmark-history", value, file);
  if (problems.length > 0) throw new InvalidDocumentError(problems);
  return value as BenchmarkHistory;
}

/** The runs of `history` in `environment`, oldest first, without `exceptCommit` (a rerun of itself). */
export function historyFor(
  history: BenchmarkHistory,
  environment: BenchmarkEnvironment,
  exceptCommit?: string,
): BenchmarkHistoryRun[] {
  return history.runs.filter((r) => r.commit !== exceptCommit && sameEnvironment(r.environment, environment));
}

export interface FetchedHistory {
  history?: BenchmarkHistory;
  /** Why there is none, for the log. */
  reason?: string;
}

/**
 * The history file of `branch` from the results branch at `remote`: a shallow fetch of the tip without
 * file contents (see snapshot.ts), then the one file, fetched on demand.
 */
export async function fetchHistory(
  remote: string,
  resultsBranch: string,
  branch: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FetchedHistory> {
  const file = historyFile(branch);
  let snapshot: BranchSnapshot;
  try {
    snapshot = await snapshotBranch(remote, resultsBranch, env);
  } catch (error) {
    return { reason: `cannot fetch ${resultsBranch}: ${(error as Error).message}` };
  }
  try {
    if (!snapshot.tip) return { reason: `cannot fetch ${resultsBranch}: no such branch` };
    const text = await snapshot.read(file);
    if (text === undefined) return { reason: `${resultsBranch} has no ${file} yet` };
    try {
      return { history: parseHistory(text, file) };
    } catch (error) {
      if (!(error instanceof InvalidDocumentError)) throw error;
      return {
        reason: `${file} is unusable: ${error.errors.map(formatContractError).join("; ").slice(0, 500)}`,
      };
    }
  } finally {
    await snapshot.close();
  }
}
