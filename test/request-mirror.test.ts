// request-hpc-run on the processing path (repository_dispatch), run as the runner runs it against the
// OpenAPI-checked GitHub stand-in and a bare repository as origin of the results branch: the request states
// on the branch (as the poller or anyone who can push writes them) become the `hpc` check runs.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { HpcRequest } from "../src/contract/types.js";
import { createFakeSha } from "./harness/github-api/index.js";
import { myceliaResults } from "./harness/results-branch.js";
import { git } from "./harness/git.js";
import { requestBench } from "./harness/request-bench.js";
import { runAction, type ActionRun } from "./harness/run-action.js";

const TOKEN = "ghs_MirrorTokenThatMustNeverLeak0123456789";
const bench = requestBench(TOKEN);
const { expectNoToken } = bench;

function hpcRuns(sha: string) {
  return bench.api.state.checkRuns(sha).filter((r) => r.name === "hpc");
}

describe("the hpc check run follows the request on the processing path", () => {
  const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, "0")}:00Z`;

  function request(
    id: string,
    commit: string,
    state: HpcRequest["state"],
    extra: Partial<HpcRequest> = {},
  ): HpcRequest {
    return {
      schema_version: 1,
      id,
      source: "pull_request",
      what: "all",
      commit,
      repository: "octo-org/octo-repo",
      pull_request: 7,
      requested_by: "maintainer-ann",
      requested_at: at(1),
      comment_id: 99,
      state,
      updated_at: at(30),
      events: [{ state: "queued", at: at(1), by: "maintainer-ann" }],
      ...extra,
    };
  }

  /** Writes files onto the results branch as the poller (or anyone who can push) would, and pushes. */
  function publish(files: Record<string, unknown>, message: string): string {
    git(bench.results.work, "fetch", "-q", "origin", "hpc-results");
    git(bench.results.work, "reset", "-q", "--hard", "FETCH_HEAD");
    for (const [path, value] of Object.entries(files)) {
      mkdirSync(join(bench.results.work, path, ".."), { recursive: true });
      writeFileSync(
        join(bench.results.work, path),
        typeof value === "string" ? value : `${JSON.stringify(value, null, 2)}\n`,
      );
    }
    bench.results.commit(message);
    git(bench.results.work, "push", "-q", "origin", "HEAD:hpc-results");
    return bench.results.head();
  }

  async function mirror(inputs: Record<string, string> = {}): Promise<ActionRun> {
    const run = await runAction("request-hpc-run", {
      eventName: "repository_dispatch",
      event: { action: "hpc-results", client_payload: {}, repository: bench.api.state.repository() },
      cwd: bench.results.work,
      inputs: {
        "results-remote": bench.results.origin,
        "pages-url": "https://octo-org.github.io/octo-repo/hpc/",
        ...inputs,
      },
      env: { GITHUB_API_URL: bench.api.url, INPUT_TOKEN: TOKEN, HPC_CI_GITHUB_TIME_SCALE: "0" },
    });
    expectNoToken(run);
    return run;
  }

  const commits = {
    running: createFakeSha("mirror-running"),
    passed: createFakeSha("mirror-passed"),
    failedTests: createFakeSha("mirror-failed-tests"),
    died: createFakeSha("mirror-died"),
    stale: createFakeSha("mirror-stale"),
  };

  it("shows running, completed, failed and stale requests, and reports an invalid file without stopping", async () => {
    for (const sha of Object.values(commits)) bench.api.state.addCommit(sha);
    const running = request("pr-7-1", commits.running, "running", {
      job_id: "4242",
      claimed_by: "login1.cluster:1234",
      claimed_at: at(5),
      events: [
        { state: "queued", at: at(1), by: "maintainer-ann" },
        { state: "running", at: at(5), by: "login1.cluster:1234", job_id: "4242" },
      ],
    });
    const since = publish(
      {
        "requests/pr-7-1.json": running,
        "requests/pr-7-2.json": request("pr-7-2", commits.passed, "completed", {
          what: "tests",
          job_id: "4243",
        }),
        [`${commits.passed}/hpc-results.json`]: myceliaResults(commits.passed, { tests: "passed" }),
        "requests/pr-7-3.json": request("pr-7-3", commits.failedTests, "completed", { job_id: "4244" }),
        [`${commits.failedTests}/hpc-results.json`]: myceliaResults(commits.failedTests, {
          tests: "failed",
        }),
        "requests/pr-7-4.json": request("pr-7-4", commits.died, "failed", {
          job_id: "4245",
          reason: "job 4245 ended TIMEOUT (walltime 02:00:00 reached)",
        }),
        "requests/pr-7-5.json": request("pr-7-5", commits.stale, "stale", {
          reason: "nobody claimed it within 24h",
        }),
        "requests/broken.json": { schema_version: 1, id: "broken", state: "exploded" },
      },
      "the poller's states",
    );

    const run = await mirror({ "fail-on-invalid": "false" });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.problems, run.stdout).toBe("1");
    expect(run.annotations.filter((a) => a.level === "error").map((a) => a.properties.file)).toEqual([
      "requests/broken.json",
    ]);

    const [r] = hpcRuns(commits.running);
    expect(r).toMatchObject({
      status: "in_progress",
      conclusion: null,
      started_at: at(5),
      external_id: "pr-7-1",
    });
    expect(r!.output.title).toBe("Running as job 4242: tests and benchmarks requested by maintainer-ann");
    expect(r!.output.summary).toContain("since 2026-03-01 10:05:00 UTC");
    expect(r!.details_url).toBe("https://octo-org.github.io/octo-repo/hpc/");
    expect(hpcRuns(commits.passed)).toMatchObject([{ status: "completed", conclusion: "success" }]);
    expect(hpcRuns(commits.failedTests)).toMatchObject([{ status: "completed", conclusion: "failure" }]);
    expect(hpcRuns(commits.failedTests)[0]!.output.title).toBe("Failed: tests");
    const [died] = hpcRuns(commits.died);
    expect(died).toMatchObject({ status: "completed", conclusion: "failure", completed_at: at(30) });
    expect(died!.output.summary).toContain("TIMEOUT");
    expect(hpcRuns(commits.stale)).toMatchObject([{ status: "completed", conclusion: "timed_out" }]);

    // Again, with nothing new: the same check runs, none added.
    const before = Object.values(commits).map((sha) => hpcRuns(sha));
    const again = await mirror({ "fail-on-invalid": "false" });
    expect(again.exitCode).toBe(0);
    expect(Object.values(commits).map((sha) => hpcRuns(sha))).toEqual(before);

    // Since the marker: only what changed (the running one completed) and what is still open.
    publish(
      {
        "requests/pr-7-1.json": {
          ...running,
          state: "completed",
          updated_at: at(50),
          events: [...running.events!, { state: "completed", at: at(50), job_id: "4242" }],
        },
        [`${commits.running}/hpc-results.json`]: myceliaResults(commits.running, {
          tests: "passed",
          benchmarks: "failed",
        }),
      },
      "job 4242 done",
    );
    const marked = await mirror({ since, "fail-on-invalid": "false" });
    expect(marked.exitCode, marked.stdout).toBe(0);
    const shown = JSON.parse(marked.outputs["check-runs"]!) as Array<{ request: string; state: string }>;
    expect(shown).toContainEqual(
      expect.objectContaining({ request: "pr-7-1", status: "completed", conclusion: "failure" }),
    );
    // The final ones that did not change since the marker are left alone; open ones are shown again.
    expect(shown.map((s) => s.request)).not.toContain("pr-7-2");
    expect(shown.map((s) => s.request).filter((id) => /^pr-7-[2-5]$/.test(id))).toEqual([]);
    expect(shown.every((s) => s.request === "pr-7-1" || (s as { status?: string }).status === "queued")).toBe(
      true,
    );
    expect(hpcRuns(commits.running)[0]!.output.title).toBe("Failed: benchmarks");
  });

  it("fails the step for an invalid request file by default, after showing the valid ones", async () => {
    const sha = createFakeSha("mirror-default-fail");
    bench.api.state.addCommit(sha);
    publish({ "requests/pr-8-1.json": request("pr-8-1", sha, "queued", { pull_request: 8 }) }, "queued");
    // The reusable workflow passes pages-dir alone: the dashboard is its GitHub Pages URL, as render computes it.
    const run = await mirror({ "pages-url": "", "pages-dir": "hpc" });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain("request file(s) could not be used");
    const [queued] = hpcRuns(sha);
    expect(queued).toMatchObject({
      status: "queued",
      details_url: "https://octo-org.github.io/octo-repo/hpc/",
    });
    expect(queued!.output.summary).toContain("[dashboard](https://octo-org.github.io/octo-repo/hpc/)");
  });

  it("reads ended requests in requests-closed/ only where they changed since the marker", async () => {
    const old = createFakeSha("mirror-archived-long-ago");
    const moved = createFakeSha("mirror-archived-now");
    // Commit y: its newest request ended and was archived; an older one, cancelled, still waits in requests/.
    const y = createFakeSha("mirror-newest-archived");
    for (const sha of [old, moved, y]) bench.api.state.addCommit(sha);
    // Before the marker: ended requests the poller archived long ago, and an unusable file nobody touched.
    const since = publish(
      {
        [`requests-closed/${old}/pr-9-1.json`]: request("pr-9-1", old, "completed"),
        [`requests-closed/${old}/garbage.json`]: "{ not json",
        [`requests-closed/${y}/pr-10-2.json`]: request("pr-10-2", y, "completed"),
      },
      "archived long ago",
    );
    const older = request("pr-10-1", y, "cancelled", {
      requested_at: "2026-03-01T09:00:00Z",
      job_id: "4251",
    });
    const timeout = "job 4250 TIMEOUT after 00:10:00";
    publish(
      { [`requests-closed/${moved}/pr-9-2.json`]: request("pr-9-2", moved, "failed", { reason: timeout }) },
      "archived",
    );
    // After the marker, only the older request of y changes (a poller notes its job stopped).
    publish({ "requests/pr-10-1.json": older }, "job 4251 stopped");
    const run = await mirror({ since, "fail-on-invalid": "false" });
    expect(run.exitCode, run.stdout).toBe(0);
    // The first test's requests/broken.json is reported; garbage.json, unchanged since the marker, is not read.
    const errors = (r: ActionRun) =>
      r.annotations.filter((a) => a.level === "error").map((a) => a.properties.file);
    expect(errors(run), run.stdout).toEqual(["requests/broken.json"]);
    expect(hpcRuns(moved)).toMatchObject([{ status: "completed", conclusion: "failure" }]);
    expect(hpcRuns(moved)[0]!.output.summary).toContain("TIMEOUT");
    expect(hpcRuns(old)).toEqual([]);
    // y's check run speaks for its newest request, read from requests-closed/<y>/ though unchanged there.
    expect(hpcRuns(y)).toMatchObject([{ external_id: "pr-10-2", status: "completed" }]);
    // Without a marker every request counts, the ended ones too.
    const all = await mirror({ "fail-on-invalid": "false" });
    expect(errors(all).sort()).toEqual([`requests-closed/${old}/garbage.json`, "requests/broken.json"]);
    expect(hpcRuns(old)).toMatchObject([{ status: "completed" }]);
  });
});
