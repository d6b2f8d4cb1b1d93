// The GitLab/Jacamar template runs under gitlab-ci-local with the shell executor: the CLI tests and
// benchmarks the example package with the stand-in julia and publishes to a local bare origin.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, STUB_BIN, makeProject, showFile } from "./harness/cli.js";
import { REPO_ROOT } from "./harness/run-action.js";
import { missingCommands } from "./harness/system.js";

const TEMPLATE = join(REPO_ROOT, "templates/gitlab/hpc-ci.gitlab-ci.yml");
const GCL = join(REPO_ROOT, "node_modules/.bin/gitlab-ci-local");
const skip = missingCommands("rsync", "git");

function gitlabCiLocal(cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(GCL, args, {
      cwd,
      env: { ...process.env, PATH: `${STUB_BIN}:${process.env.PATH}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

function project() {
  const p = makeProject();
  mkdirSync(join(p.dir, ".hpc-ci"), { recursive: true });
  copyFileSync(CLI, join(p.dir, ".hpc-ci/hpc-ci.mjs"));
  mkdirSync(join(p.dir, "ci"), { recursive: true });
  copyFileSync(TEMPLATE, join(p.dir, "ci/hpc-ci.gitlab-ci.yml"));
  writeFileSync(
    join(p.dir, ".gitlab-ci.yml"),
    [
      "include:",
      "  - local: ci/hpc-ci.gitlab-ci.yml",
      "variables:",
      '  SCHEDULER_PARAMETERS: "--nodes=1 --time=00:30:00"',
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(p.dir, ".gitignore"),
    `${readFileSync(join(p.dir, ".gitignore"), "utf8")}\n.gitlab-ci-local/\nhpc-ci/\n`,
  );
  p.git("add", "-A");
  p.git("commit", "-q", "-m", "add hpc-ci");
  return { ...p, commit: p.git("rev-parse", "HEAD") };
}

describe.skipIf(skip)("templates/gitlab/hpc-ci.gitlab-ci.yml", () => {
  it("passes gitlab-ci-local's schema check and lists its three stages", async () => {
    const p = project();
    const list = await gitlabCiLocal(p.dir, ["--list"]);
    expect(list.code, list.output).toBe(0);
    for (const job of ["hpc-test", "hpc-bench", "hpc-publish"]) expect(list.output).toContain(job);
  });

  it("runs tests, benchmarks and publish under the shell executor", async () => {
    const p = project();
    const run = await gitlabCiLocal(p.dir, [
      "--variable",
      `HPC_RESULTS_REPO_URL=${p.origin}`,
      "--variable",
      "HPC_CLUSTER_NAME=jacamar-test",
    ]);
    expect(run.code, run.output.slice(-3000)).toBe(0);
    const published = JSON.parse(showFile(p.origin, `${p.commit}/hpc-results.json`));
    expect(published.commit).toBe(p.commit);
    expect(published.coverage.flag).toBe("jacamar-hpc");
    expect(published.tests.status).toBe("passed");
    expect(published.benchmarks.status).toBe("passed");
    expect(Object.keys(published.benchmarks.results)).toHaveLength(3);
    expect(published.hpc.cluster).toBe("jacamar-test");
    expect(
      execFileSync("git", ["--git-dir", p.origin, "log", "--oneline", "hpc-results"], { encoding: "utf8" })
        .trim()
        .split("\n"),
    ).toHaveLength(1);
  });
});
