// GitHub's rules for which workflow file runs for which event, as test/harness/github-rules.ts models them,
// on a real bare repository: the rules the trigger design (docs/triggering.md) rests on.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Trigger, workflowsFor } from "./harness/github-rules.js";
import { git } from "./harness/git.js";

const root = mkdtempSync(join(tmpdir(), "hpc-rules-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("GitHub's rules, as the harness models them", () => {
  it("push runs the pushed tree's workflows; schedule and dispatches the default branch's; the workflow token starts only dispatches", () => {
    const repo = join(root, "rules");
    const bare = join(root, "rules.git");
    git(root, "init", "-q", "--bare", "-b", "main", bare);
    mkdirSync(join(repo, ".github/workflows"), { recursive: true });
    const caller =
      "on:\n  push:\n    branches: [hpc-results]\n  schedule:\n    - cron: '17 * * * *'\n  workflow_dispatch:\n  repository_dispatch:\n    types: [hpc-results]\njobs: {}\n";
    writeFileSync(join(repo, ".github/workflows/a.yml"), caller);
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "caller on main");
    git(repo, "remote", "add", "origin", bare);
    git(repo, "push", "-q", "origin", "main");
    const main = git(repo, "rev-parse", "HEAD");
    git(repo, "checkout", "-q", "--orphan", "hpc-results");
    git(repo, "rm", "-rfq", ".");
    writeFileSync(join(repo, "latest-hpc-results.json"), "{}\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "results");
    git(repo, "push", "-q", "origin", "hpc-results");
    const results = git(repo, "rev-parse", "HEAD");

    const files = (t: Trigger) => workflowsFor(bare, t).map((s) => `${s.file}@${s.sha.slice(0, 7)}`);
    const onMain = [`.github/workflows/a.yml@${main.slice(0, 7)}`];
    // The caller on main lists push to hpc-results, yet that push reads hpc-results' own tree: nothing.
    expect(files({ event: "push", branch: "hpc-results", sha: results, actor: "cluster" })).toEqual([]);
    expect(files({ event: "schedule" })).toEqual(onMain);
    expect(files({ event: "workflow_dispatch", actor: "workflow-token" })).toEqual(onMain);
    expect(
      files({ event: "repository_dispatch", type: "hpc-results", payload: {}, actor: "workflow-token" }),
    ).toEqual(onMain);
    expect(files({ event: "repository_dispatch", type: "other", payload: {}, actor: "cluster" })).toEqual([]);
    // issue_comment: the default branch's files, by the types listed; our own reply (workflow token) none.
    const comment = (action: "created" | "edited", actor: "maintainer" | "workflow-token") =>
      files({
        event: "issue_comment",
        action,
        actor,
        issue: { number: 7, pull_request: { url: "https://api.github.com/repos/o/r/pulls/7" } },
        comment: { id: 1, body: "/hpc run", user: { login: "maintainer" } },
      });
    expect(comment("created", "maintainer")).toEqual([]); // a.yml does not listen to issue_comment

    // A caller on main that lists issue_comment: types [created] runs for new comments only, from main's
    // tree, even though a pull request's branch may carry another copy.
    git(repo, "checkout", "-q", "main");
    writeFileSync(
      join(repo, ".github/workflows/a.yml"),
      caller.replace("jobs: {}", "  issue_comment:\n    types: [created]\njobs: {}"),
    );
    git(repo, "commit", "-q", "-am", "listen to /hpc comments");
    git(repo, "push", "-q", "origin", "main");
    const main2 = git(repo, "rev-parse", "HEAD");
    git(repo, "checkout", "-q", "-b", "feature");
    writeFileSync(join(repo, ".github/workflows/a.yml"), "on: [issue_comment]\njobs: {}\n");
    writeFileSync(join(repo, ".github/workflows/evil.yml"), "on: [issue_comment]\njobs: {}\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "a pull request's own workflows");
    git(repo, "push", "-q", "origin", "feature");
    expect(comment("created", "maintainer")).toEqual([`.github/workflows/a.yml@${main2.slice(0, 7)}`]);
    expect(comment("edited", "maintainer")).toEqual([]);
    expect(comment("created", "workflow-token")).toEqual([]);
    git(repo, "checkout", "-q", "hpc-results");

    // A caller kept on the results branch does fire on its pushes: whoever can push there controls it.
    mkdirSync(join(repo, ".github/workflows"), { recursive: true });
    writeFileSync(
      join(repo, ".github/workflows/b.yml"),
      "on:\n  push:\n    branches: [hpc-results]\njobs: {}\n",
    );
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "a caller on the results branch");
    git(repo, "push", "-q", "origin", "hpc-results");
    const withCaller = git(repo, "rev-parse", "HEAD");
    expect(files({ event: "push", branch: "hpc-results", sha: withCaller, actor: "cluster" })).toEqual([
      `.github/workflows/b.yml@${withCaller.slice(0, 7)}`,
    ]);
    // ... except when the workflow token pushed (render-badges' gh-pages pushes cannot loop).
    expect(files({ event: "push", branch: "hpc-results", sha: withCaller, actor: "workflow-token" })).toEqual(
      [],
    );
  });
});
