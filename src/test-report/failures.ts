// What every reader of failures shares: the bounds (the first 50 failures in full, a count for the rest;
// a message of a few lines), and the identity of a test across runs (for flaky marking).
import type { TestFailure } from "../contract/types.js";
import { truncateCharacters } from "../render/escape.js";
import { segmentName } from "./counts.js";

/** The schema's limit on `failures` and `flaky` (defs.schema.json#/$defs/testFailures). */
export const MAX_FAILURES = 50;
export const MAX_MESSAGE_LINES = 10;
export const MAX_MESSAGE_CHARACTERS = 1000;
/** Expressions and evaluated values: a long `@test` still fits a comment line. */
const MAX_EXPRESSION_CHARACTERS = 1000;
const MAX_NAME_CHARACTERS = 512;
const MAX_TESTSET_DEPTH = 64;
const MAX_LINE = 2147483647;
const MAX_PATH = 1024;

export interface FailureReport {
  /** The first MAX_FAILURES failures in report order. */
  failures: TestFailure[];
  /** Every failure and error the report holds, including those beyond `failures`. */
  total: number;
}

/** Collects failures in report order: the first MAX_FAILURES kept, every one counted. */
export class FailureCollector {
  private readonly kept: TestFailure[] = [];
  private count = 0;

  add(failure: TestFailure): void {
    this.count++;
    if (this.kept.length < MAX_FAILURES) this.kept.push(boundFailure(failure));
  }

  /** Whether a further failure would still be kept in full (readers may skip the work otherwise). */
  get full(): boolean {
    return this.kept.length >= MAX_FAILURES;
  }

  report(): FailureReport {
    return { failures: this.kept, total: this.count };
  }
}

/** The first lines of a message, within MAX_MESSAGE_LINES lines and MAX_MESSAGE_CHARACTERS; undefined if empty. */
export function boundMessage(lines: readonly string[]): string | undefined {
  const kept = lines.slice(0, MAX_MESSAGE_LINES).map((l) => l.trimEnd());
  while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
  while (kept.length > 0 && kept[0] === "") kept.shift();
  if (kept.length === 0) return undefined;
  const cut = lines.length > MAX_MESSAGE_LINES ? `${kept.join("\n")}\n…` : kept.join("\n");
  return truncateCharacters(cut, MAX_MESSAGE_CHARACTERS);
}

/** A failure within the schema's limits: names, depth, line number and texts. */
function boundFailure(failure: TestFailure): TestFailure {
  const out: TestFailure = { kind: failure.kind };
  if (failure.testset?.length) {
    out.testset = failure.testset
      .slice(0, MAX_TESTSET_DEPTH)
      .map((s) => truncateCharacters(segmentName(s), MAX_NAME_CHARACTERS));
  }
  if (failure.name !== undefined)
    out.name = truncateCharacters(segmentName(failure.name), MAX_NAME_CHARACTERS);
  if (failure.file && failure.file.length <= MAX_PATH) out.file = failure.file;
  if (
    failure.line !== undefined &&
    Number.isInteger(failure.line) &&
    failure.line >= 1 &&
    failure.line <= MAX_LINE
  )
    out.line = failure.line;
  for (const field of ["expression", "evaluated"] as const) {
    const text = failure[field]?.trim();
    if (text) out[field] = truncateCharacters(text, MAX_EXPRESSION_CHARACTERS);
  }
  const message = failure.message === undefined ? undefined : boundMessage(failure.message.split("\n"));
  if (message) out.message = message;
  if (failure.flaky) out.flaky = true;
  return out;
}

/**
 * The identity of a test across runs of one commit: its file and line when it has them, else its test
 * set path and its name (or, for Julia, its expression, since a test set holds many tests).
 */
export function failureKey(failure: TestFailure): string {
  if (failure.file && failure.line) return `at\u0000${failure.file}:${failure.line}`;
  const name = failure.name ?? failure.expression ?? "";
  return `in\u0000${(failure.testset ?? []).join("\u0000")}\u0000${name}`;
}
