// Self-tests of the GitHub REST stand-in (test/harness/github-api), driven by the same client the actions
// use: @actions/github's getOctokit pointed at the stand-in.
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createFakeSha,
  loadSpecIndex,
  SERVED_OPERATIONS,
  startGitHubApi,
  type GitHubApi,
} from "./harness/github-api/index.js";

type Octokit = ReturnType<typeof getOctokit>;

const HEAD = createFakeSha("head-7");
const OTHER = createFakeSha("other-8");
const OWNER = "octo-org";
const REPO = "octo-repo";

let api: GitHubApi;
let octokit: Octokit;

beforeEach(async () => {
  api = await startGitHubApi({
    onSpecLoaded: (t) => {
      // Visible in the test log: how long the OpenAPI index took to load in this process.
      if (t.source !== "memory")
        console.log(`OpenAPI index loaded from ${t.source} in ${t.milliseconds.toFixed(0)} ms`);
    },
  });
  octokit = getOctokit(api.token, { baseUrl: api.url });
});

afterEach(async () => {
  await api.close();
});

/** The error an octokit call rejects with (fails the test if it resolves). */
async function failure(p: Promise<unknown>): Promise<{
  status: number;
  message: string;
  response?: { headers: Record<string, string | undefined>; data: unknown };
}> {
  try {
    await p;
  } catch (error) {
    return error as never;
  }
  throw new Error("expected the request to fail");
}

function kinds() {
  return api.violations.map((v) => v.kind);
}

describe("pull requests", () => {
  it("lists the pull requests of a commit, and refuses an unknown commit with 422", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD, headRef: "feature/x", user: "alice" });
    api.state.addPullRequest({ number: 8, headSha: OTHER, commits: [HEAD] });
    const lonely = createFakeSha("no-pr");
    api.state.addCommit(lonely);

    const { data, status } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: HEAD,
    });
    expect(status).toBe(200);
    expect(data.map((p) => p.number)).toEqual([7, 8]);
    expect(data[0]).toMatchObject({
      head: { sha: HEAD, ref: "feature/x" },
      base: { ref: "main" },
      state: "open",
    });
    expect(data[0]!.user?.login).toBe("alice");
    // The list form leaves out merge state, as GitHub's does.
    expect(data[0]).not.toHaveProperty("merged");

    const none = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: lonely,
    });
    expect(none.data).toEqual([]);

    const unknown = createFakeSha("never-pushed");
    const error = await failure(
      octokit.rest.repos.listPullRequestsAssociatedWithCommit({
        owner: OWNER,
        repo: REPO,
        commit_sha: unknown,
      }),
    );
    expect(error.status).toBe(422);
    expect(error.response?.data).toMatchObject({
      message: `No commit found for SHA: ${unknown}`,
      status: "422",
    });
    expect(api.violations).toEqual([]);
  });

  it("gets one pull request and filters the list by state", async () => {
    api.state.addPullRequest({ number: 1, headSha: HEAD, title: "Open one" });
    api.state.addPullRequest({ number: 2, headSha: OTHER, merged: true });
    api.state.addPullRequest({ number: 3, headSha: createFakeSha("c"), state: "closed" });

    const { data: pr } = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 1 });
    expect(pr).toMatchObject({
      number: 1,
      title: "Open one",
      state: "open",
      merged: false,
      head: { sha: HEAD },
    });
    const { data: merged } = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 2 });
    expect(merged).toMatchObject({ state: "closed", merged: true });
    expect(merged.merged_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const list = async (state: "open" | "closed" | "all") =>
      (await octokit.rest.pulls.list({ owner: OWNER, repo: REPO, state })).data.map((p) => p.number);
    expect(await list("open")).toEqual([1]);
    expect(await list("closed")).toEqual([3, 2]); // newest first, GitHub's default
    expect(await list("all")).toEqual([3, 2, 1]);

    expect(
      (await failure(octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 99 }))).status,
    ).toBe(404);
    expect((await failure(octokit.rest.pulls.list({ owner: OWNER, repo: "missing" }))).status).toBe(404);
    expect(api.violations).toEqual([]);
  });

  it("answers GET /repos/{owner}/{repo} with the repository", async () => {
    const { data } = await octokit.rest.repos.get({ owner: OWNER, repo: REPO });
    expect(data).toMatchObject({ full_name: `${OWNER}/${REPO}`, default_branch: "main", private: false });
    expect(api.violations).toEqual([]);
  });
});

describe("issue comments", () => {
  it("posts, updates and deletes a comment, and the state sees each step", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });

    const created = await octokit.rest.issues.createComment({
      owner: OWNER,
      repo: REPO,
      issue_number: 7,
      body: "one",
    });
    expect(created.status).toBe(201);
    expect(created.data.id).toBeGreaterThan(2 ** 31); // real ids no longer fit in 32 bits
    expect(created.data).toMatchObject({
      body: "one",
      user: { login: "github-actions[bot]", type: "Bot" },
      html_url: `https://github.com/${OWNER}/${REPO}/pull/7#issuecomment-${created.data.id}`,
      issue_url: `${api.url}/repos/${OWNER}/${REPO}/issues/7`,
    });
    expect(created.headers.location).toBe(created.data.url);
    expect(api.state.comments(7).map((c) => c.body)).toEqual(["one"]);

    const updated = await octokit.rest.issues.updateComment({
      owner: OWNER,
      repo: REPO,
      comment_id: created.data.id,
      body: "two",
    });
    expect(updated.data).toMatchObject({ id: created.data.id, body: "two" });
    expect(api.state.comment(created.data.id)?.body).toBe("two");

    const deleted = await octokit.rest.issues.deleteComment({
      owner: OWNER,
      repo: REPO,
      comment_id: created.data.id,
    });
    expect(deleted.status).toBe(204);
    expect(api.state.comments(7)).toEqual([]);
    const again = await failure(
      octokit.rest.issues.updateComment({ owner: OWNER, repo: REPO, comment_id: created.data.id, body: "x" }),
    );
    expect(again.status).toBe(404);
    expect(
      (
        await failure(
          octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 5, body: "x" }),
        )
      ).status,
    ).toBe(404);
    expect(api.violations).toEqual([]);
  });

  it("paginates 120 comments through GitHub-style Link headers", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    for (let i = 1; i <= 120; i++)
      api.state.addComment(7, { body: `comment ${i}`, user: i % 2 ? "alice" : undefined });
    const repoId = api.state.repository().id;

    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: OWNER,
      repo: REPO,
      issue_number: 7,
      per_page: 50,
    });
    expect(all).toHaveLength(120);
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 120 }, (_, i) => `comment ${i + 1}`));
    const gets = api.requests.filter((r) => r.method === "GET");
    expect(gets.map((r) => [r.path, r.query])).toEqual([
      [`/repos/${OWNER}/${REPO}/issues/7/comments`, { per_page: "50" }],
      [`/repositories/${repoId}/issues/7/comments`, { per_page: "50", page: "2" }],
      [`/repositories/${repoId}/issues/7/comments`, { per_page: "50", page: "3" }],
    ]);

    const base = `${api.url}/repositories/${repoId}/issues/7/comments`;
    const page2 = await octokit.rest.issues.listComments({
      owner: OWNER,
      repo: REPO,
      issue_number: 7,
      per_page: 50,
      page: 2,
    });
    expect(page2.headers.link).toBe(
      `<${base}?per_page=50&page=1>; rel="prev", <${base}?per_page=50&page=3>; rel="next", ` +
        `<${base}?per_page=50&page=3>; rel="last", <${base}?per_page=50&page=1>; rel="first"`,
    );
    const page1 = await octokit.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7 });
    expect(page1.data).toHaveLength(30);
    expect(page1.headers.link).toBe(`<${base}?page=2>; rel="next", <${base}?page=4>; rel="last"`);
    const page3 = await octokit.rest.issues.listComments({
      owner: OWNER,
      repo: REPO,
      issue_number: 7,
      per_page: 50,
      page: 3,
    });
    expect(page3.data).toHaveLength(20);
    expect(page3.headers.link).toBe(
      `<${base}?per_page=50&page=2>; rel="prev", <${base}?per_page=50&page=1>; rel="first"`,
    );
    const single = await octokit.rest.issues.listComments({
      owner: OWNER,
      repo: REPO,
      issue_number: 7,
      per_page: 100,
      page: 2,
    });
    expect(single.data).toHaveLength(20);
    expect(api.violations).toEqual([]);
  });

  it("refuses a body over 65,536 characters the way GitHub does, counting characters not UTF-16 units", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    const exact = "x".repeat(65_536);
    await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: exact });
    const astral = "🚀".repeat(65_536); // 131,072 UTF-16 units, 65,536 characters
    await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: astral });
    expect(api.violations).toEqual([]);

    const error = await failure(
      octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: `${exact}y` }),
    );
    expect(error.status).toBe(422);
    expect(error.response?.data).toEqual({
      message: "Validation Failed",
      errors: [
        {
          resource: "IssueComment",
          code: "unprocessable",
          field: "data",
          message: "Body is too long (maximum is 65536 characters)",
        },
      ],
      documentation_url: "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
      status: "422",
    });
    const id = api.state.comments(7)[0]!.id;
    const patch = await failure(
      octokit.rest.issues.updateComment({
        owner: OWNER,
        repo: REPO,
        comment_id: Number(id),
        body: `${exact}y`,
      }),
    );
    expect(patch.status).toBe(422);
    expect(api.state.comments(7)).toHaveLength(2);
    expect(kinds()).toEqual(["limit", "limit"]);
  });
});

describe("commit statuses", () => {
  it("creates statuses, lists them newest first, and combines the latest of each context", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD, headRef: "topic" });
    const post = (state: "pending" | "success" | "failure", context: string) =>
      octokit.rest.repos.createCommitStatus({
        owner: OWNER,
        repo: REPO,
        sha: HEAD,
        state,
        context,
        description: `${context} is ${state}`,
        target_url: "https://example.org/run/1",
      });
    const first = await post("pending", "hpc/tests");
    expect(first.status).toBe(201);
    expect(first.data).toMatchObject({
      state: "pending",
      context: "hpc/tests",
      creator: { login: "github-actions[bot]" },
    });
    await post("success", "hpc/tests");
    await post("success", "hpc/coverage");

    const list = await octokit.rest.repos.listCommitStatusesForRef({ owner: OWNER, repo: REPO, ref: HEAD });
    expect(list.data.map((s) => `${s.context}=${s.state}`)).toEqual([
      "hpc/coverage=success",
      "hpc/tests=success",
      "hpc/tests=pending",
    ]);
    const combined = await octokit.rest.repos.getCombinedStatusForRef({
      owner: OWNER,
      repo: REPO,
      ref: "topic",
    });
    expect(combined.data).toMatchObject({ state: "success", sha: HEAD, total_count: 2 });
    expect(api.state.combinedStatus(HEAD).state).toBe("success");

    await post("failure", "hpc/benchmarks");
    expect(
      (await octokit.rest.repos.getCombinedStatusForRef({ owner: OWNER, repo: REPO, ref: HEAD })).data.state,
    ).toBe("failure");
    expect(api.state.statuses(HEAD)).toHaveLength(4);
    expect(api.violations).toEqual([]);
  });

  it("refuses an unknown sha, a long description or context, and the 1,001st status of a context", async () => {
    api.state.addCommit(HEAD);
    const unknown = createFakeSha("nope");
    const noSha = await failure(
      octokit.rest.repos.createCommitStatus({ owner: OWNER, repo: REPO, sha: unknown, state: "success" }),
    );
    expect(noSha.status).toBe(422);
    expect(noSha.message).toContain(`No commit found for SHA: ${unknown}`);

    const longDescription = await failure(
      octokit.rest.repos.createCommitStatus({
        owner: OWNER,
        repo: REPO,
        sha: HEAD,
        state: "success",
        description: "d".repeat(141),
      }),
    );
    expect(longDescription.status).toBe(422);
    expect(longDescription.response?.data).toMatchObject({
      errors: [
        {
          resource: "Status",
          code: "custom",
          field: "description",
          message: "description is too long (maximum is 140 characters)",
        },
      ],
    });
    await octokit.rest.repos.createCommitStatus({
      owner: OWNER,
      repo: REPO,
      sha: HEAD,
      state: "success",
      description: "d".repeat(140),
    });
    const longContext = await failure(
      octokit.rest.repos.createCommitStatus({
        owner: OWNER,
        repo: REPO,
        sha: HEAD,
        state: "success",
        context: "c".repeat(256),
      }),
    );
    expect(longContext.status).toBe(422);

    for (let i = 0; i < 999; i++) api.state.addStatus(HEAD, { state: "pending", context: "hpc/tests" });
    await octokit.rest.repos.createCommitStatus({
      owner: OWNER,
      repo: REPO,
      sha: HEAD,
      state: "success",
      context: "HPC/tests",
    });
    const full = await failure(
      octokit.rest.repos.createCommitStatus({
        owner: OWNER,
        repo: REPO,
        sha: HEAD,
        state: "success",
        context: "hpc/tests",
      }),
    );
    expect(full.status).toBe(422);
    expect(full.response?.data).toMatchObject({
      errors: [{ message: "This SHA and context has reached the maximum number of statuses." }],
    });
    // Another context still has room.
    await octokit.rest.repos.createCommitStatus({
      owner: OWNER,
      repo: REPO,
      sha: HEAD,
      state: "success",
      context: "hpc/coverage",
    });
    expect(kinds()).toEqual(["limit", "limit", "limit"]);
  });
});

describe("checks against GitHub's OpenAPI description", () => {
  it("flags an unknown query parameter, a wrong body type, an unknown body field, bad JSON and unknown routes", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });

    const unknownParam = await failure(
      octokit.request("GET /repos/{owner}/{repo}/pulls", { owner: OWNER, repo: REPO, stat: "open" }),
    );
    expect(unknownParam.status).toBe(422);
    expect(api.violations.at(-1)).toMatchObject({ kind: "parameters", operationId: "pulls/list" });
    expect(api.violations.at(-1)!.messages.join()).toContain("'stat'");

    const badNumber = await failure(
      // @ts-expect-error: a wrong type on purpose, to see the stand-in refuse it
      octokit.request("GET /repos/{owner}/{repo}/pulls", { owner: OWNER, repo: REPO, per_page: "many" }),
    );
    expect(badNumber.status).toBe(422);

    const badType = await failure(
      octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: OWNER,
        repo: REPO,
        issue_number: 7,
        // @ts-expect-error: a wrong type on purpose, to see the stand-in refuse it
        body: 123,
      }),
    );
    expect(badType.status).toBe(422);
    expect(api.violations.at(-1)).toMatchObject({ kind: "body", messages: ["body/body: must be string"] });

    const typo = await failure(
      octokit.request("POST /repos/{owner}/{repo}/statuses/{sha}", {
        owner: OWNER,
        repo: REPO,
        sha: HEAD,
        state: "success",
        descripton: "typo",
      }),
    );
    expect(typo.status).toBe(422);
    expect(api.violations.at(-1)!.messages.join()).toContain("unknown property 'descripton'");

    const badJson = await fetch(`${api.url}/repos/${OWNER}/${REPO}/issues/7/comments`, {
      method: "POST",
      headers: { authorization: `token ${api.token}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ message: "Problems parsing JSON" });

    const nowhere = await failure(
      octokit.request("GET /repos/{owner}/{repo}/no-such-thing", { owner: OWNER, repo: REPO }),
    );
    expect(nowhere.status).toBe(404);
    expect(nowhere.response?.data).toEqual({
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
      status: "404",
    });
    const unserved = await failure(
      octokit.rest.issues.getComment({ owner: OWNER, repo: REPO, comment_id: 1 }),
    );
    expect(unserved.status).toBe(404);

    expect(kinds()).toEqual(["parameters", "parameters", "body", "body", "body", "route", "unserved"]);
    expect(api.state.comments(7)).toEqual([]);
  });

  it("validates responses against the schema of their status, and would notice a wrong one", async () => {
    const spec = loadSpecIndex(SERVED_OPERATIONS);
    const op = spec.operation("GET", "/repos/{owner}/{repo}/pulls/{pull_number}")!;
    expect(spec.validateResponse(op, 200, { number: "7" }).length).toBeGreaterThan(10);
    const pr = api.state.addPullRequest({ number: 7, headSha: HEAD });
    expect(spec.validateResponse(op, 200, pr)).toEqual([]);
    expect(spec.validateResponse(op, 200, { ...pr, state: "merged" })).toEqual([
      'response 200/state: must be equal to one of the allowed values ("open", "closed")',
    ]);
    // Every served operation is in the description the stand-in was checked against.
    expect(SERVED_OPERATIONS.every((key) => spec.operations.has(key))).toBe(true);
  });
});

describe("authentication and the request log", () => {
  it("answers 401 without the configured token and never records the token", async () => {
    const anonymous = await fetch(`${api.url}/repos/${OWNER}/${REPO}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: "Requires authentication", status: "401" });
    const wrong = await failure(
      getOctokit("ghs_wrong", { baseUrl: api.url }).rest.repos.get({ owner: OWNER, repo: REPO }),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.message).toContain("Bad credentials");
    const bearer = await fetch(`${api.url}/repos/${OWNER}/${REPO}`, {
      headers: { authorization: `Bearer ${api.token}` },
    });
    expect(bearer.status).toBe(200);

    await octokit.rest.repos.get({ owner: OWNER, repo: REPO });
    const last = api.requests.at(-1)!;
    expect(last).toMatchObject({
      method: "GET",
      path: `/repos/${OWNER}/${REPO}`,
      route: "/repos/{owner}/{repo}",
      operationId: "repos/get",
      status: 200,
    });
    expect(last.headers.authorization).toBe("token [redacted]");
    expect(JSON.stringify(api.requests)).not.toContain(api.token);
  });

  it("acts as whom each token belongs to: GET /user, and the author of comments, statuses and dispatches", async () => {
    const pat = "github_pat_standin_maintainer";
    api.state.addToken(pat, { user: "hpc-maintainer" });
    const asUser = getOctokit(pat, { baseUrl: api.url });
    // GitHub refuses GET /user to installation tokens (GITHUB_TOKEN, an app's) with these words.
    const refused = await failure(octokit.rest.users.getAuthenticated());
    expect(refused.status).toBe(403);
    expect(refused.message).toContain("Resource not accessible by integration");
    const me = await asUser.rest.users.getAuthenticated();
    expect(me.data).toMatchObject({ login: "hpc-maintainer", type: "User" });

    const sha = createFakeSha("authors");
    api.state.addPullRequest({ number: 4, headSha: sha });
    const repo = { owner: OWNER, repo: REPO };
    await octokit.rest.issues.createComment({ ...repo, issue_number: 4, body: "by the workflow" });
    await asUser.rest.issues.createComment({ ...repo, issue_number: 4, body: "by the maintainer" });
    expect(api.state.comments(4).map((c) => [c.user!.login, c.user!.type])).toEqual([
      ["github-actions[bot]", "Bot"],
      ["hpc-maintainer", "User"],
    ]);
    await asUser.rest.repos.createCommitStatus({ ...repo, sha, state: "success" });
    expect(api.state.statuses(sha)[0]!.creator!.login).toBe("hpc-maintainer");
    await asUser.rest.repos.createDispatchEvent({ ...repo, event_type: "hpc-results" });
    expect(api.state.dispatches()[0]!.sender.login).toBe("hpc-maintainer");
    expect(api.violations).toEqual([]);
  });
});

describe("fault injection", () => {
  const get = () => octokit.rest.repos.get({ owner: OWNER, repo: REPO });

  it.each([500, 502, 503] as const)("fails the next requests with %i, then recovers", async (status) => {
    api.faults.next(2, { status });
    expect((await failure(get())).status).toBe(status);
    expect((await failure(get())).status).toBe(status);
    expect((await get()).status).toBe(200);
    expect(api.faults.pending()).toBe(0);
    expect(api.requests.map((r) => r.fault)).toEqual([
      `${status} server error`,
      `${status} server error`,
      undefined,
    ]);
  });

  it("answers 429 with retry-after: 1", async () => {
    api.faults.next(1, { status: 429 });
    const error = await failure(get());
    expect(error.status).toBe(429);
    expect(error.response?.headers["retry-after"]).toBe("1");
    expect(error.message).toContain("secondary rate limit");
  });

  it("answers a primary rate limit: 403, x-ratelimit-remaining 0 and a reset a second ahead", async () => {
    api.faults.next(1, { status: 403 });
    const before = Math.floor(Date.now() / 1000);
    const error = await failure(get());
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/^API rate limit exceeded for /);
    const headers = error.response!.headers;
    expect(headers["x-ratelimit-remaining"]).toBe("0");
    const reset = Number(headers["x-ratelimit-reset"]);
    expect(reset).toBeGreaterThanOrEqual(before + 1);
    expect(reset).toBeLessThanOrEqual(before + 3);
    expect((await get()).headers["x-ratelimit-remaining"]).not.toBe("0");
  });

  it("answers a secondary rate limit: 403 with retry-after and GitHub's message", async () => {
    api.faults.next(1, { status: 403, rateLimit: "secondary", retryAfter: 2 });
    const error = await failure(get());
    expect(error.status).toBe(403);
    expect(error.message).toContain("You have exceeded a secondary rate limit");
    expect(error.response?.headers["retry-after"]).toBe("2");
    expect(error.response?.headers["x-ratelimit-remaining"]).not.toBe("0");
  });

  it("resets the connection", async () => {
    api.faults.next(1, { reset: true });
    const error = await failure(get());
    expect(error.response).toBeUndefined();
    expect(api.requests.at(-1)).toMatchObject({ status: 0, fault: "connection reset" });
    expect((await get()).status).toBe(200);
  });

  it("fails only the requests that match the method and path filter", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    api.faults.next(1, {
      status: 502,
      method: "POST",
      path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    });
    api.faults.next(1, { status: 500, path: /\/pulls\/7$/ });
    await octokit.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7 });
    expect(api.faults.pending()).toBe(2);
    expect(
      (
        await failure(
          octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: "x" }),
        )
      ).status,
    ).toBe(502);
    expect((await failure(octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }))).status).toBe(
      500,
    );
    await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: "x" });
    expect(api.faults.pending()).toBe(0);
    expect(api.state.comments(7)).toHaveLength(1);
  });

  it("is recognised by octokit's own retry and throttling plugins, which recover from each fault", async () => {
    const limits: string[] = [];
    const client = (...plugins: Parameters<typeof getOctokit>[2][]) =>
      getOctokit(
        api.token,
        {
          baseUrl: api.url,
          // The plugins count waits in seconds; 1 ms per second keeps the test fast.
          retry: { retryAfterBaseValue: 1 },
          throttle: {
            retryAfterBaseValue: 1,
            onRateLimit: (after: number, _o: unknown, _k: unknown, count: number) => {
              limits.push(`primary after ${after}s`);
              return count < 2;
            },
            onSecondaryRateLimit: (after: number, _o: unknown, _k: unknown, count: number) => {
              limits.push(`secondary after ${after}s`);
              return count < 2;
            },
          },
        },
        ...plugins,
      );
    const resilient = client(retry, throttling);
    const faults = [
      { status: 502 },
      { status: 500 },
      { reset: true },
      { status: 429 }, // plugin-retry retries it (429 is not in its doNotRetry list) before throttling sees it
      { status: 403, resetInSeconds: 1 },
      { status: 403, rateLimit: "secondary" },
    ] as const;
    for (const fault of faults) {
      api.faults.next(1, fault);
      const { data } = await resilient.rest.repos.get({ owner: OWNER, repo: REPO });
      expect(data.full_name).toBe(`${OWNER}/${REPO}`);
    }
    expect(limits).toHaveLength(2);
    expect(limits[0]).toMatch(/^primary after [1-3]s$/);
    expect(limits[1]).toBe("secondary after 1s");
    // Throttling alone takes the 429 for a secondary limit, from its message and retry-after.
    api.faults.next(1, { status: 429 });
    await client(throttling).rest.repos.get({ owner: OWNER, repo: REPO });
    expect(limits[2]).toBe("secondary after 1s");
    expect(api.requests.map((r) => r.fault ?? r.status)).toEqual([
      "502 server error",
      200,
      "500 server error",
      200,
      "connection reset",
      200,
      "429 secondary rate limit",
      200,
      "403 primary rate limit",
      200,
      "403 secondary rate limit",
      200,
      "429 secondary rate limit",
      200,
    ]);
  });
});
