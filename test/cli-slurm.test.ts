// The CLI on a real one-node Slurm cluster: `submit --wait` writes and submits the job, the job's
// provenance comes from Slurm, and the walltime guard skips benchmarks the job has no time for.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, runCli, showFile } from "./harness/cli.js";
import { slurmSkipReason, startSlurm, type SlurmCluster } from "./harness/slurm.js";

const skip = slurmSkipReason();

describe.skipIf(skip)("hpc-ci submit on a real Slurm cluster", () => {
  let cluster: SlurmCluster;
  beforeAll(async () => {
    cluster = await startSlurm();
  });
  afterAll(() => cluster?.stop());

  it("--print shows the script; --wait runs `run` as a job, records Slurm provenance and skips benchmarks the job has no time for", async () => {
    const p = makeProject();
    writeFileSync(
      join(p.dir, ".hpc-ci.json"),
      JSON.stringify({
        slurm: { partition: cluster.partition, time: "00:05:00", cpus_per_task: 1 },
        benchmarks: { reserve_minutes: 10 },
      }),
    );
    p.git("add", ".hpc-ci.json");
    p.git("commit", "-q", "-m", "hpc-ci settings");
    const commit = p.git("rev-parse", "HEAD");
    const env = { ...cluster.env, HPC_CLUSTER_NAME: "", CODECOV_TOKEN: "cc-never-in-script" };

    const printed = await runCli(["submit", "--print", "--no-codecov"], { cwd: p.dir, env });
    expect(printed.exitCode).toBe(0);
    expect(printed.stdout).toContain(`#SBATCH --partition=${cluster.partition}`);
    expect(printed.stdout).toMatch(/exec .*node.* .*dist\/hpc-ci\/index\.js run --no-codecov/);
    expect(printed.stdout).not.toContain("cc-never-in-script");

    const run = await runCli(["submit", "--wait", "--no-codecov"], { cwd: p.dir, env, timeoutMs: 120_000 });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const jobId = /submitted job (\d+)/.exec(run.stdout)?.[1];
    expect(jobId).toBeDefined();
    const log = readFileSync(join(p.dir, "hpc-ci/logs", `slurm-${jobId}.out`), "utf8");
    expect(log).toMatch(/benchmarks skipped: only \d+m? ?\d*s? ?left.*below the 10m reserve/);
    const published = JSON.parse(showFile(p.origin, `${commit}/hpc-results.json`));
    expect(published.hpc).toMatchObject({
      scheduler: "slurm",
      job_id: jobId,
      cluster: cluster.clusterName,
      partition: cluster.partition,
      nodes: 1,
    });
    expect(published.tests.status).toBe("passed");
    expect(published.benchmarks).toMatchObject({
      status: "skipped",
      reason: expect.stringMatching(/below the 10m reserve/),
    });
  });
});
