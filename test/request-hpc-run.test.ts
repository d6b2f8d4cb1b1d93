// request-hpc-run run as the runner runs it (node dist/request-hpc-run/index.js, GITHUB_EVENT_NAME and a
// real-shaped event payload) against the OpenAPI-checked GitHub stand-in and a bare repository as origin of
// the results branch: `/hpc run` and `/hpc cancel` on pull requests, and the mirror of request states to the
// `hpc` check run on the processing path.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkDocument } from "../src/contract/validate.js";
import type { HpcRequest } from "../src/contract/types.js";
import { createFakeSha, startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import { ResultsRepo, myceliaResults } from "./harness/results-branch.js";
import { runAction, type ActionRun } from "./harness/run-action.js";

const TOKEN = "ghs_RequestTokenThatMustNeverLeak0123456789";
const BOT = "github-actions[bot]";
let api: GitHubApi;
let results: ResultsRepo;
let nextPr = 100;

beforeAll(async () => {
  api = await startGitHubApi({ token: TOKEN });
  api.state.setCollaborator("maintainer-ann", "maintain");
  api.state.setCollaborator("writer-wu", "write");
  api.state.setCollaborator("triager-tom", "triage");
  api.state.addPullRequest({ number: 1, headSha: createFakeSha("seed"), user: "reader-rae" }); // makes the user known
  results = new ResultsRepo();
  writeFileSync(join(results.work, "README.md"), "HPC results\n");
  results.commit("start the results branch");
  git(results.work, "push", "-q", "origin", "hpc-results");
});

afterEach(() => {
  expect(api.violations).toEqual([]);
});

afterAll(async () => {
  await api.close();
});

/** The token appears only in the runner's own ::add-mask:: command, which hides it from every later line. */
function expectNoToken(run: ActionRun): void {
  const lines = `${run.stdout}\n${run.stderr}`.split("\n").filter((l) => !l.startsWith("::add-mask::"));
  expect(lines.join("\n")).not.toContain(TOKEN);
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** The file on the origin's results branch, or undefined. */
function onBranch(path: string): string | undefined {
  try {
    return git(results.origin, "show", `hpc-results:${path}`);
  } catch {
    return undefined;
  }
}

function requestOnBranch(id: string): HpcRequest | undefined {
  const text = onBranch(`requests/${id}.json`);
  return text === undefined ? undefined : (JSON.parse(text) as HpcRequest);
}

function openPullRequest(o: { headRepo?: string; state?: "open" | "closed" } = {}) {
  const number = nextPr++;
  const head = createFakeSha(`head-${number}`);
  api.state.addPullRequest({ number, headSha: head, user: "contributor-cy", ...o });
  return { number, head };
}

/** The issue_comment event GitHub sends for a new comment on a pull request (or, with `issue`, an issue). */
function commentEvent(
  number: number,
  comment: ReturnType<GitHubApi["state"]["addComment"]>,
  onIssue = false,
) {
  const pr = api.state.pullRequest(number)!;
  const repository = api.state.repository();
  return {
    action: "created",
    issue: {
      url: pr.issue_url,
      repository_url: repository.url,
      labels_url: `${pr.issue_url}/labels{/name}`,
      comments_url: pr.comments_url,
      events_url: `${pr.issue_url}/events`,
      html_url: pr.html_url,
      id: Number(pr.id) + 1,
      node_id: "I_kwDOtest",
      number,
      title: pr.title,
      user: pr.user,
      labels: [],
      state: pr.state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: 1,
      created_at: pr.created_at,
      updated_at: pr.updated_at,
      closed_at: pr.closed_at,
      author_association: "CONTRIBUTOR",
      active_lock_reason: null,
      ...(onIssue
        ? {}
        : {
            draft: false,
            pull_request: {
              url: pr.url,
              html_url: pr.html_url,
              diff_url: pr.diff_url,
              patch_url: pr.patch_url,
              merged_at: pr.merged_at,
            },
          }),
      body: pr.body,
      performed_via_github_app: null,
      state_reason: null,
    },
    comment,
    repository,
    sender: comment.user,
  };
}

async function say(
  number: number,
  login: string,
  body: string,
  onIssue = false,
): Promise<{ run: ActionRun; id: number }> {
  const comment = api.state.addComment(number, { body, user: login });
  const run = await runAction("request-hpc-run", {
    eventName: "issue_comment",
    event: commentEvent(number, comment, onIssue),
    inputs: { "results-remote": results.origin },
    env: { GITHUB_API_URL: api.url, INPUT_TOKEN: TOKEN, HPC_CI_GITHUB_TIME_SCALE: "0" },
  });
  expectNoToken(run);
  // The scratch checkout of the results branch is gone.
  expect(readdirSync(run.runnerTemp)).toEqual([]);
  return { run, id: Number(comment.id) };
}

function reactions(commentId: number): string[] {
  return api.state.reactions(commentId).map((r) => `${r.user.login}:${r.content}`);
}

function hpcRuns(sha: string) {
  return api.state.checkRuns(sha).filter((r) => r.name === "hpc");
}

function replies(number: number) {
  return api.state.comments(number).filter((c) => c.user?.login === BOT);
}

describe("/hpc run on a pull request", () => {
  it("records a maintainer's request pinned to the head GitHub has now, reacts, and queues the hpc check run", async () => {
    const pr = openPullRequest();
    const { run, id } = await say(pr.number, "maintainer-ann", "/hpc run tests\nplease, before the release");
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("accepted");
    const requestId = `pr-${pr.number}-${id}`;
    expect(JSON.parse(run.outputs.requests!)).toEqual([requestId]);

    // The pull request moves on after the comment was handled: the request keeps the commit it was pinned to.
    api.state.updatePullRequest(pr.number, { headSha: createFakeSha(`moved-${pr.number}`) });
    const request = requestOnBranch(requestId)!;
    expect(checkDocument("hpc-request", request, `requests/${requestId}.json`)).toEqual([]);
    expect(request).toMatchObject({
      id: requestId,
      source: "pull_request",
      what: "tests",
      commit: pr.head,
      repository: "octo-org/octo-repo",
      pull_request: pr.number,
      requested_by: "maintainer-ann",
      comment_id: id,
      state: "queued",
    });
    expect(request.events).toEqual([{ state: "queued", at: request.requested_at, by: "maintainer-ann" }]);
    expect(git(results.origin, "log", "-1", "--format=%an", "hpc-results")).toBe(BOT);

    expect(reactions(id)).toEqual([`${BOT}:rocket`]);
    const [check, ...more] = hpcRuns(pr.head);
    expect(more).toEqual([]);
    expect(check).toMatchObject({ status: "queued", conclusion: null, external_id: requestId });
    expect(check!.output.title).toBe("Queued: tests requested by maintainer-ann");
    expect(check!.output.summary).toContain(`\`${requestId}\``);
    expect(replies(pr.number)).toEqual([]);
  });

  it("takes `/hpc run` alone as all, for a user with write", async () => {
    const pr = openPullRequest();
    const { run, id } = await say(pr.number, "writer-wu", "/HPC run");
    expect(run.exitCode, run.stdout).toBe(0);
    expect(requestOnBranch(`pr-${pr.number}-${id}`)?.what).toBe("all");
  });

  it("refuses a user without write: a -1, a short reply that mentions nobody, no request, no check run", async () => {
    const pr = openPullRequest();
    const before = git(results.origin, "rev-parse", "hpc-results");
    for (const login of ["reader-rae", "triager-tom"]) {
      const { run, id } = await say(pr.number, login, "/hpc run benchmarks");
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs).toMatchObject({ outcome: "refused", reason: "no-permission" });
      expect(reactions(id)).toEqual([`${BOT}:-1`]);
      expect(requestOnBranch(`pr-${pr.number}-${id}`)).toBeUndefined();
    }
    expect(git(results.origin, "rev-parse", "hpc-results")).toBe(before);
    expect(hpcRuns(pr.head)).toEqual([]);
    const [first, second] = replies(pr.number);
    expect(first!.body).toContain(
      "Only users with write access to this repository can start cluster runs (yours: read)",
    );
    expect(second!.body).toContain("(yours: read)"); // triage is read in GitHub's base permissions
    expect(first!.body).not.toContain("@");
    expect(first!.body!.split("\n")[0]).toBe("<!-- hpc-ci-actions:request-hpc-run -->");
  });

  it("refuses an unknown command with the usage, echoing it escaped", async () => {
    const pr = openPullRequest();
    const { run } = await say(
      pr.number,
      "maintainer-ann",
      "/hpc deploy @everyone <img src=x> [x](https://evil.example)",
    );
    expect(run.outputs).toMatchObject({ outcome: "refused", reason: "unknown-command" });
    const body = replies(pr.number)[0]!.body;
    expect(body).toContain("/hpc run");
    expect(body).not.toMatch(/@everyone|<img|\]\(https:/);
    expect(hpcRuns(pr.head)).toEqual([]);
  });

  it("refuses on a closed pull request, and on an issue that is no pull request", async () => {
    const closed = openPullRequest({ state: "closed" });
    const { run } = await say(closed.number, "maintainer-ann", "/hpc run");
    expect(run.outputs).toMatchObject({ outcome: "refused", reason: "closed" });
    expect(replies(closed.number)[0]!.body).toContain("This pull request is closed");

    const issue = openPullRequest();
    const onIssue = await say(issue.number, "maintainer-ann", "/hpc run", true);
    expect(onIssue.run.outputs).toMatchObject({ outcome: "refused", reason: "not-pull-request" });
    expect(hpcRuns(issue.head)).toEqual([]);
  });

  it("ignores comments that are no /hpc command (quoted further down, or edited)", async () => {
    const pr = openPullRequest();
    const { run, id } = await say(pr.number, "maintainer-ann", "LGTM\n/hpc run");
    expect(run.outputs.outcome).toBe("ignored");
    expect(reactions(id)).toEqual([]);
    expect(replies(pr.number)).toEqual([]);
  });

  it("runs a fork's pull request only when a maintainer asks, pinned to the fork's head", async () => {
    api.state.addRepository({ owner: "contributor-cy", name: "octo-repo" });
    const pr = openPullRequest({ headRepo: "contributor-cy/octo-repo" });
    const refused = await say(pr.number, "contributor-cy", "/hpc run");
    expect(refused.run.outputs).toMatchObject({ outcome: "refused", reason: "no-permission" });
    expect(replies(pr.number)[0]!.body).toContain("comes from a fork");

    const { run, id } = await say(pr.number, "maintainer-ann", "/hpc run");
    expect(run.outputs.outcome).toBe("accepted");
    expect(requestOnBranch(`pr-${pr.number}-${id}`)).toMatchObject({
      commit: pr.head,
      repository: "octo-org/octo-repo",
    });
    expect(run.stdout).toContain("a fork's pull request, requested by a maintainer");
  });

  it("supersedes the open request of an older head when the pull request moved on", async () => {
    const pr = openPullRequest();
    const first = await say(pr.number, "maintainer-ann", "/hpc run");
    const moved = createFakeSha(`pushed-${pr.number}`);
    api.state.updatePullRequest(pr.number, { headSha: moved });
    const second = await say(pr.number, "writer-wu", "/hpc run tests");
    expect(second.run.exitCode, second.run.stdout).toBe(0);

    const older = requestOnBranch(`pr-${pr.number}-${first.id}`)!;
    expect(checkDocument("hpc-request", older, "older")).toEqual([]);
    expect(older.state).toBe("superseded");
    expect(older.reason).toContain(moved);
    expect(older.events?.map((e) => e.state)).toEqual(["queued", "superseded"]);
    expect(requestOnBranch(`pr-${pr.number}-${second.id}`)).toMatchObject({ state: "queued", commit: moved });

    expect(hpcRuns(pr.head)).toMatchObject([{ status: "completed", conclusion: "skipped" }]);
    expect(hpcRuns(pr.head)[0]!.output.summary!.replaceAll("\u200b", "")).toContain(moved);
    expect(hpcRuns(moved)).toMatchObject([{ status: "queued" }]);
  });

  it("/hpc cancel cancels the pull request's open requests and their check runs", async () => {
    const pr = openPullRequest();
    const asked = await say(pr.number, "maintainer-ann", "/hpc run");
    const { run, id } = await say(pr.number, "writer-wu", "/hpc cancel");
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("cancelled");
    const request = requestOnBranch(`pr-${pr.number}-${asked.id}`)!;
    expect(request).toMatchObject({ state: "cancelled", reason: "cancelled by writer-wu" });
    expect(checkDocument("hpc-request", request, "cancelled")).toEqual([]);
    expect(reactions(id)).toEqual([`${BOT}:+1`]);
    expect(hpcRuns(pr.head)).toMatchObject([{ status: "completed", conclusion: "cancelled" }]);

    // A reader may not cancel.
    const again = await say(pr.number, "reader-rae", "/hpc cancel");
    expect(again.run.outputs.outcome).toBe("refused");
  });

  it("records two requests made at the same moment on different pull requests (the push is race-safe)", async () => {
    const a = openPullRequest();
    const b = openPullRequest();
    const [ra, rb] = await Promise.all([
      say(a.number, "maintainer-ann", "/hpc run"),
      say(b.number, "writer-wu", "/hpc run benchmarks"),
    ]);
    expect(ra.run.exitCode, ra.run.stdout).toBe(0);
    expect(rb.run.exitCode, rb.run.stdout).toBe(0);
    expect(requestOnBranch(`pr-${a.number}-${ra.id}`)?.state).toBe("queued");
    expect(requestOnBranch(`pr-${b.number}-${rb.id}`)?.what).toBe("benchmarks");
  });
});

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
    git(results.work, "fetch", "-q", "origin", "hpc-results");
    git(results.work, "reset", "-q", "--hard", "FETCH_HEAD");
    for (const [path, value] of Object.entries(files)) {
      mkdirSync(join(results.work, path, ".."), { recursive: true });
      writeFileSync(
        join(results.work, path),
        typeof value === "string" ? value : `${JSON.stringify(value, null, 2)}\n`,
      );
    }
    results.commit(message);
    git(results.work, "push", "-q", "origin", "HEAD:hpc-results");
    return results.head();
  }

  async function mirror(inputs: Record<string, string> = {}): Promise<ActionRun> {
    const run = await runAction("request-hpc-run", {
      eventName: "repository_dispatch",
      event: { action: "hpc-results", client_payload: {}, repository: api.state.repository() },
      cwd: results.work,
      inputs: {
        "results-remote": results.origin,
        "pages-url": "https://octo-org.github.io/octo-repo/hpc/",
        ...inputs,
      },
      env: { GITHUB_API_URL: api.url, INPUT_TOKEN: TOKEN, HPC_CI_GITHUB_TIME_SCALE: "0" },
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
    for (const sha of Object.values(commits)) api.state.addCommit(sha);
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
        [`${commits.failedTests}/hpc-results.json`]: myceliaResults(commits.failedTests, { tests: "failed" }),
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
    api.state.addCommit(sha);
    publish({ "requests/pr-8-1.json": request("pr-8-1", sha, "queued", { pull_request: 8 }) }, "queued");
    const run = await mirror();
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain("request file(s) could not be used");
    expect(hpcRuns(sha)).toMatchObject([{ status: "queued" }]);
  });
});
