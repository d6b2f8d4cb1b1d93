// The machine in hpc: CPU model, threads, OS and architecture, detected on the node, with what the
// benchmark files say filling the gaps.
import { describe, expect, it } from "vitest";
import { cpuModel, detectMachine, juliaThreads, withFileEnvironment } from "../src/provenance/index.js";

const X86 =
  "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel\t\t: 1\nmodel name\t: AMD EPYC 7763 64-Core Processor\nflags\t\t: fpu\n";
const POWER = "processor\t: 0\ncpu\t\t: POWER9 (raw), altivec supported\nclock\t\t: 3800.000000MHz\n";
const ARM = "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n";

describe("detectMachine", () => {
  it("reads the CPU model from /proc/cpuinfo on x86 and POWER, else from what Node reads", () => {
    expect(cpuModel(X86)).toBe("AMD EPYC 7763 64-Core Processor");
    expect(cpuModel(POWER)).toBe("POWER9 (raw), altivec supported");
    expect(cpuModel(ARM)).toBeUndefined();
    const arm = detectMachine(
      {},
      { cpuinfo: () => ARM, cpuModels: () => ["Neoverse-N1"], platform: "linux", machine: () => "aarch64" },
    );
    expect(arm).toEqual({ os: "linux", arch: "aarch64", cpu_model: "Neoverse-N1" });
    const none = detectMachine(
      {},
      {
        cpuinfo: () => {
          throw new Error("ENOENT");
        },
        cpuModels: () => ["unknown"],
        platform: "darwin",
        machine: () => "arm64",
      },
    );
    expect(none).toEqual({ os: "darwin", arch: "arm64" });
  });

  it("takes threads from JULIA_NUM_THREADS (its default pool; auto is the usable CPUs), else the Slurm task's CPUs", () => {
    const probes = { cpuinfo: () => X86, parallelism: () => 16, platform: "linux", machine: () => "x86_64" };
    expect(detectMachine({ JULIA_NUM_THREADS: "8" }, probes).threads).toBe(8);
    expect(detectMachine({ JULIA_NUM_THREADS: "8,1" }, probes).threads).toBe(8);
    expect(detectMachine({ JULIA_NUM_THREADS: "auto" }, probes).threads).toBe(16);
    expect(detectMachine({ SLURM_CPUS_PER_TASK: "32" }, probes).threads).toBe(32);
    expect(
      detectMachine({ JULIA_NUM_THREADS: "many", SLURM_CPUS_PER_TASK: "x" }, probes).threads,
    ).toBeUndefined();
    expect(juliaThreads(undefined, () => 4)).toBeUndefined();
  });

  it("detects this machine without throwing", () => {
    const here = detectMachine({});
    expect(here.os).toBe(process.platform);
    expect(here.arch).toMatch(/^\w+$/);
  });
});

describe("withFileEnvironment", () => {
  it("fills only what the node did not say, except threads, which a results file records as they ran", () => {
    const hpc = {
      cluster: "lr",
      node: "n0042",
      cpu_model: "AMD EPYC 7763 64-Core Processor",
      threads: 16,
      os: "linux",
    };
    const file = { cpu_model: "other", node: "n9", julia_version: "1.10.10", arch: "x86_64", threads: 4 };
    expect(withFileEnvironment(hpc, file)).toEqual({
      ...hpc,
      julia_version: "1.10.10",
      arch: "x86_64",
      threads: 4,
    });
  });
});
