// `hpc-ci submit`'s batch script: safe text, and real submissions to the harness's one-node cluster.
import { execFile, execFileSync } from "node:child_process";
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  chmodSync,
  mkdirSync,
  copyFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchScriptError, renderBatchScript, shellQuote, submitBatch } from "../src/slurm/index.js";
import { REPO_ROOT } from "./harness/run-action.js";
import { slurmSkipReason, startSlurm, type SlurmCluster } from "./harness/slurm.js";

const base = {
  cliPath: "/opt/hpc ci/index.js",
  cliArgs: ["run", "--tests-only"],
  workdir: "/home/u/My Repo",
  env: {},
};

describe("renderBatchScript", () => {
  it("writes #SBATCH lines, setup, exports and an exec of the CLI", () => {
    const script = renderBatchScript({
      ...base,
      nodePath: "/usr/bin/node",
      slurm: {
        partition: "debug",
        account: "m1",
        time: "00:10:00",
        cpus_per_task: 4,
        extra: ["--exclusive", "--mail-type=END"],
        setup: ["module load julia"],
      },
      env: { HPC_CI_BRANCH: "feature/x y", HPC_RESULTS_BRANCH: "hpc-results" },
    });
    expect(script.split("\n")[0]).toBe("#!/bin/bash");
    expect(script).toContain("#SBATCH --partition=debug\n#SBATCH --account=m1\n#SBATCH --time=00:10:00");
    expect(script).toContain("#SBATCH --cpus-per-task=4");
    expect(script).toContain("#SBATCH --exclusive\n#SBATCH --mail-type=END");
    expect(script).toContain("#SBATCH --job-name=hpc-ci");
    expect(script).toContain("module load julia\ncd '/home/u/My Repo'");
    expect(script).toContain("export HPC_CI_BRANCH='feature/x y'");
    expect(script.trimEnd().split("\n").at(-1)).toBe(
      "exec /usr/bin/node '/opt/hpc ci/index.js' run --tests-only",
    );
    execFileSync("bash", ["-n"], { input: script });
  });

  it("quotes hostile values so they stay data", () => {
    const hostile = `$(touch /tmp/pwned) \`id\` "x" 'y' ; rm -rf /`;
    const script = renderBatchScript({ ...base, slurm: {}, env: { HPC_CI_BRANCH: hostile } });
    const out = execFileSync(
      "bash",
      [
        "-c",
        `${script.split("\n").find((l) => l.startsWith("export HPC_CI_BRANCH"))}; printf %s "$HPC_CI_BRANCH"`,
      ],
      { encoding: "utf8" },
    );
    expect(out).toBe(hostile);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it("refuses #SBATCH values that would end or forge a directive", () => {
    expect(() =>
      renderBatchScript({ ...base, slurm: { partition: "debug\n#SBATCH --uid=0" }, env: {} }),
    ).toThrow(BatchScriptError);
    expect(() => renderBatchScript({ ...base, slurm: { account: "a b" }, env: {} })).toThrow(
      /may not contain spaces/,
    );
    expect(() => renderBatchScript({ ...base, slurm: { extra: ["exclusive"] }, env: {} })).toThrow(/--name/);
  });

  it("never writes a token or a URL with credentials", () => {
    const script = renderBatchScript({
      ...base,
      slurm: {},
      env: {
        CODECOV_TOKEN: "cc-123",
        GITHUB_TOKEN: "gh-456",
        HPC_RESULTS_REPO_URL: "https://x-access-token:gh-789@github.com/o/r.git",
        HPC_CI_COMMIT: "a".repeat(40),
      },
    });
    expect(script).not.toMatch(/cc-123|gh-456|gh-789/);
    expect(script).toContain(`export HPC_CI_COMMIT=${"a".repeat(40)}`);
  });
});

const skip = slurmSkipReason();

describe.skipIf(skip)("submitting to a real one-node Slurm cluster", () => {
  let cluster: SlurmCluster;
  let work: string;
  let fakeCli: string;

  beforeAll(async () => {
    cluster = await startSlurm();
    work = mkdtempSync(join(tmpdir(), "submit-"));
    fakeCli = join(work, "fake-cli.mjs");
    writeFileSync(
      fakeCli,
      [
        `console.log("args=" + JSON.stringify(process.argv.slice(2)));`,
        `for (const k of ["HPC_CI_BRANCH", "CODECOV_TOKEN", "SLURM_JOB_ID"]) console.log(k + "=" + (process.env[k] ?? "(unset)"));`,
        `process.exit(Number(process.env.FAKE_EXIT ?? 0));`,
      ].join("\n"),
    );
  });
  afterAll(() => cluster?.stop());

  function submit(env: Record<string, string>, wait = true) {
    const script = renderBatchScript({
      cliPath: fakeCli,
      cliArgs: ["run", "--tests-only"],
      workdir: work,
      nodePath: process.execPath,
      slurm: { time: "00:05:00", partition: cluster.partition },
      env: { HPC_CI_BRANCH: "feature/x" },
    });
    return submitBatch(script, {
      wait,
      env: { ...process.env, ...cluster.env, ...env },
      cwd: work,
      scriptPath: join(work, "hpc-ci.sbatch"),
      outputDir: join(work, "hpc-ci/logs"),
    });
  }

  it("runs the CLI with its flags and the knobs, hands CODECOV_TOKEN over by --export=ALL only, exit 0", async () => {
    const done = await submit({ CODECOV_TOKEN: "cc-secret-42", FAKE_EXIT: "0" });
    expect(done.exitCode).toBe(0);
    const out = readFileSync(join(work, "hpc-ci/logs", `slurm-${done.jobId}.out`), "utf8");
    expect(out).toContain(`args=["run","--tests-only"]`);
    expect(out).toContain("HPC_CI_BRANCH=feature/x");
    expect(out).toContain("CODECOV_TOKEN=cc-secret-42");
    expect(out).toContain(`SLURM_JOB_ID=${done.jobId}`);
    expect(readFileSync(join(work, "hpc-ci.sbatch"), "utf8")).not.toContain("cc-secret-42");
  });

  it("returns the job's exit code with --wait", async () => {
    const failed = await submit({ FAKE_EXIT: "1" });
    expect(failed.exitCode).toBe(1);
    const infra = await submit({ FAKE_EXIT: "3" });
    expect(infra.exitCode).toBe(3);
  });

  it("the standalone template runs under sbatch and passes HPC_CI_ARGS", async () => {
    const template = join(work, "template.sbatch");
    copyFileSync(join(REPO_ROOT, "templates/slurm/hpc-ci.sbatch"), template);
    chmodSync(template, 0o755);
    execFileSync("bash", ["-n", template]);
    mkdirSync(join(work, "hpc-ci/logs"), { recursive: true });
    const env = {
      ...process.env,
      ...cluster.env,
      HPC_CI_CLI: fakeCli,
      HPC_CI_ARGS: "--benchmarks-only --no-codecov",
      FAKE_EXIT: "0",
      PATH: `${join(process.execPath, "..")}:${process.env.PATH}`,
    };
    const jobId = await new Promise<string>((resolve, reject) =>
      execFile(
        "sbatch",
        [
          "--parsable",
          "--wait",
          `--partition=${cluster.partition}`,
          "--time=00:05:00",
          "--cpus-per-task=1",
          template,
        ],
        { cwd: work, env },
        (error, stdout) => (error ? reject(error) : resolve(stdout.trim().split(";")[0]!)),
      ),
    );
    const out = readFileSync(join(work, "hpc-ci/logs", `slurm-${jobId}.out`), "utf8");
    expect(out).toContain(`args=["run","--benchmarks-only","--no-codecov"]`);
    expect(readdirSync(join(work, "hpc-ci/logs")).length).toBeGreaterThan(0);
  });
});
