// Julia's `Test Summary:` tables, as `Pkg.test()` prints them into a test log (stdlib Test's
// print_test_results / print_counts / get_alignment). What the format guarantees, by Julia version:
//
//   Test Summary:     | Pass  Fail  Error  Broken  Total  Time      header: only kinds that occur anywhere in
//   Mycelia           |   40     1      1       2     44  1m02.3s   the table; Time from Julia 1.8 (showtiming)
//     unit            |   30     1                    31     4.1s
//       io            |    9     1                    10     0.3s   nested sets are indented two spaces a level
//     integration     |   10            1       2     13    58.2s
//
// - The name column is `rpad("  "^depth * name, align)` followed by " | ": names are never truncated (align
//   grows to the widest name shown) and may themselves contain " | ", so the separator is the last " | " of
//   a row; the cells after it never contain "|".
// - Every cell is `lpad(value, width) * "  "`, width = max(header, digits of the table's total), so a number
//   ends exactly where its header ends. A kind with no results in a row is blank (or "x" for a custom
//   testset that does not count); Total is "None" (1.8-1.10), "0" or "?" (1.11+) or "No tests" (before 1.8,
//   unpadded) when a set had no results; the Time cell is "12.3s", "1m02.3s", "?s" or blank.
// - A parent's counts include its children's (get_test_counts adds the cumulative counts), and children are
//   only printed when the parent had failures or errors, or was verbose.
// - Each top-level @testset prints its own table, so a log can hold several; a table with failures is
//   followed by "RNG of the outermost testset: ..." (1.11+) and the error Pkg.test prints.
import type { TestCounts } from "../contract/types.js";
import { SuiteCollector, roundSeconds, segmentName, type TestReport } from "./counts.js";

export interface JuliaTestReport extends TestReport {
  /** How many `Test Summary:` tables were found (0: the log has none, and suites/totals are empty). */
  tables: number;
  /** Every row of every table in log order, with the line (0-based, after splitting) of its table's header. */
  rows: SummaryRow[];
}

export interface SummaryRow {
  headerLine: number;
  /** The row's test set and its parents, outermost first. */
  path: string[];
  counts: TestCounts;
}

/** A log's lines as every reader of Julia's output splits them: escapes removed, any line end. */
export function logLines(log: string): string[] {
  return stripAnsi(log).split(/\r?\n|\r/);
}

type Column = "Pass" | "Fail" | "Error" | "Broken" | "Total" | "Time";
const COUNT_FIELD = {
  Pass: "passed",
  Fail: "failed",
  Error: "errored",
  Broken: "broken",
  Total: "total",
} as const;
const KIND_COLUMNS = ["Pass", "Fail", "Error", "Broken"] as const;
const COLUMNS = new Set<string>([...KIND_COLUMNS, "Total", "Time"]);

interface Header {
  /**
   * What precedes "Test Summary:" on the line (a worker prefix, a timestamp), as a pattern every row's
   * prefix must match: the same text, except that digits may differ (timestamps move on).
   */
  prefix: RegExp;
  /** Width of the name column: rows whose name is plain ASCII are padded to exactly this. */
  nameWidth: number;
  /** Each column and the offset its cells end at, counted from the start of the cells. */
  columns: Array<{ name: Column; end: number }>;
}

// CSI sequences (colours, bold), OSC sequences (hyperlinks, titles; bounded in length) and two-byte escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,2048}(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
const HEADER_TEXT = "Test Summary:";
const MAX_PREFIX = 200;
const SEPARATOR = " | ";
const DURATION = /^(?:(\d+)m)?(\d+(?:\.\d+)?)s$/;
const CELL = /No tests|\S+/g;
const ZERO_TOTALS = new Set(["None", "No tests"]);

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** Reads every `Test Summary:` table in a test log. Never throws: lines that are not rows end a table. */
export function parseJuliaTestSummary(log: string): JuliaTestReport {
  const lines = logLines(log);
  const collector = new SuiteCollector();
  const rows: SummaryRow[] = [];
  let tables = 0;
  for (let i = 0; i < lines.length; i++) {
    const header = parseHeader(lines[i] as string);
    if (!header) continue;
    tables++;
    const headerLine = i;
    const path: string[] = [];
    let baseIndent = -1;
    for (; i + 1 < lines.length; i++) {
      const row = parseRow(lines[i + 1] as string, header);
      if (!row) break;
      if (baseIndent === -1) baseIndent = row.indent;
      // A name may start with spaces of its own, so depth can only grow one level per row.
      const depth = Math.max(0, Math.min(Math.floor((row.indent - baseIndent) / 2), path.length));
      path.length = depth;
      path.push(segmentName(row.name));
      collector.add(path, row.counts);
      rows.push({ headerLine, path: [...path], counts: row.counts });
    }
  }
  return { ...collector.report(), tables, rows };
}

function parseHeader(line: string): Header | undefined {
  const at = line.indexOf(HEADER_TEXT);
  if (at === -1 || at > MAX_PREFIX) return undefined;
  const prefix = new RegExp(
    `^${line
      .slice(0, at)
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\d/g, "\\d")}`,
  );
  const rest = line.slice(at + HEADER_TEXT.length);
  const bar = /^( *) \|/.exec(rest);
  if (!bar) return undefined;
  // "Test Summary: |" then a space, except before Julia 1.11 when the table has no results at all.
  let cells = rest.slice(bar[0].length);
  if (cells.startsWith(" ")) cells = cells.slice(1);
  const columns: Header["columns"] = [];
  for (const label of cells.matchAll(/\S+/g)) {
    if (!COLUMNS.has(label[0])) return undefined;
    columns.push({ name: label[0] as Column, end: label.index + label[0].length });
  }
  return { prefix, nameWidth: HEADER_TEXT.length + (bar[1] as string).length, columns };
}

interface Row {
  indent: number;
  name: string;
  counts: TestCounts;
}

function parseRow(line: string, header: Header): Row | undefined {
  const prefix = header.prefix.exec(line);
  if (!prefix) return undefined;
  const body = line.slice(prefix[0].length);
  const sep = body.lastIndexOf(SEPARATOR);
  if (sep === -1) return undefined;
  const namePart = body.slice(0, sep);
  // Julia pads by display width; for ASCII names that is the character count, a strong check that this
  // is a row of this table and not a stray line containing " | ".
  if (/^[\x20-\x7e]*$/.test(namePart) && namePart.length !== header.nameWidth) return undefined;
  const counts = parseCells(body.slice(sep + SEPARATOR.length), header);
  if (!counts) return undefined;
  const indent = namePart.length - namePart.trimStart().length;
  return { indent, name: namePart, counts };
}

function parseCells(cells: string, header: Header): TestCounts | undefined {
  const values = new Map<Column, string>();
  const tokens = [...cells.matchAll(CELL)];
  if (tokens.length === 0) return undefined;
  const hasTime = header.columns.some((c) => c.name === "Time");
  for (const [i, token] of tokens.entries()) {
    const text = token[0];
    const end = token.index + text.length;
    if (hasTime && i === tokens.length - 1 && (DURATION.test(text) || text === "?s")) {
      values.set("Time", text);
      continue;
    }
    const column = header.columns.find((c) => c.end === end && c.name !== "Time");
    if (column && !values.has(column.name)) values.set(column.name, text);
    else if (ZERO_TOTALS.has(text) && !values.has("Total")) values.set("Total", text);
    else return undefined;
  }
  return countsOf(values, header);
}

function countsOf(values: Map<Column, string>, header: Header): TestCounts | undefined {
  const counts: TestCounts = {};
  const shown = new Set(header.columns.map((c) => c.name));
  for (const kind of KIND_COLUMNS) {
    const text = values.get(kind);
    // A blank cell, or a kind with no column at all, is zero; "x" is a custom testset that cannot say.
    if (text === "x") continue;
    const n = text === undefined ? 0 : count(text);
    if (n === undefined) return undefined;
    counts[COUNT_FIELD[kind]] = n;
  }
  const total = values.get("Total");
  if (total !== undefined && total !== "?") {
    const n = ZERO_TOTALS.has(total) ? 0 : count(total);
    if (n === undefined) return undefined;
    counts.total = n;
  } else if (total === undefined && !shown.has("Total")) {
    counts.total = 0;
  }
  const time = values.get("Time");
  const seconds = time === undefined ? undefined : durationSeconds(time);
  if (seconds !== undefined) counts.duration_seconds = seconds;
  return counts;
}

function count(text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** Julia's format_duration: "12.3s" below a minute, else "1m02.3s"; "?s" when unknown. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  return roundSeconds(Number(m[1] ?? 0) * 60 + Number(m[2]));
}
