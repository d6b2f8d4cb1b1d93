// The README's quick start, followed literally on a fresh repository: its numbered steps are read from the
// README and their shell blocks run as written, with real git (a bare origin standing in for GitHub's
// repository), the release assets scripts/release.mjs makes, the bundled CLI and actions, and the GitHub
// REST stand-in. Only the hosts change: github.com and raw.githubusercontent.com become local servers.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { writeCliAsset } from "../scripts/cli-asset.mjs";
import { CANONICAL_REPOSITORY, MAJOR_TAG } from "../scripts/release-refs.mjs";
import { CLI, makeProject, STUB_BIN, type Project } from "./harness/cli.js";
import { startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import { REPO_ROOT, runAction } from "./harness/run-action.js";
import { scratchDir } from "./harness/scratch.js";
import { missingCommands } from "./harness/system.js";
import { serveFolder, type StaticServer } from "./harness/static-server.js";

const REPOSITORY = "octo-org/Example.jl";

interface Step {
  number: number;
  text: string;
  /** The step's ```sh blocks, unindented. */
  scripts: string[];
}

/** The numbered steps under "## Quick start". */
function quickStartSteps(readme: string): Step[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith("Quick start\n"));
  if (!section) throw new Error('README.md has no "## Quick start" section');
  return section
    .split(/^(?=\d+\. )/m)
    .filter((part) => /^\d+\. /.test(part))
    .map((text) => ({
      number: Number(/^(\d+)\./.exec(text)![1]),
      text,
      scripts: [...text.matchAll(/^( *)```sh\n([\s\S]*?)^\1```/gm)].map(([, indent, body]) =>
        body!
          .split("\n")
          .map((line) => line.slice(indent!.length))
          .join("\n"),
      ),
    }));
}

function sh(script: string, cwd: string, env: Record<string, string>, input = ""): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", script], { cwd, env });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.stdin.end(input);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`exit ${code} of\n${script}\n---\n${out}`)),
    );
  });
}

const git = (dir: string, ...args: string[]) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn("git", args, { cwd: dir });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(out))));
  });

let api: GitHubApi;
let site: StaticServer;
let project: Project;
let home: string;

beforeAll(async () => {
  api = await startGitHubApi({ repository: REPOSITORY });
  // What github.com and raw.githubusercontent.com would serve: the files at the v1 tag (this checkout) and
  // the assets of the release the README names, made as scripts/release.mjs makes them.
  const root = scratchDir("quick-start-site-");
  const raw = join(root, "raw", CANONICAL_REPOSITORY, MAJOR_TAG);
  const workflow = "examples/workflows/hpc-results.yml";
  mkdirSync(dirname(join(raw, workflow)), { recursive: true });
  copyFileSync(join(REPO_ROOT, workflow), join(raw, workflow));
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const release = new RegExp(`releases/download/(${MAJOR_TAG}\\.\\d+\\.\\d+)/`).exec(readme)?.[1];
  expect(release, "the README names a release to download").toBeDefined();
  writeCliAsset(CLI, join(root, "github", CANONICAL_REPOSITORY, "releases", "download", release!));
  site = await serveFolder(root);
  project = makeProject();
  // A fresh clone tracks its default branch.
  project.git("branch", "--set-upstream-to=origin/main");
  home = scratchDir("quick-start-home-");
});

afterAll(async () => {
  await api?.close();
  await site?.close();
});

describe("the README's quick start", () => {
  it.skipIf(missingCommands("curl", "sha256sum"))(
    "reaches a first badge in at most five steps, followed literally",
    async () => {
      const steps = quickStartSteps(readFileSync(join(REPO_ROOT, "README.md"), "utf8"));
      expect(steps.map((s) => s.number)).toEqual(steps.map((_, i) => i + 1));
      expect(steps.length).toBeLessThanOrEqual(5);

      const originUrl = `https://github.com/${REPOSITORY.split("/")[0]}/${REPOSITORY.split("/")[1]}.git`;
      const local = (script: string) =>
        script
          .replaceAll("https://raw.githubusercontent.com/", `${site.url}raw/`)
          .replaceAll(
            `https://github.com/${CANONICAL_REPOSITORY}/`,
            `${site.url}github/${CANONICAL_REPOSITORY}/`,
          )
          .replaceAll("OWNER/REPO", REPOSITORY)
          .replaceAll(originUrl, project.origin)
          .replaceAll("~/src/REPO", project.dir);
      const env = {
        PATH: `${STUB_BIN}:${process.env.PATH}`,
        HOME: home,
        GIT_AUTHOR_NAME: "Dev",
        GIT_AUTHOR_EMAIL: "dev@example.com",
        GIT_COMMITTER_NAME: "Dev",
        GIT_COMMITTER_EMAIL: "dev@example.com",
        // The cluster talks to the stand-in instead of api.github.com.
        GITHUB_API_URL: api.url,
        HPC_CLUSTER_NAME: "quick-start",
      };
      // Which steps have commands, and where they run: 1 in the developer's clone, the rest on the cluster.
      const withScripts = steps.filter((s) => s.scripts.length > 0).map((s) => s.number);
      expect(withScripts).toEqual([1, 2, 3, 4]);
      await sh(local(steps[0]!.scripts.join("\n")), project.dir, env);
      await sh(local(steps[1]!.scripts.join("\n")), home, env, `${api.token}\n`);
      const fetched = await sh(local(steps[2]!.scripts.join("\n")), home, env);
      expect(fetched).toContain("hpc-ci.mjs: OK");
      const ran = await sh(local(steps[3]!.scripts.join("\n")), home, env);
      expect(ran).toMatch(/pushed [0-9a-f]+ to hpc-results/);

      // Step 1 put the caller on the default branch, and the tested tree stayed clean.
      const caller = parseYaml(
        await git(project.dir, "--git-dir", project.origin, "show", "main:.github/workflows/hpc-results.yml"),
      ) as { on: Record<string, unknown>; jobs: Record<string, { uses?: string }> };
      expect(Object.values(caller.jobs).map((j) => j.uses)).toContain(
        `${CANONICAL_REPOSITORY}/.github/workflows/hpc-results.yml@${MAJOR_TAG}`,
      );
      expect(await git(project.dir, "status", "--porcelain")).toBe("");
      expect(readFileSync(join(project.dir, ".gitignore"), "utf8")).toMatch(/^hpc-ci\/$[\s\S]*^\*\.cov$/m);

      // GitHub starts the caller from the default branch: on the cluster's dispatch when it sent one, else by hand.
      const dispatched = api.requests.some((r) => r.method === "POST" && r.path.endsWith("/dispatches"));
      const event = dispatched ? "repository_dispatch" : "workflow_dispatch";
      expect(Object.keys(caller.on)).toContain(event);
      const results = join(home, "runner", "results");
      const pages = join(home, "runner", "pages");
      await git(home, "clone", "-q", "-b", "hpc-results", project.origin, results);
      await git(home, "clone", "-q", project.origin, pages);
      const github = { GITHUB_API_URL: api.url };
      const ingest = await runAction("ingest-hpc-results", {
        cwd: results,
        eventName: event,
        env: github,
        repository: REPOSITORY,
      });
      expect(ingest.exitCode, ingest.stdout + ingest.stderr).toBe(0);
      const render = await runAction("render-badges", {
        cwd: home,
        eventName: event,
        inputs: { "results-file": ingest.outputs["results-file"]!, "pages-path": pages },
        env: github,
        repository: REPOSITORY,
      });
      expect(render.exitCode, render.stdout + render.stderr).toBe(0);

      // Step 5: gh-pages now exists (Pages can be turned on), and the job summary holds the badge lines.
      expect(await git(project.dir, "--git-dir", project.origin, "branch", "--list", "gh-pages")).toContain(
        "gh-pages",
      );
      const endpoint = JSON.parse(
        await git(project.dir, "--git-dir", project.origin, "show", "gh-pages:hpc/tests.json"),
      ) as { schemaVersion: number; label: string; message: string };
      expect(endpoint).toMatchObject({ schemaVersion: 1, label: expect.any(String) });
      expect(endpoint.message).toMatch(/passed/);
      const badges = render.outputs["badges-markdown"]!;
      expect(badges).toContain(
        "https://img.shields.io/endpoint?url=https%3A%2F%2Focto-org.github.io%2FExample.jl%2Fhpc%2Ftests.json",
      );
      expect(render.summary).toContain("README lines");
      expect(render.summary).toContain(badges);
      expect(steps[4]!.text).toMatch(/gh-pages/);
      expect(steps[4]!.text).toMatch(/badges-markdown/);
      expect(api.violations).toEqual([]);
    },
    240_000,
  );
});
