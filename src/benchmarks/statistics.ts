// Summary statistics of one benchmark's samples, as BenchmarkTools computes them for a Trial:
// median (the middle sample, or the mean of the two middle ones), mean, minimum, maximum and the
// sample standard deviation (Statistics.std, n - 1), which is undefined for a single sample.
import type { BenchmarkEntry } from "./entry.js";

/** Julia's timers (BenchmarkTools, Base.gc_num) count nanoseconds; the contract's times are in ms. */
export const NS_PER_MS = 1e6;

export function median(values: readonly number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The time statistics of `samples` (non-empty, in any unit) in milliseconds, `perMs` units a ms. */
export function timeStatistics(samples: readonly number[], perMs: number): BenchmarkEntry {
  const n = samples.length;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let sum = 0;
  for (const t of samples) {
    if (t < min) min = t;
    if (t > max) max = t;
    sum += t;
  }
  const mean = sum / n;
  const entry: BenchmarkEntry = {
    median_ms: median(samples) / perMs,
    mean_ms: mean / perMs,
    min_ms: min / perMs,
    max_ms: max / perMs,
    samples: n,
  };
  if (n > 1) {
    const squares = samples.reduce((acc, t) => acc + (t - mean) ** 2, 0);
    entry.std_ms = Math.sqrt(squares / (n - 1)) / perMs;
  }
  return entry;
}
