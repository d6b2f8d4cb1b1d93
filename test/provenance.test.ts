// Provenance: scheduler detection from the variables each scheduler sets (and a stand-in for its one
// query), the time formats, the walltime guard, runtime versions, and Slurm for real: a job on the
// harness's one-node cluster, read with the real squeue.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDocument } from "../src/contract/validate.js";
import {
  cpusPerNode,
  defaultRunner,
  detectProvenance,
  formatDuration,
  juliaVersion,
  nodeVersion,
  parseJuliaVersion,
  parsePbsTime,
  parseSlurmTime,
  runtimeVersions,
  shouldSkipBenchmarks,
  timeLeftSeconds,
  type CommandRunner,
} from "../src/provenance/index.js";
import { slurmSkipReason, startSlurm, type SlurmCluster } from "./harness/slurm.js";

const NOW = new Date("2026-01-17T12:00:00Z");

/** A stand-in for the scheduler's commands: answers by "command arg..." and records every call. */
function fakeRunner(answers: Record<string, string | Error>): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  const run = async (command: string, args: string[]) => {
    const key = [command, ...args].join(" ");
    calls.push(key);
    const answer = answers[key];
    if (answer === undefined) throw new Error(`${command}: command not found`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return Object.assign(run, { calls });
}

const detect = (env: NodeJS.ProcessEnv, answers: Record<string, string | Error> = {}) => {
  const run = fakeRunner(answers);
  return { run, result: detectProvenance(env, run, { now: NOW, hostname: "login01" }) };
};

describe("time formats", () => {
  it("parses every Slurm time form, unlimited and unusable values", () => {
    const cases: Array<[string | undefined, number | undefined]> = [
      ["45", 45 * 60],
      ["9:59", 9 * 60 + 59],
      ["20:00", 1200],
      ["1:00:00", 3600],
      ["12:34:56", 12 * 3600 + 34 * 60 + 56],
      ["2-12", 2 * 86400 + 12 * 3600],
      ["2-12:30", 2 * 86400 + 12 * 3600 + 30 * 60],
      ["1-00:00:00", 86400],
      ["  30:00 ", 1800],
      ["UNLIMITED", Number.POSITIVE_INFINITY],
      ["INFINITE", Number.POSITIVE_INFINITY],
      ["NOT_SET", undefined],
      ["INVALID", undefined],
      ["N/A", undefined],
      ["", undefined],
      [undefined, undefined],
      ["-5:00", undefined],
      ["1:2:3:4", undefined],
      ["1-2-3", undefined],
      ["99999999999999999999-00:00:00", undefined],
    ];
    for (const [text, seconds] of cases) expect(parseSlurmTime(text), String(text)).toBe(seconds);
  });

  it("parses PBS walltimes", () => {
    expect(parsePbsTime("02:00:00")).toBe(7200);
    expect(parsePbsTime("100:00:00")).toBe(360000);
    expect(parsePbsTime("10:05")).toBe(605);
    expect(parsePbsTime("3600")).toBe(3600);
    expect(parsePbsTime("00:00:01.50")).toBe(1);
    expect(parsePbsTime("1h")).toBeUndefined();
  });

  it("writes durations for people", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(45)).toBe("45s");
    expect(formatDuration(540)).toBe("9m");
    expect(formatDuration(570.9)).toBe("9m30s");
    expect(formatDuration(7200)).toBe("2h");
    expect(formatDuration(5400)).toBe("1h30m");
    expect(formatDuration(3 * 86400 + 4 * 3600 + 59)).toBe("3d4h");
    expect(formatDuration(86400 + 60)).toBe("1d");
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("unlimited");
  });

  it("sums SLURM_JOB_CPUS_PER_NODE", () => {
    expect(cpusPerNode("4(x2),2")).toBe(10);
    expect(cpusPerNode("72")).toBe(72);
    expect(cpusPerNode("36(x3)")).toBe(108);
    expect(cpusPerNode("four")).toBeUndefined();
    expect(cpusPerNode(undefined)).toBeUndefined();
  });
});

describe("detectProvenance", () => {
  const slurmEnv = {
    SLURM_JOB_ID: "4242",
    SLURM_CLUSTER_NAME: "lr",
    SLURMD_NODENAME: "n0042",
    SLURM_JOB_PARTITION: "lr6",
    SLURM_JOB_ACCOUNT: "pc_mycelia",
    SLURM_JOB_NUM_NODES: "2",
    SLURM_NNODES: "2",
    SLURM_CPUS_ON_NODE: "4",
    SLURM_JOB_CPUS_PER_NODE: "4(x2)",
  };

  it("reads a Slurm job and asks squeue for its limit, time left and time used", async () => {
    const { run, result } = detect(slurmEnv, { "squeue -h -j 4242 -o %l|%L|%M": "2:00:00|1:51:00|9:00\n" });
    expect(await result).toEqual({
      scheduler: "slurm",
      job_id: "4242",
      cluster: "lr",
      node: "n0042",
      partition: "lr6",
      account: "pc_mycelia",
      nodes: 2,
      cpus: 8,
      time_limit_seconds: 7200,
      walltime_seconds: 540,
      job_end_time: "2026-01-17T13:51:00.000Z",
    });
    expect(run.calls).toEqual(["squeue -h -j 4242 -o %l|%L|%M"]);
  });

  it("uses SLURM_JOB_START_TIME/END_TIME when Slurm provides them, without asking squeue", async () => {
    const start = NOW.getTime() / 1000 - 600;
    const env = {
      ...slurmEnv,
      SLURM_JOB_START_TIME: String(start),
      SLURM_JOB_END_TIME: String(start + 3600),
    };
    const { run, result } = detect(env);
    expect(await result).toMatchObject({
      time_limit_seconds: 3600,
      walltime_seconds: 600,
      job_end_time: "2026-01-17T12:50:00.000Z",
    });
    expect(run.calls).toEqual([]);
  });

  it("leaves the times out when squeue fails, and the end out when the job is unlimited", async () => {
    const failed = await detect(slurmEnv, { "squeue -h -j 4242 -o %l|%L|%M": new Error("timeout") }).result;
    expect(failed.time_limit_seconds).toBeUndefined();
    expect(failed.job_end_time).toBeUndefined();
    const unlimited = await detect(slurmEnv, {
      "squeue -h -j 4242 -o %l|%L|%M": "UNLIMITED|UNLIMITED|1-02:03:04",
    }).result;
    expect(unlimited).toMatchObject({ walltime_seconds: 93784 });
    expect(unlimited.time_limit_seconds).toBeUndefined();
    expect(unlimited.job_end_time).toBeUndefined();
    const notSet = await detect(slurmEnv, { "squeue -h -j 4242 -o %l|%L|%M": "NOT_SET|NOT_SET|0:05" }).result;
    expect(notSet.job_end_time).toBeUndefined();
  });

  it("lets HPC_CLUSTER_NAME win, and falls back to the host name for the node", async () => {
    const { SLURMD_NODENAME: _, ...env } = slurmEnv;
    const p = await detect({ ...env, HPC_CLUSTER_NAME: "lawrencium" }).result;
    expect(p.cluster).toBe("lawrencium");
    expect(p.node).toBe("login01");
  });

  it("sees a Slurm job under GitLab + Jacamar as slurm with the pipeline", async () => {
    const env = {
      ...slurmEnv,
      CI_JOB_ID: "987654",
      CI_PIPELINE_ID: "12345",
      CI_SERVER_URL: "https://gitlab.example.org",
      CI_RUNNER_DESCRIPTION: "lrc jacamar",
    };
    const p = await detect(env, { "squeue -h -j 4242 -o %l|%L|%M": "30:00|25:00|5:00" }).result;
    expect(p).toMatchObject({ scheduler: "slurm", job_id: "4242", pipeline_id: "12345", cluster: "lr" });
  });

  it("reads a GitLab job outside any batch job", async () => {
    const p = await detect({
      CI_JOB_ID: "987654",
      CI_PIPELINE_ID: "12345",
      CI_RUNNER_DESCRIPTION: "lrc shell",
    }).result;
    expect(p).toEqual({
      scheduler: "gitlab",
      job_id: "987654",
      pipeline_id: "12345",
      cluster: "lrc shell",
      node: "login01",
    });
  });

  it("reads a PBS/Torque job: the node file, and qstat -f for the walltime", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hpcci-pbs-"));
    try {
      const nodefile = join(dir, "nodes");
      writeFileSync(nodefile, "cn01\ncn01\ncn02\ncn02\n");
      const qstat = [
        "Job Id: 7788.pbs01",
        "    Job_Name = hpc-ci",
        "    resources_used.walltime = 00:10:05",
        "    queue = workq",
        "    Resource_List.walltime = 02:00:00",
        "    Resource_List.select = 2:ncpus=2",
      ].join("\n");
      const { run, result } = detect(
        {
          PBS_JOBID: "7788.pbs01",
          PBS_O_QUEUE: "workq",
          PBS_NODEFILE: nodefile,
          PBS_ACCOUNT: "proj1",
          PBS_SERVER: "pbs01",
        },
        { "qstat -f 7788.pbs01": qstat },
      );
      expect(await result).toEqual({
        scheduler: "pbs",
        job_id: "7788.pbs01",
        cluster: "pbs01",
        partition: "workq",
        account: "proj1",
        nodes: 2,
        cpus: 4,
        node: "login01",
        time_limit_seconds: 7200,
        walltime_seconds: 605,
        job_end_time: "2026-01-17T13:49:55.000Z",
      });
      expect(run.calls).toEqual(["qstat -f 7788.pbs01"]);
      const missing = await detect({ PBS_JOBID: "1", PBS_NODEFILE: join(dir, "gone") }).result;
      expect(missing).toEqual({ scheduler: "pbs", job_id: "1", node: "login01" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads an LSF job from LSB_MCPU_HOSTS, or else LSB_HOSTS", async () => {
    const base = { LSB_JOBID: "5150", LSB_QUEUE: "normal", LSB_PROJECT_NAME: "genomics" };
    expect(await detect({ ...base, LSB_MCPU_HOSTS: "hostA 4 hostB 2", LSB_HOSTS: "x" }).result).toEqual({
      scheduler: "lsf",
      job_id: "5150",
      partition: "normal",
      account: "genomics",
      nodes: 2,
      cpus: 6,
      node: "login01",
    });
    expect(await detect({ ...base, LSB_HOSTS: "hostA hostA hostB" }).result).toMatchObject({
      nodes: 2,
      cpus: 3,
    });
  });

  it("reads a Flux job, and a flux batch script that must ask the instance for its id", async () => {
    const job = await detect(
      { FLUX_JOB_ID: "ƒ2X4bcDe", FLUX_JOB_NNODES: "4", FLUX_URI: "local:///tmp/flux" },
      { "flux job timeleft": "540\n" },
    ).result;
    expect(job).toEqual({
      scheduler: "flux",
      job_id: "ƒ2X4bcDe",
      nodes: 4,
      node: "login01",
      job_end_time: "2026-01-17T12:09:00.000Z",
    });
    const { run, result } = detect(
      { FLUX_URI: "local:///tmp/flux" },
      {
        "flux getattr jobid": "ƒ3ETxsR9H\n",
        "flux getattr size": "2\n",
        "flux job timeleft": "4294967295\n",
      },
    );
    const batch = await result;
    expect(batch).toEqual({ scheduler: "flux", job_id: "ƒ3ETxsR9H", nodes: 2, node: "login01" });
    expect(run.calls).toEqual(["flux getattr jobid", "flux getattr size", "flux job timeleft"]);
  });

  it("falls back to local with the host name", async () => {
    const { run, result } = detect({ PATH: "/usr/bin", HPC_CLUSTER_NAME: "laptop" });
    expect(await result).toEqual({ scheduler: "local", node: "login01", cluster: "laptop" });
    expect(run.calls).toEqual([]);
  });

  it("cleans hostile or empty values and gives contract-valid documents", async () => {
    const env = {
      SLURM_JOB_ID: "77",
      SLURM_JOB_ACCOUNT: "(null)",
      SLURM_JOB_PARTITION: "   ",
      SLURM_CLUSTER_NAME: "c".repeat(10_000),
      SLURM_JOB_NUM_NODES: "99999999999999999999",
      SLURM_JOB_CPUS_PER_NODE: "NaN",
      SLURM_CPUS_ON_NODE: "-4",
    };
    const p = await detect(env, { "squeue -h -j 77 -o %l|%L|%M": "garbage" }).result;
    expect(p).toEqual({ scheduler: "slurm", job_id: "77", cluster: "c".repeat(4096), node: "login01" });
    const full = await detect(slurmEnv, { "squeue -h -j 4242 -o %l|%L|%M": "2:00:00|1:51:00|9:00" }).result;
    const commit = "0123456789abcdef0123456789abcdef01234567";
    expect(
      checkDocument("hpc-results", { schema_version: 1, commit, hpc: full }, "hpc-results.json"),
    ).toEqual([]);
    expect(checkDocument("meta", { schema_version: 1, commit, ...full }, "meta.json")).toEqual([]);
  });
});

describe("walltime guard", () => {
  it("measures the time left from the job's end", () => {
    const p = { job_end_time: "2026-01-17T12:09:00.000Z" };
    expect(timeLeftSeconds(p, NOW)).toBe(540);
    expect(timeLeftSeconds(p, NOW.getTime() + 600_000)).toBe(0);
    expect(timeLeftSeconds({}, NOW)).toBeUndefined();
    expect(timeLeftSeconds({ job_end_time: "soon" }, NOW)).toBeUndefined();
  });

  it("skips below the reserve, with a reason, and never when the time is unlimited or unknown", () => {
    expect(
      shouldSkipBenchmarks({ timeLeftSeconds: 540, reserveSeconds: 900, timeLimitSeconds: 7200 }),
    ).toEqual({
      skip: true,
      reason: "only 9m left of the job's 2h limit, below the 15m reserve",
    });
    expect(shouldSkipBenchmarks({ timeLeftSeconds: 0, reserveSeconds: 60 })).toEqual({
      skip: true,
      reason: "only 0s left, below the 1m reserve",
    });
    expect(shouldSkipBenchmarks({ timeLeftSeconds: 900, reserveSeconds: 900 })).toEqual({ skip: false });
    expect(shouldSkipBenchmarks({ timeLeftSeconds: undefined, reserveSeconds: 900 })).toEqual({
      skip: false,
    });
    expect(shouldSkipBenchmarks({ timeLeftSeconds: Number.POSITIVE_INFINITY, reserveSeconds: 900 })).toEqual({
      skip: false,
    });
    expect(() => shouldSkipBenchmarks({ timeLeftSeconds: 1, reserveSeconds: -1 })).toThrow(RangeError);
  });
});

describe("runtime versions", () => {
  it("reads julia --version", async () => {
    expect(parseJuliaVersion("julia version 1.10.10\n")).toBe("1.10.10");
    expect(parseJuliaVersion("julia version 1.12.0-rc1")).toBe("1.12.0-rc1");
    expect(parseJuliaVersion("julia version 1.11.0-DEV.1234")).toBe("1.11.0-DEV.1234");
    expect(parseJuliaVersion("bash: julia: command not found")).toBeUndefined();
    expect(await juliaVersion(fakeRunner({ "julia --version": "julia version 1.6.7\n" }))).toBe("1.6.7");
    expect(await juliaVersion(fakeRunner({}))).toBeUndefined();
  });

  it("runs a real julia executable (the stand-in) and reports node's version", async () => {
    const julia = join(import.meta.dirname, "fixtures", "bin", "julia");
    expect(await juliaVersion(defaultRunner, julia)).toBe(process.env.JULIA_STUB_VERSION || "1.10.10");
    expect(await runtimeVersions(defaultRunner, julia)).toEqual({
      node: process.versions.node,
      julia: process.env.JULIA_STUB_VERSION || "1.10.10",
    });
    expect(await runtimeVersions(defaultRunner, join(import.meta.dirname, "no-such-julia"))).toEqual({
      node: nodeVersion(),
    });
  });
});

const skip = slurmSkipReason();

describe.skipIf(skip)("detectProvenance in a real Slurm job", () => {
  let cluster: SlurmCluster;
  let work: string;

  beforeAll(async () => {
    cluster = await startSlurm();
    work = mkdtempSync(join(tmpdir(), "hpcci-provenance-"));
  });

  afterAll(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("reads the job's variables and squeue's limit and time left", async () => {
    const env = { ...process.env, ...cluster.env };
    const envFile = join(work, "job.env");
    const script = join(work, "job.sh");
    // The job writes its environment and stays running while we look at it from outside.
    writeFileSync(
      script,
      `#!/bin/sh\nenv -0 > "${envFile}.tmp" && mv "${envFile}.tmp" "${envFile}"\nsleep 120\n`,
    );
    const jobId = execFileSync(
      "sbatch",
      ["--parsable", "--time=20", `--output=${join(work, "job.out")}`, script],
      {
        env,
        cwd: work,
        timeout: 30_000,
      },
    )
      .toString()
      .trim()
      .split(";")[0] as string;
    try {
      const deadline = Date.now() + 60_000;
      while (!existsSync(envFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(existsSync(envFile), cluster.logTail()).toBe(true);
      const jobEnv = Object.fromEntries(
        readFileSync(envFile, "utf8")
          .split("\0")
          .filter((l) => l.includes("="))
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      );
      const run: CommandRunner = (command, args) =>
        new Promise((resolve, reject) =>
          execFile(command, args, { env, timeout: 15_000 }, (error, stdout) =>
            error ? reject(error) : resolve(stdout),
          ),
        );
      const now = new Date();
      const p = await detectProvenance(jobEnv, run, { now });
      expect(p).toMatchObject({
        scheduler: "slurm",
        job_id: jobId,
        cluster: cluster.clusterName,
        node: cluster.nodeName,
        partition: cluster.partition,
        nodes: 1,
        time_limit_seconds: 20 * 60,
      });
      expect(p.cpus).toBeGreaterThanOrEqual(1);
      expect(p.walltime_seconds).toBeGreaterThanOrEqual(0);
      expect(p.walltime_seconds).toBeLessThan(120);
      const left = timeLeftSeconds(p, now) as number;
      expect(left).toBeGreaterThan(20 * 60 - 120);
      expect(left).toBeLessThanOrEqual(20 * 60);
      expect(
        shouldSkipBenchmarks({
          timeLeftSeconds: left,
          reserveSeconds: 25 * 60,
          timeLimitSeconds: p.time_limit_seconds,
        }),
      ).toEqual({
        skip: true,
        reason: expect.stringMatching(
          /^only (?:20m|1\dm(?:\d+s)?) left of the job's 20m limit, below the 25m reserve$/,
        ),
      });
      expect(shouldSkipBenchmarks({ timeLeftSeconds: left, reserveSeconds: 15 * 60 }).skip).toBe(false);
    } finally {
      execFileSync("scancel", [jobId], { env, timeout: 15_000 });
    }
  });
});
