// Check runs: the client (src/github/check-runs.ts) against the OpenAPI-checked GitHub stand-in, which keeps
// GitHub's rules (50 annotations per request, appended over updates; 65,535 bytes of summary; only an app's
// installation token writes check runs).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient } from "../src/github/client.js";
import {
  ANNOTATIONS_PER_REQUEST,
  CHECK_OUTPUT_BYTES,
  type CheckAnnotation,
  CheckRunsUnavailable,
  upsertCheckRun,
} from "../src/github/check-runs.js";
import { createFakeSha, startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";

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

  it("a personal access token gets GitHub's 403, which the client reports as check runs unavailable", async () => {
    const error = await upsertCheckRun(client(PAT), repository, {
      name: "hpc/tests",
      headSha: sha,
      conclusion: "success",
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
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
    const error = await upsertCheckRun(client(limited), repository, {
      name: "hpc/tests",
      headSha: sha,
      conclusion: "success",
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CheckRunsUnavailable);
    expect(String(error)).toMatch(/Resource not accessible by integration/);
  });
});
