import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { isPushConflict, publishWithRetry } from "../src/git/publish.js";
import { scratchDir } from "./harness/scratch.js";

function bareRepo(): string {
  const dir = join(scratchDir("publish-"), "origin.git");
  execFileSync("git", ["init", "-q", "--bare", dir]);
  return dir;
}

function lsTree(origin: string, branch: string): string[] {
  return execFileSync("git", ["--git-dir", origin, "ls-tree", "-r", "--name-only", branch], {
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
}

describe("publishWithRetry", () => {
  it("creates the branch, then commits only when something changed", async () => {
    const origin = bareRepo();
    const dir = scratchDir("work-");
    const apply = async (d: string) => writeFileSync(join(d, "a.json"), "{}\n");
    const first = await publishWithRetry({
      remote: origin,
      branch: "hpc-results",
      dir,
      message: "one",
      apply,
    });
    expect(first).toMatchObject({ changed: true, pushed: true, attempts: 1, conflicts: 0 });
    const again = await publishWithRetry({
      remote: origin,
      branch: "hpc-results",
      dir,
      message: "two",
      apply,
    });
    expect(again.changed).toBe(false);
    expect(lsTree(origin, "hpc-results")).toEqual(["a.json"]);
    const count = execFileSync("git", ["--git-dir", origin, "rev-list", "--count", "hpc-results"], {
      encoding: "utf8",
    }).trim();
    expect(count).toBe("1");
  });

  it("lands every one of 8 publishers racing to one branch", async () => {
    const origin = bareRepo();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        publishWithRetry({
          remote: origin,
          branch: "hpc-results",
          dir: scratchDir(`racer-${i}-`),
          message: `racer ${i}`,
          backoffMs: { base: 20, max: 300 },
          apply: async (d) => {
            writeFileSync(join(d, `run-${i}.json`), JSON.stringify({ i }));
            const index = join(d, "index.txt");
            const lines = readdirSync(d).includes("index.txt") ? readFileSync(index, "utf8") : "";
            writeFileSync(index, `${lines}${i}\n`);
          },
        }),
      ),
    );
    expect(results.every((r) => r.pushed)).toBe(true);
    expect(results.reduce((n, r) => n + r.conflicts, 0)).toBeGreaterThan(0);
    const files = lsTree(origin, "hpc-results");
    for (let i = 0; i < 8; i++) expect(files).toContain(`run-${i}.json`);
    const index = execFileSync("git", ["--git-dir", origin, "show", "hpc-results:index.txt"], {
      encoding: "utf8",
    });
    expect(index.trim().split("\n").map(Number).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("checks out only root files and the folders named in sparse, and commits on top of the rest", async () => {
    const origin = bareRepo();
    const seed = scratchDir("seed-");
    const write = (d: string, files: Record<string, string>) => {
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(dirname(join(d, f)), { recursive: true });
        writeFileSync(join(d, f), text);
      }
    };
    await publishWithRetry({
      remote: origin,
      branch: "b",
      dir: seed,
      message: "seed",
      apply: async (d) => write(d, { "root.txt": "r", "a/1.txt": "1", "b/2.txt": "2", "c/d/3.txt": "3" }),
    });
    const seen: string[] = [];
    const dir = join(scratchDir("sparse-"), "work");
    const result = await publishWithRetry({
      remote: origin,
      branch: "b",
      dir,
      message: "sparse",
      sparse: ["b", "new"],
      apply: async (d) => {
        seen.push(
          ...readdirSync(d, { recursive: true })
            .map(String)
            .filter((f) => !f.startsWith(".git")),
        );
        write(d, { "new/4.txt": "4", "root.txt": "r2" });
      },
    });
    expect(result.pushed).toBe(true);
    expect(seen.sort()).toEqual(["b", "b/2.txt", "root.txt"]);
    expect(lsTree(origin, "b").sort()).toEqual(["a/1.txt", "b/2.txt", "c/d/3.txt", "new/4.txt", "root.txt"]);
    // An existing checkout stays whole: sparse applies only to a repository the call creates.
    const whole: string[] = [];
    await publishWithRetry({
      remote: origin,
      branch: "b",
      dir: seed,
      message: "again",
      sparse: ["b"],
      apply: async (d) => {
        whole.push(...readdirSync(d).filter((f) => f !== ".git"));
      },
    });
    expect(whole.sort()).toEqual(["a", "b", "c", "new", "root.txt"]);
  });

  it("treats both of git's race messages as a conflict and nothing else", () => {
    expect(isPushConflict(" ! [rejected]        HEAD -> hpc-results (fetch first)")).toBe(true);
    expect(isPushConflict(" ! [remote rejected] HEAD -> hpc-results (failed to update ref)")).toBe(true);
    expect(
      isPushConflict("error: cannot lock ref 'refs/heads/hpc-results': is at 1234 but expected 5678"),
    ).toBe(true);
    expect(isPushConflict(" ! [remote rejected] HEAD -> hpc-results (pre-receive hook declined)")).toBe(
      false,
    );
    expect(isPushConflict("fatal: Authentication failed")).toBe(false);
  });

  it("fails clearly, without the credentials, when the remote cannot be reached", async () => {
    const dir = scratchDir("work-");
    await expect(
      publishWithRetry({
        remote: "http://user:s3cr3t-token@127.0.0.1:9/none.git",
        branch: "hpc-results",
        dir,
        message: "x",
        apply: async () => {},
      }),
    ).rejects.toThrow(/cannot reach http:\/\/\*\*\*@127\.0\.0\.1:9/);
    await expect(
      publishWithRetry({
        remote: "http://user:s3cr3t-token@127.0.0.1:9/none.git",
        branch: "b",
        dir,
        message: "x",
        apply: async () => {},
      }),
    ).rejects.not.toThrow(/s3cr3t/);
  });
});
