// The CLI tells the truth about what it tested (the bundle, run as a cluster job runs it): a dirty work
// tree or a commit the results remote lacks is a warning and a recorded fact that the pull-request
// comment shows; a repository that is neither a Julia package nor configured is a configuration error;
// git's whole error reaches the user, bounded and without credentials; help names the program as it was
// started; a mistyped command or flag gets a suggestion.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, type Project, makeProject, removeProject, runCli, showFile } from "./harness/cli.js";
import { startGitHttp } from "./harness/git-http.js";
import { startGitHubApi } from "./harness/github-api/index.js";
import { REPO_ROOT, runAction } from "./harness/run-action.js";

const projects: Project[] = [];
const temps: string[] = [];

function project(): Project {
  const p = makeProject();
  projects.push(p);
  return p;
}

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

afterAll(() => {
  for (const p of projects) removeProject(p);
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const read = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("dirty and pushed", () => {
  it("a clean, pushed commit says so, also on a second run that finds its own outputs in the tree", async () => {
    const p = project();
    for (let i = 0; i < 2; i++) {
      const run = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], { cwd: p.dir });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/work tree differs|does not have/);
      expect(read(join(p.dir, "hpc-ci/hpc-results.json"))).toMatchObject({ dirty: false, pushed: true });
      expect(read(join(p.dir, "hpc-ci/artifacts/meta.json"))).toMatchObject({ dirty: false, pushed: true });
    }
    // The results folder and Julia's .cov files were there on the second run, untracked and not ignored.
    expect(p.git("status", "--porcelain", "--untracked-files=all")).toMatch(/\?\? hpc-ci\//);
  });

  it("a work tree with changes warns, and dirty: true reaches the branch and the pull-request comment", async () => {
    const p = project();
    writeFileSync(join(p.dir, "README.md"), "changed on the cluster\n");
    writeFileSync(join(p.dir, "notes.txt"), "untracked, not ignored\n");
    const run = await runCli(["run", "--tests-only", "--no-codecov"], { cwd: p.dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(
        `warning: the work tree differs from ${p.commit.slice(0, 12)} in 2 path\\(s\\): README\\.md, notes\\.txt`,
      ),
    );
    const published = JSON.parse(showFile(p.origin, `${p.commit}/hpc-results.json`));
    expect(published).toMatchObject({ dirty: true, pushed: true });
    expect(JSON.parse(showFile(p.origin, `${p.commit}/meta.json`))).toMatchObject({ dirty: true });

    // The comment a pull request of this commit gets says it, from the published document itself.
    const api = await startGitHubApi();
    try {
      api.state.addPullRequest({ number: 3, headSha: p.commit, baseRef: "main" });
      const file = join(temp("truth-results-"), "hpc-results.json");
      writeFileSync(file, JSON.stringify(published));
      const action = await runAction("comment-hpc-summary", {
        inputs: { token: api.token, "results-file": file, "results-path": temp("truth-branch-") },
        env: { GITHUB_API_URL: api.url, HPC_CI_GITHUB_TIME_SCALE: "0.01" },
      });
      temps.push(join(action.runnerTemp, ".."));
      expect(action.exitCode, action.stderr).toBe(0);
      const body = api.state.comments(3)[0]!.body!;
      expect(body).toContain(
        "⚠️ **Not exactly this commit**: tested with local changes: the work tree differed from this commit (dirty).",
      );
      expect(action.summary).toContain("Not exactly this commit");
      expect(api.violations).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it("a commit the remote does not have warns and says pushed: false; pushed, it says true", async () => {
    const p = project();
    p.git("commit", "-q", "--allow-empty", "-m", "local only");
    const local = p.git("rev-parse", "HEAD");
    const before = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], { cwd: p.dir });
    expect(before.exitCode, before.stderr).toBe(0);
    expect(before.stderr).toMatch(
      new RegExp(`warning: \\S*origin\\.git does not have ${local.slice(0, 12)}`),
    );
    expect(read(join(p.dir, "hpc-ci/hpc-results.json"))).toMatchObject({
      commit: local,
      dirty: false,
      pushed: false,
    });
    p.git("push", "-q", "origin", "HEAD:refs/heads/feature");
    const after = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], { cwd: p.dir });
    expect(read(join(p.dir, "hpc-ci/hpc-results.json"))).toMatchObject({ commit: local, pushed: true });
    expect(after.stderr).not.toMatch(/does not have/);
  });

  it("a remote it cannot ask leaves pushed out and says why", async () => {
    const p = project();
    const run = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], {
      cwd: p.dir,
      env: { HPC_RESULTS_REPO_URL: "http://127.0.0.1:9/octo/repo.git" },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/cannot tell whether the results remote has [0-9a-f]{12}: git fetch failed/);
    expect(run.stderr).toMatch(/Failed to connect to 127\.0\.0\.1 port 9/);
    const results = read(join(p.dir, "hpc-ci/hpc-results.json"));
    expect(results.dirty).toBe(false);
    expect("pushed" in results).toBe(false);
  });
});

describe("configuration", () => {
  it("a repository that is not a Julia package and has no tests.command: exit 2, what to add, nothing published", async () => {
    const p = project();
    p.git("rm", "-q", "Project.toml");
    p.git("commit", "-q", "-m", "not a Julia package");
    p.git("push", "-q", "origin", "HEAD:main");
    const run = await runCli(["run", "--no-codecov"], { cwd: p.dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /is not a Julia package \(no Project\.toml\) and \.hpc-ci\.json has no tests\.command/,
    );
    expect(run.stderr).toMatch(/add \{"tests": \{"command": /);
    expect(existsSync(join(p.dir, "hpc-ci/hpc-results.json"))).toBe(false);
    expect(
      execFileSync("git", ["--git-dir", p.origin, "branch", "--list", "hpc-results"], { encoding: "utf8" }),
    ).toBe("");
    // submit says so before the job waits in the queue.
    const submit = await runCli(["submit", "--print"], { cwd: p.dir });
    expect(submit.exitCode).toBe(2);
    expect(submit.stderr).toMatch(/has no tests\.command/);
    expect(submit.stdout).toBe("");

    writeFileSync(
      join(p.dir, ".hpc-ci.json"),
      JSON.stringify({ tests: { command: ["sh", "-c", "echo ok"] } }),
    );
    const configured = await runCli(["run", "--no-codecov", "--no-publish"], { cwd: p.dir });
    expect(configured.exitCode, configured.stderr).toBe(0);
  });
});

describe("git's errors", () => {
  it("reach the user whole (bounded), with the credentials in the URL hidden", async () => {
    const p = project();
    // A server-side hook that says why first, then much more: the cause is far from the last lines.
    const hook = join(p.origin, "hooks", "pre-receive");
    writeFileSync(
      hook,
      `#!/bin/sh\necho "POLICY: pushes to hpc-results need the results-bot identity" >&2\nfor i in $(seq 1 60); do echo "detail line $i" >&2; done\nexit 1\n`,
    );
    chmodSync(hook, 0o755);
    const token = "s3cretTokenInUrl0123";
    const http = await startGitHttp(join(p.origin, ".."), token);
    try {
      const url = `${http.url.replace("://", `://bot:${token}@`)}/origin.git`;
      const run = await runCli(["run", "--tests-only", "--no-codecov"], {
        cwd: p.dir,
        env: { HPC_RESULTS_REPO_URL: url },
      });
      expect(run.exitCode).toBe(3);
      expect(run.stderr).toMatch(
        /publishing to hpc-results failed: push to hpc-results failed: git push failed \(exit 1\):/,
      );
      expect(run.stderr).toContain("remote: detail line 60");
      expect(run.stderr).toContain("pre-receive hook declined");
      expect(run.stderr).toMatch(/\(\d+ earlier line\(s\) left out\)/);
      const gitLines = run.stderr.split("\n").filter((l) => /^ {2}\S/.test(l));
      expect(gitLines.length).toBeLessThanOrEqual(41);
      expect(run.stderr).not.toContain(token);

      // Fewer lines than the bound: all of them, the cause included.
      writeFileSync(
        hook,
        `#!/bin/sh\necho "POLICY: pushes to hpc-results need the results-bot identity" >&2\nfor i in 1 2 3 4 5; do echo "detail line $i" >&2; done\nexit 1\n`,
      );
      const short = await runCli(["publish"], { cwd: p.dir, env: { HPC_RESULTS_REPO_URL: url } });
      expect(short.exitCode).toBe(3);
      expect(short.stderr).toContain("remote: POLICY: pushes to hpc-results need the results-bot identity");
      expect(short.stderr).toContain("remote: detail line 5");
      expect(short.stderr).not.toContain(token);
    } finally {
      await http.close();
    }
  });
});

describe("the command line", () => {
  it("--help shows the command as it was started", async () => {
    const fromRepo = await runCli(["--help"], { cwd: REPO_ROOT });
    expect(fromRepo.exitCode).toBe(0);
    expect(fromRepo.stdout).toMatch(/^Usage: node dist\/hpc-ci\/index\.js <command> \[options\]/);
    expect(fromRepo.stdout).toContain("Example: node dist/hpc-ci/index.js doctor");
    const commandHelp = await runCli(["doctor", "--help"], { cwd: REPO_ROOT });
    expect(commandHelp.exitCode).toBe(0);
    expect(commandHelp.stdout).toBe(fromRepo.stdout);
    // A copy beside the user, started by its own name (as the README tells).
    const dir = temp("hpc-ci-copy-");
    copyFileSync(CLI, join(dir, "hpc-ci.mjs"));
    const copy = execFileSync(process.execPath, ["hpc-ci.mjs", "--help"], { cwd: dir, encoding: "utf8" });
    expect(copy).toMatch(/^Usage: node hpc-ci\.mjs <command> \[options\]/);
    expect(copy).toMatch(/^ {2}doctor {5}Check/m);
    // From elsewhere: the whole path, which works from there.
    const elsewhere = await runCli(["--help"], { cwd: temp("hpc-ci-elsewhere-") });
    expect(elsewhere.stdout.startsWith(`Usage: node ${CLI} <command>`)).toBe(true);
  });

  it("suggests the command or flag that was meant", async () => {
    const cwd = temp("hpc-ci-typo-");
    const cases: Array<[string[], RegExp]> = [
      [["doctr"], /unknown command "doctr"; did you mean `doctor`\?/],
      [["pubish"], /unknown command "pubish"; did you mean `publish`\?/],
      [["run", "--no-pubish"], /unknown option --no-pubish; did you mean `--no-publish`\?/],
      [["publish", "--no-psuh"], /unknown option --no-psuh; did you mean `--no-push`\?/],
      [["submit", "--tests-onyl"], /unknown option --tests-onyl; did you mean `--tests-only`\?/],
      [["doctor", "--timout", "3"], /unknown option --timout; did you mean `--timeout`\?/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, { cwd });
      expect(run.exitCode, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/\(see `node \S+index\.js --help`\)/);
    }
    const far = await runCli(["frobnicate"], { cwd });
    expect(far.exitCode).toBe(2);
    expect(far.stderr).toMatch(/unknown command "frobnicate"\n/);
  });
});
