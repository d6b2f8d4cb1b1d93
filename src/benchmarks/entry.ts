// One benchmark's result as our readers produce it, and the problem list they share. Times are in
// milliseconds (the contract's median_ms / mean_ms / min_ms). A measurement that is not a time (the
// generic list's "bytes", "allocs", "MB/s", ...) cannot go in a *_ms field: it keeps its `unit` and its
// number goes in `value`, a field of ours that the contract's open benchmarkResult object carries along.
import type { BenchmarkResult } from "../contract/types.js";
import { type ContractError, InvalidDocumentError } from "../contract/errors.js";
import { checkDocument } from "../contract/validate.js";
import { pathKey } from "../test-report/counts.js";

export interface BenchmarkEntry extends BenchmarkResult {
  /** The measurement of a result whose `unit` is not a time; absent for times (they are in median_ms). */
  value?: number;
  /** The baseline's `value`, when a non-time result was compared (runs judged by the fixed threshold before the judge). */
  baseline_value?: number | null;
}

export type BenchmarkResults = Record<string, BenchmarkEntry>;

const MAX_PROBLEMS = 20;

/** Where readers put what they find: results by name, problems and notes at a JSON pointer. */
export interface ResultSink {
  problem(pointer: string, reason: string): void;
  /** Something left out on purpose, worth a line in the log. */
  note(pointer: string, message: string): void;
  add(path: readonly string[], entry: BenchmarkEntry, pointer: string): void;
}

/** Collects results by name and the problems found on the way; `finish()` throws when there were any. */
export class ResultCollector implements ResultSink {
  private readonly results = new Map<string, { entry: BenchmarkEntry; pointer: string }>();
  private readonly problems: ContractError[] = [];
  readonly notes: string[] = [];

  constructor(readonly file: string) {}

  problem(pointer: string, reason: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ file: this.file, pointer, reason });
  }

  note(pointer: string, message: string): void {
    if (this.notes.length < MAX_PROBLEMS)
      this.notes.push(`${this.file}${pointer ? ` at ${pointer}` : ""}: ${message}`);
  }

  add(path: readonly string[], entry: BenchmarkEntry, pointer: string): void {
    const name = pathKey(path);
    const earlier = this.results.get(name);
    if (earlier) {
      this.problem(
        pointer,
        `a second benchmark named "${name}" (the first is at ${earlier.pointer || "the root"})`,
      );
      return;
    }
    // Held to the contract's bounds here, where the reader can say which result: a time of 1e300 ns would
    // otherwise only fail the whole run when its document is checked before writing.
    const bounds = boundsProblem(entry);
    if (bounds) {
      this.problem(pointer, bounds);
      return;
    }
    this.results.set(name, { entry, pointer });
  }

  /**
   * A sink for a document embedded as a string at `pointer` (a pointer cannot reach into a string):
   * problems are reported at `pointer`, saying where inside the embedded document they are.
   */
  embedded(pointer: string, what: string): ResultSink {
    return {
      problem: (inner, reason) => this.problem(pointer, `${what}, at ${inner || "its root"}: ${reason}`),
      note: (inner, message) => this.note(pointer, `${what}, at ${inner || "its root"}: ${message}`),
      add: (path, entry, inner) => this.add(path, entry, `${pointer} (${what}, at ${inner})`),
    };
  }

  /** The results sorted by name, as a plain object. */
  finish(): BenchmarkResults {
    if (this.problems.length > 0) throw new InvalidDocumentError(this.problems);
    const names = [...this.results.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(
      names.map((name) => [name, (this.results.get(name) as { entry: BenchmarkEntry }).entry]),
    );
  }
}

const ANY_COMMIT = "0".repeat(40);

/** Why `entry` is outside the contract's bounds (a time over 10 years, a value past 1e15), or undefined. */
function boundsProblem(entry: BenchmarkEntry): string | undefined {
  const doc = { schema_version: 1, commit: ANY_COMMIT, benchmarks: { entry } };
  const [first] = checkDocument("benchmarks-summary", doc, "");
  return first && `${first.pointer.replace(/^\/benchmarks\/entry\/?/, "")} ${first.reason}`.trim();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A count (bytes, allocations): a non-negative integer that JSON carries exactly. */
export function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

export function isDuration(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value.length > 40 ? "a string" : JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return String(value);
}

/** A unit of a rate ("MB/s", "ops/sec", "Hz"): which way is better is not known from the unit alone. */
export function isRate(unit: string): boolean {
  return /\/\s*(?:s|sec|second)$|per\s+second|ops|hz$/i.test(unit.trim());
}
