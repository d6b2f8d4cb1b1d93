// A generated A/A sequence of benchmark runs with the properties of real runs of unchanged code on a
// production cluster (issue 14): a stable CPU-bound suite within about ±7%; a noisy I/O-bound suite
// whose benchmarks move on their own and which moves 3x together on one slow node; 2-5 samples per
// benchmark, the first carrying JIT compilation; allocations and memory identical in every run.
import type { BenchmarkResult } from "../../src/contract/types.js";
import { seededRandom } from "./random.js";

export const SLOW_NODE = "n-slow";
export const SLOW_FACTOR = 3;

export interface GeneratedRun {
  node: string;
  results: Record<string, BenchmarkResult>;
  /** Each benchmark's true time this run, in ms (what the samples scatter around). */
  truth: Record<string, number>;
  /** Each timed benchmark's samples in ms, the first with compilation. */
  samples: Record<string, number[]>;
}

interface Spec {
  name: string;
  base: number;
  sigma: number;
  jitter: number;
  allocs: number;
  memory: number;
  suite: "cpu" | "io";
}

const SPECS: Spec[] = [
  ...Array.from({ length: 6 }, (_, i) => ({
    name: `cpu/kernel_${i + 1}`,
    base: 4 + 9 * i,
    sigma: 0.025,
    jitter: 0.01,
    allocs: 100 * (i + 1),
    memory: 4096 * (i + 1),
    suite: "cpu" as const,
  })),
  ...Array.from({ length: 8 }, (_, i) => ({
    name: `io/read_${i + 1}`,
    base: 20 + 25 * i,
    sigma: 0.2,
    jitter: 0.1,
    allocs: 1000 + i,
    memory: 1 << (16 + (i % 4)),
    suite: "io" as const,
  })),
];

export const BENCHMARK_NAMES = [...SPECS.map((s) => s.name), "io/throughput"];

/** Runs `count` A/A runs from `seed`; run i is on the slow node when `slow(i)`. */
export function aaSequence(seed: number, count: number, slow: (i: number) => boolean): GeneratedRun[] {
  const random = seededRandom(seed);
  const normal = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const runs: GeneratedRun[] = [];
  for (let i = 0; i < count; i++) {
    const onSlow = slow(i);
    const node = onSlow ? SLOW_NODE : `n${String(1 + Math.floor(random() * 40)).padStart(4, "0")}`;
    const ioRun = Math.exp(0.05 * normal()) * (onSlow ? SLOW_FACTOR : 1);
    const results: Record<string, BenchmarkResult> = {};
    const truth: Record<string, number> = {};
    const all: Record<string, number[]> = {};
    for (const s of SPECS) {
      const t = s.base * Math.exp(s.sigma * normal()) * (s.suite === "io" ? ioRun : 1);
      truth[s.name] = t;
      const count = 2 + Math.floor(random() * 4);
      const samples = [t * (5 + 20 * random())]; // compilation in the first sample
      for (let k = 1; k < count; k++) samples.push(t * (1 - s.jitter * Math.log(Math.max(random(), 1e-12))));
      all[s.name] = samples;
      results[s.name] = { ...statistics(samples), allocs: s.allocs, memory_bytes: s.memory };
    }
    const read = SPECS.filter((s) => s.suite === "io").reduce((sum, s) => sum + (truth[s.name] as number), 0);
    results["io/throughput"] = { value: round(4e5 / read), unit: "MB/s", direction: "bigger_is_better" };
    runs.push({ node, results, truth, samples: all });
  }
  return runs;
}

/** The samples of a benchmark scaled by `factor` (an injected change). */
export function withScaled(run: GeneratedRun, name: string, factor: number): GeneratedRun {
  const samples = { ...run.samples, [name]: (run.samples[name] as number[]).map((t) => t * factor) };
  const results = {
    ...run.results,
    [name]: { ...run.results[name], ...statistics(samples[name] as number[]) },
  };
  return { ...run, samples, results };
}

/** The run as BenchmarkTools.save() writes a BenchmarkGroup of Trials (times in ns), timed benchmarks only. */
export function benchmarkToolsJson(run: GeneratedRun): string {
  const groups: Record<string, { data: Record<string, unknown>; tags: string[] }> = {};
  for (const [name, samples] of Object.entries(run.samples)) {
    const [suite, leaf] = name.split("/") as [string, string];
    const r = run.results[name] as BenchmarkResult;
    groups[suite] ??= { data: {}, tags: [] };
    groups[suite].data[leaf] = [
      "Trial",
      {
        params: ["Parameters", { samples: 10000, evals: 1 }],
        times: samples.map((t) => Math.round(t * 1e6)),
        gctimes: samples.map(() => 0),
        memory: r.memory_bytes,
        allocs: r.allocs,
      },
    ];
  }
  const data = Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, ["BenchmarkGroup", g]]));
  return JSON.stringify([
    { Julia: "1.10.10", BenchmarkTools: "1.5.0" },
    [["BenchmarkGroup", { data, tags: [] }]],
  ]);
}

function statistics(samples: number[]): BenchmarkResult {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const median =
    n % 2 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return {
    min_ms: round(sorted[0] as number),
    median_ms: round(median),
    mean_ms: round(mean),
    max_ms: round(sorted[n - 1] as number),
    std_ms: round(std),
    samples: n,
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
