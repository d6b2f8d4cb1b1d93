// Git faults while publishing: a push that is rejected after every retry, and a remote that goes away in
// the middle of a push. Both end with exit 3, one clear line, the local results intact, and nothing of
// ours half-written on the remote.
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isDocument } from "../src/contract/validate.js";
import { makeProject, runCli } from "./harness/cli.js";

function hook(origin: string, name: string, body: string): void {
  const path = join(origin, "hooks", name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

function branchLog(origin: string): string[] {
  try {
    // No branch yet is an answer ([]), not a message on the test's console.
    return execFileSync("git", ["--git-dir", origin, "log", "--format=%s", "hpc-results"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    })
      .trim()
      .split("\n");
  } catch {
    return [];
  }
}

describe("publishing through git faults", () => {
  it("gives up with exit 3 after a bounded number of rejected pushes, and keeps the results", async () => {
    const p = makeProject();
    expect(
      (await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], { cwd: p.dir })).exitCode,
    ).toBe(0);
    // Someone else always pushes first: every push of ours arrives after the branch moved.
    const seed = join(p.dir, "..", "seed");
    execFileSync("git", ["clone", "-q", p.origin, seed]);
    execFileSync(
      "sh",
      [
        "-c",
        "git checkout -q --orphan hpc-results && git rm -rfq . && echo x > other && git add other && git -c user.name=o -c user.email=o@x commit -qm 'someone else' && git push -q origin hpc-results",
      ],
      { cwd: seed },
    );
    // Inside our push, another publisher lands first: git answers "cannot lock ref" / "failed to update ref".
    hook(
      p.origin,
      "pre-receive",
      [
        '[ -n "$SOMEONE_ELSE" ] && exit 0',
        "export SOMEONE_ELSE=1",
        `cd ${JSON.stringify(seed)}`,
        "unset GIT_DIR GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "git pull -q --rebase origin hpc-results && date +%s%N > other",
        "git -c user.name=o -c user.email=o@x commit -qam 'someone else again' && git push -q origin HEAD:hpc-results",
        "exit 0",
      ].join("\n"),
    );
    const run = await runCli(["publish"], {
      cwd: p.dir,
      env: { HPC_RESULTS_PUSH_ATTEMPTS: "3" },
      timeoutMs: 120_000,
    });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/rejected 3 times in a row/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(branchLog(p.origin).some((s) => s.startsWith("hpc-ci:"))).toBe(false);
    expect(
      isDocument("hpc-results", JSON.parse(readFileSync(join(p.dir, "hpc-ci/hpc-results.json"), "utf8"))),
    ).toBe(true);
  });

  it("ends with exit 3 when the remote goes away in the middle of a push", async () => {
    const p = makeProject();
    hook(p.origin, "pre-receive", "kill -9 $PPID; sleep 5");
    const run = await runCli(["run", "--tests-only", "--no-codecov"], { cwd: p.dir, timeoutMs: 60_000 });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/error: publishing to hpc-results failed: push to hpc-results failed/);
    expect(branchLog(p.origin)).toEqual([]);
    expect(
      isDocument("hpc-results", JSON.parse(readFileSync(join(p.dir, "hpc-ci/hpc-results.json"), "utf8"))),
    ).toBe(true);
  });
});
