// Reads lcov tracefiles the way Debian's lcov 1.16 (`lcov --summary`) does, so that our totals are its
// totals: records of the same SF are summed line by line, LF/LH/FNF/FNH/BRF/BRH are ignored (recomputed
// from DA/FN/FNDA/BRDA), a DA checksum is accepted, a negative count counts as 0, a line that is no
// record is skipped, and a `.gz` file is read through gunzip. lcov keeps each kind of data (lines,
// functions, branches) of a file in its own table, stored at end_of_record; a record that never ends
// still adds to the tables its file already had and loses the rest. We keep the same tables, so we gain
// and lose the same data. We go on where lcov stops (a checksum mismatch, a file with no records) and say
// why in `warnings`. Known differences, on input no tool writes: lcov keys numbers by their digits (DA:01
// and DA:1 are two lines to it, one here); "\r" before "\n" is dropped here (lcov keeps it in names, which
// matters only when one file mixes line ends); names that are not UTF-8 may merge here.
import {
  addTaken,
  branchKey,
  compareStrings,
  type BranchCoverage,
  type FileCoverage,
  type FunctionCoverage,
} from "./file-coverage.js";
import { LineCounts } from "./line-counts.js";

export interface LcovReadResult {
  /** One entry per SF path that has at least one DA line (lcov drops the others), sorted by path. */
  files: FileCoverage[];
  /** What was skipped or looked wrong, each with the source name and line number. */
  warnings: string[];
}

/** The most warnings kept in detail; the rest are counted in one last line. */
const MAX_WARNINGS = 50;

/** A file as the reader holds it: like FileCoverage, with its lines in the faster LineCounts. */
export interface LcovEntry extends Omit<FileCoverage, "lines"> {
  lines: LineCounts;
}

/** The tables of one file; each exists once some stored record of the file had that kind of data. */
interface Tables {
  lines?: LineCounts;
  functions?: Map<string, FunctionCoverage>;
  branches?: Map<string, BranchCoverage>;
  checksums?: Map<number, string>;
}

/** The record being read: the tables its data goes to, which may not be stored yet (as in lcov). */
interface OpenRecord extends Tables {
  name: string;
  /** Line number of its SF line (0 for data before any SF). */
  openedAt: number;
  ended: boolean;
}

const FN_RE = /^FN:(\d+),([^,]+)/;
const FNDA_RE = /^FNDA:(\d+),([^,]+)/;
const BRDA_RE = /^BRDA:(\d+),(\d+),(\d+),(\d+|-)/;
/** Records lcov reads without keeping anything from them (they are recomputed or not used for totals). */
const IGNORED_PREFIXES = ["TN:", "LF:", "LH:", "FNF:", "FNH:", "BRF:", "BRH:", "VER:", "FNL:", "FNA:"];

/** Incremental reader: feed text in pieces of any size with `push`, then call `end`. */
export class LcovReader {
  private readonly files = new Map<string, Tables>();
  /** Where DA/FN/... lines go: the last SF's record (still so after its end_of_record, as in lcov). */
  private record: OpenRecord = { name: "", openedAt: 0, ended: false };
  /** The start of a line cut by the end of the last piece. */
  private pending: Buffer | undefined;
  private lineNo = 0;
  private readonly warnings: string[] = [];
  private droppedWarnings = 0;
  private firstNegative = 0;

  /** @param source names the input in warnings. */
  constructor(private readonly source = "<lcov>") {}

  /**
   * Reads a piece of the input: bytes (UTF-8, as lcov files are) or text. Pieces may be cut anywhere,
   * except that a text piece should not end inside a surrogate pair.
   */
  push(piece: Uint8Array | string): void {
    // Bytes, not a decoded string: DA lines are parsed in place and only names are ever decoded.
    const buf = typeof piece === "string" ? Buffer.from(piece, "utf8") : toBuffer(piece);
    let start = 0;
    let end = buf.indexOf(10);
    if (this.pending) {
      if (end === -1) {
        this.pending = Buffer.concat([this.pending, buf]);
        return;
      }
      const joined = Buffer.concat([this.pending, buf.subarray(0, end)]);
      this.pending = undefined;
      this.line(joined, 0, joined.length);
      start = end + 1;
      end = buf.indexOf(10, start);
    }
    while (end !== -1) {
      this.line(buf, start, end);
      start = end + 1;
      end = buf.indexOf(10, start);
    }
    // A copy: the caller may reuse its buffer for the next piece.
    if (start < buf.length) this.pending = Buffer.from(buf.subarray(start));
  }

  /** Reads what is left and returns the coverage with Maps of lines (the public shape). */
  end(): LcovReadResult {
    const { entries, warnings } = this.finish();
    const files = entries.map((entry): FileCoverage => ({ ...entry, lines: entry.lines.toMap() }));
    return { files, warnings };
  }

  /** Reads what is left and returns the entries as held (for summaries, which need no Maps). Internal. */
  finish(): { entries: LcovEntry[]; warnings: string[] } {
    if (this.pending) this.line(this.pending, 0, this.pending.length);
    this.pending = undefined;
    this.checkUnended();
    if (this.firstNegative > 0) {
      this.warn(this.firstNegative, "negative counts found (counted as 0, as lcov does)");
    }
    const entries: LcovEntry[] = [];
    for (const [path, tables] of this.files) {
      // lcov drops a file without any DA line, its functions and branches with it.
      if (!tables.lines || tables.lines.size === 0) continue;
      const entry: LcovEntry = { path, lines: tables.lines };
      if (tables.functions) entry.functions = tables.functions;
      if (tables.branches) entry.branches = tables.branches;
      entries.push(entry);
    }
    entries.sort((a, b) => compareStrings(a.path, b.path));
    if (entries.length === 0) this.warnings.push(`${this.source}: no valid records found (no DA lines)`);
    if (this.droppedWarnings > 0)
      this.warnings.push(`${this.source}: ${this.droppedWarnings} more warning(s) not shown`);
    return { entries, warnings: this.warnings };
  }

  /** One line: `buf` from `start` to `end` (the "\n" excluded). */
  private line(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    if (end > start && buf[end - 1] === 13) end--;
    // DA is nearly every line of a tracefile: parse it in place, the rest with lcov's own patterns.
    if (end - start >= 3 && buf[start] === 68 && buf[start + 1] === 65 && buf[start + 2] === 58) {
      this.da(buf, start + 3, end);
      return;
    }
    const text = buf.toString("utf8", start, end);
    if (text.startsWith("SF:") || text.startsWith("KF:")) {
      this.startRecord(text.slice(3));
    } else if (text.startsWith("end_of_record")) {
      this.endRecord();
    } else if (text.startsWith("FN:")) {
      const m = FN_RE.exec(text);
      if (!m) return this.malformed("FN");
      const functions = (this.data().functions ??= new Map());
      const name = m[2] as string;
      const known = functions.get(name);
      if (known) known.line = Number(m[1]);
      else functions.set(name, { line: Number(m[1]), hits: 0 });
    } else if (text.startsWith("FNDA:")) {
      const m = FNDA_RE.exec(text);
      if (!m) return this.malformed("FNDA");
      const functions = (this.data().functions ??= new Map());
      const name = m[2] as string;
      const known = functions.get(name);
      if (known) known.hits += Number(m[1]);
      else functions.set(name, { line: undefined, hits: Number(m[1]) });
    } else if (text.startsWith("BRDA:")) {
      const m = BRDA_RE.exec(text);
      if (!m) return this.malformed("BRDA");
      const [line, block, branch] = [Number(m[1]), Number(m[2]), Number(m[3])];
      // "-5" matches lcov's (\d+|-) as "-": a negative branch count reads as "not evaluated".
      const taken = m[4] === "-" ? null : Number(m[4]);
      const branches = (this.data().branches ??= new Map());
      const key = branchKey(line, block, branch);
      const known = branches.get(key);
      if (known) known.taken = addTaken(known.taken, taken);
      else branches.set(key, { line, block, branch, taken });
    } else if (text !== "" && !IGNORED_PREFIXES.some((p) => text.startsWith(p))) {
      this.warn(this.lineNo, `not an lcov record, skipped: ${JSON.stringify(text.slice(0, 80))}`);
    }
  }

  /**
   * The rest of `DA:<line>,<count>[,<checksum>]` (from `i` to `end`), read like lcov's
   * /^DA:(\d+),(-?\d+)(,[^,\s]+)?/: whatever follows is ignored.
   */
  private da(buf: Buffer, i: number, end: number): void {
    const lineStart = i;
    let line = 0;
    for (let c = buf[i] as number; i < end && c >= 48 && c <= 57; c = buf[++i] as number)
      line = line * 10 + (c - 48);
    if (i === lineStart || i >= end || buf[i] !== 44) return this.malformed("DA");
    i++;
    const negative = i < end && buf[i] === 45;
    if (negative) i++;
    const countStart = i;
    let count = 0;
    for (let c = buf[i] as number; i < end && c >= 48 && c <= 57; c = buf[++i] as number)
      count = count * 10 + (c - 48);
    if (i === countStart) return this.malformed("DA");
    if (negative && count > 0) {
      count = 0;
      if (this.firstNegative === 0) this.firstNegative = this.lineNo;
    }
    const record = this.data();
    (record.lines ??= new LineCounts()).add(line, count);
    if (i < end && buf[i] === 44) {
      let j = i + 1;
      while (j < end && !isChecksumStop(buf[j] as number)) j++;
      if (j > i + 1) this.checksum(record, line, buf.toString("utf8", i + 1, j));
    }
  }

  private checksum(record: OpenRecord, line: number, checksum: string): void {
    const checksums = (record.checksums ??= new Map());
    const known = checksums.get(line);
    if (known === undefined) checksums.set(line, checksum);
    else if (known !== checksum) {
      // lcov aborts here ("checksum mismatch"); the counts are still good, so we sum them and say so.
      this.warn(this.lineNo, `checksum mismatch at ${record.name}:${line} (counts summed anyway)`);
    }
  }

  private startRecord(name: string): void {
    this.checkUnended();
    // lcov looks the file up again: data goes on into the tables it has, new tables start empty.
    const stored = this.files.get(name);
    this.record = { ...stored, name, openedAt: this.lineNo, ended: false };
  }

  private endRecord(): void {
    const record = this.record;
    if (record.openedAt === 0) return; // no SF yet
    // lcov keeps a record only if its name is "true" to Perl: "" and "0" are not.
    if (record.name === "" || record.name === "0") {
      if (!record.ended && hasData(record))
        this.warn(record.openedAt, `record with file name "${record.name}" ignored`);
    } else {
      const { lines, functions, branches, checksums } = record;
      this.files.set(record.name, { lines, functions, branches, checksums });
    }
    record.ended = true;
  }

  /** Data of a record that never ended is lost where its file had no table for it yet: say so. */
  private checkUnended(): void {
    const record = this.record;
    if (record.ended || record.openedAt === 0 || record.name === "" || record.name === "0") return;
    const stored = this.files.get(record.name);
    const lost: string[] = [];
    if (record.lines && record.lines !== stored?.lines) lost.push("line");
    if (record.functions && record.functions !== stored?.functions) lost.push("function");
    if (record.branches && record.branches !== stored?.branches) lost.push("branch");
    if (lost.length > 0) {
      this.warn(
        record.openedAt,
        `record for ${record.name} has no end_of_record; its ${lost.join(", ")} data is ignored`,
      );
    }
  }

  /** The record data lines go to; before any SF, one that is never stored (lcov drops that data). */
  private data(): OpenRecord {
    if (this.record.openedAt === 0 && !hasData(this.record)) {
      this.warn(this.lineNo, "coverage data before any SF record; ignored");
    }
    return this.record;
  }

  private malformed(kind: string): void {
    this.warn(this.lineNo, `malformed ${kind} record, skipped`);
  }

  private warn(line: number, message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(`${this.source}:${line}: ${message}`);
    else this.droppedWarnings++;
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function hasData(tables: Tables): boolean {
  return (
    (tables.lines?.size ?? 0) > 0 || (tables.functions?.size ?? 0) > 0 || (tables.branches?.size ?? 0) > 0
  );
}

/** Perl's \s and the comma end a DA checksum. */
function isChecksumStop(c: number): boolean {
  return c === 44 || c === 32 || (c >= 9 && c <= 13);
}

/** Reads lcov text held in memory. `source` names it in warnings. */
export function parseLcov(text: string, source?: string): LcovReadResult {
  const reader = new LcovReader(source);
  reader.push(text);
  return reader.end();
}
