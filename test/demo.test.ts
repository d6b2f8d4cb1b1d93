// npm run demo keeps working: the whole path, with no network at all (after npm ci everything it needs is
// in the checkout), under the one folder it names, and it says where to look and what was a stand-in.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness/run-action.js";

/** A command prefix that runs in a new network namespace with only loopback up, or why there is none. */
function offline(): { prefix: string[] } | { reason: string } {
  const probe = spawnSync("unshare", ["-rn", "sh", "-c", "ip link set lo up"], { encoding: "utf8" });
  if (probe.status === 0)
    return { prefix: ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"] };
  const reason = `cannot make a network namespace (unshare -rn, ip): ${probe.error?.message ?? probe.stderr.trim()}`;
  if (process.env.CI === "true") throw new Error(`${reason}; CI=true: the offline demo check must run`);
  console.warn(`running the demo with the network: ${reason}`);
  return { reason };
}

const scratch = mkdtempSync(join(tmpdir(), "demo-test-"));
const demoTmp = join(scratch, "tmp");
// Inside the checkout: the response validators generated there require() ajv from node_modules.
mkdirSync(join(REPO_ROOT, ".build"), { recursive: true });
const emptyCache = mkdtempSync(join(REPO_ROOT, ".build", "openapi-cache-"));
mkdirSync(demoTmp);
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(emptyCache, { recursive: true, force: true });
});

describe("npm run demo", () => {
  it("runs the CLI and the three actions end to end, offline, under the one folder it names", () => {
    const net = offline();
    const command = ["npm", "run", "demo"];
    const argv = "prefix" in net ? [...net.prefix, ...command] : command;
    const run = spawnSync(argv[0]!, argv.slice(1), {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 240_000,
      // An empty OpenAPI cache, as in a fresh clone: the full description is neither there nor fetchable.
      env: {
        ...process.env,
        TMPDIR: demoTmp,
        HPC_CI_OPENAPI_DIR: emptyCache,
        npm_config_update_notifier: "false",
      },
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("=== Where to look ===");
    // One main run of history: the judge shows the slowdowns but cannot gate on them yet.
    expect(run.stdout).toMatch(
      /check run hpc\/benchmarks: success - Passed: 3 benchmarks, 3 tentative regressions/,
    );
    expect(run.stdout).toMatch(/Stand-ins, plainly/);
    expect(run.stdout + run.stderr).not.toContain("fetch-openapi");
    const folder = /Everything this demo writes goes under (\S+)/.exec(run.stdout)?.[1];
    expect(folder).toBeDefined();
    // Nothing beside the named folder; the dashboard and the comment inside it.
    expect(readdirSync(demoTmp)).toEqual([basename(folder!)]);
    expect(existsSync(join(emptyCache, "api.github.com.deref.json"))).toBe(false);
    const dashboard = /dashboard:\s+(\S+index\.html)/.exec(run.stdout)?.[1];
    expect(dashboard?.startsWith(`${folder}/`) && existsSync(dashboard)).toBe(true);
    expect(run.stdout).toContain(`Everything is in ${folder}`);
  });
});
