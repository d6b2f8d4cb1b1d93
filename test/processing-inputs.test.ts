// The pieces of "process everything since the last processed commit" and "the default branch in charge",
// each on the action bundles: ingest's since, render-badges' default branch (from the event or the input)
// and its processed marker; and the CLI's dispatch target.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sendDispatch } from "../src/github/dispatch.js";
import { apiUrlForRemote, repositoryOfRemote } from "../src/git/remote-url.js";
import { ResultsRepo, ourRun, sha, writeOurRun } from "./harness/results-branch.js";
import { runAction } from "./harness/run-action.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function repo(): ResultsRepo {
  const r = new ResultsRepo();
  made.push(join(r.work, ".."));
  return r;
}

describe("ingest since", () => {
  it("takes every run folder changed since the given results commit, and nothing else", async () => {
    const r = repo();
    writeOurRun(r.work, ourRun(sha("old"), { generatedAt: "2026-01-01T00:00:00Z" }));
    const since = r.commit("old").id;
    writeOurRun(r.work, ourRun(sha("a"), { generatedAt: "2026-01-02T00:00:00Z" }));
    r.commit("a");
    writeOurRun(r.work, ourRun(sha("b"), { generatedAt: "2026-01-03T00:00:00Z" }));
    const head = r.commit("b").id;
    const run = await runAction("ingest-hpc-results", {
      cwd: r.work,
      inputs: { since },
      eventName: "schedule",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(JSON.parse(run.outputs.commits!)).toEqual([sha("a"), sha("b")]);
    expect(run.outputs["results-commit"]).toBe(head);
    expect(run.outputs.problems).toBe("0");

    const nothing = await runAction("ingest-hpc-results", { cwd: r.work, inputs: { since: head } });
    expect(nothing.exitCode, nothing.stdout).toBe(0); // nothing new is an answer, not a failure
    expect(JSON.parse(nothing.outputs.commits!)).toEqual([]);
    expect(nothing.outputs.valid).toBe("false");

    const unknown = await runAction("ingest-hpc-results", { cwd: r.work, inputs: { since: sha("gone") } });
    expect(unknown.annotations.some((a) => a.level === "warning" && /could not list/.test(a.message))).toBe(
      true,
    );
    expect(JSON.parse(unknown.outputs.commits!)).toEqual([sha("b")]); // the latest run

    const option = await runAction("ingest-hpc-results", {
      cwd: r.work,
      inputs: { since: "--output=/tmp/x" },
    });
    expect(option.exitCode).not.toBe(0);
    expect(option.annotations[0]?.message).toMatch(/input "since" must be a results-branch commit/);
  });
});

describe("render-badges: the default branch in charge, and the marker", () => {
  const run = (branch: string, generatedAt: string, failed = 0) => ({
    ...ourRun(sha(`${branch}-${generatedAt}`), { generatedAt, failed }).results,
    branch,
  });
  const pages = () => {
    const dir = mkdtempSync(join(tmpdir(), "hpc-default-branch-"));
    made.push(dir);
    return dir;
  };
  const read = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, "hpc", file), "utf8"));

  it("takes the default branch from the event; other branches stay out of the badges", async () => {
    const dir = pages();
    const main = run("main", "2026-01-01T00:00:00Z");
    const feature = run("feature", "2026-01-05T00:00:00Z", 4);
    const rendered = await runAction("render-badges", {
      inputs: { results: JSON.stringify(feature), "pages-path": dir, push: "false" },
      event: { repository: { default_branch: "main" } },
    });
    expect(rendered.exitCode, rendered.stdout).toBe(0);
    expect(read(dir, "tests.json")).toMatchObject({ message: "no main run yet", color: "lightgrey" });
    await runAction("render-badges", {
      inputs: { results: JSON.stringify(main), "pages-path": dir, push: "false" },
      event: { repository: { default_branch: "main" } },
    });
    expect(read(dir, "freshness.json").message).toBe("2026-01-01");
    expect(read(dir, "tests.json").color).toBe("brightgreen");
    expect(read(dir, "history.json").runs.map((r: { branch: string }) => r.branch)).toEqual([
      "feature",
      "main",
    ]);
    const page = readFileSync(join(dir, "hpc/index.html"), "utf8");
    expect(page).toContain("Newest run of main");

    // The input overrides the event: now the feature branch speaks.
    await runAction("render-badges", {
      inputs: { "pages-path": dir, push: "false", "default-branch": "feature" },
      event: { repository: { default_branch: "main" } },
    });
    expect(read(dir, "freshness.json").message).toBe("2026-01-05");
  });

  it("writes processed.json only when asked, with when the headline run turns stale", async () => {
    const dir = pages();
    const main = run("main", "2026-01-01T00:00:00Z");
    await runAction("render-badges", {
      inputs: { results: JSON.stringify(main), "pages-path": dir, push: "false", "default-branch": "main" },
    });
    expect(() => read(dir, "processed.json")).toThrow();
    const commit = sha("results-tip");
    const marked = await runAction("render-badges", {
      inputs: { "pages-path": dir, push: "false", "processed-commit": commit, "stale-after": "2d" },
      event: { repository: { default_branch: "main" } },
    });
    expect(marked.exitCode, marked.stdout).toBe(0);
    expect(read(dir, "processed.json")).toMatchObject({
      schema_version: 1,
      results_branch: "hpc-results",
      results_commit: commit,
      stale_at: "2026-01-03T00:00:00Z",
    });
    expect(read(dir, "processed.json").processed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

describe("the CLI's dispatch", () => {
  it("reads owner/name from the remotes clusters use", () => {
    expect(repositoryOfRemote("git@github.com:octo-org/Example.jl.git")).toBe("octo-org/Example.jl");
    expect(repositoryOfRemote("ssh://git@github.com/octo-org/example.git")).toBe("octo-org/example");
    expect(repositoryOfRemote("https://x-access-token:t@ghes.example.com/team/repo")).toBe("team/repo");
    expect(repositoryOfRemote("/srv/git/origin.git")).toBeUndefined();
    expect(repositoryOfRemote("http://127.0.0.1:8080/origin.git")).toBeUndefined();
    // A token goes only to the server its remote lives on.
    expect(apiUrlForRemote("git@github.com:octo-org/Example.jl.git")).toBe("https://api.github.com");
    expect(apiUrlForRemote("https://ghes.example.com/team/repo.git")).toBe("https://ghes.example.com/api/v3");
    expect(apiUrlForRemote("ssh://git@ghes.example.com:2222/team/repo.git")).toBe(
      "https://ghes.example.com/api/v3",
    );
    expect(apiUrlForRemote("/srv/git/origin.git")).toBeUndefined();
  });

  it("gives up after its timeout with the reason, never an exception", async () => {
    const server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const started = Date.now();
      const outcome = await sendDispatch({
        apiUrl: url,
        repository: "o/r",
        token: "t",
        resultsCommit: sha("x"),
        commits: [],
        timeoutMs: 300,
      });
      expect(outcome).toEqual({ ok: false, reason: `could not reach ${url}: no answer within 0.3s` });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
