// Issue 15, finding 2: the code under test must not obtain the publish token nor the Codecov token.
// The test command here is hostile: before the (stand-in) Julia tests it walks its ancestors through
// /proc/<pid>/status (PPid) and searches each one's /proc/<pid>/environ and cmdline, and every regular
// file it holds open, for the tokens in the forms they travel in (plain, base64 as in a Basic header).
// In the recommended setups (token files in one process; `submit --wait` on Slurm) it finds nothing,
// while the publish and the Codecov upload still happen with the tokens.
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, removeProject, runCli, showFile, type Project } from "./harness/cli.js";
import { startCodecovApi, type CodecovApi } from "./harness/codecov-api.js";
import { startGitHttp, type GitHttpServer } from "./harness/git-http.js";
import { scratchDir } from "./harness/scratch.js";
import { slurmSkipReason, startSlurm, type SlurmCluster } from "./harness/slurm.js";
import { missingCommands } from "./harness/system.js";

const TOKENS = {
  HPC_RESULTS_TOKEN: "ghp_ancestorWalkResults4b8e2d9c1f7a3e6b",
  CODECOV_TOKEN: "5e1d7c3b-9a2f-4b8e-8d6c-a11ce57025e5",
};
const NEEDLES = Object.values(TOKENS).flatMap((t) => [
  t,
  Buffer.from(t).toString("base64"),
  Buffer.from(`x-access-token:${t}`).toString("base64"),
]);
const REPOSITORY = "octo/example";

/** The hostile test: walks its ancestors, writes what it saw to argv[3], exits 1 when it found a token. */
const WALKER = `import { readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from "node:fs";
const needles = readFileSync(process.argv[2], "utf8").split("\\n").filter(Boolean);
const report = { ancestors: [], found: [], fds: [] };
const search = (where, text) => { for (const n of needles) if (text.includes(n)) report.found.push(where); };
const read = (path) => { try { return readFileSync(path, "latin1"); } catch (e) { return undefined; } };
for (let pid = process.pid; pid > 0; ) {
  const status = read("/proc/" + pid + "/status");
  if (!status) break;
  const name = /^Name:\\s*(.*)$/m.exec(status)[1];
  const environ = read("/proc/" + pid + "/environ");
  const cmdline = read("/proc/" + pid + "/cmdline") ?? "";
  report.ancestors.push({ pid, name, cmdline: cmdline.split("\\0").join(" "), environ: environ !== undefined });
  if (environ) search(pid + " " + name + " environ", environ);
  search(pid + " " + name + " cmdline", cmdline);
  pid = Number(/^PPid:\\s*(\\d+)/m.exec(status)[1]);
}
for (const fd of readdirSync("/proc/self/fd")) {
  const path = "/proc/self/fd/" + fd;
  let target;
  try { target = readlinkSync(path); } catch { continue; }
  report.fds.push(fd + " -> " + target);
  try { if (statSync(path).isFile()) search("fd " + fd + " " + target, readFileSync(path, "latin1")); } catch {}
}
writeFileSync(process.argv[3], JSON.stringify(report, null, 2));
process.exit(report.found.length > 0 ? 1 : 0);
`;

interface WalkReport {
  ancestors: Array<{ pid: number; name: string; cmdline: string; environ: boolean }>;
  found: string[];
  fds: string[];
}

const skip = missingCommands("git");

/** A project whose test command is the walker, then the stand-in Julia's Pkg.test with coverage. */
function hostileProject(work: string): { p: Project; report: string } {
  const p = makeProject();
  const walker = join(work, "walker.mjs");
  const needles = join(work, "needles");
  const report = join(work, "report.json");
  writeFileSync(walker, WALKER);
  writeFileSync(needles, NEEDLES.join("\n"));
  const test = `"$0" "$1" "$2" "$3" && exec julia --project=. -e 'import Pkg; Pkg.test(coverage=true)'`;
  writeFileSync(
    join(p.dir, ".hpc-ci.json"),
    JSON.stringify({ tests: { command: ["sh", "-c", test, process.execPath, walker, needles, report] } }),
  );
  p.git("add", ".hpc-ci.json");
  p.git("commit", "-q", "-m", "a test that looks for tokens");
  p.git("push", "-q", "origin", "main");
  return { p, report };
}

function readReport(path: string): WalkReport {
  return JSON.parse(readFileSync(path, "utf8")) as WalkReport;
}

/** A token file as the docs ask for it: the token alone, readable by its owner only. */
function tokenFile(dir: string, name: string, token: string, mode = 0o600): string {
  const file = join(dir, name);
  writeFileSync(file, `${token}\n`);
  chmodSync(file, mode);
  return file;
}

describe.skipIf(skip)("the code under test cannot reach the tokens", () => {
  let git: GitHttpServer;
  let codecov: CodecovApi;
  const projects: Project[] = [];
  let root: string;

  beforeAll(async () => {
    root = scratchDir("hpc-ci-ancestors-");
    git = await startGitHttp(root, TOKENS.HPC_RESULTS_TOKEN);
    codecov = await startCodecovApi({ token: TOKENS.CODECOV_TOKEN, slug: REPOSITORY });
  });
  afterAll(async () => {
    await Promise.all([git?.close(), codecov?.close()]);
    for (const p of projects) removeProject(p);
  });

  /** A project, a bare results repository served over authenticated http, and the knobs to publish there. */
  function setup(name: string) {
    const work = scratchDir(`hpc-ci-${name}-`);
    const { p, report } = hostileProject(work);
    projects.push(p);
    execFileSync("git", ["clone", "-q", "--bare", p.origin, join(root, `${name}.git`)]);
    const env = {
      HPC_RESULTS_REPO_URL: `${git.url}/${name}.git`,
      HPC_RESULTS_REPOSITORY_SLUG: REPOSITORY,
      GITHUB_API_URL: "http://127.0.0.1:9", // the dispatch fails (a warning); the push is what counts
      CODECOV_URL: codecov.url,
    };
    return { p, work, report, env, results: join(root, `${name}.git`), commit: p.git("rev-parse", "HEAD") };
  }

  it("run, with the tokens in files: no ancestor's environment, command line or open file holds them; publish and upload use them", async () => {
    const { p, work, report, env, results, commit } = setup("files");
    const uploads = codecov.uploads.length;
    const run = await runCli(["run", "--tests-only"], {
      cwd: p.dir,
      env: {
        ...env,
        HPC_RESULTS_TOKEN_FILE: tokenFile(work, "results-token", TOKENS.HPC_RESULTS_TOKEN),
        CODECOV_TOKEN_FILE: tokenFile(work, "codecov-token", TOKENS.CODECOV_TOKEN),
      },
      timeoutMs: 120_000,
    });
    const walked = readReport(report);
    expect(walked.found, JSON.stringify(walked, null, 2)).toEqual([]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    // The walk reached the CLI itself and read its environment: a real search, not a blind one.
    expect(walked.ancestors.some((a) => a.environ && a.cmdline.includes("hpc-ci/index.js run"))).toBe(true);
    expect(run.stderr).not.toMatch(/is in the environment/);
    // The token was used after the tests: the push authenticated with it, the upload carried it.
    expect(git.users).toContain("x-access-token");
    expect(JSON.parse(showFile(results, `${commit}/hpc-results.json`)).tests.status).toBe("passed");
    expect(codecov.uploads.length).toBe(uploads + 1);
  });

  it("run, with the tokens in the environment (the old advice): the walk finds them in the CLI's environment, and the CLI says so", async () => {
    const { p, report, env } = setup("environment");
    const run = await runCli(["run", "--tests-only"], {
      cwd: p.dir,
      env: { ...env, ...TOKENS },
      timeoutMs: 120_000,
    });
    const walked = readReport(report);
    // What nothing in the CLI can take back: the environment a process was started with.
    expect(walked.found.some((f) => /node environ/.test(f))).toBe(true);
    expect(run.exitCode).toBe(1); // the walker "failed" the tests
    for (const [variable, file] of [
      ["HPC_RESULTS_TOKEN", "HPC_RESULTS_TOKEN_FILE"],
      ["CODECOV_TOKEN", "CODECOV_TOKEN_FILE"],
    ]) {
      expect(run.stderr).toContain(
        `warning: ${variable} is in the environment, where the code under test can read it`,
      );
      expect(run.stderr).toContain(`set ${file} instead`);
    }
  });

  it("refuses, before any test runs, a token file others may read, and a token given both ways", async () => {
    const { p, work, report, env } = setup("refused");
    const open = tokenFile(work, "open-token", TOKENS.HPC_RESULTS_TOKEN, 0o644);
    const run = await runCli(["run", "--tests-only"], {
      cwd: p.dir,
      env: { ...env, HPC_RESULTS_TOKEN_FILE: open },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      `configuration: HPC_RESULTS_TOKEN_FILE: ${open} may be read or written by others (mode 644): chmod 600 ${open}`,
    );
    const both = await runCli(["run", "--tests-only"], {
      cwd: p.dir,
      env: {
        ...env,
        CODECOV_TOKEN: TOKENS.CODECOV_TOKEN,
        CODECOV_TOKEN_FILE: tokenFile(work, "cc", TOKENS.CODECOV_TOKEN),
      },
    });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/CODECOV_TOKEN and CODECOV_TOKEN_FILE are both set/);
    expect(() => readFileSync(report)).toThrow(); // no test ran
    expect(run.stderr + both.stderr).not.toContain(TOKENS.HPC_RESULTS_TOKEN);
  });

  it("tests under one account, publishes from another: run --no-publish, then publish with the token file", async () => {
    const { p, work, env, results, commit } = setup("split");
    const tested = await runCli(["run", "--tests-only", "--no-publish", "--no-codecov"], {
      cwd: p.dir,
      env,
      timeoutMs: 120_000,
    });
    expect(tested.exitCode, tested.stdout + tested.stderr).toBe(0);
    const published = await runCli(["publish"], {
      cwd: p.dir,
      env: { ...env, HPC_RESULTS_TOKEN_FILE: tokenFile(work, "results-token", TOKENS.HPC_RESULTS_TOKEN) },
    });
    expect(published.exitCode, published.stdout + published.stderr).toBe(0);
    expect(JSON.parse(showFile(results, `${commit}/hpc-results.json`)).tests.status).toBe("passed");
  });

  it("submit: with --wait the job's run neither publishes nor uploads; without, a token in the environment is not given to it, and it says so", async () => {
    const { p, env } = setup("print");
    const waiting = await runCli(["submit", "--print", "--wait", "--tests-only"], {
      cwd: p.dir,
      env: { ...env, ...TOKENS },
    });
    expect(waiting.exitCode, waiting.stderr).toBe(0);
    expect(waiting.stdout).toMatch(/exec .*index\.js run --tests-only --no-publish --no-codecov\n/);
    expect(waiting.stderr).not.toMatch(/is not passed to the job/);
    const queued = await runCli(["submit", "--print", "--tests-only"], {
      cwd: p.dir,
      env: { ...env, ...TOKENS },
    });
    expect(queued.stdout).toMatch(/exec .*index\.js run --tests-only\n/);
    for (const variable of ["HPC_RESULTS_TOKEN", "CODECOV_TOKEN"])
      expect(queued.stderr).toContain(`warning: ${variable} is not passed to the job`);
    for (const needle of NEEDLES)
      expect(waiting.stdout + queued.stdout + queued.stderr).not.toContain(needle);
  });

  describe.skipIf(slurmSkipReason())("on a real one-node Slurm cluster", () => {
    let cluster: SlurmCluster;
    beforeAll(async () => {
      cluster = await startSlurm();
    });
    afterAll(() => cluster?.stop());

    it("submit --wait with the tokens in its environment: the job has none; the login node uploads and publishes after it", async () => {
      const { p, report, env, results } = setup("slurm");
      writeFileSync(
        join(p.dir, ".hpc-ci.json"),
        JSON.stringify({
          ...JSON.parse(readFileSync(join(p.dir, ".hpc-ci.json"), "utf8")),
          slurm: { partition: cluster.partition, time: "00:05:00", cpus_per_task: 1 },
        }),
      );
      p.git("commit", "-q", "-am", "slurm settings");
      p.git("push", "-q", "origin", "main");
      const commit = p.git("rev-parse", "HEAD");
      const uploads = codecov.uploads.length;
      const run = await runCli(["submit", "--wait", "--tests-only"], {
        cwd: p.dir,
        env: { ...cluster.env, ...env, ...TOKENS, HPC_CLUSTER_NAME: "" },
        timeoutMs: 180_000,
      });
      const walked = readReport(report);
      expect(walked.found, JSON.stringify(walked, null, 2)).toEqual([]);
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      // The walk went through the CLI the job runs (the batch script exec's it: one process) up to slurmstepd.
      expect(walked.ancestors.map((a) => a.name)).toContain("slurmstepd");
      expect(walked.ancestors.some((a) => a.environ && a.cmdline.includes("hpc-ci/index.js run"))).toBe(true);
      expect(walked.ancestors.find((a) => a.cmdline.includes("index.js run"))?.cmdline).toContain(
        "--no-publish --no-codecov",
      );
      expect(run.stdout).toMatch(/publishing job \d+'s results from here/);
      expect(git.users).toContain("x-access-token");
      const published = JSON.parse(showFile(results, `${commit}/hpc-results.json`));
      expect(published).toMatchObject({ tests: { status: "passed" }, hpc: { scheduler: "slurm" } });
      expect(codecov.uploads.length).toBe(uploads + 1);
      const jobId = /submitted job (\d+)/.exec(run.stdout)![1]!;
      expect(codecov.uploads.at(-1)).toMatchObject({
        tokenVia: "header",
        query: { commit, build: jobId, flags: "hpc-extended" },
      });
      const output = readFileSync(join(p.dir, "hpc-ci/logs", `slurm-${jobId}.out`), "utf8");
      for (const needle of NEEDLES) expect(output + run.stdout + run.stderr).not.toContain(needle);
      expect(dirname(report)).not.toBe(p.dir);
    });
  });
});
