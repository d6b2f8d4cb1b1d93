// This run's benchmark results, from what `benchmarks.results` names: files, folders (their `*.json`),
// globs (`*`, `?`, `**`), or a list of them. Only files the benchmark commands wrote count: a file that
// was there before the commands ran and did not change since (or, without that snapshot, whose mtime is
// older than the commands' start less CLOCK_SLACK_MS) is left alone and named in a note. The user's
// files are never deleted or rewritten. A bad file is a problem with its file, pointer and reason;
// the good files' results are kept. A benchmark in two files (Mycelia writes its results twice) is
// kept once: the copy with more samples, then with more statistics, then the first file's by name.
import { stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { type ContractError, InvalidDocumentError } from "../contract/errors.js";
import { glob, hasWildcard } from "../fs/glob.js";
import { isFolder } from "../fs/kind.js";
import type { BenchmarkEntry, BenchmarkResults } from "./entry.js";
import type { ListTool } from "./generic-list.js";
import type { FileEnvironment } from "./mycelia.js";
import { UnknownFormatError, readBenchmarks } from "./read.js";

/** One entry of `benchmarks.results`: a file, a folder or a glob, and the tool of a generic list. */
export interface ResultsSource {
  path: string;
  tool?: ListTool;
}

/** Where each candidate file stood before the commands ran: absolute path -> "mtimeMs:size". */
export type FileSnapshot = ReadonlyMap<string, string>;

export interface CollectedBenchmarks {
  results: BenchmarkResults;
  /** The files read (relative to cwd when inside it), in the order read. */
  files: string[];
  /** Files left out, results left out and duplicates merged, one line each, for the log. */
  notes: string[];
  /** The files left out (not written by this run, not a results file), for the section's reason. */
  ignored: string[];
  /** Files that could not be read, each reason with its file and JSON pointer. */
  problems: ContractError[];
  /** What the files say about where they ran, first file first. */
  environment: FileEnvironment;
}

/** How much older than the commands' start a file may look and still count (clocks of shared filesystems). */
export const CLOCK_SLACK_MS = 2000;
const MAX_FILES = 1000;
const MAX_NOTES = 50;

interface Candidate {
  path: string;
  tool?: ListTool;
  /** Named by a pattern or a folder, not by the user: a file of another program is only a note. */
  found: boolean;
}

/** The candidate files of `sources` as they are now; take it before the commands run. */
export async function snapshotBenchmarkFiles(sources: ResultsSource[], cwd: string): Promise<FileSnapshot> {
  const snapshot = new Map<string, string>();
  for (const candidate of expand(sources, cwd).candidates) {
    const info = await stat(candidate.path).catch(() => undefined);
    if (info?.isFile()) snapshot.set(candidate.path, `${info.mtimeMs}:${info.size}`);
  }
  return snapshot;
}

export async function collectBenchmarkResults(
  sources: ResultsSource[],
  since: { startedAt: Date; before?: FileSnapshot },
  cwd: string,
): Promise<CollectedBenchmarks> {
  const out: CollectedBenchmarks = {
    results: {},
    files: [],
    notes: [],
    ignored: [],
    problems: [],
    environment: {},
  };
  const note = (line: string) => {
    if (out.notes.length < MAX_NOTES) out.notes.push(line);
  };
  const shown = (path: string) => {
    const rel = relative(cwd, path);
    return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
  };
  const { candidates, notes } = expand(sources, cwd);
  notes.forEach(note);
  const kept = new Keeper();
  for (const candidate of candidates) {
    const file = shown(candidate.path);
    const info = await stat(candidate.path).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      if (info.code !== "ENOENT") out.problems.push(unreadable(file, info));
      else if (!candidate.found) note(`${file}: not written by the benchmark commands`);
      continue;
    }
    if (!info.isFile()) continue;
    const old = since.before
      ? since.before.get(candidate.path) === `${info.mtimeMs}:${info.size}`
      : info.mtimeMs < since.startedAt.getTime() - CLOCK_SLACK_MS;
    if (old) {
      out.ignored.push(file);
      const why = since.before ? "unchanged since before the benchmark commands ran" : "older than this run";
      note(`${file}: ignored, ${why} (written ${info.mtime.toISOString()})`);
      continue;
    }
    let read;
    try {
      read = await readBenchmarks(candidate.path, file, { tool: candidate.tool });
    } catch (error) {
      if (error instanceof UnknownFormatError && candidate.found) {
        out.ignored.push(file);
        note(`${file}: not a benchmark results file; skipped`);
      } else if (error instanceof InvalidDocumentError) out.problems.push(...error.errors);
      else out.problems.push(unreadable(file, error as NodeJS.ErrnoException));
      continue;
    }
    out.files.push(file);
    read.notes.forEach(note);
    for (const key of ENVIRONMENT_KEYS) {
      if (out.environment[key] === undefined && read.meta[key] !== undefined)
        Object.assign(out.environment, { [key]: read.meta[key] });
    }
    for (const [name, entry] of Object.entries(read.results)) kept.offer(name, entry, file);
  }
  kept.notes().forEach(note);
  out.results = kept.results();
  return out;
}

function unreadable(file: string, error: NodeJS.ErrnoException): ContractError {
  return { file, pointer: "", reason: `cannot be read (${error.code ?? error.message})` };
}

/** One copy of each benchmark: the first seen, unless a later copy ranks higher; tallies the rest. */
class Keeper {
  private readonly kept = new Map<string, { entry: BenchmarkEntry; file: string }>();
  private readonly merged = new Map<string, { count: number; differing: number }>();

  offer(name: string, entry: BenchmarkEntry, file: string): void {
    const earlier = this.kept.get(name);
    if (earlier === undefined) {
      this.kept.set(name, { entry, file });
      return;
    }
    const pair = `${earlier.file}\0${file}`;
    const tally = this.merged.get(pair) ?? { count: 0, differing: 0 };
    tally.count += 1;
    if (!sameStatistics(earlier.entry, entry)) tally.differing += 1;
    this.merged.set(pair, tally);
    if (rank(entry) > rank(earlier.entry)) this.kept.set(name, { entry, file });
  }

  notes(): string[] {
    return [...this.merged].map(([pair, { count, differing }]) => {
      const [first, second] = pair.split("\0");
      const how =
        differing > 0
          ? ` (${differing} with different statistics: kept the copy with more samples, then more statistics, then ${first}'s)`
          : " (the same statistics)";
      return `${second}: ${count} benchmark${count === 1 ? "" : "s"} also in ${first}, each kept once${how}`;
    });
  }

  /** The kept results, sorted by name. */
  results(): BenchmarkResults {
    const names = [...this.kept.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(names.map((n) => [n, (this.kept.get(n) as { entry: BenchmarkEntry }).entry]));
  }
}

const ENVIRONMENT_KEYS: ReadonlyArray<keyof FileEnvironment> = [
  "cpu_model",
  "julia_version",
  "os",
  "arch",
  "node",
  "threads",
];
const STATISTICS: Array<keyof BenchmarkEntry> = [
  "median_ms",
  "mean_ms",
  "min_ms",
  "max_ms",
  "std_ms",
  "gc_ms",
  "memory_bytes",
  "allocs",
  "value",
];

function rank(entry: BenchmarkEntry): number {
  const fields = STATISTICS.filter((k) => entry[k] !== undefined).length;
  return (entry.samples ?? 0) * 100 + fields;
}

function sameStatistics(a: BenchmarkEntry, b: BenchmarkEntry): boolean {
  return [...STATISTICS, "samples" as const, "unit" as const].every((k) => a[k] === b[k]);
}

/** The candidate files of every source, each once (the first source's tool wins), in order. */
function expand(sources: ResultsSource[], cwd: string): { candidates: Candidate[]; notes: string[] } {
  const candidates = new Map<string, Candidate>();
  const notes: string[] = [];
  const add = (path: string, tool: ListTool | undefined, found: boolean) => {
    if (!candidates.has(path) && candidates.size < MAX_FILES) candidates.set(path, { path, tool, found });
  };
  for (const { path, tool } of sources) {
    const folder = path.endsWith("/") || isFolder(resolve(cwd, path));
    if (hasWildcard(path) || folder) {
      const pattern = hasWildcard(path) ? path : join(path, "*.json");
      const matched = glob(pattern, cwd);
      if (matched.truncated)
        notes.push(`${path}: the search stopped after too many entries; narrow the pattern`);
      for (const file of matched.files) add(file, tool, true);
    } else add(resolve(cwd, path), tool, false);
  }
  if (candidates.size >= MAX_FILES) notes.push(`only the first ${MAX_FILES} result files are read`);
  return { candidates: [...candidates.values()], notes };
}
