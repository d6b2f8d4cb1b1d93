// Blocks of a comment or job summary (paragraphs and tables) and how they are fitted into GitHub's limit:
// when the whole is too long, tables keep as many rows as fit and say how many were left out, the more
// important tables first.
import { formatInteger } from "./run-table.js";

/** GitHub refuses issue comments longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Tables longer than this are folded into <details>. */
export const FOLD_ROWS = 10;
/** Names (suites, benchmarks) are cut to this many characters before escaping. */
export const NAME_CHARACTERS = 160;

export interface Table {
  header: string[];
  rows: string[];
  /** What a row is, plural ("benchmarks"), for the line that says rows were cut. */
  noun: string;
  /** Summary text of the <details> that folds the table, when it is folded. */
  fold?: string;
  /** Tables of higher priority keep their rows first (default 0): what failed outranks what passed. */
  priority?: number;
  /** The same rows in brief, used when the full rows do not all fit: fewer details, but every row. */
  briefRows?: string[];
}

export type Block = string | Table;

// --- staying within the budget -----------------------------------------------------------------------------

function renderTable(table: Table, rows: string[], cutLine: string | undefined): string {
  const lines = [...table.header, ...rows].join("\n");
  const body = cutLine ? `${lines}\n\n${cutLine}` : lines;
  return table.fold ? `<details><summary>${table.fold}</summary>\n\n${body}\n\n</details>` : body;
}

/** What holds the text and its limit, for the line that says rows were cut: a comment by default. */
const COMMENT_HOLDS = `a comment holds at most ${formatInteger(GITHUB_COMMENT_LIMIT)} characters`;

function cutLine(table: Table, cut: number, holds: string): string {
  return `_… ${formatInteger(cut)} more ${table.noun} not shown: ${holds}. The raw results have them all._`;
}

function join(blocks: Block[], render: (t: Table) => string): string {
  return blocks.map((b) => (typeof b === "string" ? b : render(b))).join("\n\n");
}

/** The first rows in full and the rest in brief: as many in full as leave room for all the others. */
function mixed(full: string[], brief: string[], budget: number): string[] {
  let used = brief.reduce((sum, line) => sum + line.length + 1, 0);
  let k = 0;
  while (k < full.length && used + full[k]!.length - brief[k]!.length <= budget) {
    used += full[k]!.length - brief[k]!.length;
    k++;
  }
  return [...full.slice(0, k), ...brief.slice(k)];
}

/**
 * Joins the blocks; when that is too long, keeps as many table rows as fit, tables of higher priority first,
 * and says how many were cut. A table with brief rows switches to them when its full rows do not all fit.
 */
export function fit(blocks: Block[], max: number, holds = COMMENT_HOLDS): string {
  const full = join(blocks, (t) => renderTable(t, t.rows, undefined));
  if (full.length <= max) return full;

  const tables = blocks.filter((b): b is Table => typeof b !== "string");
  // The body without any rows, each table with the longest cut line it could need.
  const skeleton = join(blocks, (t) => renderTable(t, [], cutLine(t, t.rows.length, holds)));
  let available = max - skeleton.length;
  const rows = new Map<Table, string[]>(tables.map((t) => [t, t.rows]));
  const kept = new Map<Table, number>(tables.map((t) => [t, 0]));
  const size = (lines: string[]) => lines.reduce((sum, line) => sum + line.length + 1, 0);
  const take = (table: Table, budget: number): number => {
    const lines = rows.get(table)!;
    let used = 0;
    let n = kept.get(table)!;
    while (n < lines.length && used + lines[n]!.length + 1 <= budget) {
      used += lines[n]!.length + 1;
      n++;
    }
    kept.set(table, n);
    return used;
  };
  const priorities = [...new Set(tables.map((t) => t.priority ?? 0))].sort((a, b) => b - a);
  for (const priority of priorities) {
    const group = tables.filter((t) => (t.priority ?? 0) === priority);
    // Details in full only up to half of what is left when less important tables wait for their share.
    const lower = priority !== priorities.at(-1);
    for (const t of group) {
      const budget = Math.max(0, available) / group.length;
      if (t.briefRows && size(t.rows) > budget) {
        rows.set(t, mixed(t.rows, t.briefRows, lower ? budget / 2 : budget));
      }
    }
    // First each table of the group its fair share, then whatever is left in order, so that one long table
    // cannot starve the others.
    const share = Math.floor(Math.max(0, available) / group.length);
    for (const t of group) available -= take(t, share);
    for (const t of group) available -= take(t, Math.max(0, available));
  }

  const body = join(blocks, (t) => {
    const n = kept.get(t)!;
    const lines = rows.get(t)!;
    return renderTable(
      t,
      lines.slice(0, n),
      n < lines.length ? cutLine(t, lines.length - n, holds) : undefined,
    );
  });
  if (body.length <= max) return body;
  // Only reachable if the parts without tables alone are too long, which their bounded strings prevent.
  const notice = `\n\n_… cut here: ${holds}._`;
  return body.slice(0, Math.max(0, max - notice.length)).replace(/[\ud800-\udbff]$/, "") + notice;
}
