// The harness's one-node Slurm cluster behaves like a real site's: sbatch --wait returns the job's exit
// code, jobs see the SLURM_* variables our provenance code reads, and squeue reports the time left.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slurmSkipReason, startSlurm, type SlurmCluster } from "./harness/slurm.js";

const skip = slurmSkipReason();

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function sh(cluster: SlurmCluster, command: string, args: string[], cwd: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, ...cluster.env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe.skipIf(skip)("one-node Slurm cluster", () => {
  let cluster: SlurmCluster;
  let work: string;

  beforeAll(async () => {
    cluster = await startSlurm();
    console.log(
      `slurm cluster ${cluster.clusterName} up in ${cluster.startupMs} ms (${cluster.cpus} CPUs, ${cluster.realMemoryMb} MB)`,
    );
    work = mkdtempSync(join(tmpdir(), "hpcci-slurm-test-"));
  });

  afterAll(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("reuses the running cluster within one process", async () => {
    const again = await startSlurm();
    expect(again).toBe(cluster);
    expect(cluster.env.SLURM_CONF).toBe(join(cluster.confDir, "slurm.conf"));
  });

  it("runs a batch job that sees the SLURM_* variables and its time left", async () => {
    const script = join(work, "env.sh");
    writeFileSync(
      script,
      [
        "#!/bin/sh",
        "#SBATCH --job-name=hpcci-env",
        "for v in SLURM_JOB_ID SLURM_CLUSTER_NAME SLURM_JOB_PARTITION SLURM_JOB_NUM_NODES SLURMD_NODENAME; do",
        '  eval "echo $v=\\${$v-UNSET}"',
        "done",
        'echo "TIME_LEFT=$(squeue -h -j "$SLURM_JOB_ID" -o %L)"',
        "",
      ].join("\n"),
    );
    const out = join(work, "env.out");
    const r = await sh(cluster, "sbatch", ["--wait", "--parsable", `--output=${out}`, script], work);
    expect(r.code, r.stderr).toBe(0);
    const jobId = r.stdout.trim().split(";")[0];
    expect(jobId).toMatch(/^\d+$/);

    const vars = Object.fromEntries(
      readFileSync(out, "utf8")
        .trim()
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(vars).toMatchObject({
      SLURM_JOB_ID: jobId,
      SLURM_CLUSTER_NAME: cluster.clusterName,
      SLURM_JOB_PARTITION: cluster.partition,
      SLURM_JOB_NUM_NODES: "1",
      SLURMD_NODENAME: cluster.nodeName,
    });
    // %L is [days-]hours:minutes:seconds or minutes:seconds; the partition's MaxTime caps it.
    const left = vars.TIME_LEFT ?? "";
    const m = /^(?:(\d+):)?(\d+):(\d\d)$/.exec(left);
    expect(m, `time left "${left}"`).not.toBeNull();
    const seconds = Number(m?.[1] ?? 0) * 3600 + Number(m?.[2]) * 60 + Number(m?.[3]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(cluster.maxTimeMinutes * 60);
  });

  it("propagates the job's exit code through sbatch --wait", async () => {
    const script = join(work, "fail.sh");
    writeFileSync(script, "#!/bin/sh\necho failing on purpose\nexit 3\n");
    const r = await sh(cluster, "sbatch", ["--wait", `--output=${join(work, "fail.out")}`, script], work);
    expect(r.code).toBe(3);
    expect(readFileSync(join(work, "fail.out"), "utf8")).toContain("failing on purpose");
  });

  it("stop() ends every daemon and job and removes the temp dir", async () => {
    const script = join(work, "sleep.sh");
    writeFileSync(script, "#!/bin/sh\nsleep 300\n");
    const r = await sh(
      cluster,
      "sbatch",
      ["--parsable", `--output=${join(work, "sleep.out")}`, script],
      work,
    );
    expect(r.code, r.stderr).toBe(0);
    const pids = ["slurmctld.pid", "slurmd.pid"].map((f) =>
      Number(readFileSync(join(cluster.rootDir, f), "utf8")),
    );

    await cluster.stop();
    expect(existsSync(cluster.rootDir)).toBe(false);
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(markedProcesses(cluster.env.SLURM_CONF ?? "")).toEqual([]);

    // A later start in the same process makes a fresh cluster.
    const next = await startSlurm();
    expect(next).not.toBe(cluster);
    cluster = next;
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers signal 0; it is dead for our purposes.
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

function markedProcesses(confPath: string): string[] {
  const marker = `SLURM_CONF=${confPath}\0`;
  const found: string[] = [];
  for (const pid of readdirSafe("/proc")) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker) && alive(Number(pid)))
        found.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
