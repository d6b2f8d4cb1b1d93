// Totals of line (and function, branch) coverage, counted as `lcov --summary` counts them, and its text.
import { mergeByPath, type FileCoverage } from "./file-coverage.js";
import { readIntoReader } from "./lcov-file.js";
import { LcovReader } from "./lcov-reader.js";

export interface CoverageRatio {
  total: number;
  covered: number;
  /** 100 * covered / total, unrounded; 0 when total is 0 (nothing to cover is reported as 0%, not 100%). */
  percent: number;
}

export interface FileSummary {
  path: string;
  lines: CoverageRatio;
  functions: CoverageRatio;
  branches: CoverageRatio;
}

export interface LcovSummary {
  /** Lines that are code (lcov's "found"), over all files. */
  totalLines: number;
  /** Of those, lines run at least once (lcov's "hit"). */
  coveredLines: number;
  /** 100 * coveredLines / totalLines, unrounded; 0 when there are no lines. */
  percent: number;
  functions: CoverageRatio;
  branches: CoverageRatio;
  /** Per file, sorted by path; files without any code line are left out, as lcov leaves them out. */
  files: FileSummary[];
  /** Whatever the reader skipped or doubted (empty for in-memory input). */
  warnings: string[];
}

export function percentOf(covered: number, total: number): number {
  return total === 0 ? 0 : (covered * 100) / total;
}

function ratio(total: number, covered: number): CoverageRatio {
  return { total, covered, percent: percentOf(covered, total) };
}

/** What counting needs of a file: its lines may be a Map or the reader's faster LineCounts. */
interface CountableFile extends Omit<FileCoverage, "lines"> {
  lines: { readonly size: number; forEach(fn: (count: number) => void): void };
}

/** Summarizes coverage held in memory; several records of one path are summed first. */
export function summarize(files: Iterable<FileCoverage>, warnings: string[] = []): LcovSummary {
  return summarizeMerged(mergeByPath(files), warnings);
}

/** Summarizes files that are one per path already, in order. */
function summarizeMerged(files: readonly CountableFile[], warnings: string[]): LcovSummary {
  const perFile: FileSummary[] = [];
  let lines = 0;
  let linesHit = 0;
  let fns = 0;
  let fnsHit = 0;
  let brs = 0;
  let brsHit = 0;
  for (const file of files) {
    if (file.lines.size === 0) continue;
    let hit = 0;
    file.lines.forEach((count) => {
      if (count > 0) hit++;
    });
    let fnHit = 0;
    file.functions?.forEach((fn) => {
      if (fn.hits > 0) fnHit++;
    });
    let brHit = 0;
    file.branches?.forEach((br) => {
      if (br.taken !== null && br.taken > 0) brHit++;
    });
    const fnTotal = file.functions?.size ?? 0;
    const brTotal = file.branches?.size ?? 0;
    perFile.push({
      path: file.path,
      lines: ratio(file.lines.size, hit),
      functions: ratio(fnTotal, fnHit),
      branches: ratio(brTotal, brHit),
    });
    lines += file.lines.size;
    linesHit += hit;
    fns += fnTotal;
    fnsHit += fnHit;
    brs += brTotal;
    brsHit += brHit;
  }
  return {
    totalLines: lines,
    coveredLines: linesHit,
    percent: percentOf(linesHit, lines),
    functions: ratio(fns, fnsHit),
    branches: ratio(brs, brsHit),
    files: perFile,
    warnings,
  };
}

/** Summarizes lcov text held in memory. */
export function summarizeLcov(text: string, source?: string): LcovSummary {
  const reader = new LcovReader(source);
  reader.push(text);
  const { entries, warnings } = reader.finish();
  return summarizeMerged(entries, warnings);
}

/** Summarizes an lcov file, read as a stream. Rejects only when the file cannot be read. */
export async function summarizeLcovFile(path: string): Promise<LcovSummary> {
  const { entries, warnings } = (await readIntoReader(path)).finish();
  return summarizeMerged(entries, warnings);
}

/**
 * lcov's rate(): one decimal, rounded the way C's printf rounds the double (an exact tie goes to the even
 * digit: 0.25 -> "0.2", where JavaScript's toFixed says "0.3"), and never "0.0" when something was hit
 * nor "100.0" when something was missed. "-" when there is nothing to cover.
 */
export function formatRate(covered: number, total: number): string {
  if (total === 0) return "-";
  const value = (covered * 100) / total;
  let text = toFixedHalfEven(value, 1);
  if (Number(text) === 0 && covered > 0) text = "0.1";
  else if (Number(text) === 100 && covered !== total) text = "99.9";
  return text;
}

function toFixedHalfEven(value: number, digits: number): string {
  const rounded = value.toFixed(digits);
  // toFixed(100) is the double's exact decimal expansion here (0 <= value <= 100): a tie is "...5000...".
  const exact = value.toFixed(100);
  const point = exact.indexOf(".");
  const rest = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(rest)) return rounded;
  const kept = exact.slice(0, point + 1 + digits);
  const lastDigit = Number(kept[kept.length - 1]);
  return lastDigit % 2 === 0 ? kept : rounded;
}

/** One line of `lcov --summary`, after the label: "63.2% (7800 of 12345 lines)" or "no data found". */
export function formatCoverageLine(covered: number, total: number, singular: string, plural: string): string {
  if (total === 0) return "no data found";
  return `${formatRate(covered, total)}% (${covered} of ${total} ${total === 1 ? singular : plural})`;
}

export interface FormatSummaryOptions {
  /**
   * Report branch totals, as lcov does with `--rc lcov_branch_coverage=1`. Default false: like a plain
   * `lcov --summary`, which does not count branches and prints "no data found" for them.
   */
  branchCoverage?: boolean;
}

/** The text `lcov --summary` prints after "Reading tracefile ...", byte for byte. */
export function formatLcovSummary(summary: LcovSummary, options: FormatSummaryOptions = {}): string {
  const { functions, branches } = summary;
  const branchLine = options.branchCoverage
    ? formatCoverageLine(branches.covered, branches.total, "branch", "branches")
    : "no data found";
  return [
    "Summary coverage rate:",
    `  lines......: ${formatCoverageLine(summary.coveredLines, summary.totalLines, "line", "lines")}`,
    `  functions..: ${formatCoverageLine(functions.covered, functions.total, "function", "functions")}`,
    `  branches...: ${branchLine}`,
    "",
  ].join("\n");
}
