// How processing starts on GitHub, end to end: the CLI publishes to a real bare repository, GitHub's rules
// (harness/github-rules.ts) decide which workflow file runs for each event, and that workflow runs as the
// runner would (harness/workflow-runner.ts: the example caller, the reusable workflow, the action bundles).
// Each run on the results branch must be reported exactly once: one check-run write per name, one artifact,
// one sticky comment, one history entry, whichever events (dispatch, schedule) brought it and however many.
// Each job gets its own GITHUB_TOKEN with the permissions GitHub would give it, which the stand-in enforces.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArtifactService, startArtifactService } from "./harness/artifact-service.js";
import { runCli } from "./harness/cli.js";
import { type GitHubApi, startGitHubApi } from "./harness/github-api/index.js";
import { type Trigger, eventPayload, workflowsFor } from "./harness/github-rules.js";
import { issueCommentEvent } from "./harness/issue-comment.js";
import { ourRun } from "./harness/results-branch.js";
import { REPO_ROOT } from "./harness/run-action.js";
import { type WorkflowRun, runWorkflow } from "./harness/workflow-runner.js";
import { git } from "./harness/git.js";

const REPOSITORY = "octo-org/octo-repo";
let root: string;
let origin: string;
let dev: string;
let api: GitHubApi;
/** One artifact service per workflow run, as each run on GitHub has its own artifacts. */
const artifactServices: ArtifactService[] = [];
let savedTmp: string | undefined;
let clock = Date.parse("2026-03-01T10:00:00Z");
let jobTokens = 0;

const show = (ref: string) => execFileSync("git", ["--git-dir", origin, "show", ref], { encoding: "utf8" });
const tip = (branch: string) => git(origin, "rev-parse", `refs/heads/${branch}`);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "hpc-trigger-"));
  // Everything the actions and jobs make in the temp folder stays under root, removed at the end.
  savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = join(root, "tmp");
  mkdirSync(process.env.TMPDIR);
  origin = join(root, "server", `${REPOSITORY}.git`);
  mkdirSync(origin, { recursive: true });
  git(origin, "init", "-q", "--bare", "-b", "main");
  // As on github.com: partial clones and fetching a reachable commit by id.
  git(origin, "config", "uploadpack.allowFilter", "true");
  git(origin, "config", "uploadpack.allowReachableSHA1InWant", "true");
  dev = join(root, "dev");
  mkdirSync(join(dev, ".github/workflows"), { recursive: true });
  cpSync(
    join(REPO_ROOT, "examples/workflows/hpc-results.yml"),
    join(dev, ".github/workflows/hpc-results.yml"),
  );
  writeFileSync(join(dev, "README.md"), "# Example.jl\n");
  git(dev, "init", "-q", "-b", "main");
  git(dev, "add", "-A");
  git(dev, "commit", "-q", "-m", "The HPC results caller on the default branch");
  git(dev, "remote", "add", "origin", origin);
  git(dev, "push", "-q", "origin", "main");
  api = await startGitHubApi({ repository: REPOSITORY });
}, 60_000);

afterAll(async () => {
  await api?.close();
  for (const service of artifactServices) await service.close();
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(root, { recursive: true, force: true });
});

/** A commit of the project that a cluster tests: pushed to `branch`, known to the API. */
function testedCommit(label: string, branch = "main"): string {
  git(dev, "checkout", "-q", "-B", branch);
  writeFileSync(join(dev, "src.jl"), `# ${label}\n`);
  git(dev, "add", "-A");
  git(dev, "commit", "-q", "-m", label);
  git(dev, "push", "-q", "origin", branch);
  const sha = git(dev, "rev-parse", "HEAD");
  api.state.addCommit(sha, { branch });
  git(dev, "checkout", "-q", "main");
  return sha;
}

/** `hpc-ci publish` of a run of `commit` as a cluster job does it; `token` is HPC_RESULTS_TOKEN. */
async function publish(
  commit: string,
  branch: string,
  env: Record<string, string | undefined> = {},
  failed = 0,
) {
  clock += 3600_000;
  const dir = join(root, "runs", commit);
  mkdirSync(dir, { recursive: true });
  const results = {
    ...ourRun(commit, { generatedAt: new Date(clock).toISOString(), failed }).results,
    branch,
  };
  writeFileSync(join(dir, "hpc-results.json"), JSON.stringify(results));
  const run = await runCli(["publish", "--input", join(dir, "hpc-results.json")], {
    cwd: dev,
    env: {
      HPC_RESULTS_REPO_URL: origin,
      HPC_RESULTS_REPOSITORY_SLUG: REPOSITORY,
      GITHUB_API_URL: api.url,
      HPC_RESULTS_TOKEN: undefined,
      ...env,
    },
  });
  expect(run.exitCode, run.stderr).toBe(0);
  // GitHub's rule for the push itself: the orphan results branch carries no workflow, so nothing starts.
  expect(
    workflowsFor(origin, { event: "push", branch: "hpc-results", sha: tip("hpc-results"), actor: "cluster" }),
  ).toEqual([]);
  return run;
}

/** Delivers an event: the workflow files GitHub's rules pick, each run as the runner would. */
async function deliver(trigger: Trigger): Promise<WorkflowRun[]> {
  const started = workflowsFor(origin, trigger);
  const event = eventPayload(trigger, { full_name: REPOSITORY, default_branch: "main" });
  const runs: WorkflowRun[] = [];
  for (const s of started) {
    expect(s.file).toBe(".github/workflows/hpc-results.yml");
    const artifacts = await startArtifactService();
    artifactServices.push(artifacts);
    runs.push(
      await runWorkflow(s.workflow as never, {
        serverRoot: join(root, "server"),
        repository: REPOSITORY,
        eventName: trigger.event,
        event,
        token: api.token,
        jobToken: (permissions) => {
          const token = `ghs_job_${++jobTokens}_${"x".repeat(30)}`;
          api.state.addToken(token, { user: "github-actions[bot]", permissions });
          return token;
        },
        env: {
          GITHUB_API_URL: api.url,
          ...artifacts.env(),
          GITHUB_SERVER_URL: "https://github.com",
          HPC_CI_GITHUB_TIME_SCALE: "0.01", // the REST client's retry waits, shortened
        },
      }),
    );
  }
  return runs;
}

const schedule = () => deliver({ event: "schedule" });
let dispatchesSeen = 0;
/** The repository_dispatch events the stand-in received since the last call, delivered. */
async function deliverDispatches(): Promise<WorkflowRun[]> {
  const all = api.state.dispatches();
  const fresh = all.slice(dispatchesSeen);
  dispatchesSeen = all.length;
  const runs: WorkflowRun[] = [];
  for (const d of fresh) {
    runs.push(
      ...(await deliver({
        event: "repository_dispatch",
        type: d.action,
        payload: d.client_payload,
        actor: "cluster",
      })),
    );
  }
  return runs;
}

/** Successful check-run writes (create or update) per name for `sha`: one each when reported once. */
function checkRunWrites(sha: string): Record<string, number> {
  const names = new Map(api.state.checkRuns(sha).map((r) => [String(r.id), r.name]));
  const counts: Record<string, number> = {};
  for (const r of api.requests) {
    const id = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(r.path)?.[1];
    const body = r.body as { head_sha?: string; name?: string } | undefined;
    const name =
      r.method === "POST" && r.status === 201 && body?.head_sha === sha
        ? body.name
        : r.method === "PATCH" && r.status === 200 && id
          ? names.get(id)
          : undefined;
    if (name) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
const ONCE = { "hpc/tests": 1, "hpc/benchmarks": 1, "hpc/coverage": 1 };
const uploads = (sha: string) =>
  artifactServices.flatMap((s) => s.artifacts()).filter((a) => a.name.startsWith(`hpc-results-${sha}-`))
    .length;
const marker = () => JSON.parse(show("refs/heads/gh-pages:hpc/processed.json")) as { results_commit: string };
const historyCommits = () =>
  (JSON.parse(show("refs/heads/gh-pages:hpc/history.json")) as { runs: Array<{ commit: string }> }).runs.map(
    (r) => r.commit,
  );
const results = (run: WorkflowRun) =>
  Object.fromEntries(Object.entries(run.jobs).map(([k, v]) => [k, v.result]));
const ALL_RAN = {
  request: "skipped", // the /hpc comment job
  check: "success",
  ingest: "success",
  render: "success",
  comment: "success",
  requests: "success",
  mark: "success",
};

function expectReportedOnce(sha: string): void {
  expect(checkRunWrites(sha)).toEqual(ONCE);
  expect(uploads(sha)).toBe(1);
  expect(historyCommits().filter((c) => c === sha)).toHaveLength(1);
}

describe("a publish starts the processing", () => {
  let main1: string;

  it("with a token: the CLI dispatches, the default branch's caller runs and reports the run once", async () => {
    main1 = testedCommit("first");
    const published = await publish(main1, "main", { HPC_RESULTS_TOKEN: api.token });
    expect(published.stdout).toContain("asked GitHub to process");
    const dispatches = api.state.dispatches();
    expect(dispatches).toHaveLength(1);
    expect(dispatches[0]!.action).toBe("hpc-results");
    expect(dispatches[0]!.client_payload).toEqual({ results_commit: tip("hpc-results"), commits: [main1] });
    expect(api.violations).toEqual([]);

    const runs = await deliverDispatches();
    expect(runs).toHaveLength(1);
    expect(results(runs[0]!)).toEqual(ALL_RAN);
    expectReportedOnce(main1);
    expect(marker().results_commit).toBe(tip("hpc-results"));
    expect(JSON.parse(show("refs/heads/gh-pages:hpc/freshness.json")).message).toBe(
      new Date(clock).toISOString().slice(0, 10),
    );
  }, 120_000);

  it("with a deploy key only: no dispatch, the scheduled catch-up reports the run once; a pull request's run leaves the headline badges", async () => {
    const feature = testedCommit("feature work", "feature");
    api.state.addPullRequest({ number: 7, headSha: feature, headRef: "feature" });
    const badges = show("refs/heads/gh-pages:hpc/tests.json");
    const published = await publish(feature, "feature", {}, 3); // a failing run, newer than main's
    expect(published.stdout).toContain("scheduled catch-up");
    expect(api.state.dispatches()).toHaveLength(1); // still only the first one

    const runs = await schedule();
    expect(runs).toHaveLength(1);
    expect(results(runs[0]!)).toEqual(ALL_RAN);
    expectReportedOnce(feature);
    expect(api.state.comments(7)).toHaveLength(1);
    expect(checkRunWrites(main1)).toEqual(ONCE); // the earlier run is not reported again
    // The default branch is in charge: the feature run is in the history, not in the badges.
    expect(show("refs/heads/gh-pages:hpc/tests.json")).toBe(badges);
    expect(historyCommits()).toContain(feature);
  }, 120_000);

  it("a second scheduled run finds nothing new and stops after the check", async () => {
    const before = api.requests.length;
    const pages = tip("gh-pages");
    const started = Date.now();
    const runs = await schedule();
    const ms = Date.now() - started;
    expect(results(runs[0]!)).toEqual({
      request: "skipped",
      check: "success",
      ingest: "skipped",
      render: "skipped",
      comment: "skipped",
      requests: "skipped",
      mark: "skipped",
    });
    expect(api.requests.length).toBe(before);
    expect(tip("gh-pages")).toBe(pages);
    expect(ms).toBeLessThan(5_000);
  }, 60_000);

  it("several runs published between two catch-ups are each reported once", async () => {
    const a = testedCommit("second");
    const b = testedCommit("third");
    const c = testedCommit("fourth");
    await publish(a, "main");
    await publish(b, "main");
    await publish(c, "main");
    await publish(b, "main"); // a later run of the same commit (say --benchmarks-only) replaces it
    const runs = await schedule();
    expect(results(runs[0]!)).toEqual(ALL_RAN);
    for (const sha of [a, b, c]) expectReportedOnce(sha);
    // The headline follows the newest run of the default branch.
    expect(marker().results_commit).toBe(tip("hpc-results"));
    expect((await schedule()).map(results)[0]!.ingest).toBe("skipped");
  }, 180_000);

  it("a failed dispatch is a warning and the run is still caught up", async () => {
    const refused = testedCommit("refused token");
    const wrong = await publish(refused, "main", { HPC_RESULTS_TOKEN: "ghp_not_the_token" });
    expect(wrong.stderr).toMatch(/warning: could not ask GitHub to process this run now .*401/);
    expect(wrong.stderr).not.toContain("ghp_not_the_token");
    const offline = testedCommit("no network");
    const unreachable = await publish(offline, "main", {
      HPC_RESULTS_TOKEN: api.token,
      GITHUB_API_URL: "http://127.0.0.1:9",
    });
    expect(unreachable.stderr).toMatch(/could not reach http:\/\/127\.0\.0\.1:9/);
    expect(await deliverDispatches()).toEqual([]);
    await schedule();
    expectReportedOnce(refused);
    expectReportedOnce(offline);
  }, 180_000);

  it("a failure between render and comment leaves the marker, and the next run comments once", async () => {
    const flaky = testedCommit("flaky API");
    await publish(flaky, "main");
    const processed = marker().results_commit;
    api.faults.next(20, { status: 500, method: "POST", path: `/repos/${REPOSITORY}/check-runs` });
    const failed = await schedule();
    expect(results(failed[0]!)).toMatchObject({ render: "success", comment: "failure", mark: "skipped" });
    expect(marker().results_commit).toBe(processed);
    api.faults.clear();
    const again = await schedule();
    expect(results(again[0]!)).toEqual(ALL_RAN);
    expect(checkRunWrites(flaky)).toEqual(ONCE);
    expect(historyCommits().filter((c) => c === flaky)).toHaveLength(1);
    expect(marker().results_commit).toBe(tip("hpc-results"));
    expect(api.violations).toEqual([]);
  }, 180_000);

  it("a failed render still comments and writes the check runs; the next run renders, without a second comment (issue 15, finding 9)", async () => {
    const work = testedCommit("render refused", "render-refused");
    api.state.addPullRequest({ number: 11, headSha: work, headRef: "render-refused" });
    await publish(work, "render-refused");
    const processed = marker().results_commit;
    // The pages branch refuses every push: render fails (a real git rejection, not a stub).
    const hook = join(origin, "hooks", "pre-receive");
    writeFileSync(hook, "#!/bin/sh\necho 'pages are frozen' >&2\nexit 1\n", { mode: 0o755 });
    let failed: WorkflowRun[];
    try {
      failed = await schedule();
    } finally {
      rmSync(hook);
    }
    expect(results(failed[0]!)).toMatchObject({ render: "failure", comment: "success", mark: "skipped" });
    expect(checkRunWrites(work)).toEqual(ONCE);
    const comments = api.state.comments(11);
    expect(comments).toHaveLength(1);
    expect(marker().results_commit).toBe(processed);

    const again = await schedule();
    expect(results(again[0]!)).toEqual(ALL_RAN);
    expect(historyCommits().filter((c) => c === work)).toHaveLength(1);
    expect(api.state.comments(11).map((c) => c.id)).toEqual([comments[0]!.id]);
    expect(marker().results_commit).toBe(tip("hpc-results"));
    expect(api.violations).toEqual([]);
  }, 180_000);

  it("a caller that does not grant checks: write: check runs are refused, the same names arrive as statuses", async () => {
    const caller = join(dev, ".github/workflows/hpc-results.yml");
    const original = readFileSync(caller, "utf8");
    expect(original).toContain("  checks: write\n");
    const commitCaller = (text: string, message: string) => {
      writeFileSync(caller, text);
      git(dev, "commit", "-qam", message);
      git(dev, "push", "-q", "origin", "main");
    };
    commitCaller(original.replace("  checks: write\n", ""), "The caller grants no checks: write");
    try {
      const sha = testedCommit("no checks permission");
      await publish(sha, "main");
      const runs = await schedule();
      expect(results(runs[0]!)).toEqual(ALL_RAN);
      // The comment job's token lacks checks: write (the caller caps the called workflow): GitHub's 403.
      expect(api.state.checkRuns(sha)).toEqual([]);
      const step = runs[0]!.steps.find((s) => s.uses?.includes("/comment-hpc-summary@"))!;
      expect(step.action!.annotations.map((a) => `${a.level}: ${a.message}`).join("\n")).toMatch(
        /warning: .*403: Resource not accessible by integration.*commit statuses of the same names instead/,
      );
      expect(Object.fromEntries(api.state.statuses(sha).map((s) => [s.context, s.state]))).toEqual({
        "hpc/tests": "success",
        "hpc/benchmarks": "success",
        "hpc/coverage": "success",
      });
      expect(api.violations).toEqual([]);
    } finally {
      commitCaller(original, "The caller grants checks: write again");
    }
  }, 180_000);
});

describe("the freshness badge", () => {
  it("a scheduled run with nothing new renders once more after the newest run went stale, then not again", async () => {
    // As if the last processing happened before the run went stale: rewrite the marker on the pages branch.
    const clone = join(root, "pages-clone");
    git(root, "clone", "-q", "-b", "gh-pages", origin, clone);
    const file = join(clone, "hpc/processed.json");
    const old = { ...marker(), processed_at: "2026-03-01T00:00:00Z", stale_at: "2026-03-02T00:00:00Z" };
    writeFileSync(file, `${JSON.stringify(old, null, 2)}\n`);
    git(clone, "commit", "-q", "-am", "an old marker");
    git(clone, "push", "-q", "origin", "gh-pages");
    const refreshed = await schedule();
    expect(results(refreshed[0]!)).toEqual({
      request: "skipped",
      check: "success",
      ingest: "skipped",
      render: "skipped",
      comment: "skipped",
      requests: "skipped",
      mark: "success",
    });
    const now = marker() as { results_commit: string; processed_at: string };
    expect(now.results_commit).toBe(old.results_commit);
    expect(now.processed_at > old.stale_at).toBe(true);
    expect(JSON.parse(show("refs/heads/gh-pages:hpc/freshness.json")).color).toBe("orange");
    expect(results((await schedule())[0]!).mark).toBe("skipped");
  }, 120_000);
});

describe("a /hpc comment on a pull request (issue 17)", () => {
  const number = 21;
  let head: string;
  let requestId: string;

  /** The issue_comment event of a new comment on pull request `n`, as GitHub delivers it. */
  function commented(
    n: number,
    login: string,
    body: string,
    actor: "maintainer" | "workflow-token" = "maintainer",
  ) {
    const comment = api.state.addComment(n, { body, user: login });
    const { issue } = issueCommentEvent(api.state, n, comment);
    return {
      comment,
      trigger: { event: "issue_comment", action: "created", actor, issue, comment } as Trigger,
    };
  }

  /** The request file as the poller would move it on the results branch (its push). */
  function pollerWrites(change: (request: Record<string, unknown>) => Record<string, unknown>): void {
    const clone = join(root, `poller-${Date.now()}`);
    git(root, "clone", "-q", "-b", "hpc-results", origin, clone);
    const file = join(clone, "requests", `${requestId}.json`);
    writeFileSync(
      file,
      `${JSON.stringify(change(JSON.parse(show(`refs/heads/hpc-results:requests/${requestId}.json`))), null, 2)}\n`,
    );
    git(clone, "commit", "-q", "-am", "poller: request state");
    git(clone, "push", "-q", "origin", "hpc-results");
    rmSync(clone, { recursive: true, force: true });
  }

  it("a maintainer's /hpc run runs the request job alone: the request on the results branch, hpc queued", async () => {
    head = testedCommit("requested work", "requested");
    api.state.addPullRequest({ number, headSha: head, headRef: "requested" });
    api.state.setCollaborator("maintainer-ann", "maintain");
    const { comment, trigger } = commented(number, "maintainer-ann", "/hpc run tests");
    const runs = await deliver(trigger);
    expect(runs).toHaveLength(1);
    expect(results(runs[0]!)).toEqual({
      request: "success",
      check: "skipped",
      ingest: "skipped",
      render: "skipped",
      comment: "skipped",
      requests: "skipped",
      mark: "skipped",
    });
    requestId = `pr-${number}-${comment.id}`;
    const request = JSON.parse(show(`refs/heads/hpc-results:requests/${requestId}.json`)) as Record<
      string,
      unknown
    >;
    expect(request).toMatchObject({
      commit: head,
      what: "tests",
      state: "queued",
      requested_by: "maintainer-ann",
    });
    expect(api.state.checkRuns(head)).toMatchObject([{ name: "hpc", status: "queued" }]);
    expect(api.state.reactions(Number(comment.id)).map((r) => r.content)).toEqual(["rocket"]);
    expect(api.violations).toEqual([]);
  }, 120_000);

  it("other comments stop at the caller's condition; a reader is refused, and the reply starts nothing", async () => {
    const chatter = await deliver(commented(number, "reader-rae", "looks good to me").trigger);
    expect(chatter.map(results)).toEqual([{ "hpc-results": "skipped" }]);

    const before = tip("hpc-results");
    const refused = await deliver(commented(number, "reader-rae", "/hpc run").trigger);
    expect(results(refused[0]!).request).toBe("success");
    expect(tip("hpc-results")).toBe(before);
    const reply = api.state.comments(number).at(-1)!;
    expect(reply.user?.login).toBe("github-actions[bot]");
    expect(reply.body).toContain("write access");
    // GitHub's rule: a comment made with the workflow token starts no workflow.
    expect(
      workflowsFor(origin, {
        ...commented(number, "github-actions[bot]", reply.body!, "workflow-token").trigger,
      }),
    ).toEqual([]);
  }, 120_000);

  it("the poller's states reach the hpc check run through the processing path, up to the run's conclusion", async () => {
    pollerWrites((r) => ({
      ...r,
      state: "running",
      updated_at: "2026-03-02T10:05:00Z",
      claimed_by: "login1:4242",
      claimed_at: "2026-03-02T10:05:00Z",
      job_id: "777",
      events: [
        ...(r.events as unknown[]),
        { state: "running", at: "2026-03-02T10:05:00Z", by: "login1:4242", job_id: "777" },
      ],
    }));
    const running = await schedule();
    expect(results(running[0]!)).toMatchObject({ check: "success", requests: "success", mark: "success" });
    expect(api.state.checkRuns(head)).toMatchObject([{ name: "hpc", status: "in_progress" }]);
    expect(api.state.checkRuns(head)[0]!.output.title).toContain("job 777");

    await publish(head, "requested", {}, 2); // the job's results: 2 tests failed
    pollerWrites((r) => ({
      ...r,
      state: "completed",
      updated_at: "2026-03-02T11:05:00Z",
      events: [...(r.events as unknown[]), { state: "completed", at: "2026-03-02T11:05:00Z", job_id: "777" }],
    }));
    const done = await schedule();
    expect(results(done[0]!)).toEqual(ALL_RAN);
    expect(api.state.checkRuns(head).filter((r) => r.name === "hpc")).toMatchObject([
      { status: "completed", conclusion: "failure" },
    ]);
    expect(api.violations).toEqual([]);
  }, 180_000);
});
