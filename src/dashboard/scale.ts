// The y axis of a chart: five ticks at round values, the lowest of them where the axis starts and the
// highest where it ends, so that every label tells exactly where its grid line is; and their text in one
// unit per axis, with as many decimals as the step needs.
import { formatInteger } from "../render/run-table.js";

/** What the values are: a percentage, a count, milliseconds (shown in s, ms, µs or ns), or another unit. */
export type Unit =
  { kind: "percent" } | { kind: "count" } | { kind: "ms" } | { kind: "value"; unit?: string };

export interface Scale {
  /** Where the axis starts and ends: the first and last tick. */
  lo: number;
  hi: number;
  ticks: number[];
  labels: string[];
}

export const INTERVALS = 4;
const MANTISSAS = [1, 2, 2.5, 5];

const exact = (n: number) => Number(n.toPrecision(12));

function decimals(step: number): number {
  for (let d = 0; d < 12; d++)
    if (Math.abs(exact(step * 10 ** d) - Math.round(step * 10 ** d)) < 1e-9) return d;
  return 12;
}

const TIME_UNITS: Array<[number, string]> = [
  [1000, "s"],
  [1, "ms"],
  [1e-3, "µs"],
  [1e-6, "ns"],
];

function labelsOf(ticks: number[], step: number, unit: Unit): string[] {
  if (unit.kind === "count") return ticks.map((t) => formatInteger(t));
  if (unit.kind === "percent") return ticks.map((t) => `${t.toFixed(decimals(step))}%`);
  if (unit.kind === "ms") {
    const top = Math.max(...ticks.map(Math.abs));
    const [per, name] = TIME_UNITS.find(([f]) => top >= f) ?? TIME_UNITS.at(-1)!;
    return ticks.map((t) => `${(t / per).toFixed(decimals(exact(step / per)))} ${name}`);
  }
  const suffix = unit.unit ? ` ${unit.unit.slice(0, 20)}` : "";
  return ticks.map((t) => `${t.toFixed(decimals(step))}${suffix}`);
}

/**
 * The axis for `values`: from `from` (e.g. 0 for counts) or the data's low end, within `bounds`; steps of 1,
 * 2, 2.5 or 5 times a power of ten (whole numbers for counts).
 */
export function niceScale(
  values: number[],
  unit: Unit,
  options: { from?: number; bounds?: [number, number] } = {},
): Scale {
  const finite = values.filter((v) => Number.isFinite(v));
  let lo = options.from ?? (finite.length ? Math.min(...finite) : 0);
  let hi = finite.length ? Math.max(lo, ...finite) : lo + 1;
  if (hi === lo) {
    const pad = Math.abs(hi) * 0.05 || 1;
    if (options.from === undefined) lo -= pad;
    hi += pad;
  }
  const [min, max] = options.bounds ?? [-Infinity, Infinity];
  const whole = unit.kind === "count";
  const first = Math.floor(Math.log10((hi - lo) / INTERVALS)) - 1;
  for (let power = Number.isFinite(first) ? first : 300; power <= 300; power++) {
    for (const m of MANTISSAS) {
      const step = exact(m * 10 ** power);
      if (whole && !Number.isInteger(step)) continue;
      let start = options.from ?? exact(Math.floor(lo / step) * step);
      if (start < min) start = min;
      if (start + INTERVALS * step > max) start = Math.max(min, exact(max - INTERVALS * step));
      if (start > lo || exact(start + INTERVALS * step) < hi) continue;
      const ticks = Array.from({ length: INTERVALS + 1 }, (_, k) => exact(start + k * step));
      return { lo: ticks[0]!, hi: ticks.at(-1)!, ticks, labels: labelsOf(ticks, step, unit) };
    }
  }
  // Values near the ends of the number line: the data's own range, labelled as it is.
  const ticks = [lo, hi];
  return { lo, hi, ticks, labels: ticks.map((t) => String(Number(t.toPrecision(3)))) };
}
