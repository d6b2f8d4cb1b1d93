// A results-branch writer can commit a symbolic link where a folder belongs (`branches` -> somewhere on the
// runner or the login node). Every reader and the publisher refuse it, and never say where it points.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBranchRun } from "../src/actions/comment-hpc-summary/load-runs.js";
import type { HpcResults } from "../src/contract/types.js";
import { PublishError } from "../src/git/publish.js";
import { publishToBranch } from "../src/run/publish.js";
import { ingest } from "../src/results-branch/ingest.js";
import { ResultsRepo, ourRun, sha } from "./harness/results-branch.js";
import { scratchDir } from "./harness/scratch.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A results branch (pushed to a bare origin) whose `name` is a symbolic link to a folder outside it. */
function branchWithLink(name: string): { repo: ResultsRepo; outside: string; clone: string } {
  const repo = new ResultsRepo();
  const outside = scratchDir("outside-");
  const secret = ourRun(sha("secret")).results as unknown as HpcResults;
  writeFileSync(join(outside, "main.json"), JSON.stringify({ ...secret, branch: "main" }));
  writeFileSync(join(repo.work, "README.md"), "results\n");
  symlinkSync(outside, join(repo.work, name));
  repo.commit(`${name} as a link`);
  execFileSync("git", ["-C", repo.work, "push", "-q", "origin", `HEAD:${repo.branch}`]);
  // As in a real repository, the default branch is the code's (publish refuses to write to it).
  execFileSync("git", ["--git-dir", repo.origin, "symbolic-ref", "HEAD", "refs/heads/main"]);
  // A fresh clone: git itself makes the link, as actions/checkout would.
  const clone = join(scratchDir("clone-"), "results");
  execFileSync("git", ["clone", "-q", "-b", repo.branch, repo.origin, clone]);
  expect(execFileSync("git", ["-C", clone, "ls-files", "-s", name], { encoding: "utf8" })).toMatch(
    /^120000 /,
  );
  return { repo, outside, clone };
}

describe("symbolic links committed as folders", () => {
  it("comment-hpc-summary's base run: a linked branches/ is refused, its target never named", async () => {
    const { outside, clone } = branchWithLink("branches");
    const base = await readBranchRun(clone, "main");
    expect(base.comparison.run).toBeUndefined();
    expect(base.warning).toMatch(/branches\/ is a symbolic link, not a folder; refused/);
    expect(JSON.stringify(base)).not.toContain(outside);
  });

  it("ingest: a linked commit folder is refused, its target never named", async () => {
    const root = scratchDir("ingest-link-");
    const outside = scratchDir("outside-run-");
    const c = sha("linked-folder");
    writeFileSync(join(outside, "hpc-results.json"), JSON.stringify(ourRun(c).results));
    symlinkSync(outside, join(root, c));
    const outcome = await ingest({ root, commit: c });
    expect(outcome.runs).toEqual([]);
    expect(outcome.errors[0]!.reason).toMatch(/symbolic link/);
    expect(JSON.stringify(outcome)).not.toContain(outside);
  });

  it.each(["branches", "history"])(
    "publish refuses a linked %s/ and writes nothing through it",
    async (name) => {
      const { repo, outside } = branchWithLink(name);
      const before = readdirSync(outside).map((f) => [f, readFileSync(join(outside, f), "utf8")]);
      const c = sha(`publish-${name}`);
      const run = ourRun(c);
      const published = {
        results: run.results as unknown as HpcResults,
        benchmarksSummary: run.benchmarks as never,
      };
      const work = scratchDir("publish-root-");
      mkdirSync(work, { recursive: true });
      const attempt = publishToBranch(
        published,
        { remote: repo.origin, branch: repo.branch, root: work, push: true, historyBranch: "main" },
        quiet,
      );
      await expect(attempt).rejects.toThrow(PublishError);
      await expect(attempt).rejects.toThrow(
        new RegExp(`holds ${name}(/main\\.json)? as a symbolic link; refused`),
      );
      await attempt.catch((error: Error) => expect(error.message).not.toContain(outside));
      const after = readdirSync(outside).map((f) => [f, readFileSync(join(outside, f), "utf8")]);
      expect(after).toEqual(before);
    },
  );
});
