// Mutation fuzzing of valid documents (seeded, so a failure can be replayed): every mutated document is
// either accepted, and then normalizes into a valid run that renders, or refused with reasons that name
// the file, a JSON pointer and why. Nothing may throw anything else, and no prototype may be polluted.
import { describe, expect, it } from "vitest";
import { InvalidDocumentError } from "../src/contract/errors.js";
import { parseDocument } from "../src/contract/json.js";
import { normalizeRun } from "../src/contract/normalize.js";
import type { HpcResults } from "../src/contract/types.js";
import { checkDocument, type DocumentKind } from "../src/contract/validate.js";
import { runTable } from "../src/render/run-table.js";
import { seededRandom } from "./harness/random.js";
import { myceliaResults, ourRun, sha } from "./harness/results-branch.js";

const commit = sha("fuzz");
const run = ourRun(commit);
const SEEDS: Array<[DocumentKind, string, unknown]> = [
  ["hpc-results", "hpc-results.json", myceliaResults(commit, { coverage: null })],
  ["hpc-results", "hpc-results.json", run.results],
  ["tests-summary", "tests.json", run.tests],
  ["benchmarks-summary", "benchmarks.json", run.benchmarks],
  ["meta", "meta.json", run.meta],
];

const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e-308,
  101,
  2 ** 53 + 1,
  0.1,
  "",
  " ",
  "passed",
  "PASSED",
  "../../etc/passwd",
  "<img src=x onerror=alert(1)>",
  "@octocat #1 | `x`",
  "\u0000",
  "\ud800",
  "é".repeat(5000),
  "x".repeat(70000),
  [],
  [1, "a", null],
  {},
  { __proto__: { polluted: 1 } },
  { nested: { deeper: [[[]]] } },
  "2026-13-45T99:99:99Z",
  "0".repeat(40),
  "A".repeat(40),
  "f".repeat(64),
  "HEAD",
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function paths(
  value: Json,
  at: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

function mutate(doc: Json, rand: () => number): string {
  const copy = structuredClone(doc) as Json;
  const all = paths(copy);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const target = pick(all);
  const parentPath = target.slice(0, -1);
  const key = target.at(-1);
  let parent: Json = copy;
  for (const p of parentPath) parent = (parent as Record<string | number, Json>)[p as string]!;
  const kind = Math.floor(rand() * 7);
  if (key !== undefined && parent && typeof parent === "object") {
    const obj = parent as Record<string | number, Json>;
    if (kind === 0) delete obj[key as string];
    else if (kind === 1) obj[key as string] = pick(ODD_VALUES) as Json;
    else if (kind === 2 && !Array.isArray(obj))
      obj[pick(["__proto__", "constructor", "prototype", "extra", "x".repeat(600)])] = pick(
        ODD_VALUES,
      ) as Json;
    else if (kind === 3) obj[key as string] = JSON.parse(JSON.stringify(obj[key as string] ?? null)) as Json;
    else if (kind === 4) obj[key as string] = "[".repeat(Math.floor(rand() * 200)) as Json;
    else obj[key as string] = pick(ODD_VALUES) as Json;
  }
  let text = JSON.stringify(copy);
  if (text.includes('"__proto__"') === false && kind === 2 && rand() < 0.3)
    text = text.replace("{", '{"__proto__":{"polluted":1},');
  if (kind === 5) text = text.slice(0, Math.floor(rand() * text.length)); // truncated
  if (kind === 6 && text.length > 2) {
    const i = Math.floor(rand() * text.length);
    text = text.slice(0, i) + pick(["\uFEFF", "}", '"', ",", "\\", "\n", "9e999"]) + text.slice(i + 1);
  }
  if (rand() < 0.05) text = `\uFEFF${text}`;
  return text;
}

describe("mutation fuzzing of contract documents", () => {
  it("answers 5,000 mutated documents with a clear refusal or a valid normalized run", () => {
    const rand = seededRandom(20261128);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 5000; i++) {
      const [kind, file, seed] = SEEDS[i % SEEDS.length]!;
      const text = mutate(seed as Json, rand);
      const label = `case ${i} (${kind}): ${text.slice(0, 200)}`;
      let value: unknown;
      try {
        value = parseDocument(text, file);
      } catch (error) {
        expect(error, label).toBeInstanceOf(InvalidDocumentError);
        for (const e of (error as InvalidDocumentError).errors) {
          expect(e.file, label).toBe(file);
          expect(typeof e.pointer, label).toBe("string");
          expect(e.reason.length, label).toBeGreaterThan(0);
        }
        refused++;
        continue;
      }
      const problems = checkDocument(kind, value, file);
      if (problems.length > 0) {
        for (const e of problems) {
          expect(e.file, label).toBe(file);
          expect(e.pointer === "" || e.pointer.startsWith("/"), label).toBe(true);
          expect(e.reason.length, label).toBeGreaterThan(0);
        }
        refused++;
        continue;
      }
      accepted++;
      const docs =
        kind === "hpc-results"
          ? { results: value as HpcResults }
          : kind === "meta"
            ? { meta: value as never }
            : kind === "tests-summary"
              ? { testsSummary: value as never }
              : { benchmarksSummary: value as never };
      const docCommit = (value as { commit: string }).commit;
      const normalized = normalizeRun(docCommit, docs, [file]);
      if (normalized) {
        expect(checkDocument("hpc-results", normalized, "normalized"), label).toEqual([]);
        expect(() => runTable(normalized), label).not.toThrow();
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    // Both outcomes are exercised, so the fuzzer is not trivially refusing (or accepting) everything.
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(1000);
  });
});
