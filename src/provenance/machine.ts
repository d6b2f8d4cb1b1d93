// The machine a run ran on, for telling benchmark environments apart: the CPU model (/proc/cpuinfo,
// else what Node reads), the threads the benchmarks get (JULIA_NUM_THREADS, else the Slurm task's
// CPUs), the OS and the architecture (uname's names: x86_64, aarch64, ppc64le).
import { readFileSync } from "node:fs";
import * as os from "node:os";
import type { HpcProvenance } from "../contract/types.js";

export type Machine = Pick<HpcProvenance, "cpu_model" | "threads" | "os" | "arch">;

export interface MachineProbes {
  cpuinfo?: () => string;
  cpuModels?: () => string[];
  parallelism?: () => number;
  platform?: string;
  machine?: () => string;
}

const defaults: Required<MachineProbes> = {
  cpuinfo: () => readFileSync("/proc/cpuinfo", "utf8"),
  cpuModels: () => os.cpus().map((c) => c.model),
  // availableParallelism (Node 18.14+) honours the CPU affinity a scheduler sets.
  parallelism: () =>
    typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length,
  platform: process.platform,
  // os.machine() is Node 18.9+; process.arch is Node's name ("x64") for the same thing.
  machine: () => (typeof os.machine === "function" ? os.machine() : process.arch),
};

export function detectMachine(env: NodeJS.ProcessEnv, probes: MachineProbes = {}): Machine {
  const p = { ...defaults, ...probes };
  const machine: Machine = { os: p.platform };
  const arch = attempt(p.machine)?.trim();
  if (arch) machine.arch = arch;
  const model = cpuModel(attempt(p.cpuinfo) ?? "") ?? usable(attempt(p.cpuModels)?.[0]);
  if (model) machine.cpu_model = model;
  const threads =
    juliaThreads(env.JULIA_NUM_THREADS, () => attempt(p.parallelism)) ?? count(env.SLURM_CPUS_PER_TASK);
  if (threads !== undefined) machine.threads = threads;
  return machine;
}

/** The first processor's model in /proc/cpuinfo: x86's "model name", POWER's "cpu", others' "Model". */
export function cpuModel(cpuinfo: string): string | undefined {
  for (const key of ["model name", "cpu", "Model", "Hardware"]) {
    const m = new RegExp(`^${key}\\s*:\\s*(.+)$`, "m").exec(cpuinfo);
    const model = usable(m?.[1]);
    if (model) return model;
  }
  return undefined;
}

/** JULIA_NUM_THREADS: "8", "8,1" (default and interactive pools: the default one), "auto". */
export function juliaThreads(value: string | undefined, auto: () => number | undefined): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (v.split(",")[0]?.trim() === "auto") return auto();
  return count(v.split(",")[0]);
}

function usable(model: string | undefined): string | undefined {
  const m = model?.replace(/\s+/g, " ").trim();
  return m && m.toLowerCase() !== "unknown" ? m.slice(0, 200) : undefined;
}

function count(value: string | undefined): number | undefined {
  const v = value?.trim();
  return v && /^\d{1,6}$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
}

function attempt<T>(probe: () => T): T | undefined {
  try {
    return probe();
  } catch {
    return undefined;
  }
}

/**
 * `hpc` with what the benchmark files say filling the gaps (the node's own findings come first), but
 * threads from the files first: a file records the threads that ran, the environment only a setting.
 */
export function withFileEnvironment(
  hpc: HpcProvenance,
  file: Pick<HpcProvenance, "cpu_model" | "threads" | "os" | "arch" | "node" | "julia_version">,
): HpcProvenance {
  const out: HpcProvenance = { ...hpc };
  for (const key of ["cpu_model", "os", "arch", "node", "julia_version"] as const) {
    if (out[key] === undefined && file[key] !== undefined) out[key] = file[key];
  }
  if (file.threads !== undefined) out.threads = file.threads;
  return out;
}
