// Check runs: the client (src/github/check-runs.ts) against the OpenAPI-checked GitHub stand-in, which keeps
// GitHub's rules (50 annotations per request, appended over updates; 65,535 bytes of summary; only an app's
// installation token writes check runs).
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HpcResults } from "../src/contract/types.js";
import { createGitHubClient } from "../src/github/client.js";
import {
  ANNOTATIONS_PER_REQUEST,
  CHECK_OUTPUT_BYTES,
  type CheckAnnotation,
  CheckRunsUnavailable,
  upsertCheckRun,
} from "../src/github/check-runs.js";
import { planCheckRuns } from "../src/github/check-run-plan.js";
import { assessRun } from "../src/render/assessment.js";
import { createFakeSha, startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import { runAction, type ActionRun } from "./harness/run-action.js";

const repository = { owner: "octo-org", repo: "octo-repo" };
const PAT = "ghp_personal_token_of_alice";
let api: GitHubApi;
let sha: string;
let shaCount = 0;

beforeAll(async () => {
  api = await startGitHubApi({ tokens: { [PAT]: { user: "alice" } } });
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  sha = createFakeSha(`check-runs-${++shaCount}`);
  api.state.addCommit(sha);
  api.requests.length = 0;
  api.violations.length = 0;
});

function client(token = api.token) {
  return createGitHubClient({ token, baseUrl: api.url, timeScale: 0, retries: 0 });
}

function annotations(n: number): CheckAnnotation[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `test/file${i % 7}.jl`,
    start_line: i + 1,
    annotation_level: i % 5 === 0 ? ("warning" as const) : ("failure" as const),
    message: `failure number ${i + 1}`,
    title: `Test failed: set ${i + 1}`,
  }));
}

function checkRunWrites() {
  return api.requests.filter((r) => /\/check-runs(\/\d+)?$/.test(r.path) && r.method !== "GET");
}

describe("the check-runs client", () => {
  it("sends 120 annotations as one create and two updates of at most 50, all kept in order", async () => {
    const outcome = await upsertCheckRun(client(), repository, {
      name: "hpc/tests",
      headSha: sha,
      conclusion: "failure",
      detailsUrl: "https://octo-org.github.io/octo-repo/hpc/",
      output: { title: "120 failures", summary: "Summary", annotations: annotations(120) },
    });
    const writes = checkRunWrites();
    expect(writes.map((w) => w.method)).toEqual(["POST", "PATCH", "PATCH"]);
    const sizes = writes.map(
      (w) => (w.body as { output: { annotations: unknown[] } }).output.annotations.length,
    );
    expect(sizes).toEqual([50, 50, 20]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(ANNOTATIONS_PER_REQUEST);
    expect(outcome).toMatchObject({ action: "created", requests: 3, annotationsSent: 120, dropped: 0 });

    const stored = api.state.annotations(outcome.id);
    expect(stored.map((a) => a.start_line)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(stored[0]).toMatchObject({ path: "test/file0.jl", annotation_level: "warning", end_line: 1 });
    const [run] = api.state.checkRuns(sha);
    expect(run).toMatchObject({
      name: "hpc/tests",
      status: "completed",
      conclusion: "failure",
      details_url: "https://octo-org.github.io/octo-repo/hpc/",
      output: { annotations_count: 120, title: "120 failures", summary: "Summary" },
      app: { slug: "github-actions", id: 15368 },
    });
    expect(api.violations).toEqual([]);
  });

  it("the stand-in refuses 51 annotations in one request with 422, as GitHub does", async () => {
    const octokit = client();
    const error = await octokit.rest.checks
      .create({
        ...repository,
        name: "too-many",
        head_sha: sha,
        output: {
          title: "t",
          summary: "s",
          annotations: annotations(51).map((a) => ({ ...a, end_line: a.start_line })),
        },
      })
      .then(
        () => undefined,
        (e: { status: number }) => e,
      );
    expect(error?.status).toBe(422);
    expect(api.violations.flatMap((v) => v.messages)).toEqual([
      "body/output/annotations: must NOT have more than 50 items",
    ]);
    expect(api.state.checkRuns(sha)).toEqual([]);
  });

  it("cuts a summary of multi-byte text at 65,535 bytes on a character boundary", async () => {
    // 4-byte emoji and 3-byte CJK: 30,000 characters, far more than 65,535 bytes; fewer than 65,535 characters.
    const summary = "🧪測".repeat(15_000);
    expect(Array.from(summary).length).toBeLessThan(CHECK_OUTPUT_BYTES);
    const outcome = await upsertCheckRun(client(), repository, {
      name: "hpc/tests",
      headSha: sha,
      conclusion: "success",
      output: { title: "big", summary, text: "ü".repeat(40_000) },
    });
    const [run] = api.state.checkRuns(sha);
    expect(run!.id).toBe(outcome.id);
    const stored = run!.output.summary!;
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(CHECK_OUTPUT_BYTES);
    expect(Buffer.byteLength(stored)).toBeGreaterThan(CHECK_OUTPUT_BYTES - 100);
    expect(stored).not.toContain("\ufffd");
    expect(stored.startsWith("🧪測🧪測")).toBe(true);
    expect(stored).toMatch(/cut at GitHub's limit/);
    expect(Buffer.byteLength(run!.output.text!)).toBeLessThanOrEqual(CHECK_OUTPUT_BYTES);
    expect(api.violations).toEqual([]);
  });

  it("the stand-in refuses a summary over 65,535 bytes, as GitHub does (bytes, not characters)", async () => {
    const error = await client()
      .rest.checks.create({
        ...repository,
        name: "raw",
        head_sha: sha,
        output: { title: "t", summary: "測".repeat(30_000) },
      })
      .then(
        () => undefined,
        (e: { status: number; message: string }) => e,
      );
    expect(error?.status).toBe(422);
    expect(error?.message).toMatch(/summary exceeds a maximum bytesize of 65535/);
  });

  it("re-processing updates the same check run: one per name and commit, annotations not doubled", async () => {
    const spec = {
      name: "hpc/tests",
      headSha: sha,
      conclusion: "failure" as const,
      output: { title: "Failed", summary: "first", annotations: annotations(3) },
    };
    const first = await upsertCheckRun(client(), repository, spec, { appSlug: "github-actions" });
    const again = await upsertCheckRun(
      client(),
      repository,
      { ...spec, output: { ...spec.output, summary: "second", annotations: annotations(4) } },
      { appSlug: "github-actions" },
    );
    expect(again).toMatchObject({ id: first.id, action: "updated", annotationsSent: 1 });
    const runs = api.state.checkRuns(sha);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.output.summary).toBe("second");
    expect(api.state.annotations(first.id).map((a) => a.start_line)).toEqual([1, 2, 3, 4]);

    // Fewer failures now: the old annotations cannot be taken back, so the result is a new check run
    // (GitHub shows the newest of a name).
    const fewer = await upsertCheckRun(
      client(),
      repository,
      { ...spec, output: { ...spec.output, annotations: annotations(1) } },
      { appSlug: "github-actions" },
    );
    expect(fewer.action).toBe("replaced");
    expect(fewer.id).not.toBe(first.id);
    expect(api.state.annotations(fewer.id)).toHaveLength(1);
    // A spec without annotations (a status or summary change) updates in place, annotations kept.
    const note = await upsertCheckRun(
      client(),
      repository,
      { ...spec, output: { title: "Failed", summary: "third" } },
      { appSlug: "github-actions" },
    );
    expect(note).toMatchObject({ id: fewer.id, action: "updated" });
    expect(api.state.annotations(fewer.id)).toHaveLength(1);
    expect(api.violations).toEqual([]);
  });

  it("another app's check run of the same name is left alone", async () => {
    const other = "ghs_other_app_installation";
    api.state.addToken(other, { user: "other-ci[bot]" });
    const theirs = await upsertCheckRun(client(other), repository, {
      name: "hpc/tests",
      headSha: sha,
      conclusion: "success",
      output: { title: "theirs", summary: "theirs" },
    });
    const ours = await upsertCheckRun(
      client(),
      repository,
      { name: "hpc/tests", headSha: sha, conclusion: "failure", output: { title: "ours", summary: "ours" } },
      { appSlug: "github-actions" },
    );
    expect(ours.action).toBe("created");
    expect(ours.id).not.toBe(theirs.id);
    expect(api.state.checkRuns(sha).find((r) => r.id === theirs.id)!.output.summary).toBe("theirs");
  });

  it("drops annotations without a repository-relative path or line, bounds the rest", async () => {
    const outcome = await upsertCheckRun(client(), repository, {
      name: "hpc/tests",
      headSha: sha,
      conclusion: "failure",
      output: {
        title: "t",
        summary: "s",
        annotations: [
          { path: "/global/homes/u/x.jl", start_line: 3, annotation_level: "failure", message: "abs" },
          { path: "../outside.jl", start_line: 3, annotation_level: "failure", message: "out" },
          { path: "./test/ok.jl", start_line: 0, annotation_level: "failure", message: "no line" },
          {
            path: "./test/ok.jl",
            start_line: 9,
            annotation_level: "failure",
            message: "é".repeat(40_000),
            title: "t".repeat(300),
          },
        ],
      },
    });
    expect(outcome).toMatchObject({ dropped: 3, annotationsSent: 1 });
    const [a] = api.state.annotations(outcome.id);
    expect(a).toMatchObject({ path: "test/ok.jl", start_line: 9, end_line: 9 });
    expect(Buffer.byteLength(a!.message!)).toBeLessThanOrEqual(64 * 1024);
    expect(Array.from(a!.title!)).toHaveLength(255);
    expect(api.violations).toEqual([]);
  });

  it("a live check run: queued, in progress, completed, the same run throughout", async () => {
    const write = (spec: Partial<Parameters<typeof upsertCheckRun>[2]>) =>
      upsertCheckRun(client(), repository, { name: "hpc", headSha: sha, externalId: "request-7", ...spec });
    const queued = await write({ status: "queued", output: { title: "Queued", summary: "Waiting" } });
    expect(api.state.checkRuns(sha)[0]).toMatchObject({ status: "queued", conclusion: null });
    const running = await write({
      status: "in_progress",
      detailsUrl: "https://octo-org.github.io/octo-repo/hpc/",
      output: { title: "Running", summary: "Slurm job 4242" },
    });
    const done = await write({ conclusion: "success", output: { title: "Done", summary: "Passed" } });
    expect(new Set([queued.id, running.id, done.id]).size).toBe(1);
    expect(api.state.checkRuns(sha)).toHaveLength(1);
    expect(api.state.checkRuns(sha)[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      external_id: "request-7",
      details_url: "https://octo-org.github.io/octo-repo/hpc/",
      output: { title: "Done" },
    });
    expect(api.violations).toEqual([]);
  });

  /** What writing a check run with `token` is refused with. */
  const refusal = (token: string) =>
    upsertCheckRun(client(token), repository, {
      name: "hpc/tests",
      headSha: sha,
      conclusion: "success",
    }).then(
      () => undefined,
      (e: unknown) => e,
    );

  it("a personal access token gets GitHub's 403, which the client reports as check runs unavailable", async () => {
    const error = await refusal(PAT);
    expect(error).toBeInstanceOf(CheckRunsUnavailable);
    expect(String(error)).toMatch(/403.*You must authenticate via a GitHub App/);
    expect(api.state.checkRuns(sha)).toEqual([]);
  });

  it("an installation token without checks: write gets 403 Resource not accessible by integration", async () => {
    const limited = "ghs_job_without_checks";
    api.state.addToken(limited, {
      user: "github-actions[bot]",
      permissions: { contents: "read", statuses: "write", checks: "none" },
    });
    const error = await refusal(limited);
    expect(error).toBeInstanceOf(CheckRunsUnavailable);
    expect(String(error)).toMatch(/Resource not accessible by integration/);
    // The hint names the permission this call needs, whichever action made it.
    expect(String(error)).toContain("does the token have checks: write?");
    expect(api.state.checkRuns(sha)).toEqual([]);
  });
});

describe("the plan of a check run's summary", () => {
  it("cuts 5,000 benchmarks to 65,535 bytes and says so in a check run's own terms", () => {
    const run = failingRun(createFakeSha("plan-cut"));
    run.benchmarks!.results = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [
        `group-${i}/${"long-benchmark-name-ü-".repeat(4)}${i}`,
        { median_ms: i + 1, delta_vs_baseline_pct: (i % 17) - 8 },
      ]),
    );
    const specs = planCheckRuns(run, assessRun(run), {
      prefix: "hpc",
      skipped: "success",
      sources: { serverUrl: "https://github.com", repository: "octo-org/octo-repo", commit: run.commit },
    });
    const summary = specs.find((s) => s.name === "hpc/benchmarks")!.output!.summary;
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(CHECK_OUTPUT_BYTES);
    expect(Buffer.byteLength(summary)).toBeGreaterThan(CHECK_OUTPUT_BYTES - 4096);
    expect(summary).toMatch(
      /_… [\d,]+ more benchmarks not shown: a check run's summary holds at most 65,535 bytes\. The raw results have them all\._/,
    );
    expect(summary).not.toContain("a comment holds");
  });
});

// --- the comment action's bundle, as the runner runs it -------------------------------------------------

/** A failing run as the CLI writes it from Julia's output: nested test sets, a failure and an error. */
function failingRun(commit: string): HpcResults {
  return {
    schema_version: 1,
    commit,
    branch: "feature-io",
    generated_at: "2026-12-06T04:00:00Z",
    hpc: { cluster: "perlmutter", job_id: "4242", node: "nid001", julia_version: "1.11.2" },
    coverage: { flag: "hpc-extended", coverage_percent: 71.5, total_lines: 2000, covered_lines: 1430 },
    tests: {
      status: "failed",
      duration_seconds: 812,
      suites: {
        "Mycelia/io": { passed: 41, failed: 1, errored: 0, broken: 0 },
        "Mycelia/parse/reader": { passed: 17, failed: 0, errored: 1, broken: 0 },
      },
      failures: [
        {
          kind: "failed",
          testset: ["Mycelia", "io", "round trip"],
          file: "test/io.jl",
          line: 12,
          expression: "read(write(x)) == x",
          evaluated: "[1, 2] == [1, 2, 3]",
        },
        {
          kind: "errored",
          testset: ["Mycelia", "parse", "reader"],
          file: "test/parse/reader.jl",
          line: 40,
          expression: "parse_fastq(io)",
          message: "ArgumentError: record 3 has no quality line",
        },
        { kind: "failed", testset: ["Mycelia"], message: "a failure the report gave no file for" },
      ],
      failures_total: 3,
    },
    benchmarks: {
      status: "passed",
      duration_seconds: 120,
      results: { "io/read": { median_ms: 5.5, delta_vs_baseline_pct: 1.5, regression: false } },
    },
  };
}

const runs: ActionRun[] = [];
afterAll(() => {
  for (const r of runs) rmSync(dirname(r.runnerTemp), { recursive: true, force: true });
});

async function commentAction(inputs: Record<string, string>, token = api.token): Promise<ActionRun> {
  const run = await runAction("comment-hpc-summary", {
    inputs: { token, mode: "off", "pages-url": "https://octo-org.github.io/octo-repo/hpc/", ...inputs },
    env: { GITHUB_API_URL: api.url, HPC_CI_GITHUB_TIME_SCALE: "0.01" },
  });
  runs.push(run);
  return run;
}

describe("comment-hpc-summary's check runs (dist bundle)", () => {
  it("a failing run: hpc/tests fails with annotations on the failing lines, hpc/benchmarks passes", async () => {
    const run = await commentAction({ results: JSON.stringify(failingRun(sha)) });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const byName = Object.fromEntries(api.state.checkRuns(sha).map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(["hpc/benchmarks", "hpc/coverage", "hpc/tests"]);
    const tests = byName["hpc/tests"]!;
    expect(tests).toMatchObject({
      status: "completed",
      conclusion: "failure",
      head_sha: sha,
      details_url: "https://octo-org.github.io/octo-repo/hpc/",
      app: { slug: "github-actions" },
    });
    expect(tests.output.title).toBe("Failed: 58 passed, 1 failed, 1 errored in 2 test sets · 13 min 32 s");
    const annotations = api.state.annotations(tests.id);
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatchObject({
      path: "test/io.jl",
      start_line: 12,
      end_line: 12,
      annotation_level: "failure",
      title: "Test failed: Mycelia / io / round trip",
      message: "Expression: read(write(x)) == x\nEvaluated: [1, 2] == [1, 2, 3]",
      blob_href: `https://github.com/octo-org/octo-repo/blob/${sha}/test/io.jl`,
    });
    expect(annotations[1]).toMatchObject({
      path: "test/parse/reader.jl",
      start_line: 40,
      annotation_level: "failure",
      title: "Error during test: Mycelia / parse / reader",
    });
    expect(annotations[1]!.message).toContain("ArgumentError: record 3 has no quality line");
    // The summary: test sets, every failure (the one without a file too), linked to the tested commit.
    const summary = tests.output.summary!;
    expect(summary).toContain("Mycelia/io");
    expect(summary).toContain(`(https://github.com/octo-org/octo-repo/blob/${sha}/test/io.jl#L12)`);
    expect(summary).toContain(`(https://github.com/octo-org/octo-repo/blob/${sha}/test/parse/reader.jl#L40)`);
    expect(summary).toContain("#### Failures (3)");

    expect(byName["hpc/benchmarks"]).toMatchObject({ conclusion: "success", status: "completed" });
    expect(byName["hpc/benchmarks"]!.output.summary).toContain("io/read");
    expect(byName["hpc/coverage"]).toMatchObject({ conclusion: "success" });
    expect(JSON.parse(run.outputs["check-runs"]!)).toEqual(
      ["hpc/tests", "hpc/benchmarks", "hpc/coverage"].map((n) => byName[n]!.id),
    );
    // Statuses are off by default now.
    expect(api.state.statuses(sha)).toEqual([]);
    expect(JSON.parse(run.outputs.statuses!)).toEqual([]);
    expect(api.violations).toEqual([]);

    // Processed again (a catch-up, a re-run): the same check runs, updated, annotations not doubled.
    const again = await commentAction({ results: JSON.stringify(failingRun(sha)) });
    expect(again.exitCode).toBe(0);
    expect(api.state.checkRuns(sha)).toHaveLength(3);
    expect(api.state.annotations(tests.id)).toHaveLength(2);
    expect(JSON.parse(again.outputs["check-runs"]!)).toEqual(JSON.parse(run.outputs["check-runs"]!));
  });

  it("no benchmarks in the run: no hpc/benchmarks check run", async () => {
    const doc = failingRun(sha);
    doc.benchmarks = { status: "skipped" };
    const run = await commentAction({ results: JSON.stringify(doc) });
    expect(run.exitCode).toBe(0);
    expect(
      api.state
        .checkRuns(sha)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["hpc/coverage", "hpc/tests"]);
  });

  it("a personal access token: GitHub refuses check runs, the action warns and sets statuses of the same names", async () => {
    const run = await commentAction({ results: JSON.stringify(failingRun(sha)) }, PAT);
    expect(run.exitCode).toBe(0);
    expect(api.state.checkRuns(sha)).toEqual([]);
    const warning = run.annotations.find((a) => a.level === "warning")!;
    expect(warning.message).toMatch(/403.*You must authenticate via a GitHub App/);
    expect(warning.message).toMatch(/setting commit statuses of the same names instead/);
    const statuses = api.state.statuses(sha);
    expect(Object.fromEntries(statuses.map((s) => [s.context, s.state]))).toEqual({
      "hpc/tests": "failure",
      "hpc/benchmarks": "success",
      "hpc/coverage": "success",
    });
    expect(statuses.find((s) => s.context === "hpc/tests")!.description).toBe(
      "Failed: 58 passed, 1 failed, 1 errored in 2 test sets · 13 min 32 s",
    );
    expect(JSON.parse(run.outputs["check-runs"]!)).toEqual([]);
    // The runner consumes ::add-mask:: itself; nothing else may carry the token.
    expect(run.stdout.replace(`::add-mask::${PAT}`, "")).not.toContain(PAT);
  });
});
