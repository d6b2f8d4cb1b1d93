// A suite-wide shift: when most of a suite moved the same way past half their bands (a slow node, a busy
// filesystem), that is the environment, reported once; each benchmark is then judged after dividing
// out the suite's median ratio, so what remains is what the benchmark did relative to its suite.
import type { BenchmarkShift } from "../contract/types.js";
import { median, roundPct } from "./stats.js";

/** A shift needs at least this many benchmarks of a suite, and this share of those judged, moving together. */
export const SHIFT_MIN_BENCHMARKS = 3;
export const SHIFT_MIN_SHARE = 2 / 3;

export interface Moved {
  suite: string;
  /** log cost ratio (positive: worse) and the band, as in NoisyComparison. */
  cost: number;
  band: number;
}

/** The suite of a benchmark named `<suite>/<benchmark>`; a name without a slash is its own suite. */
export function suiteOf(name: string): string {
  const slash = name.indexOf("/");
  return slash > 0 ? name.slice(0, slash) : name;
}

export interface Shifts {
  /** Per suite, the log cost ratio to divide out. */
  bySuite: Map<string, number>;
  reported: BenchmarkShift[];
}

export function findShifts(moved: readonly Moved[], node: string | undefined): Shifts {
  const suites = new Map<string, Moved[]>();
  for (const m of moved) {
    const list = suites.get(m.suite);
    if (list) list.push(m);
    else suites.set(m.suite, [m]);
  }
  const bySuite = new Map<string, number>();
  const reported: BenchmarkShift[] = [];
  for (const [suite, members] of [...suites].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // Half a band: one benchmark past half its band is common noise, most of a suite at once is not.
    const up = members.filter((m) => m.cost > m.band / 2).length;
    const down = members.filter((m) => m.cost < -m.band / 2).length;
    const together = Math.max(up, down);
    if (together < SHIFT_MIN_BENCHMARKS || together < SHIFT_MIN_SHARE * members.length) continue;
    const shift = median(members.map((m) => m.cost));
    bySuite.set(suite, shift);
    reported.push({
      suite,
      ...(node && { node }),
      factor: roundPct(Math.exp(shift)),
      benchmarks: together,
      of: members.length,
    });
  }
  return { bySuite, reported };
}
