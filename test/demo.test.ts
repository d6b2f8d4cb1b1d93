// npm run demo keeps working: the whole path, and it says where to look and what was a stand-in.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness/run-action.js";

describe("npm run demo", () => {
  it("runs the CLI and the three actions end to end and points at the results", () => {
    const run = spawnSync(process.execPath, ["scripts/demo.mjs"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 240_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("=== Where to look ===");
    expect(run.stdout).toMatch(/status hpc\/benchmarks: failure - 3 regressions past \+10\.0%/);
    expect(run.stdout).toMatch(/Stand-ins, plainly/);
    const dashboard = /dashboard:\s+(\S+index\.html)/.exec(run.stdout)?.[1];
    expect(dashboard && existsSync(dashboard)).toBe(true);
  });
});
