// The CLI is one file that runs on the oldest Node a cluster may have: Node 18, from a copy anywhere
// (as .mjs, since a copied .js has no package.json beside it to say it is a module).
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureNode18 } from "../scripts/fetch-node18.mjs";
import { CLI, STUB_BIN, lsBranch, makeProject, removeProject } from "./harness/cli.js";
import { spawnSync } from "node:child_process";
import { scratchDir } from "./harness/scratch.js";

describe("the CLI on Node 18", () => {
  const node18 = (ensureNode18 as () => string)();

  it("runs in place and from a lone copy, and does a whole run", () => {
    expect(spawnSync(node18, ["--version"], { encoding: "utf8" }).stdout).toMatch(/^v18\./);
    expect(spawnSync(node18, [CLI, "--version"], { encoding: "utf8" }).stdout).toMatch(
      /^hpc-ci \d+\.\d+\.\d+/,
    );
    const copy = join(scratchDir("cli-copy-"), "hpc-ci.mjs");
    copyFileSync(CLI, copy);
    const p = makeProject();
    const run = spawnSync(node18, [copy, "run", "--no-codecov"], {
      cwd: p.dir,
      encoding: "utf8",
      env: {
        PATH: `${STUB_BIN}:${process.env.PATH}`,
        HOME: process.env.HOME,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@x",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@x",
      },
    });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(p.dir, "hpc-ci/hpc-results.json"), "utf8"));
    expect(results).toMatchObject({
      commit: p.commit,
      tests: { status: "passed" },
      coverage: { covered_lines: 18 },
    });
    expect(results.hpc.runtime_versions.node).toMatch(/^18\./);
    expect(lsBranch(p.origin)).toContain(`${p.commit}/hpc-results.json`);
  });

  it("runs doctor, whose checks (http, timeouts, git) work on Node 18 too", () => {
    const p = makeProject();
    const run = spawnSync(node18, [CLI, "doctor"], {
      cwd: p.dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ok\s+node\s+18\./);
    expect(run.stdout).toMatch(/ok\s+push/);
    removeProject(p);
  });
});
