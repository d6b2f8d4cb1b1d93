// The in-memory shape of line coverage, shared by the Julia .cov reader, the lcov reader, the lcov writer
// and the summary, and the one place where records of the same file are combined (lcov's rules).

/** Coverage of one source file. */
export interface FileCoverage {
  /** The lcov `SF:` path. For Julia `.cov` input: relative to the project root, "/"-separated. */
  path: string;
  /** 1-based line number -> execution count, for the lines that are code (lcov `DA:`). */
  lines: Map<number, number>;
  /** Function name -> where it starts and how often it ran (lcov `FN:`/`FNDA:`); Julia input has none. */
  functions?: Map<string, FunctionCoverage>;
  /** "line,block,branch" -> the branch (lcov `BRDA:`); Julia input has none. */
  branches?: Map<string, BranchCoverage>;
}

export interface FunctionCoverage {
  /** First line; undefined when only an `FNDA:` record named the function. */
  line: number | undefined;
  hits: number;
}

export interface BranchCoverage {
  line: number;
  block: number;
  branch: number;
  /** Times taken; null for lcov's "-" (the condition was never evaluated). */
  taken: number | null;
}

export function branchKey(line: number, block: number, branch: number): string {
  return `${line},${block},${branch}`;
}

/** lcov reads a negative count as 0 (it comes from broken gcov data), so every sum here does too. */
export function addCount(sum: number | undefined, count: number): number {
  return (sum ?? 0) + (count < 0 ? 0 : count);
}

/** lcov's rule for a branch seen twice: "-" gives way to a number, numbers add up. */
export function addTaken(sum: number | null | undefined, taken: number | null): number | null {
  if (sum === undefined || sum === null) return taken;
  return taken === null ? sum : sum + taken;
}

/** Adds `from` into `into` (same file): counts of the same line, function or branch are summed. */
export function addFileCoverage(into: FileCoverage, from: FileCoverage): void {
  for (const [line, count] of from.lines) into.lines.set(line, addCount(into.lines.get(line), count));
  if (from.functions) {
    const functions = (into.functions ??= new Map());
    for (const [name, fn] of from.functions) {
      const known = functions.get(name);
      if (known) {
        known.hits += fn.hits;
        known.line ??= fn.line;
      } else functions.set(name, { line: fn.line, hits: fn.hits });
    }
  }
  if (from.branches) {
    const branches = (into.branches ??= new Map());
    for (const [key, br] of from.branches) {
      const known = branches.get(key);
      if (known) known.taken = addTaken(known.taken, br.taken);
      else branches.set(key, { ...br });
    }
  }
}

/**
 * One entry per path, in a deterministic order (by path, compared by code unit, not by locale).
 * A path seen once keeps its object as it is; records of a path seen more than once are summed into a new
 * object. The inputs are never modified.
 */
export function mergeByPath(files: Iterable<FileCoverage>): FileCoverage[] {
  const list = [...files];
  if (isStrictlySorted(list)) return list;
  const byPath = new Map<string, FileCoverage[]>();
  for (const file of list) {
    const group = byPath.get(file.path);
    if (group) group.push(file);
    else byPath.set(file.path, [file]);
  }
  const merged: FileCoverage[] = [];
  for (const [path, group] of byPath) {
    if (group.length === 1 && group[0]) {
      merged.push(group[0]);
      continue;
    }
    const sum: FileCoverage = { path, lines: new Map() };
    for (const file of group) addFileCoverage(sum, file);
    merged.push(sum);
  }
  return merged.sort((a, b) => compareStrings(a.path, b.path));
}

/** Already one entry per path, in order (what the lcov reader returns): nothing to merge or sort. */
function isStrictlySorted(files: readonly FileCoverage[]): boolean {
  for (let i = 1; i < files.length; i++) {
    if (!((files[i - 1] as FileCoverage).path < (files[i] as FileCoverage).path)) return false;
  }
  return true;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
