// Issue 16's whole path, as a reviewer meets it: a failing Julia run on the cluster (Julia 1.10's own output,
// nested test sets, a failure and an error in different files, cluster-absolute paths) published by the bundled
// CLI to a bare origin, then the bundled ingest and comment actions against the OpenAPI-checked GitHub
// stand-in: the hpc/tests check run carries annotations on the repository-relative lines, and the comment
// names both failures with links to those lines.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import { makeProject, removeProject, runCli, type Project } from "./harness/cli.js";
import { runAction, type ActionRun } from "./harness/run-action.js";
import { scratchDir } from "./harness/scratch.js";

let api: GitHubApi;
let project: Project;
let checkout: string;
const runs: ActionRun[] = [];

beforeAll(async () => {
  api = await startGitHubApi();
  project = makeProject();
  checkout = join(scratchDir("hpc-ci-reviewer-"), "results");
});

afterAll(async () => {
  await api?.close();
  if (project) removeProject(project);
  if (checkout) rmSync(dirname(checkout), { recursive: true, force: true });
  for (const r of runs) rmSync(dirname(r.runnerTemp), { recursive: true, force: true });
});

describe("a failing Julia run, from the cluster to the reviewer", () => {
  it("annotates the failing lines in hpc/tests and names both failures in the comment", async () => {
    const cli = await runCli(["run", "--tests-only", "--no-codecov"], {
      cwd: project.dir,
      // The example package's failing configuration: printed under /global/homes/u/user/Example.jl/.
      env: { JULIA_STUB_TEST_CONFIG: "test/failing.stub.json" },
    });
    expect(cli.exitCode, cli.stderr).toBe(1);
    const log = readFileSync(join(project.dir, "hpc-ci/logs/tests.log"), "utf8");
    expect(log).toContain("io: Test Failed at /global/homes/u/user/Example.jl/test/io.jl:12");
    expect(log).toContain("Error During Test at /global/homes/u/user/Example.jl/test/parse/reader.jl:27");

    execFileSync("git", ["clone", "-q", "-b", "hpc-results", project.origin, checkout]);
    const sha = project.commit;
    api.state.addCommit(sha);
    api.state.addPullRequest({ number: 16, headSha: sha, baseRef: "main" });

    const ingest = await runAction("ingest-hpc-results", { cwd: checkout, inputs: { commit: sha } });
    runs.push(ingest);
    expect(ingest.exitCode, ingest.stdout + ingest.stderr).toBe(0);
    const comment = await runAction("comment-hpc-summary", {
      inputs: { token: api.token, "results-file": ingest.outputs["results-file"]!, "results-path": checkout },
      env: { GITHUB_API_URL: api.url, HPC_CI_GITHUB_TIME_SCALE: "0.01" },
    });
    runs.push(comment);
    expect(comment.exitCode, comment.stdout + comment.stderr).toBe(0);
    expect(api.violations).toEqual([]);

    const tests = api.state.checkRuns(sha).find((r) => r.name === "hpc/tests")!;
    expect(tests).toMatchObject({ status: "completed", conclusion: "failure", head_sha: sha });
    const annotations = api.state
      .annotations(tests.id)
      .map((a) => [a.path, a.start_line, a.end_line, a.annotation_level]);
    expect(annotations).toEqual([
      ["test/io.jl", 12, 12, "failure"],
      ["test/parse/reader.jl", 27, 27, "failure"],
    ]);
    // The lines named are the failing tests' own lines in the tested commit.
    expect(readFileSync(join(project.dir, "test/io.jl"), "utf8").split("\n")[11]).toContain("@test");
    expect(readFileSync(join(project.dir, "test/parse/reader.jl"), "utf8").split("\n")[26]).toContain(
      "read_records",
    );

    const body = api.state.comments(16)[0]!.body!;
    const blob = `https://github.com/${process.env.GITHUB_REPOSITORY ?? "octo-org/octo-repo"}/blob/${sha}`;
    expect(body).toContain(`${blob}/test/io.jl#L12`);
    expect(body).toContain(`${blob}/test/parse/reader.jl#L27`);
    expect(body).toContain("length(records) == 3");
    expect(body).toContain("SystemError");
    // The job summary says the same.
    expect(comment.summary).toContain(`${blob}/test/io.jl#L12`);
    expect(comment.summary).toContain(`${blob}/test/parse/reader.jl#L27`);
  });
});
