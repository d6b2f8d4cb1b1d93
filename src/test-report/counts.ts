// The shape every test-report reader produces, and the bookkeeping they share: suites keyed by their
// nested path, counts summed when a name repeats, keys that are safe as JSON object keys.
import type { TestCounts } from "../contract/types.js";

export interface TestReport {
  /** Every suite that was reported, by its nested path joined with "/" (a parent's counts include its children's). */
  suites: Record<string, TestCounts>;
  /** The sum of the top-level suites only, so nested suites are not counted twice. */
  totals: TestCounts;
}

/** The schema's limit on a suite name (defs.schema.json#/$defs/name). */
const MAX_NAME_LENGTH = 512;
/** Our ingest refuses any document with a "__proto__" key (contract/json.ts), so never write one. */
const FORBIDDEN_KEY = "__proto__";

const COUNT_FIELDS = ["passed", "failed", "errored", "broken", "skipped", "total"] as const;

/** A name usable as one segment of a suite path: never empty. */
export function segmentName(name: string): string {
  const trimmed = name.trim();
  return trimmed === "" ? "(unnamed)" : trimmed;
}

/**
 * A path of names (nested test sets, benchmark groups) as a key of one of the contract's name maps:
 * joined with "/", within the schema's length limit, and never "__proto__".
 */
export function pathKey(path: readonly string[]): string {
  let key = path.join("/");
  if (key === FORBIDDEN_KEY) key = `(${key})`;
  if (key.length > MAX_NAME_LENGTH) key = `${key.slice(0, MAX_NAME_LENGTH - 1)}…`;
  return key;
}

/** Adds `more` into `into` (fields absent from `more` are left alone). Durations are kept to milliseconds. */
export function addCounts(into: TestCounts, more: TestCounts): TestCounts {
  for (const field of COUNT_FIELDS) {
    const value = more[field];
    if (value !== undefined) into[field] = (into[field] ?? 0) + value;
  }
  if (more.duration_seconds !== undefined) {
    into.duration_seconds = roundSeconds((into.duration_seconds ?? 0) + more.duration_seconds);
  }
  return into;
}

/** The schema's bounds (defs.schema.json: count, seconds). */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;
const MAX_SECONDS = 315576000;

/**
 * Drops every count past 2^53 - 1 and every duration past ten years from a report (a JUnit time="1e20",
 * counts summed past what JSON readers hold exactly), so that the run is still published; says what it
 * dropped, one warning per field and value.
 */
export function dropOutOfRange(report: TestReport): string[] {
  const warnings: string[] = [];
  const check = (where: string, counts: TestCounts) => {
    for (const field of [...COUNT_FIELDS, "duration_seconds"] as const) {
      const value = counts[field];
      if (value === undefined) continue;
      const max = field === "duration_seconds" ? MAX_SECONDS : MAX_COUNT;
      const ok =
        Number.isFinite(value) &&
        value >= 0 &&
        value <= max &&
        (field === "duration_seconds" || Number.isInteger(value));
      if (ok) continue;
      delete counts[field];
      warnings.push(`${where}: ${field} ${value} is out of range (0 to ${max}); left out`);
    }
  };
  for (const [name, counts] of Object.entries(report.suites))
    check(`test set ${JSON.stringify(name)}`, counts);
  check("the totals", report.totals);
  return warnings;
}

export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/**
 * Collects suites in report order. A Map, not an object, so that names such as "constructor" or
 * "__proto__" are plain keys; a suite that appears twice (a `@testset` in a loop, the same name in two
 * tables) has its counts summed.
 */
export class SuiteCollector {
  private readonly suites = new Map<string, TestCounts>();
  private readonly totals: TestCounts = {};

  add(path: readonly string[], counts: TestCounts): void {
    const key = pathKey(path);
    const existing = this.suites.get(key);
    if (existing) addCounts(existing, counts);
    else this.suites.set(key, addCounts({}, counts));
    if (path.length === 1) addCounts(this.totals, counts);
  }

  get size(): number {
    return this.suites.size;
  }

  report(): TestReport {
    return { suites: Object.fromEntries(this.suites), totals: { ...this.totals } };
  }
}
