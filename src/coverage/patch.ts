// Patch coverage: of the lines a pull request added or changed (the new side of each file's unified diff,
// as GitHub's "list pull request files" gives it in `patch`), how many are executable and how many the run
// covered (coverage-lines.json). Pure: no API, no files.
import type { CoverageLines, FileLineCoverage } from "../contract/types.js";

/** A file of a pull request, as GET /repos/{owner}/{repo}/pulls/{pull_number}/files lists it. */
export interface PullRequestFile {
  filename: string;
  status: string;
  changes?: number;
  /** Absent for binary files and diffs too large for GitHub to show. */
  patch?: string;
  previous_filename?: string;
}

export interface FilePatchCoverage {
  path: string;
  /** Changed lines that are executable (covered or missed in the run). */
  executable: number;
  covered: number;
  /** Changed executable lines the run did not execute, as inclusive ranges, ascending. */
  uncovered: Array<[number, number]>;
}

export interface PatchCoverage {
  /** Changed lines over all files that are executable, and of those, covered. */
  executable: number;
  covered: number;
  /** 100 * covered / executable, unrounded; null when no changed line is executable. */
  percent: number | null;
  /** Files with executable changed lines, in the order the pull request lists them. */
  files: FilePatchCoverage[];
  /** Files whose changes could not be checked, and why (binary, too large for GitHub, malformed). */
  unchecked: Array<{ path: string; reason: string }>;
  /** Files the pull request changes, as listed. */
  changedFiles: number;
}

export class PatchError extends Error {
  override name = "PatchError";
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * The line numbers (new side) that a unified diff adds or changes, ascending. Reads GitHub's `patch` (hunks
 * only) and a file's whole `git diff` alike: text before the first hunk header is skipped, and each hunk is
 * read by the counts in its header, so a removed line that starts with "--" is never taken for a header.
 */
export function changedLines(patch: string): number[] {
  const lines = patch.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const added: number[] = [];
  let i = 0;
  while (i < lines.length && !lines[i]!.startsWith("@@")) i++;
  while (i < lines.length) {
    const header = lines[i]!;
    const match = HUNK.exec(header);
    if (!match) {
      throw new PatchError(`line ${i + 1} is not a hunk header: ${JSON.stringify(header.slice(0, 80))}`);
    }
    let oldLeft = match[2] === undefined ? 1 : Number(match[2]);
    let newLeft = match[4] === undefined ? 1 : Number(match[4]);
    let line = Number(match[3]);
    i++;
    while (oldLeft > 0 || newLeft > 0) {
      if (i >= lines.length) throw new PatchError(`the hunk "${header.slice(0, 80)}" ends early`);
      const text = lines[i]!;
      const kind = text[0];
      if (kind === "+") {
        added.push(line++);
        newLeft--;
      } else if (kind === "-") oldLeft--;
      else if (kind === " " || text === "") {
        // An empty line is context whose space an editor or a mail tool dropped (git apply reads it so).
        line++;
        oldLeft--;
        newLeft--;
      } else if (kind !== "\\") {
        throw new PatchError(
          `line ${i + 1} of the hunk "${header.slice(0, 80)}" starts with ${JSON.stringify(kind)}`,
        );
      }
      i++;
    }
    // "\ No newline at end of file" after the hunk's last line.
    while (i < lines.length && lines[i]!.startsWith("\\")) i++;
  }
  return added;
}

/** Ranges sorted and joined where they overlap or touch (a file from the results branch is untrusted). */
function normalizedRanges(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = ranges.map(([a, b]): [number, number] => [a, b]).sort((x, y) => x[0] - y[0]);
  const joined: Array<[number, number]> = [];
  for (const range of sorted) {
    const last = joined[joined.length - 1];
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else joined.push(range);
  }
  return joined;
}

function inRanges(ranges: ReadonlyArray<[number, number]>, line: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = ranges[mid]!;
    if (line < first) hi = mid - 1;
    else if (line > last) lo = mid + 1;
    else return true;
  }
  return false;
}

/** A file's changed lines against its coverage. */
export function fileCoverage(
  path: string,
  changed: readonly number[],
  lines: FileLineCoverage,
): FilePatchCoverage {
  const covered = normalizedRanges(lines.covered);
  const missed = normalizedRanges(lines.missed);
  const executable = (line: number) => inRanges(covered, line) || inRanges(missed, line);
  const result: FilePatchCoverage = { path, executable: 0, covered: 0, uncovered: [] };
  let last: [number, number] | undefined;
  for (const line of changed) {
    if (inRanges(covered, line)) {
      result.executable++;
      result.covered++;
      continue;
    }
    if (!inRanges(missed, line)) continue;
    result.executable++;
    // Uncovered lines join into one range across lines that are not code (blank lines, comments, `end`).
    if (last && gapNotExecutable(last[1], line, executable)) last[1] = line;
    else result.uncovered.push((last = [line, line]));
  }
  return result;
}

function gapNotExecutable(from: number, to: number, executable: (line: number) => boolean): boolean {
  if (to - from > 50) return false;
  for (let line = from + 1; line < to; line++) if (executable(line)) return false;
  return true;
}

/** Patch coverage of a pull request's files against the covered lines of its tested commit. */
export function patchCoverage(files: readonly PullRequestFile[], lines: CoverageLines): PatchCoverage {
  const result: PatchCoverage = {
    executable: 0,
    covered: 0,
    percent: null,
    files: [],
    unchecked: [],
    changedFiles: files.length,
  };
  for (const file of files) {
    if (file.status === "removed") continue;
    if (file.patch === undefined) {
      // A rename without content changes has no patch and nothing to check. (GitHub counts a binary file's
      // changes as 0 too, so `changes` alone cannot tell the two apart.)
      if ((file.status === "renamed" && !file.changes) || file.status === "unchanged") continue;
      result.unchecked.push({
        path: file.filename,
        reason: "GitHub shows no diff for it (a binary file, or a diff too large to show)",
      });
      continue;
    }
    const coverage = Object.hasOwn(lines.files, file.filename) ? lines.files[file.filename] : undefined;
    if (!coverage) continue; // No executable line in the run's coverage: not code, or never loaded.
    let changed: number[];
    try {
      changed = changedLines(file.patch);
    } catch (error) {
      result.unchecked.push({
        path: file.filename,
        reason: `its diff cannot be read: ${(error as Error).message}`,
      });
      continue;
    }
    const one = fileCoverage(file.filename, changed, coverage);
    if (one.executable === 0) continue;
    result.files.push(one);
    result.executable += one.executable;
    result.covered += one.covered;
  }
  result.percent = result.executable === 0 ? null : (100 * result.covered) / result.executable;
  return result;
}
