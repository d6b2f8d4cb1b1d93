// Which lines a run executed, by repository-relative path (`coverage/lines.json`, CoverageLines): what patch
// coverage intersects with the lines a pull request changed. lcov SF paths may be absolute paths of the
// cluster's checkout; they are made relative to it, and files outside the repository (a Julia depot, system
// headers) are left out.
import { isAbsolute, normalize, relative, sep } from "node:path";
import type { CoverageLines, FileLineCoverage } from "../contract/types.js";
import { mergeByPath, type FileCoverage } from "./file-coverage.js";

/** What lines of one file look like to the range builder: a Map or the readers' LineCounts. */
interface CountedLines {
  forEach(fn: (count: number, line: number) => void): void;
}

export interface CoverageLinesResult {
  document: CoverageLines;
  /** SF paths that are not inside the repository, left out. */
  outside: string[];
}

/**
 * The repository-relative, "/"-separated path of an SF path, or undefined when it is outside the
 * repository. `roots`: the checkout root as given and as the file system resolves it (cluster homes are
 * often reached through symbolic links, and tools write either form).
 */
export function repositoryPath(path: string, roots: readonly string[]): string | undefined {
  const candidates = isAbsolute(path) ? roots.map((root) => relative(root, path)) : [normalize(path)];
  for (const candidate of candidates) {
    if (candidate === "" || candidate === "." || isAbsolute(candidate)) continue;
    if (candidate === ".." || candidate.startsWith(`..${sep}`)) continue;
    return candidate.split(sep).join("/");
  }
  return undefined;
}

/** Lines with a count as inclusive ranges of covered (count > 0) and missed lines, ascending. */
export function lineRanges(lines: CountedLines): FileLineCoverage {
  const entries: Array<[number, number]> = [];
  lines.forEach((count, line) => {
    if (line >= 1) entries.push([line, count]);
  });
  entries.sort((a, b) => a[0] - b[0]);
  const covered: Array<[number, number]> = [];
  const missed: Array<[number, number]> = [];
  let previous = -1;
  let previousList: Array<[number, number]> | undefined;
  for (const [line, count] of entries) {
    const list = count > 0 ? covered : missed;
    const last = list[list.length - 1];
    // Only adjacent lines of the same kind join: a line in neither list is not executable.
    if (last && list === previousList && line === previous + 1) last[1] = line;
    else list.push([line, line]);
    previous = line;
    previousList = list;
  }
  return { covered, missed };
}

/** CoverageLines of `files` (records of one path summed, as lcov sums them), paths made repository-relative. */
export function coverageLines(
  commit: string,
  files: Iterable<FileCoverage>,
  roots: readonly string[],
): CoverageLinesResult {
  const outside: string[] = [];
  const inside: FileCoverage[] = [];
  for (const file of files) {
    const path = repositoryPath(file.path, roots);
    if (path === undefined) outside.push(file.path);
    else inside.push({ path, lines: file.lines });
  }
  const result: Record<string, FileLineCoverage> = {};
  for (const file of mergeByPath(inside)) {
    if (file.lines.size === 0) continue;
    Object.defineProperty(result, file.path, {
      value: lineRanges(file.lines),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { document: { schema_version: 1, commit, files: result }, outside };
}

/** Compact JSON, one file per line: a few tens of KB for a package of 10,000 lines, and readable diffs. */
export function formatCoverageLines(document: CoverageLines): string {
  const files = Object.entries(document.files).map(
    ([path, ranges]) => `${JSON.stringify(path)}:${JSON.stringify(ranges)}`,
  );
  const head = `{"schema_version":${document.schema_version},"commit":${JSON.stringify(document.commit)},"files":{`;
  return files.length === 0 ? `${head}}}\n` : `${head}\n${files.join(",\n")}\n}}\n`;
}

/**
 * The lines of several runs of one commit (shards) as one: a line is covered when any run covered it,
 * missed when some run has it as code and none covered it.
 */
export function mergeCoverageLines(commit: string, documents: readonly CoverageLines[]): CoverageLines {
  const byPath = new Map<string, Map<number, number>>();
  for (const document of documents) {
    for (const [path, { covered, missed }] of Object.entries(document.files)) {
      const counts = byPath.get(path) ?? new Map<number, number>();
      byPath.set(path, counts);
      for (const [kind, ranges] of [
        [1, covered],
        [0, missed],
      ] as const) {
        for (const [first, last] of ranges)
          // No source file has a million lines: a longer range is not a run's, and would only cost time.
          if (last - first < 1_000_000)
            for (let line = first; line <= last; line++)
              counts.set(line, Math.max(counts.get(line) ?? 0, kind));
      }
    }
  }
  const files = [...byPath].map(([path, lines]): FileCoverage => ({ path, lines }));
  return coverageLines(commit, files, []).document;
}
