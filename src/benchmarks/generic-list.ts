// The generic list of github-action-benchmark's `customSmallerIsBetter` and `customBiggerIsBetter`
// tools: `[{"name": "solve/3d", "unit": "ms", "value": 12.5, "range"?: "± 0.3", "extra"?: "..."}]`.
// The file is the same for both; which way is better is the tool's, given by the user (the action's
// `tool` input, our `benchmarks.results` entry's `tool`), smaller by default.
// Smaller is better: times (ns, us/µs, ms, s, min, h, optionally per iteration: "ns/iter", "ns/op") are
// converted to milliseconds into median_ms, the one number the format gives; anything else keeps its
// unit and its number in `value` (see entry.ts), since putting bytes in a *_ms field would make every
// comparison and chart wrong. Bigger is better: every entry is a `value` with its unit, even a time.
import { type BenchmarkEntry, type ResultSink, describeValue, isRecord } from "./entry.js";

const MS_PER: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1e3,
  sec: 1e3,
  secs: 1e3,
  second: 1e3,
  seconds: 1e3,
  min: 6e4,
  mins: 6e4,
  minute: 6e4,
  minutes: 6e4,
  h: 3.6e6,
  hour: 3.6e6,
  hours: 3.6e6,
};
const PER_ITERATION = /\/(?:iter|iteration|op|call|run)$/;

/** Milliseconds per one `unit`, or undefined when the unit is not a time. */
export function msPerUnit(unit: string): number | undefined {
  const base = unit.trim().replace(PER_ITERATION, "");
  return Object.hasOwn(MS_PER, base) ? MS_PER[base] : undefined;
}

/** Whether `doc` looks like the generic list: an array whose entries are objects with a "name". */
export function isGenericList(doc: unknown): doc is unknown[] {
  return Array.isArray(doc) && (doc.length === 0 || (isRecord(doc[0]) && "name" in doc[0]));
}

export type ListTool = "customSmallerIsBetter" | "customBiggerIsBetter";
export const LIST_TOOLS: readonly ListTool[] = ["customSmallerIsBetter", "customBiggerIsBetter"];

export function readGenericList(
  doc: unknown[],
  collector: ResultSink,
  tool: ListTool = "customSmallerIsBetter",
): void {
  const bigger = tool === "customBiggerIsBetter";
  doc.forEach((item, i) => {
    const pointer = `/${i}`;
    if (!isRecord(item)) {
      collector.problem(pointer, `expected {"name", "unit", "value"}, found ${describeValue(item)}`);
      return;
    }
    const { name, unit, value } = item;
    if (typeof name !== "string" || name.trim() === "") {
      collector.problem(`${pointer}/name`, `"name" must be a non-empty string, found ${describeValue(name)}`);
      return;
    }
    if (typeof unit !== "string" || unit.trim() === "") {
      collector.problem(`${pointer}/unit`, `"unit" must be a non-empty string, found ${describeValue(unit)}`);
      return;
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      collector.problem(`${pointer}/value`, `"value" must be a finite number, found ${describeValue(value)}`);
      return;
    }
    const factor = bigger ? undefined : msPerUnit(unit);
    let entry: BenchmarkEntry;
    if (factor === undefined)
      entry = { unit: unit.trim(), value, direction: bigger ? "bigger_is_better" : "smaller_is_better" };
    else if (value < 0) {
      collector.problem(`${pointer}/value`, `a time cannot be negative (${value} ${unit})`);
      return;
    } else if (!Number.isFinite(value * factor)) {
      collector.problem(`${pointer}/value`, `${value} ${unit} is too large to be a time in milliseconds`);
      return;
    } else entry = { median_ms: value * factor };
    collector.add([name], entry, pointer);
  });
}
