// request-hpc-run run as the runner runs it (node dist/request-hpc-run/index.js, GITHUB_EVENT_NAME and a
// real-shaped event payload) against the OpenAPI-checked GitHub stand-in and a bare repository as origin of
// the results branch: `/hpc run` and `/hpc cancel` on pull requests, and the mirror of request states to the
// `hpc` check run on the processing path.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkDocument } from "../src/contract/validate.js";
import type { HpcRequest } from "../src/contract/types.js";
import { createFakeSha } from "./harness/github-api/index.js";
import { issueCommentEvent } from "./harness/issue-comment.js";
import { git } from "./harness/git.js";
import { requestBench } from "./harness/request-bench.js";
import { runAction, type ActionRun } from "./harness/run-action.js";

const TOKEN = "ghs_RequestTokenThatMustNeverLeak0123456789";
const BOT = "github-actions[bot]";
let nextPr = 100;
const bench = requestBench(TOKEN, (api) => {
  api.state.setCollaborator("maintainer-ann", "maintain");
  api.state.setCollaborator("writer-wu", "write");
  api.state.setCollaborator("triager-tom", "triage");
  api.state.addPullRequest({ number: 1, headSha: createFakeSha("seed"), user: "reader-rae" }); // makes the user known
});
const { expectNoToken } = bench;

/** The file on the origin's results branch, or undefined. */
function onBranch(path: string): string | undefined {
  try {
    return git(bench.results.origin, "show", `hpc-results:${path}`);
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
  bench.api.state.addPullRequest({ number, headSha: head, user: "contributor-cy", ...o });
  return { number, head };
}

/** The issue_comment event GitHub sends for a new comment on a pull request (or, with `issue`, an issue). */
async function say(
  number: number,
  login: string,
  body: string,
  onIssue = false,
): Promise<{ run: ActionRun; id: number }> {
  const comment = bench.api.state.addComment(number, { body, user: login });
  const run = await runAction("request-hpc-run", {
    eventName: "issue_comment",
    event: issueCommentEvent(bench.api.state, number, comment, onIssue),
    inputs: { "results-remote": bench.results.origin },
    env: { GITHUB_API_URL: bench.api.url, INPUT_TOKEN: TOKEN, HPC_CI_GITHUB_TIME_SCALE: "0" },
  });
  expectNoToken(run);
  // The scratch checkout of the results branch is gone.
  expect(readdirSync(run.runnerTemp)).toEqual([]);
  return { run, id: Number(comment.id) };
}

function reactions(commentId: number): string[] {
  return bench.api.state.reactions(commentId).map((r) => `${r.user.login}:${r.content}`);
}

function hpcRuns(sha: string) {
  return bench.api.state.checkRuns(sha).filter((r) => r.name === "hpc");
}

function replies(number: number) {
  return bench.api.state.comments(number).filter((c) => c.user?.login === BOT);
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
    bench.api.state.updatePullRequest(pr.number, { headSha: createFakeSha(`moved-${pr.number}`) });
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
    expect(git(bench.results.origin, "log", "-1", "--format=%an", "hpc-results")).toBe(BOT);

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
    const before = git(bench.results.origin, "rev-parse", "hpc-results");
    for (const login of ["reader-rae", "triager-tom"]) {
      const { run, id } = await say(pr.number, login, "/hpc run benchmarks");
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs).toMatchObject({ outcome: "refused", reason: "no-permission" });
      expect(reactions(id)).toEqual([`${BOT}:-1`]);
      expect(requestOnBranch(`pr-${pr.number}-${id}`)).toBeUndefined();
    }
    expect(git(bench.results.origin, "rev-parse", "hpc-results")).toBe(before);
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
    bench.api.state.addRepository({ owner: "contributor-cy", name: "octo-repo" });
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
    bench.api.state.updatePullRequest(pr.number, { headSha: moved });
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
