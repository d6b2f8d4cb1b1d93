// `hpc-ci submit`'s batch script and its submission: the script's text is safe for any value (checked
// by running it with bash, and by reading its directives the way sbatch does), and real submissions to
// the harness's one-node cluster carry exit codes, knobs and credentials the way the design says.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BatchScriptError,
  type BatchScriptOptions,
  isCredential,
  jobEnvironment,
  optionValue,
  outputFolders,
  parseJobEnd,
  parseParsable,
  readDirectives,
  renderBatchScript,
  shellQuote,
  submitBatch,
  SubmitError,
} from "../src/slurm/index.js";
import { REPO_ROOT } from "./harness/run-action.js";
import { slurmSkipReason, startSlurm, type SlurmCluster } from "./harness/slurm.js";
import { missingCommands } from "./harness/system.js";

const TEMPLATE = join(REPO_ROOT, "templates/slurm/hpc-ci.sbatch");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const scratch = mkdtempSync(join(tmpdir(), "hpcci-submit-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A stand-in for the CLI: prints its arguments, a few knobs, and a hash of CODECOV_TOKEN (never the
 * token: the test looks for it in every output), then exits with FAKE_EXIT, or kills itself.
 */
const fakeCli = join(scratch, "fake-cli.mjs");
writeFileSync(
  fakeCli,
  `import { createHash } from "node:crypto";
const env = process.env;
console.log("args=" + JSON.stringify(process.argv.slice(2)));
console.log("cwd=" + process.cwd());
for (const k of ["HPC_CI_BRANCH", "HPC_CI_WEIRD", "HPC_RESULTS_BRANCH", "SLURM_JOB_ID", "CODECOV_TOKEN_FILE"]) console.log(k + "=" + (env[k] ?? "(unset)"));
console.log("token-sha256=" + (env.CODECOV_TOKEN ? createHash("sha256").update(env.CODECOV_TOKEN).digest("hex") : "(unset)"));
if (env.FAKE_EXIT === "kill") process.kill(process.pid, "SIGKILL");
process.exit(Number(env.FAKE_EXIT ?? 0));
`,
);

function options(overrides: Partial<BatchScriptOptions> = {}): BatchScriptOptions {
  return {
    slurm: {},
    cliPath: fakeCli,
    cliArgs: ["run", "--tests-only"],
    workdir: scratch,
    nodePath: process.execPath,
    env: {},
    ...overrides,
  };
}

/** Runs a script with bash here (no Slurm), with the environment given and nothing else. */
function bash(script: string, env: Record<string, string> = {}) {
  const file = join(mkdtempSync(join(scratch, "bash-")), "job.sh");
  writeFileSync(file, script);
  const r = spawnSync("bash", [file], { env: { PATH: process.env.PATH!, ...env }, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("shellQuote", () => {
  it("gives bash back every string exactly, whatever it holds", () => {
    const values = [
      "",
      "plain/path-1.0",
      "it's",
      "$(touch pwned) `touch pwned2` ${HOME} $HOME",
      `"double" 'single' \\back\\slash`,
      "line1\nline2\r\n\ttab",
      "; rm -rf / & | > < * ? [a] ~ ! # %",
      "ünïcödé ✓",
      // every printable ASCII character and every control character bash can hold
      Array.from({ length: 127 }, (_, i) => String.fromCharCode(i + 1)).join(""),
    ];
    const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join("\n");
    const out = execFileSync("bash", ["-c", script], { cwd: scratch, encoding: "utf8" });
    expect(out.split("\0").slice(0, -1)).toEqual(values);
    expect(existsSync(join(scratch, "pwned"))).toBe(false);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("a/b-c_1.0")).toBe("a/b-c_1.0");
    expect(() => shellQuote("a\0b")).toThrow(/NUL/);
  });
});

describe("renderBatchScript", () => {
  it("writes #SBATCH lines for every setting, setup, exports and an exec of the CLI", () => {
    const script = renderBatchScript(
      options({
        cliPath: "/opt/hpc ci/index.js",
        workdir: "/home/u/My Repo",
        nodePath: "/usr/bin/node",
        slurm: {
          partition: "debug",
          account: "m1",
          qos: "normal",
          time: "1-00:10:00",
          nodes: 1,
          ntasks: 2,
          cpus_per_task: 4,
          mem: "16G",
          gres: "gpu:a100:1",
          constraint: "cpu&intel",
          extra: ["--exclusive", "--mail-type=END"],
          setup: ["module load julia/1.10"],
        },
        env: { HPC_CI_BRANCH: "feature/x y", HPC_RESULTS_BRANCH: "hpc-results" },
      }),
    );
    const lines = script.split("\n");
    expect(lines[0]).toBe("#!/bin/bash");
    expect(readDirectives(script)).toEqual([
      "--job-name=hpc-ci",
      "--partition=debug",
      "--account=m1",
      "--qos=normal",
      "--time=1-00:10:00",
      "--mem=16G",
      "--gres=gpu:a100:1",
      "--constraint=cpu&intel",
      "--output=hpc-ci/logs/slurm-%j.out",
      "--nodes=1",
      "--ntasks=2",
      "--cpus-per-task=4",
      "--chdir=/home/u/My Repo",
      "--exclusive",
      "--mail-type=END",
    ]);
    const body = lines.slice(lines.indexOf("set -euo pipefail"));
    expect(body.indexOf("module load julia/1.10")).toBeGreaterThan(0);
    expect(body.findIndex((l) => l.startsWith("cd -- '/home/u/My Repo' ||"))).toBeGreaterThan(
      body.indexOf("module load julia/1.10"),
    );
    expect(body).toContain("export HPC_CI_BRANCH='feature/x y'");
    expect(body).toContain("export HPC_RESULTS_BRANCH=hpc-results");
    expect(lines.at(-2)).toBe("exec /usr/bin/node '/opt/hpc ci/index.js' run --tests-only");
    expect(script).toMatch(/--export=ALL/); // the comment that says where credentials come from
    execFileSync("bash", ["-n"], { input: script });
  });

  it("runs in bash with hostile values kept as data: workdir, knobs, CLI arguments", () => {
    const workdir = join(scratch, `dir $(touch pwned) 'q' "d" #x`);
    mkdirSync(workdir);
    const hostile = `$(touch pwned) \`touch pwned\` "x" 'y' ; rm -rf / \n second line`;
    const script = renderBatchScript(
      options({
        workdir,
        cliArgs: ["run", "--tests-only", hostile],
        env: { HPC_CI_BRANCH: hostile, HPC_CI_WEIRD: "", HPC_RESULTS_BRANCH: "it's" },
        slurm: { setup: ['echo "setup ran in $PWD"'] },
      }),
    );
    const r = bash(script, { FAKE_EXIT: "0" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`args=${JSON.stringify(["run", "--tests-only", hostile])}`);
    expect(r.stdout).toContain(`cwd=${workdir}`);
    expect(r.stdout).toContain(`HPC_CI_BRANCH=${hostile}`);
    expect(r.stdout).toContain("HPC_CI_WEIRD=\n");
    expect(r.stdout).toContain("HPC_RESULTS_BRANCH=it's");
    expect(readdirSync(workdir)).toEqual([]);
    expect(existsSync(join(scratch, "pwned"))).toBe(false);
  });

  it("quotes #SBATCH values so that sbatch reads them back exactly", () => {
    const name = `my "job" #1 \\ 'x'`;
    const script = renderBatchScript(
      options({
        workdir: "/work/a b#c",
        slurm: {
          job_name: name,
          output: "my logs/%x-%j.out",
          extra: ["--comment=two words # not a comment"],
        },
      }),
    );
    const words = readDirectives(script);
    expect(optionValue(words, "job-name", "J")).toBe(name);
    expect(optionValue(words, "output", "o")).toBe("my logs/%x-%j.out");
    expect(optionValue(words, "chdir", "D")).toBe("/work/a b#c");
    expect(optionValue(words, "comment")).toBe("two words # not a comment");
    expect(script).toContain(`#SBATCH --job-name="my \\"job\\" #1 \\\\ 'x'"`);
  });

  it("refuses #SBATCH values that would end the line, forge a directive or split the job", () => {
    const bad: Array<[BatchScriptOptions["slurm"], RegExp]> = [
      [{ partition: "debug\n#SBATCH --uid=0" }, /partition must be one line/],
      [{ account: "a\rb" }, /account must be one line/],
      [{ job_name: "my-hetjob" }, /hetjob/],
      [{ constraint: "PACKJOB" }, /packjob/],
      [{ qos: "" }, /qos is empty/],
      [{ nodes: 0 }, /nodes must be a whole number/],
      [{ cpus_per_task: 1.5 }, /cpus_per_task must be a whole number/],
      [{ extra: ["exclusive"] }, /--name or --name=value/],
      [{ extra: ["--mail-user=a\n#SBATCH --uid=0"] }, /extra --mail-user must be one line/],
      [{ extra: ["--chdir=/tmp"] }, /--chdir is not allowed/],
      [{ extra: ["--export=NONE"] }, /--export is not allowed.*the submitting environment/],
      [{ setup: ["module load a\nmodule load b"] }, /setup lines must be one line each/],
    ];
    for (const [slurm, message] of bad) {
      expect(() => renderBatchScript(options({ slurm })), JSON.stringify(slurm)).toThrow(BatchScriptError);
      expect(() => renderBatchScript(options({ slurm }))).toThrow(message);
    }
    expect(() => renderBatchScript(options({ workdir: "relative/dir" }))).toThrow(
      /workdir must be an absolute/,
    );
    expect(() => renderBatchScript(options({ env: { "A-B": "1" } }))).toThrow(/not a variable name/);
    expect(
      readDirectives(renderBatchScript(options({ slurm: { extra: ["--export=ALL,FOO=1"] } }))),
    ).toContain("--export=ALL,FOO=1");
  });

  it("never writes a token or a URL with credentials, and names what it left out", () => {
    const secrets = {
      CODECOV_TOKEN: "cc-123456",
      HPC_RESULTS_TOKEN: "rt-123456",
      GITHUB_TOKEN: "gh-123456",
      HPC_CI_SECRET: "s-123456",
      DB_PASSWORD: "pw-123456",
      HPC_RESULTS_REPO_URL: "https://x-access-token:gh-789123@github.com/o/r.git",
      HPC_CI_MIRROR: "https://ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/o/r.git",
      HPC_CI_UPLOAD: "https://bucket.example/x?X-Amz-Signature=sig-456789",
      HPC_CI_NOTE: "see github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
    };
    const script = renderBatchScript(
      options({
        env: { ...secrets, HPC_CI_COMMIT: "a".repeat(40), HPC_RESULTS_BRANCH: "hpc-results" },
      }),
    );
    for (const value of Object.values(secrets)) expect(script).not.toContain(value);
    for (const fragment of ["123456", "789123", "456789", "ghp_", "github_pat_"])
      expect(script).not.toContain(fragment);
    expect(script).toContain(`export HPC_CI_COMMIT=${"a".repeat(40)}`);
    expect(script).toContain(`# Left out for that reason: ${Object.keys(secrets).sort().join(", ")}.`);
  });

  it("gives the job (sbatch's environment) no credential: tokens out, token files only when asked, URLs without their password", () => {
    const env = {
      PATH: "/usr/bin",
      HPC_CI_BRANCH: "main",
      HPC_RESULTS_TOKEN: "rt-123456",
      CODECOV_TOKEN: "cc-123456",
      GH_TOKEN: "gh-123456",
      HPC_CI_NOTE: "ghp_abcdefghijklmnopqrstuvwxyz0123",
      HPC_RESULTS_TOKEN_FILE: "/home/me/.hpc-results-token",
      CODECOV_TOKEN_FILE: "/home/me/.codecov-token",
      HPC_RESULTS_REPO_URL: "https://x-access-token:gh-789123@github.com/o/r.git",
    };
    const bare = {
      PATH: "/usr/bin",
      HPC_CI_BRANCH: "main",
      HPC_RESULTS_REPO_URL: "https://github.com/o/r.git",
    };
    expect(jobEnvironment(env, false)).toEqual(bare);
    expect(jobEnvironment(env, true)).toEqual({
      ...bare,
      HPC_RESULTS_TOKEN_FILE: "/home/me/.hpc-results-token",
      CODECOV_TOKEN_FILE: "/home/me/.codecov-token",
    });
    expect(jobEnvironment({ HPC_RESULTS_REPO_URL: "git@github.com:o/r.git" }, false)).toEqual({
      HPC_RESULTS_REPO_URL: "git@github.com:o/r.git",
    });
  });

  it("tells credentials from ordinary knobs", () => {
    expect(isCredential("HPC_RESULTS_REPO_URL", "ssh://git@github.com/o/r.git")).toBe(false);
    expect(isCredential("HPC_RESULTS_REPO_URL", "git@github.com:o/r.git")).toBe(false);
    expect(isCredential("HPC_RESULTS_REPO_URL", "https://github.com/o/r.git")).toBe(false);
    expect(isCredential("HPC_RESULTS_REPO_URL", "/srv/git/results.git")).toBe(false);
    expect(isCredential("HPC_RESULTS_REPO_URL", "https://oauth2:abc@gitlab.example/o/r.git")).toBe(true);
    expect(isCredential("HPC_RESULTS_REPO_URL", "https://abc@github.com/o/r.git")).toBe(true);
    expect(isCredential("HPC_RESULTS_REPO_URL", "ssh://git:pw@host/r.git")).toBe(true);
    expect(isCredential("HPC_CI_URL", "https://h/x?access_token=abc")).toBe(true);
    expect(isCredential("HPC_CI_URL", "https://h/x?page=2")).toBe(false);
    expect(isCredential("codecov_token", "x")).toBe(true);
    expect(isCredential("HPC_CI_BRANCH", "main")).toBe(false);
  });

  it("ends with exit 2, not 1, when a setup line fails; setup may read unset variables", () => {
    const ok = bash(renderBatchScript(options({ slurm: { setup: ['echo "[$SURELY_UNSET_VARIABLE]"'] } })));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("[]");
    const failing = bash(
      renderBatchScript(
        options({ slurm: { setup: ["site_module() { false; true; }", "site_module load x"] } }),
      ),
    );
    expect(failing.code).toBe(2);
    expect(failing.stderr).toMatch(/slurm\.setup line failed \(exit 1\): false/);
    expect(failing.stdout).not.toContain("args=");
  });

  it("ends with exit 2 and says why when node or the CLI is missing in the job", () => {
    const noNode = bash(renderBatchScript(options({ nodePath: join(scratch, "no-such-node") })));
    expect(noNode.code).toBe(2);
    expect(noNode.stderr).toMatch(/node not found in the job: .*no-such-node/);
    const noCli = bash(renderBatchScript(options({ cliPath: join(scratch, "gone.js") })));
    expect(noCli.code).toBe(2);
    expect(noCli.stderr).toMatch(/CLI file is not readable in the job: .*gone\.js/);
    const noDir = bash(renderBatchScript(options({ workdir: join(scratch, "no-such-dir") })));
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/cannot enter .*no-such-dir; is it on a filesystem the compute nodes share/);
  });
});

describe("reading sbatch's answers", () => {
  it("parses --parsable output, with and without a cluster", () => {
    expect(parseParsable("1234\n")).toEqual({ jobId: "1234" });
    expect(parseParsable("1234;lr6\n")).toEqual({ jobId: "1234", cluster: "lr6" });
    expect(parseParsable("site notice: be nice\n77\n")).toEqual({ jobId: "77" });
    expect(parseParsable("")).toBeUndefined();
  });

  it("parses scontrol's record of a finished job", () => {
    expect(
      parseJobEnd(
        "JobId=5 JobName=x UserId=root(0) JobState=FAILED Reason=NonZeroExitCode ExitCode=7:0 Other=1",
      ),
    ).toEqual({ state: "FAILED", reason: "NonZeroExitCode", exitStatus: 7, signal: 0 });
    expect(parseJobEnd("JobId=6 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15")).toEqual({
      state: "TIMEOUT",
      reason: "TimeLimit",
      exitStatus: 0,
      signal: 15,
    });
    expect(parseJobEnd("JobId=6 JobState=COMPLETED Reason=None ExitCode=0:0")).toEqual({
      state: "COMPLETED",
      exitStatus: 0,
      signal: 0,
    });
    expect(parseJobEnd("garbage")).toBeUndefined();
  });

  it("finds the folders of the output files the way Slurm resolves them", () => {
    const script = renderBatchScript(
      options({
        workdir: "/w/repo",
        slurm: { output: "a b/out-%j.txt", extra: ["--error=/abs/err/%x.err"] },
      }),
    );
    expect(outputFolders(script, "/elsewhere")).toEqual(["/w/repo/a b", "/abs/err"]);
    expect(outputFolders("#!/bin/bash\n#SBATCH -o logs/x.out\n#SBATCH -e %u/x.err\n", "/c")).toEqual([
      "/c/logs",
    ]);
    expect(outputFolders("#!/bin/bash\necho\n#SBATCH -o late/x.out\n", "/c")).toEqual([]);
  });

  it("says plainly when sbatch is not there", async () => {
    const dir = mkdtempSync(join(scratch, "nosbatch-"));
    await expect(
      submitBatch(renderBatchScript(options()), {
        wait: false,
        env: { PATH: dir },
        cwd: dir,
        scriptPath: join(dir, "job.sbatch"),
      }),
    ).rejects.toThrow(new SubmitError("sbatch not found: is this a Slurm login node?"));
    expect(statSync(join(dir, "job.sbatch")).mode & 0o777).toBe(0o700);
  });
});

describe("templates/slurm/hpc-ci.sbatch", () => {
  it("is valid bash", () => {
    execFileSync("bash", ["-n", TEMPLATE]);
  });

  it.skipIf(missingCommands("shellcheck"))("passes shellcheck", () => {
    execFileSync("shellcheck", [TEMPLATE]);
  });
});

const skip = slurmSkipReason();

describe.skipIf(skip)("submitting to a real one-node Slurm cluster", () => {
  let cluster: SlurmCluster;
  const token = `cc-${sha256(String(Math.random())).slice(0, 32)}`;

  beforeAll(async () => {
    cluster = await startSlurm();
  });
  afterAll(() => cluster?.stop());

  /** Every file under the folders, as text (the job outputs, Slurm's logs, the scripts). */
  function allText(...dirs: string[]): string {
    return dirs
      .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => join(dir, f)))
      .filter((f) => statSync(f).isFile())
      .map((f) => readFileSync(f, "latin1"))
      .join("\n");
  }

  async function submit(
    name: string,
    slurm: BatchScriptOptions["slurm"],
    env: Record<string, string>,
    wait = true,
  ) {
    const workdir = mkdtempSync(join(scratch, `${name} `));
    const script = renderBatchScript(
      options({
        workdir,
        slurm: { time: "00:05:00", partition: cluster.partition, cpus_per_task: 1, ...slurm },
        env: { HPC_CI_BRANCH: "feature/x y", HPC_CI_WEIRD: `$(echo no) 'q'`, CODECOV_TOKEN: token },
      }),
    );
    const submitted = await submitBatch(script, {
      wait,
      env: { ...process.env, ...cluster.env, ...env },
      cwd: scratch, // not the workdir: the script's --chdir decides where relative paths go
      scriptPath: join(workdir, "hpc-ci/hpc-ci.sbatch"),
    });
    return { ...submitted, workdir };
  }

  it("runs the CLI with its flags and the knobs, output where configured, never CODECOV_TOKEN", async () => {
    const done = await submit(
      "ok",
      { output: "custom logs/run-%j.txt", job_name: `ci "run" #1` },
      // A site that turns exports off must not keep the knobs from the job; the token never reaches it.
      { CODECOV_TOKEN: token, FAKE_EXIT: "0", SBATCH_EXPORT: "NONE", HPC_RESULTS_BRANCH: "from-env" },
    );
    expect(done).toMatchObject({ exitCode: 0, state: "COMPLETED" });
    expect(done.problem).toBeUndefined();
    const out = readFileSync(join(done.workdir, "custom logs", `run-${done.jobId}.txt`), "utf8");
    expect(out).toContain(`args=["run","--tests-only"]`);
    expect(out).toContain(`cwd=${done.workdir}`);
    expect(out).toContain("HPC_CI_BRANCH=feature/x y\n");
    expect(out).toContain(`HPC_CI_WEIRD=$(echo no) 'q'\n`);
    expect(out).toContain(`SLURM_JOB_ID=${done.jobId}`);
    expect(out).toContain("HPC_RESULTS_BRANCH=from-env\n");
    expect(out).toContain("token-sha256=(unset)");
    const show = execFileSync("scontrol", ["show", "job", "-o", done.jobId], {
      env: { ...process.env, ...cluster.env },
      encoding: "utf8",
    });
    expect(show).toContain(`JobName=ci "run" #1 `);

    const script = readFileSync(join(done.workdir, "hpc-ci/hpc-ci.sbatch"), "utf8");
    expect(statSync(join(done.workdir, "hpc-ci/hpc-ci.sbatch")).mode & 0o777).toBe(0o700);
    expect(script).toContain("# Left out for that reason: CODECOV_TOKEN.");
    expect(allText(done.workdir, cluster.logDir) + done.stdout + done.stderr).not.toContain(token);
  });

  it("returns the CLI's exit code with --wait, and 3 when Slurm ended the job", async () => {
    const [failed, infra, killed] = await Promise.all([
      submit("fail", {}, { FAKE_EXIT: "1" }),
      submit("infra", {}, { FAKE_EXIT: "3" }),
      submit("kill", {}, { FAKE_EXIT: "kill" }),
    ]);
    expect(failed).toMatchObject({ exitCode: 1, state: "FAILED" });
    expect(infra).toMatchObject({ exitCode: 3, state: "FAILED" });
    expect(killed).toMatchObject({ exitCode: 3, state: "FAILED" });
    expect(killed.problem).toMatch(
      new RegExp(`job ${killed.jobId} was ended by Slurm: FAILED \\(.*signal 9\\)`),
    );
    const log = readFileSync(join(failed.workdir, "hpc-ci/logs", `slurm-${failed.jobId}.out`), "utf8");
    expect(log).toContain(`args=["run","--tests-only"]`);
  });

  it("returns at once without --wait", async () => {
    const queued = await submit("nowait", {}, { FAKE_EXIT: "0" }, false);
    expect(queued.jobId).toMatch(/^\d+$/);
    expect(queued.exitCode).toBeUndefined();
  });

  it("passes on sbatch's reason when it refuses the job", async () => {
    await expect(submit("refused", { partition: "no-such-partition" }, {})).rejects.toThrow(
      /^sbatch refused the job: .*invalid partition/i,
    );
  });

  describe("the standalone template", () => {
    /** Submits a copy of the template from a fresh folder with sbatch --wait, as a user would. */
    async function sbatchTemplate(env: Record<string, string>, prepare?: (work: string) => void) {
      const work = mkdtempSync(join(scratch, "template-"));
      const template = join(work, "hpc-ci.sbatch");
      copyFileSync(TEMPLATE, template);
      mkdirSync(join(work, "hpc-ci/logs"), { recursive: true });
      prepare?.(work);
      // The template's resources are a real site's; the test cluster is smaller.
      const args = ["--parsable", "--wait", `--partition=${cluster.partition}`, "--time=00:05:00"];
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          "sbatch",
          [...args, "--cpus-per-task=1", template],
          {
            cwd: work,
            env: {
              ...process.env,
              ...cluster.env,
              PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
              HOME: work, // no ~/.codecov-token unless a test puts one there
              ...env,
            },
          },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code) : 0, stdout: String(stdout), stderr: String(stderr) }),
        ),
      );
      const jobId = parseParsable(r.stdout)?.jobId;
      expect(jobId, r.stderr).toBeDefined();
      const out = readFileSync(join(work, "hpc-ci/logs", `slurm-${jobId}.out`), "utf8");
      return { code: r.code, out, work };
    }

    it("runs the CLI named by HPC_CI_CLI with HPC_CI_ARGS, the token left in its mode-600 file for the CLI", async () => {
      const tokenFile = join(mkdtempSync(join(scratch, "secret-")), "codecov-token");
      writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
      const r = await sbatchTemplate({
        HPC_CI_CLI: fakeCli,
        HPC_CI_ARGS: "--benchmarks-only --no-codecov",
        HPC_CI_BRANCH: "nightly",
        CODECOV_TOKEN_FILE: tokenFile,
        FAKE_EXIT: "1",
      });
      expect(r.code).toBe(1);
      expect(r.out).toContain(`args=["run","--benchmarks-only","--no-codecov"]`);
      expect(r.out).toContain(`cwd=${r.work}`);
      expect(r.out).toContain("HPC_CI_BRANCH=nightly");
      expect(r.out).toContain("token-sha256=(unset)");
      expect(r.out).toContain(`CODECOV_TOKEN_FILE=${tokenFile}\n`);
      expect(allText(r.work, cluster.logDir)).not.toContain(token);
    });

    it("refuses a token file others can read; finds .hpc-ci/hpc-ci.mjs by itself", async () => {
      const tokenFile = join(mkdtempSync(join(scratch, "secret-")), "codecov-token");
      writeFileSync(tokenFile, token);
      chmodSync(tokenFile, 0o644);
      const [refused, found] = await Promise.all([
        sbatchTemplate({ HPC_CI_CLI: fakeCli, CODECOV_TOKEN_FILE: tokenFile }),
        sbatchTemplate({ FAKE_EXIT: "0" }, (work) => {
          mkdirSync(join(work, ".hpc-ci"));
          copyFileSync(fakeCli, join(work, ".hpc-ci/hpc-ci.mjs"));
          writeFileSync(join(work, ".hpc-ci/package.json"), '{"type":"module"}');
        }),
      ]);
      expect(refused.code).toBe(2);
      expect(refused.out).toMatch(/codecov-token has mode 644: others could read the token; chmod 600 it/);
      expect(refused.out).not.toContain("args=");
      expect(found.code).toBe(0);
      expect(found.out).toContain(`args=["run"]`);
      expect(found.out).toContain("token-sha256=(unset)");
    });
  });
});
