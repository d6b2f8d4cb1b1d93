// The "Patch coverage" block of the comment and the job summary, and its words in the coverage status: of
// the lines a pull request changed, how many are executable, how many the run covered, and which it did not,
// linked to the file at the tested commit. File names come from the pull request: untrusted, escaped.
import type { PatchCoverage } from "../coverage/patch.js";
import { type Block, FOLD_ROWS } from "./blocks.js";
import { escapeGitHubText as text } from "./escape.js";
import { formatInteger } from "./run-table.js";
import { type SourceLinks, sourceUrl } from "./test-report.js";

/** Patch coverage of one pull request, or why there is none. */
export interface PatchReport {
  pullRequest: number;
  coverage?: PatchCoverage;
  /** Why patch coverage could not be computed (no coverage-lines.json for the commit, the API failed). */
  unavailable?: string;
  /** GitHub listed its maximum of 3,000 files: files past those were not checked. */
  capped?: boolean;
}

/** At most this many files and ranges of uncovered lines are listed; the rest are counted. */
export const MAX_LISTED_FILES = 20;
export const MAX_LISTED_RANGES = 200;
const MAX_UNCHECKED = 10;

/** "75.00% (3 of 4 changed lines)", or undefined when no changed line is executable. */
export function patchRatio(c: PatchCoverage): string | undefined {
  if (c.percent === null) return undefined;
  return `${c.percent.toFixed(2)}% (${formatInteger(c.covered)} of ${formatInteger(c.executable)} changed line${c.executable === 1 ? "" : "s"})`;
}

/** Plain words for the coverage status description. */
export function patchStatusText(coverage: PatchCoverage): string {
  const ratio = patchRatio(coverage);
  return ratio ? `patch ${ratio}` : "patch: no executable line changed";
}

/** The block; `gate`: the patch gate's outcome (a failure is told in the coverage block, with the others). */
export function patchCoverageBlocks(
  report: PatchReport | undefined,
  links: SourceLinks | undefined,
  gate: { failed?: boolean; note?: string } = {},
): Block[] {
  if (!report) return [];
  const heading = `#### Patch coverage${gate.failed ? " ❌" : ""}`;
  const c = report.coverage;
  const gateNote = gate.note ? [`Gate: ${text(gate.note, 300)}.`] : [];
  if (!c) return [heading, `Unavailable: ${text(report.unavailable ?? "no data", 400)}.`, ...gateNote];
  const whose = `pull request ${report.pullRequest}`;
  const ratio = patchRatio(c);
  const blocks: Block[] = [heading];
  blocks.push(
    ratio
      ? `**${ratio}** of ${whose} covered by this run, in ${formatInteger(c.files.length)} file${c.files.length === 1 ? "" : "s"} with executable changes.`
      : `None of the lines ${whose} changes is executable code in this run's coverage (${formatInteger(c.changedFiles)} file${c.changedFiles === 1 ? "" : "s"} changed): nothing to cover.`,
  );
  blocks.push(...gateNote);
  const rows = uncoveredRows(c, links);
  if (rows.length > 0) {
    blocks.push({
      header: ["| File | Uncovered changed lines |", "| --- | --- |"],
      rows,
      noun: "files",
      fold:
        rows.length > FOLD_ROWS
          ? `Uncovered changed lines in ${formatInteger(rows.length)} files`
          : undefined,
    });
  }
  const notes: string[] = [];
  if (c.unchecked.length > 0) {
    const named = c.unchecked
      .slice(0, MAX_UNCHECKED)
      .map((u) => text(u.path, 200))
      .join(", ");
    const more =
      c.unchecked.length > MAX_UNCHECKED
        ? ` and ${formatInteger(c.unchecked.length - MAX_UNCHECKED)} more`
        : "";
    notes.push(`Not checked, GitHub shows no diff for them (binary, or too large): ${named}${more}.`);
  }
  if (report.capped)
    notes.push("GitHub lists at most 3,000 files of a pull request: files past those were not checked.");
  if (notes.length > 0) blocks.push(notes.join(" "));
  return blocks;
}

/** One row per file with uncovered lines, its ranges linked; bounded in files and in ranges. */
function uncoveredRows(c: PatchCoverage, links: SourceLinks | undefined): string[] {
  const files = c.files.filter((f) => f.uncovered.length > 0);
  const rows: string[] = [];
  let ranges = 0;
  for (const file of files.slice(0, MAX_LISTED_FILES)) {
    const room = Math.max(0, MAX_LISTED_RANGES - ranges);
    if (room === 0) break;
    const shown = file.uncovered.slice(0, room);
    ranges += shown.length;
    // Parentheses stay as they are in encodeURIComponent's output and would end a Markdown link.
    const url =
      links &&
      sourceUrl({ kind: "failed", file: file.path }, links)?.replace(/[()]/g, (c) =>
        c === "(" ? "%28" : "%29",
      );
    const cells = shown.map(([a, b]) => {
      const label = a === b ? `${a}` : `${a}–${b}`;
      return url ? `[${label}](${url}#L${a}${a === b ? "" : `-L${b}`})` : label;
    });
    const rest = file.uncovered.length - shown.length;
    if (rest > 0) cells.push(`and ${formatInteger(rest)} more`);
    const name = text(file.path, 200);
    rows.push(`| ${url ? `[${name}](${url})` : name} | ${cells.join(", ")} |`);
  }
  const left = files.length - rows.length;
  if (left > 0) rows.push(`| and ${formatInteger(left)} more file${left === 1 ? "" : "s"} | |`);
  return rows;
}
