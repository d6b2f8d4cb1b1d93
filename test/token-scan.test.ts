// One scan for the whole path: the CLI publishes over authenticated HTTPS-style git and uploads to
// Codecov, then the three actions run as the runner runs them (artifact upload, pages push, comments and
// statuses), each with its own token. Afterwards every byte they left is searched for every token, in
// the forms a leak takes (plain, base64 as in a Basic header, URL-encoded): console output, GITHUB_OUTPUT,
// the step summary and the other runner files, every file in every folder they touched (git config and
// logs included), every object of every git repository (decompressed), and what the stand-in services
// received outside the Authorization header.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startArtifactService, type ArtifactService } from "./harness/artifact-service.js";
import { makeProject, removeProject, runCli, type Project } from "./harness/cli.js";
import { startCodecovApi, type CodecovApi } from "./harness/codecov-api.js";
import { startGitHttp, type GitHttpServer } from "./harness/git-http.js";
import { startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import { runAction, type ActionRun } from "./harness/run-action.js";
import { missingCommands } from "./harness/system.js";

const REPOSITORY = "octo/example";
const TOKENS = {
  HPC_RESULTS_TOKEN: "ghp_scanResultsPush7c1e0b9a4d2f6e8a",
  CODECOV_TOKEN: "7d3e9b1c-2a4f-4e6d-9c8b-5ca0c0de5ca7", // Codecov tokens are UUIDs
  GITHUB_TOKEN: "ghs_scanActionsToken5e9d2c7b1a8f3e6d",
};

/** The forms in which a token shows up when it leaks. */
function leakForms(token: string): string[] {
  return [
    token,
    encodeURIComponent(token),
    Buffer.from(token).toString("base64"),
    Buffer.from(`x-access-token:${token}`).toString("base64"),
    Buffer.from(`:${token}`).toString("base64"),
  ];
}

const skip = missingCommands("git");

describe.skipIf(skip)("no token anywhere, after the whole path ran", () => {
  let p: Project;
  let git: GitHttpServer;
  let codecov: CodecovApi;
  let github: GitHubApi;
  let artifacts: ArtifactService;
  const texts: Array<{ where: string; text: string | Buffer }> = [];
  const folders: string[] = [];
  const repositories: string[] = [];
  const runs: Record<string, ActionRun> = {};

  beforeAll(async () => {
    p = makeProject();
    git = await startGitHttp(dirname(p.origin), TOKENS.HPC_RESULTS_TOKEN);
    codecov = await startCodecovApi({ token: TOKENS.CODECOV_TOKEN, slug: REPOSITORY });
    github = await startGitHubApi({ token: TOKENS.GITHUB_TOKEN, repository: REPOSITORY });
    artifacts = await startArtifactService();
  });
  afterAll(async () => {
    await Promise.all([git?.close(), codecov?.close(), github?.close(), artifacts?.close()]);
    if (p) removeProject(p);
  });

  it("runs: the CLI publishes and uploads, the actions ingest, render, push and comment", async () => {
    // A cluster job often has every token in its environment at once; julia is asked to print them.
    const cli = await runCli(["run"], {
      cwd: p.dir,
      env: {
        ...TOKENS,
        HPC_RESULTS_REPO_URL: `${git.url}/origin.git`,
        HPC_RESULTS_REPOSITORY_SLUG: REPOSITORY,
        // The dispatch after the push goes to the stand-in, so its request is scanned too.
        GITHUB_API_URL: github.url,
        CODECOV_URL: codecov.url,
        JULIA_STUB_PRINT_ENV: Object.keys(TOKENS).join(" "),
      },
      timeoutMs: 180_000,
    });
    expect(cli.exitCode, cli.stdout + cli.stderr).toBe(0);
    texts.push({ where: "hpc-ci stdout", text: cli.stdout }, { where: "hpc-ci stderr", text: cli.stderr });
    expect(git.users).toContain("x-access-token");
    expect(codecov.uploads, cli.stdout).toHaveLength(1);
    folders.push(dirname(p.dir));
    repositories.push(p.origin, p.dir);

    const work = dirname(p.dir);
    const results = join(work, "results");
    const pages = join(work, "pages");
    execFileSync("git", ["clone", "-q", "-b", "hpc-results", p.origin, results]);
    execFileSync("git", ["clone", "-q", p.origin, pages]);
    repositories.push(results, pages);
    const env = {
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: TOKENS.GITHUB_TOKEN,
    };

    runs.ingest = await runAction("ingest-hpc-results", {
      cwd: results,
      inputs: { commit: p.commit, "upload-artifact": "true" },
      env: { ...env, ...artifacts.env() },
      repository: REPOSITORY,
    });
    expect(runs.ingest.exitCode, runs.ingest.stdout).toBe(0);
    expect(artifacts.artifacts()).toHaveLength(1);

    runs.render = await runAction("render-badges", {
      cwd: work,
      inputs: { "results-file": runs.ingest.outputs["results-file"]!, "pages-path": pages },
      env,
      repository: REPOSITORY,
    });
    expect(runs.render.exitCode, runs.render.stdout).toBe(0);
    expect(runs.render.outputs.pushed).toBe("true");

    github.state.addCommit(p.commit);
    github.state.addPullRequest({
      number: 4,
      headSha: p.commit,
      headRef: "feature",
      baseRef: "main",
      title: "x",
    });
    runs.comment = await runAction("comment-hpc-summary", {
      cwd: results,
      inputs: {
        "results-file": runs.ingest.outputs["results-file"]!,
        token: TOKENS.GITHUB_TOKEN,
        "results-path": results,
      },
      env: { ...env, HPC_CI_GITHUB_TIME_SCALE: "0.01" },
      repository: REPOSITORY,
    });
    expect(runs.comment.exitCode, runs.comment.stdout).toBe(0);
    expect(github.state.comments(4)).toHaveLength(1);
    expect(github.state.checkRuns(p.commit).length).toBeGreaterThan(0);

    // The one place a token may appear: the ::add-mask:: command that tells the runner to hide it, which
    // the runner consumes (it never reaches the log).
    expect(runs.comment.stdout).toContain(`::add-mask::${TOKENS.GITHUB_TOKEN}`);
    for (const [name, run] of Object.entries(runs)) {
      const log = run.stdout.replace(/^::add-mask::.*$/gm, "");
      texts.push({ where: `${name} stdout`, text: log }, { where: `${name} stderr`, text: run.stderr });
      // GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_STATE, the event and RUNNER_TEMP.
      folders.push(dirname(run.runnerTemp));
    }
  }, 300_000);

  it("finds no token in output, runner files, files, git objects or what the services received", () => {
    expect(texts.length).toBeGreaterThan(0);
    let files = 0;
    for (const folder of folders) {
      for (const path of walk(folder)) {
        texts.push({ where: path, text: readFileSync(path) });
        files++;
      }
    }
    for (const repo of repositories) {
      const objects = spawnSync("git", ["cat-file", "--batch-all-objects", "--batch"], {
        cwd: repo,
        maxBuffer: 1 << 30,
      });
      expect(objects.status, `${repo}: ${String(objects.stderr)}`).toBe(0);
      texts.push({ where: `git objects of ${repo}`, text: objects.stdout });
    }
    for (const upload of codecov.uploads)
      texts.push({ where: "codecov upload", text: JSON.stringify(upload) });
    texts.push({ where: "GitHub API requests", text: JSON.stringify(github.requests) });
    for (const artifact of artifacts.artifacts())
      texts.push({
        where: `artifact ${artifact.name}`,
        text: JSON.stringify(artifacts.files(artifact.name)),
      });

    const leaks: string[] = [];
    for (const [name, token] of Object.entries(TOKENS)) {
      for (const form of leakForms(token)) {
        for (const { where, text } of texts) if (text.includes(form)) leaks.push(`${name} in ${where}`);
      }
    }
    expect([...new Set(leaks)]).toEqual([]);
    // The scan looked at a real amount of material: the logs, artifacts, branches and pages of a run.
    expect(files).toBeGreaterThan(100);
    // And julia was asked to print the tokens: it saw none of them (the CLI keeps them from the tests).
    const log = readFileSync(join(p.dir, "hpc-ci/logs/tests.log"), "utf8");
    for (const name of Object.keys(TOKENS)) expect(log).toContain(`julia-stub env: ${name} (unset)`);
  });
});

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() && statSync(path).size < 64 << 20) yield path;
  }
}
