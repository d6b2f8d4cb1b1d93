// Order statistics the judge needs. Inputs are plain arrays of finite numbers; nothing is modified.

/** The median; NaN for an empty list. */
export function median(values: readonly number[]): number {
  return quantileSorted(sortedCopy(values), 0.5);
}

/** An ascending copy; a typed array sorts numbers without a comparator call per comparison. */
function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** The q-quantile of an ascending list, interpolated linearly between order statistics. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const at = (n - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

/** rustc-perf's upper fence of a list: Q3 + 3 IQR. NaN for an empty list. */
export function upperFence(values: readonly number[]): number {
  const sorted = sortedCopy(values);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  return q3 + 3 * (q3 - q1);
}

/** A percentage to two decimals, without -0. */
export function roundPct(pct: number): number {
  return Math.round(pct * 100) / 100 || 0;
}

/** A log ratio as a percent change. */
export function logToPct(log: number): number {
  return roundPct((Math.exp(log) - 1) * 100);
}
