// comment-hpc-summary run as the runner runs it (node dist/comment-hpc-summary/index.js with INPUT_* and the
// runner's files) against the GitHub REST stand-in, which checks every request against GitHub's OpenAPI
// description and limits.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeSha, startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import type {
  BenchmarkResult,
  BenchmarksSection,
  BenchmarksSummary,
  CoverageSection,
  HpcProvenance,
  HpcResults,
  TestsSection,
  TestsSummary,
} from "../src/contract/types.js";
import { ourRun } from "./harness/results-branch.js";
import { runAction, type ActionRun } from "./harness/run-action.js";

const TOKEN = "ghs_S3cretTokenThatMustNeverLeak0123456789";
const MARKER = "<!-- hpc-ci-actions:comment-hpc-summary key=hpc -->";
const HEAD = createFakeSha("comment-head");
const OTHER = createFakeSha("comment-other");

let api: GitHubApi;
let resultsPath: string;
const temps: string[] = [];

beforeAll(() => {
  resultsPath = mkdtempSync(join(tmpdir(), "comment-results-"));
  temps.push(resultsPath);
});

beforeEach(async () => {
  api = await startGitHubApi({ token: TOKEN });
});

afterEach(async () => {
  expect(api.violations).toEqual([]);
  await api.close();
});

afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

type TestRun = HpcResults & {
  tests: TestsSection;
  benchmarks: BenchmarksSection;
  hpc: HpcProvenance;
  coverage: CoverageSection | null;
};

/** A normalized run (as ingest-hpc-results outputs it) for `commit`. */
function normalizedRun(
  commit: string,
  o: { failed?: number; slower?: number; coverage?: number | null; generatedAt?: string } = {},
): TestRun {
  const parts = ourRun(commit, o);
  const run = structuredClone(parts.results) as TestRun;
  run.tests.suites = (parts.tests as TestsSummary).suites;
  run.tests.totals = {
    passed: 150,
    failed: o.failed ?? 0,
    errored: 0,
    broken: 2,
    total: 152 + (o.failed ?? 0),
  };
  run.benchmarks.results = (parts.benchmarks as BenchmarksSummary).benchmarks;
  run.benchmarks.worst_regression_pct = Math.max(o.slower ?? -2.1, 1.5);
  if (o.coverage !== undefined) {
    run.coverage = o.coverage === null ? null : { ...run.coverage!, coverage_percent: o.coverage };
  }
  return run;
}

function writeBasePointer(root: string, branch: string, run: HpcResults): void {
  const file = join(root, "branches", `${encodeURIComponent(branch)}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(run));
}

// This file tests the comment and the commit statuses (check runs, the default, and their fall-back to
// statuses are in check-runs.test.ts).
async function comment(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const run = await runAction("comment-hpc-summary", {
    inputs: { token: TOKEN, "results-path": resultsPath, statuses: "true", "check-runs": "false", ...inputs },
    env: { GITHUB_API_URL: api.url, HPC_CI_GITHUB_TIME_SCALE: "0.01", ...env },
  });
  temps.push(dirname(run.runnerTemp)); // the runner's work folder of this run
  return run;
}

function writes() {
  return api.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.route}`);
}

describe("comment-hpc-summary against the GitHub stand-in", () => {
  it("comments once on the pull request whose head is the commit, and updates that comment on the next run", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD, baseRef: "main" });
    api.state.addPullRequest({ number: 8, headSha: OTHER, commits: [HEAD] }); // contains it, other head
    api.state.addPullRequest({ number: 9, headSha: HEAD, state: "closed" });
    writeBasePointer(resultsPath, "main", normalizedRun(createFakeSha("main-tip"), { coverage: 80.05 }));

    // At GitHub's real pacing (no time scale): writes one second apart.
    const first = await comment(
      { results: JSON.stringify(normalizedRun(HEAD)) },
      { HPC_CI_GITHUB_TIME_SCALE: "" },
    );
    expect(first.stderr).toBe("");
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.outputs["pull-requests"]!)).toEqual([7]);
    const comments = api.state.comments(7);
    expect(comments).toHaveLength(1);
    expect(api.state.comments(8)).toEqual([]);
    expect(api.state.comments(9)).toEqual([]);
    expect(JSON.parse(first.outputs["comment-ids"]!)).toEqual([comments[0]!.id]);
    const body = comments[0]!.body!;
    expect(
      body.startsWith(
        `${MARKER}\n### ✅ HPC CI passed: tests passed · benchmarks passed · coverage 81.25% (+1.20 points vs main)`,
      ),
    ).toBe(true);
    expect(body).toContain("**+1.20** points against the newest run of main");
    expect(body).toContain("| `Example/unit` | 120 | 0 | 0 | 0 | 120 |");
    expect(body).toContain("| `Example/integration` | 30 | 0 | 0 | 2 | 32 |");
    expect(body).toContain("[Workflow run](https://github.com/octo-org/octo-repo/actions/runs/1234)");
    expect(body).toContain(
      `[Raw results](https://github.com/octo-org/octo-repo/blob/hpc-results/${HEAD}/hpc-results.json)`,
    );
    expect(first.summary).toContain("### ✅ HPC CI passed");
    expect(first.summary).toContain(
      `[pull request 7](https://github.com/octo-org/octo-repo/pull/7#issuecomment-${comments[0]!.id}): comment created`,
    );

    const statuses = api.state.statuses(HEAD);
    expect(statuses.map((s) => [s.context, s.state]).sort()).toEqual([
      ["hpc/benchmarks", "success"],
      ["hpc/coverage", "success"],
      ["hpc/tests", "success"],
    ]);
    const byContext = Object.fromEntries(statuses.map((s) => [s.context, s]));
    expect(byContext["hpc/tests"]!.description).toBe(
      "Passed: 150 passed, 2 broken in 2 test sets · 30 min 00 s",
    );
    expect(byContext["hpc/coverage"]!.description).toBe("81.25% of lines (+1.20 vs main)");
    expect(byContext["hpc/benchmarks"]!.description).toBe("Passed: 2 benchmarks, worst change +1.5%");
    expect(byContext["hpc/tests"]!.target_url).toBe(
      "https://github.com/octo-org/octo-repo/actions/runs/1234",
    );
    expect(JSON.parse(first.outputs.statuses!)).toEqual(
      expect.arrayContaining([
        { context: "hpc/tests", state: "success", description: byContext["hpc/tests"]!.description },
      ]),
    );

    // The same run again: found through the marker, not touched (no PATCH), no second comment.
    const before = api.requests.length;
    const second = await comment({ results: JSON.stringify(normalizedRun(HEAD)) });
    expect(second.exitCode).toBe(0);
    expect(api.state.comments(7)).toHaveLength(1);
    expect(
      api.requests
        .slice(before)
        .filter((r) => r.method === "PATCH" || (r.method === "POST" && r.route?.includes("comments"))),
    ).toEqual([]);
    expect(second.stdout).toContain(`comment ${comments[0]!.id} unchanged`);

    // A new run of the commit (now with a failed test): the same comment is updated in place.
    const third = await comment({ results: JSON.stringify(normalizedRun(HEAD, { failed: 3 })) });
    expect(third.exitCode).toBe(0);
    const after = api.state.comments(7);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(comments[0]!.id);
    expect(after[0]!.body).toContain("### ❌ HPC CI failed: tests failed");
    expect(after[0]!.body).toContain("| `Example/unit` | 120 | **3** (+3) | 0 | 0 | 123 (+3) |");
    expect(api.state.combinedStatus(HEAD).statuses.find((s) => s.context === "hpc/tests")).toMatchObject({
      state: "failure",
      description: "Failed: 150 passed, 3 failed, 2 broken in 2 test sets · 30 min 00 s",
    });
    expect(JSON.parse(third.outputs["comment-ids"]!)).toEqual([comments[0]!.id]);
  });

  it("finds its comment through every page, keeps the oldest of racing duplicates and leaves other keys alone", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    for (let i = 0; i < 130; i++) {
      if (i === 40) api.state.addComment(7, { body: `${MARKER}\nold body from an earlier run` });
      if (i === 60)
        api.state.addComment(7, { body: "<!-- hpc-ci-actions:comment-hpc-summary key=cluster-b -->\nB" });
      if (i === 110) api.state.addComment(7, { body: `${MARKER}\nduplicate from a racing run` });
      api.state.addComment(7, { body: `chatter ${i}`, user: "alice" });
    }
    // Someone quoting the marker in the middle of a comment does not make it ours.
    api.state.addComment(7, { body: `look: ${MARKER}`, user: "mallory" });
    const ids = api.state
      .comments(7)
      .filter((c) => c.body!.startsWith(MARKER))
      .map((c) => c.id);
    expect(ids).toHaveLength(2);

    const run = await comment({ results: JSON.stringify(normalizedRun(HEAD)) });
    expect(run.exitCode).toBe(0);
    const ours = api.state.comments(7).filter((c) => c.body!.startsWith(MARKER));
    expect(ours.map((c) => c.id)).toEqual([ids[0]]);
    expect(ours[0]!.body).toContain("HPC CI passed");
    expect(api.state.comments(7).some((c) => c.body!.includes("key=cluster-b"))).toBe(true);
    expect(api.state.comments(7).some((c) => c.body === `look: ${MARKER}`)).toBe(true);
    expect(api.state.comments(7)).toHaveLength(133);
    const listed = api.requests.filter((r) => r.operationId === "issues/list-comments");
    expect(listed.length).toBeGreaterThanOrEqual(2); // 133 comments: two pages of 100
    expect(writes().filter((w) => w.includes("comments"))).toEqual([
      "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}",
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
    ]);
  });

  it("two runs racing on a pull request without a comment leave exactly one", async () => {
    api.state.addPullRequest({ number: 5, headSha: HEAD });
    const [a, b] = await Promise.all([
      comment({ results: JSON.stringify(normalizedRun(HEAD)) }),
      comment({ results: JSON.stringify(normalizedRun(HEAD, { failed: 1 })) }),
    ]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    const left = api.state.comments(5);
    expect(left).toHaveLength(1);
    expect(left[0]!.body!.startsWith(MARKER)).toBe(true);
    // Both runs name the comment that is left.
    expect(JSON.parse(a.outputs["comment-ids"]!)).toEqual([left[0]!.id]);
    expect(JSON.parse(b.outputs["comment-ids"]!)).toEqual([left[0]!.id]);
  });

  it("mode new posts a comment on every run; mode off posts none but still sets statuses", async () => {
    api.state.addPullRequest({ number: 3, headSha: HEAD });
    const results = JSON.stringify(normalizedRun(HEAD));
    await comment({ results, mode: "new" });
    const run = await comment({ results, mode: "new" });
    expect(api.state.comments(3)).toHaveLength(2);
    expect(JSON.parse(run.outputs["comment-ids"]!)).toEqual([api.state.comments(3)[1]!.id]);

    const off = await comment({ results, mode: "off", key: "other" });
    expect(off.exitCode).toBe(0);
    expect(api.state.comments(3)).toHaveLength(2);
    expect(JSON.parse(off.outputs["comment-ids"]!)).toEqual([]);
    expect(JSON.parse(off.outputs["pull-requests"]!)).toEqual([3]);
    expect(off.summary).toContain("No comment: mode is off.");
    expect(api.state.statuses(HEAD)).toHaveLength(9);
  });

  it("widens to pull requests that contain the commit, or takes an explicit number", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    api.state.addPullRequest({ number: 8, headSha: OTHER, commits: [HEAD], baseRef: "release" });
    api.state.addPullRequest({ number: 9, headSha: createFakeSha("elsewhere") });
    const results = JSON.stringify(normalizedRun(HEAD));

    const wide = await comment({ results, "include-containing": "true", statuses: "false" });
    expect(JSON.parse(wide.outputs["pull-requests"]!)).toEqual([7, 8]);
    expect(api.state.comments(8)).toHaveLength(1);
    // Each pull request is compared with its own base.
    expect(api.state.comments(8)[0]!.body).toContain(
      "No comparison: the results branch has no run of release yet",
    );
    expect(api.state.statuses(HEAD)).toEqual([]);
    expect(JSON.parse(wide.outputs.statuses!)).toEqual([]);

    const explicit = await comment({ results, "pull-request": "9", statuses: "false" });
    expect(explicit.exitCode).toBe(0);
    expect(JSON.parse(explicit.outputs["pull-requests"]!)).toEqual([9]);
    expect(api.state.comments(9)).toHaveLength(1);
    expect(api.state.comments(7)).toHaveLength(1);

    const missing = await comment({ results, "pull-request": "99" });
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations).toContainEqual(
      expect.objectContaining({
        level: "error",
        message: "pull request 99 does not exist in octo-org/octo-repo",
      }),
    );
  });

  it("sets statuses from the results: skipped sections, regressions, and the coverage gates against the base", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD, baseRef: "main" });
    const base = mkdtempSync(join(tmpdir(), "comment-base-"));
    temps.push(base);
    writeBasePointer(base, "main", normalizedRun(createFakeSha("main-tip"), { coverage: 84 }));
    const run = normalizedRun(HEAD, { slower: 14.5, coverage: 81.25 });
    run.tests = { status: "skipped", reason: "benchmarks-only run" };

    const gated = await comment({
      results: JSON.stringify(run),
      "results-path": base,
      "coverage-max-drop": "2",
      "pages-url": "https://octo-org.github.io/octo-repo/hpc/",
    });
    expect(gated.exitCode).toBe(0);
    const latest = Object.fromEntries(api.state.combinedStatus(HEAD).statuses.map((s) => [s.context, s]));
    expect(latest["hpc/tests"]).toMatchObject({
      state: "success",
      description: "Skipped: benchmarks-only run",
    });
    expect(latest["hpc/benchmarks"]).toMatchObject({
      state: "failure",
      description: "1 regression past +10.0%: solver/3d +14.5%",
    });
    expect(latest["hpc/coverage"]).toMatchObject({
      state: "failure",
      description: "81.25%: 2.75 points below main (at most 2 allowed)",
      target_url: "https://octo-org.github.io/octo-repo/hpc/",
    });
    const body = api.state.comments(7)[0]!.body!;
    expect(body).toContain("| solver/3d | 123 ms | +14.5% |  | 🔴 regression | 2 KiB | 12 |");
    expect(body).toContain("Coverage gate failed");
    expect(body).toContain("[Dashboard](https://octo-org.github.io/octo-repo/hpc/)");

    // A higher threshold and a minimum that holds; skipped sections left without a status.
    const other = createFakeSha("other-commit");
    api.state.addPullRequest({ number: 8, headSha: other });
    const second = normalizedRun(other, { slower: 14.5, coverage: 81.25 });
    second.tests = { status: "skipped" };
    const relaxed = await comment({
      results: JSON.stringify(second),
      "results-path": base,
      "regression-threshold-pct": "20",
      "coverage-min": "80",
      "skipped-status": "off",
      "status-context-prefix": "hpc-lr",
    });
    expect(relaxed.exitCode).toBe(0);
    expect(
      api.state
        .statuses(other)
        .map((s) => [s.context, s.state, s.description])
        .sort(),
    ).toEqual([
      ["hpc-lr/benchmarks", "success", "Passed: 2 benchmarks, worst change +14.5%"],
      ["hpc-lr/coverage", "success", "81.25% of lines (-2.75 vs main)"],
    ]);
    const coverageMin = await comment({ results: JSON.stringify(second), "coverage-min": "90", key: "x" });
    expect(coverageMin.exitCode).toBe(0);
    expect(api.state.combinedStatus(other).statuses.find((s) => s.context === "hpc/coverage")).toMatchObject({
      state: "failure",
      description: "81.25%: below the 90% minimum",
    });
  });

  it("warns, and does not fail, when GitHub does not know the commit", async () => {
    const unknown = createFakeSha("never-pushed");
    const run = await comment({ results: JSON.stringify(normalizedRun(unknown)) });
    expect(run.exitCode).toBe(0);
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: "warning",
        message: expect.stringContaining(`GitHub does not know commit ${unknown}`),
      }),
    );
    expect(JSON.parse(run.outputs["pull-requests"]!)).toEqual([]);
    expect(JSON.parse(run.outputs.statuses!)).toEqual([]);
    expect(writes()).toEqual([]);
    expect(run.summary).toContain("No comment: no open pull request");
  });

  it("survives server errors, resets, 429 and both kinds of rate limit", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    api.faults.next(1, { status: 502, path: "/repos/{owner}/{repo}/commits/{commit_sha}/pulls" });
    api.faults.next(1, {
      reset: true,
      path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      method: "GET",
    });
    api.faults.next(1, {
      status: 429,
      retryAfter: 7,
      path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      method: "POST",
    });
    api.faults.next(1, { status: 403, path: "/repos/{owner}/{repo}/statuses/{sha}" });
    api.faults.next(1, { status: 403, rateLimit: "secondary", path: "/repos/{owner}/{repo}/statuses/{sha}" });
    const run = await comment({ results: JSON.stringify(normalizedRun(HEAD)) });
    expect(run.exitCode).toBe(0);
    expect(api.faults.pending()).toBe(0);
    expect(api.state.comments(7)).toHaveLength(1);
    expect(api.state.combinedStatus(HEAD).statuses).toHaveLength(3);
    const warnings = run.annotations.filter((a) => a.level === "warning").map((a) => a.message);
    expect(warnings).toEqual([
      // The 429's retry-after is what is waited for.
      "GitHub's secondary rate limit reached (POST /repos/{owner}/{repo}/issues/{issue_number}/comments); " +
        "retrying in 7 s (retry 1 of 3)",
      expect.stringMatching(
        /^GitHub's rate limit reached \(POST \/repos\/\{owner\}\/\{repo\}\/statuses\/\{sha\}\); retrying in \d+ s \(retry 1 of 3\)$/,
      ),
      expect.stringMatching(/^GitHub's secondary rate limit reached .*retrying in 1 s/),
    ]);
    expect(api.requests.filter((r) => r.fault).map((r) => r.fault)).toHaveLength(5);
  });

  it("gives up after bounded retries with a clear error, and says which permission a 403 needs", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    api.faults.next(10, { status: 502, path: "/repos/{owner}/{repo}/issues/{issue_number}/comments" });
    const run = await comment({ results: JSON.stringify(normalizedRun(HEAD)) });
    expect(run.exitCode).toBe(1);
    const error = run.annotations.find((a) => a.level === "error")!;
    expect(error.message).toMatch(/^commenting on pull request 7: GitHub answered 502/);
    expect(api.requests.filter((r) => r.fault)).toHaveLength(4); // the first try and 3 retries
    // Statuses are still set, and the summary written.
    expect(api.state.combinedStatus(HEAD).statuses).toHaveLength(3);
    expect(run.summary).toContain("comment failed");
    api.faults.clear();

    api.faults.next(1, {
      status: 403,
      message: "Resource not accessible by integration",
      headers: { "x-ratelimit-remaining": "4000" },
      path: "/repos/{owner}/{repo}/statuses/{sha}",
    });
    const denied = await comment({ results: JSON.stringify(normalizedRun(HEAD)), mode: "off" });
    expect(denied.exitCode).toBe(1);
    expect(denied.annotations.find((a) => a.level === "error")!.message).toContain("statuses: write");
  });

  it("refuses invalid results with the file, pointer and reason, before calling GitHub", async () => {
    const bad = normalizedRun(HEAD);
    bad.commit = "not-a-sha";
    const run = await comment({ results: JSON.stringify(bad) });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]!.message).toContain("input results at /commit: not a commit id");
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(api.requests).toEqual([]);

    const file = join(resultsPath, "results.json");
    writeFileSync(file, JSON.stringify(normalizedRun(HEAD)));
    api.state.addPullRequest({ number: 4, headSha: HEAD });
    const fromFile = await comment({ "results-file": file });
    expect(fromFile.exitCode).toBe(0);
    expect(api.state.comments(4)).toHaveLength(1);

    const none = await comment({});
    expect(none.exitCode).toBe(1);
    expect(none.annotations[0]!.message).toContain("give the run as input results or results-file");
    const mode = await comment({ "results-file": file, mode: "loud" });
    expect(mode.annotations[0]!.message).toBe('input "mode" must be one of sticky, new, off, not "loud"');
  });
});

describe("what comment-hpc-summary sends stays safe and within GitHub's limits", () => {
  const hostile = [
    "<img src=x onerror=alert(1)>",
    "@octocat please look",
    "fixes #123 and GH-45",
    "a|b|c",
    "`code` and ``` fence",
    "</details><details open>",
    "[link](https://evil.example/x) www.evil.example mail@evil.example",
    "deadbeefcafe1234 commit",
    "line\nbreak\r\tand\u0000null",
  ];

  it("escapes hostile names: no HTML, mention, reference or link, and no broken table", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD, baseRef: "@octocat/#9" });
    const run = normalizedRun(HEAD);
    run.tests.suites = Object.fromEntries(hostile.map((h, i) => [h, { passed: i, failed: 0 }]));
    run.benchmarks.results = Object.fromEntries(
      hostile.map((h, i) => [h, { median_ms: i + 1, delta_vs_baseline_pct: i }]),
    );
    run.hpc.cluster = "<script>alert(1)</script> @admins";
    run.hpc.node = "#1 node";
    run.branch = "feature/@octocat";
    run.tests.reason = "</summary></details><b>bold</b>";
    const action = await comment({ results: JSON.stringify(run) });
    expect(action.exitCode).toBe(0);

    const commentBody = api.state.comments(7)[0]!.body!;
    // Test-set names sit in code spans, shown literally and never linked: read the rest without them.
    const withoutCode = (md: string) => md.replace(/(`+)[\s\S]*?\1/g, "CODE");
    // The job summary escapes with backslashes (CommonMark shows the bare character): read past them.
    const summary = withoutCode(action.summary).replace(/\\[&<>"'|\\`*_[\]~!@#:$]/g, "");
    for (const body of [withoutCode(commentBody), summary]) {
      // Our own tags are the only HTML.
      const withoutOurTags = body.replace(MARKER, "").replace(/<\/?(details|summary)>/g, "");
      expect(withoutOurTags).not.toContain("<");
      expect(withoutOurTags).not.toContain(">");
      // Every table row of the test sets, benchmarks and provenance has exactly its columns.
      const rows = body.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---"));
      for (const row of rows) expect([2, 6, 7]).toContain(row.split("|").length - 2);
      // Data never opens or closes a code span or fence.
      expect(body).not.toContain("`");
      expect(body).not.toContain("\u0000");
    }
    // Decoded as GitHub decodes a comment before linking: no mention, reference, URL or e-mail stays whole.
    const shown = decodeEntities(withoutCode(commentBody).replace(/\]\(https:\/\/[^)\s]+\)/g, "]"));
    expect(shown).not.toMatch(/@\w/);
    expect(shown).not.toMatch(/#\w/);
    expect(shown).not.toMatch(/GH-\d/i);
    expect(shown).not.toMatch(/:\/\//);
    expect(shown).not.toMatch(/www\./i);
    expect(shown).not.toMatch(/\b[0-9a-f]{7,}\b/i);
    // The job summary notifies no one: no invisible space, no entity, and each name shown as it is.
    expect(action.summary).not.toContain("\u200b");
    expect(action.summary).not.toMatch(/&(#\d+|[a-z]+);/);
    const summaryText = action.summary.replace(/\\([&<>"'|\\`*_[\]~!@#:$])/g, "$1");
    for (const name of hostile.slice(0, -1)) expect(summaryText).toContain(name);
    expect(summaryText).toContain("line break and null");
  });

  it("keeps 5,000 benchmarks with very long names within 65,536 characters, saying where the table was cut", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    const run = normalizedRun(HEAD);
    const results: Record<string, BenchmarkResult> = {};
    run.benchmarks.results = results;
    // As many as fit in the 1 MiB a results document may have: 5,000 names of ~100 characters, every
    // hundredth ~500 (the contract allows 512).
    for (let i = 0; i < 5000; i++) {
      const name = `group-${i}/${"long-benchmark-name-".repeat(i % 100 === 0 ? 24 : 4)}${i}|<x>`;
      results[name] = {
        median_ms: i + 1,
        delta_vs_baseline_pct: i === 4300 ? 55.5 : (i % 17) - 8,
        memory_bytes: 1024 * i,
        allocs: i,
      };
    }
    run.tests.suites = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [
        `suite ${i} ${"@x ".repeat(20)}`,
        { passed: i, failed: i === 399 ? 1 : 0 },
      ]),
    );
    // Too big for an environment variable: given as a file, as ingest-hpc-results' results-file.
    const file = join(resultsPath, "big-results.json");
    writeFileSync(file, JSON.stringify(run));
    expect(statSync(file).size).toBeLessThan(1024 * 1024);
    const action = await comment({ "results-file": file });
    expect(action.annotations).toEqual([]);
    expect(action.exitCode).toBe(0);
    const body = api.state.comments(7)[0]!.body!;
    expect(Array.from(body).length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(60_000);
    expect(body).toMatch(
      /_… [\d,]+ more benchmarks not shown: a comment holds at most 65,536 characters\. The raw results have them all\._/,
    );
    expect(body).toMatch(/_… [\d,]+ more test sets not shown/);
    // The regression and the failing suite come first, so they survive the cut.
    expect(body).toContain("| +55.5% |  | 🔴 regression |");
    expect(body.indexOf("suite 399")).toBeGreaterThan(0);
    // The folds are closed properly after the cut.
    expect(body.match(/<details>/g)!.length).toBe(body.match(/<\/details>/g)!.length);
    const description = api.state
      .combinedStatus(HEAD)
      .statuses.find((s) => s.context === "hpc/benchmarks")!.description!;
    expect(Array.from(description).length).toBeLessThanOrEqual(140);
    expect(description.endsWith("…")).toBe(true);
  });

  it("never lets the token into output, outputs, summary or files", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    api.faults.next(1, {
      status: 403,
      message: "Resource not accessible by integration",
      headers: { "x-ratelimit-remaining": "4000" },
      path: "/repos/{owner}/{repo}/statuses/{sha}",
    });
    const run = await comment({ results: JSON.stringify(normalizedRun(HEAD)) });
    expect(run.exitCode).toBe(1); // the 403 is reported, with its message
    // The runner learns the secret from ::add-mask:: (and hides it from then on); nothing else may show it.
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
    const stdout = run.stdout
      .split("\n")
      .filter((l) => !l.startsWith("::add-mask::"))
      .join("\n");
    for (const text of [stdout, run.stderr, JSON.stringify(run.outputs), run.summary]) {
      expect(text).not.toContain(TOKEN);
    }
    for (const file of [...filesUnder(join(run.runnerTemp, "..")), ...filesUnder(resultsPath)]) {
      expect(readFileSync(file, "utf8"), file).not.toContain(TOKEN);
    }
    expect(api.state.comments(7)[0]!.body).not.toContain(TOKEN);
    // The stand-in saw the token as a credential, which is the one place it belongs.
    expect(api.requests[0]!.headers.authorization).toBe("token [redacted]");
  });
});

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(
      /&(lt|gt|amp|quot|#39);/g,
      (e) => ({ "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"' })[e] ?? "'",
    );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

describe("only comments by whom the token posts as are ours (issue 15, finding 4)", () => {
  const PLANTED = `${MARKER}\nplanted by another commenter`;

  it("with the workflow token: a marker planted by anybody else is neither edited nor deleted, ours is updated", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    api.state.addPullRequest({ number: 8, headSha: HEAD });
    // Older than ours, so a marker-only search would keep it and delete ours.
    const planted7 = api.state.addComment(7, { body: PLANTED, user: "mallory" });
    const ours = api.state.addComment(7, { body: `${MARKER}\nour earlier run` }); // github-actions[bot]
    const planted8 = api.state.addComment(8, { body: PLANTED, user: "mallory" });

    const run = await comment({ results: JSON.stringify(normalizedRun(HEAD)) });
    expect(run.exitCode).toBe(0);
    expect(api.state.comment(Number(planted7.id))!.body).toBe(PLANTED);
    expect(api.state.comment(Number(planted8.id))!.body).toBe(PLANTED);
    expect(api.state.comment(Number(ours.id))!.body).toContain("HPC CI passed");
    const on8 = api.state.comments(8);
    expect(on8.map((c) => c.user!.login)).toEqual(["mallory", "github-actions[bot]"]);
    expect(JSON.parse(run.outputs["comment-ids"]!)).toEqual([ours.id, on8[1]!.id]);
    expect(writes().filter((w) => w.startsWith("DELETE"))).toEqual([]);
    // GitHub refuses GET /user to an installation token; the action then takes the workflow token's bot.
    expect(api.requests.find((r) => r.path === "/user")?.status).toBe(403);

    // The next run finds the same two comments of ours again, and leaves the planted ones alone.
    const again = await comment({ results: JSON.stringify(normalizedRun(HEAD, { failed: 1 })) });
    expect(JSON.parse(again.outputs["comment-ids"]!)).toEqual([ours.id, on8[1]!.id]);
    expect(api.state.comments(7)).toHaveLength(2);
    expect(api.state.comment(Number(planted7.id))!.body).toBe(PLANTED);
  });

  it("with a personal access token: its user's comment is ours, the workflow bot's is not", async () => {
    const pat = "github_pat_11HPCMAINTAINERxxxxxxxxxxxxxxxxxx";
    api.state.addToken(pat, { user: "hpc-maintainer" });
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    const bots = api.state.addComment(7, { body: PLANTED }); // github-actions[bot], not this token's user
    const ours = api.state.addComment(7, { body: `${MARKER}\nold`, user: "hpc-maintainer" });
    const run = await comment({ results: JSON.stringify(normalizedRun(HEAD)), token: pat });
    expect(run.exitCode).toBe(0);
    expect(api.requests.find((r) => r.path === "/user")?.status).toBe(200);
    expect(api.state.comment(Number(bots.id))!.body).toBe(PLANTED);
    expect(api.state.comment(Number(ours.id))!.body).toContain("HPC CI passed");
    expect(api.state.comments(7)).toHaveLength(2);
  });

  it("with a GitHub App's token: comment-author names its bot; without it the action says what to set", async () => {
    const appToken = "ghs_AppInstallationToken000000000000000";
    api.state.addToken(appToken, { user: "hpc-ci-app[bot]" });
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    const results = JSON.stringify(normalizedRun(HEAD));
    const guessed = await comment({ results, token: appToken });
    expect(guessed.exitCode).toBe(0);
    expect(guessed.annotations).toContainEqual(
      expect.objectContaining({
        level: "warning",
        message: expect.stringContaining("set input comment-author to hpc-ci-app[bot]"),
      }),
    );
    const first = api.state.comments(7);
    expect(first.map((c) => c.user!.login)).toEqual(["hpc-ci-app[bot]"]);

    const named = await comment({ results, token: appToken, "comment-author": "hpc-ci-app[bot]" });
    expect(named.annotations.filter((a) => a.level === "warning")).toEqual([]);
    expect(api.state.comments(7).map((c) => c.id)).toEqual([first[0]!.id]);
    expect(JSON.parse(named.outputs["comment-ids"]!)).toEqual([first[0]!.id]);
  });
});

describe("statuses do not depend on the pull requests (issue 15, finding 9)", () => {
  it("sets the statuses when listing the pull requests answers 500, then fails with the reason", async () => {
    api.state.addPullRequest({ number: 7, headSha: HEAD });
    api.faults.next(10, { status: 500, path: "/repos/{owner}/{repo}/commits/{commit_sha}/pulls" });
    const run = await comment({ results: JSON.stringify(normalizedRun(HEAD)) });
    expect(run.exitCode).toBe(1);
    expect(api.state.combinedStatus(HEAD).statuses).toHaveLength(3);
    expect(JSON.parse(run.outputs.statuses!)).toHaveLength(3);
    expect(api.state.comments(7)).toEqual([]);
    const error = run.annotations.find((a) => a.level === "error")!;
    expect(error.message).toMatch(/listing the pull requests of [0-9a-f]{40}: GitHub answered 500/);
  });
});
