// Julia's own line coverage (`julia --code-coverage`): for each source file it ran, every process writes
// `<file>.jl.<pid>.cov` beside it, one line per source line: the count right-aligned in 9 columns ("%9d",
// wider for counts of 10 digits or more) or "        -" for a line that is not code, a space, then the
// source line (julia's src/coverage.cpp). Files of several processes for the same source are summed, and
// a line is code when any of them gave it a count (CoverageTools.jl's merge_coverage_counts). SF paths are
// relative to the project root, as Coverage.jl's LCOV.writefile writes them after process_folder("src").
// Unlike Coverage.jl we do not parse the Julia source to mark never-compiled function bodies as 0, so
// files and functions that never ran add no lines here (Coverage.jl counts them as missed).
import type { Dirent } from "node:fs";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { readdir, unlink } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { mapLimited } from "../concurrency/map-limited.js";
import { compareStrings, type FileCoverage } from "./file-coverage.js";
import { describeError } from "./describe-error.js";
import { LineCounts } from "./line-counts.js";

/** Folders searched when none are given, relative to the root (a package's code and its extensions). */
export const DEFAULT_COVERAGE_DIRS: readonly string[] = ["src", "ext"];

/** `<source>.jl.<pid>.cov`, and `<source>.jl.cov` from Julia before 0.4 (as CoverageTools.jl accepts). */
const COV_FILE = /^(.+\.jl)(?:\.\d+)?\.cov$/;
const MEM_FILE = /^.+\.jl(?:\.\d+)?\.mem$/;
const MAX_WARNINGS_PER_FILE = 5;
const PARALLEL_DELETES = 8;

export interface JuliaCoverage {
  /** One entry per source file that has `.cov` files, sorted by path (files with no code line included). */
  files: FileCoverage[];
  /** Stale or malformed `.cov` files and missing folders, each naming the file (and line). */
  warnings: string[];
}

export interface ParsedCov {
  /** Line -> count for the lines that are code. */
  lines: Map<number, number>;
  /** Number of lines in the file (the source's line count when the file is current). */
  lineCount: number;
  /** Malformed lines, as "<name>:<line>: <reason>" (at most a few, then a count). */
  warnings: string[];
}

/** Parses one `.cov` file. Never throws: a malformed line is reported and read as "not code". */
export function parseJuliaCov(data: Buffer | string, name = "<cov>"): ParsedCov {
  const counts = new LineCounts();
  const { lineCount, warnings } = addJuliaCov(
    typeof data === "string" ? Buffer.from(data, "utf8") : data,
    name,
    counts,
  );
  return { lines: counts.toMap(), lineCount, warnings };
}

/**
 * Adds the counts of one `.cov` file into `counts` (a line becomes code when this file gives it a count)
 * and returns its line count and warnings. Works on the bytes: a `.cov` file is mostly source text that
 * only needs skipping, so it is never decoded.
 */
function addJuliaCov(
  buf: Buffer,
  name: string,
  counts: LineCounts,
): { lineCount: number; warnings: string[] } {
  const warnings: string[] = [];
  let bad = 0;
  let lineNo = 0;
  let pos = 0;
  const n = buf.length;
  while (pos < n) {
    let end = buf.indexOf(10, pos);
    if (end === -1) end = n;
    lineNo++;
    let i = pos;
    while (i < end && buf[i] === 32) i++;
    let ok = true;
    let count = -1;
    if (buf[i] === 45) i++;
    else if (i < end && isDigit(buf[i])) {
      count = 0;
      for (; i < end && isDigit(buf[i]); i++) count = count * 10 + ((buf[i] as number) - 48);
    } else ok = false;
    // The field ends at the space before the source line; a line that was blank may have lost that space.
    if (ok && i < end && buf[i] !== 32 && !(buf[i] === 13 && i === end - 1)) ok = false;
    if (!ok) {
      if (bad++ < MAX_WARNINGS_PER_FILE) {
        warnings.push(
          `${name}:${lineNo}: not a coverage line (want a count or "-" in 9 columns, a space, the source line); skipped`,
        );
      }
    } else if (count >= 0) counts.add(lineNo, count);
    pos = end + 1;
  }
  if (bad > MAX_WARNINGS_PER_FILE)
    warnings.push(`${name}: ${bad - MAX_WARNINGS_PER_FILE} more malformed line(s)`);
  return { lineCount: lineNo, warnings };
}

let scratch = Buffer.allocUnsafe(1 << 20);

/**
 * A file's bytes, in a buffer that the next call reuses: each file is read, parsed and dropped, so a run
 * over thousands of files makes no garbage per file (a third faster than readFile, bench/coverage.bench.mjs).
 */
function readWhole(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    // One byte more than the size fstat gives, so that one read usually gets it all and the next says "end".
    const expected = fstatSync(fd).size + 1;
    if (scratch.length < expected) scratch = Buffer.allocUnsafe(Math.max(expected, scratch.length * 2));
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger);
        scratch = bigger;
      }
      const n = readSync(fd, scratch, length, scratch.length - length, length);
      if (n === 0) return scratch.subarray(0, length);
      length += n;
    }
  } finally {
    closeSync(fd);
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/** Lines as Julia counts them when it writes a .cov file: a last line without "\n" still counts. */
function countLines(buf: Buffer): number {
  let count = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) count++;
  if (buf.length > 0 && buf[buf.length - 1] !== 10) count++;
  return count;
}

/**
 * Reads the `.cov` files under `dirs` (relative to `root`, default `src` and `ext`; missing default
 * folders are skipped quietly) and sums them per source file. A `.cov` file whose source is gone is left
 * out with a warning, one whose line count differs from its source's is kept with a warning.
 */
export async function readJuliaCoverage(root: string, dirs?: readonly string[]): Promise<JuliaCoverage> {
  const warnings: string[] = [];
  const searched = dirs ?? DEFAULT_COVERAGE_DIRS;
  const bySource = await findCoverageFiles(root, searched, dirs === undefined, warnings);
  if (bySource.size === 0) {
    warnings.push(
      `no Julia coverage files (<file>.jl.<pid>.cov) under ${searched.join(", ")} in ${resolve(root)}`,
    );
  }
  const sources = [...bySource.keys()].sort(compareStrings);
  const files: FileCoverage[] = [];
  for (const source of sources) {
    const result = readSourceCoverage(root, source, bySource.get(source) ?? []);
    warnings.push(...result.warnings);
    if (result.file) files.push(result.file);
  }
  files.sort((a, b) => compareStrings(a.path, b.path));
  return { files, warnings };
}

/** Sums the `.cov` files of one source. Synchronous on purpose: each read reuses one buffer (readWhole). */
function readSourceCoverage(
  root: string,
  source: string,
  covFiles: string[],
): { file?: FileCoverage; warnings: string[] } {
  const warnings: string[] = [];
  const display = toLcovPath(root, source);
  let sourceLines: number;
  try {
    sourceLines = countLines(readWhole(source));
  } catch (error) {
    const names = covFiles.map((f) => toLcovPath(root, f)).join(", ");
    const why =
      (error as { code?: string }).code === "ENOENT"
        ? `its source ${display} no longer exists`
        : `cannot read its source ${display}: ${describeError(error)}`;
    return { warnings: [`stale coverage file(s) ignored: ${names} (${why})`] };
  }
  const counts = new LineCounts(sourceLines);
  for (const covFile of covFiles.sort(compareStrings)) {
    const name = toLcovPath(root, covFile);
    let data: Buffer;
    try {
      data = readWhole(covFile);
    } catch (error) {
      warnings.push(`cannot read ${name}: ${describeError(error)}; ignored`);
      continue;
    }
    const parsed = addJuliaCov(data, name, counts);
    warnings.push(...parsed.warnings);
    if (parsed.lineCount !== sourceLines) {
      warnings.push(
        `${name} has ${parsed.lineCount} line(s) but ${display} has ${sourceLines}: it may be from an older version of the source`,
      );
    }
  }
  return { file: { path: display, lines: counts.toMap() }, warnings };
}

/** Source path (absolute) -> its `.cov` files (absolute), each file once even if folders overlap. */
async function findCoverageFiles(
  root: string,
  dirs: readonly string[],
  quietIfMissing: boolean,
  warnings: string[],
): Promise<Map<string, string[]>> {
  const bySource = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const dir of dirs) {
    const absolute = resolve(root, dir);
    await walk(absolute, quietIfMissing, warnings, (folder, name) => {
      const m = COV_FILE.exec(name);
      if (!m) return;
      const covFile = join(folder, name);
      if (seen.has(covFile)) return;
      seen.add(covFile);
      const source = join(folder, m[1] as string);
      const group = bySource.get(source);
      if (group) group.push(covFile);
      else bySource.set(source, [covFile]);
    });
  }
  return bySource;
}

/** Calls `visit` for each regular file under `dir`. Symbolic links are not followed (no loops). */
async function walk(
  dir: string,
  quietIfMissing: boolean,
  warnings: string[],
  visit: (folder: string, name: string) => void,
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!(quietIfMissing && code === "ENOENT"))
      warnings.push(`cannot search ${dir}: ${describeError(error)}`);
    return;
  }
  for (const entry of entries) {
    if (entry.isDirectory()) await walk(join(dir, entry.name), false, warnings, visit);
    else if (entry.isFile()) visit(dir, entry.name);
  }
}

/** The SF path: relative to the root, with "/" on every system; absolute when outside the root's drive. */
function toLcovPath(root: string, file: string): string {
  const rel = relative(resolve(root), file);
  const path = rel === "" || isAbsolute(rel) ? file : rel;
  return sep === "/" ? path : path.split(sep).join("/");
}

export interface CleanOptions {
  /** Folders given as relative paths are taken from here. Default: the current directory. */
  root?: string;
  /** Also delete Julia's allocation logs (`.mem`, from --track-allocation). Default false. */
  includeMemFiles?: boolean;
}

/**
 * Deletes the `.cov` files (Julia's, by name) under `dirs` so that a new run does not add to old counts,
 * like Coverage.jl's clean_folder. Returns the deleted paths, sorted. Folders that are missing or cannot
 * be read are skipped; a file that cannot be deleted rejects with its path and the reason.
 */
export async function cleanCoverageFiles(
  dirs: readonly string[],
  options: CleanOptions = {},
): Promise<string[]> {
  const root = options.root ?? process.cwd();
  const targets: string[] = [];
  const unreadable: string[] = [];
  for (const dir of dirs) {
    await walk(resolve(root, dir), true, unreadable, (folder, name) => {
      if (COV_FILE.test(name) || (options.includeMemFiles && MEM_FILE.test(name)))
        targets.push(join(folder, name));
    });
  }
  const unique = [...new Set(targets)].sort(compareStrings);
  await mapLimited(unique, PARALLEL_DELETES, async (file) => {
    try {
      await unlink(file);
    } catch (error) {
      if ((error as { code?: string }).code !== "ENOENT")
        throw new Error(`cannot delete ${file}: ${describeError(error)}`, { cause: error });
    }
  });
  return unique;
}
