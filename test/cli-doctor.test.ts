// `hpc-ci doctor` (the bundle, as a cluster runs it) against real parts: a bare repository on disk, git's
// smart-HTTP server behind Basic auth (with a read-only token too), the GitHub REST stand-in (which
// checks each request against GitHub's OpenAPI description), a port nobody listens on, an unknown host,
// and a server that accepts connections and never answers.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkNode } from "../src/doctor/index.js";
import { apiUrlForRemote, remoteHost, remoteKind, repositoryOfRemote } from "../src/git/remote-url.js";
import { type Project, makeProject, removeProject, runCli } from "./harness/cli.js";
import { type GitHttpServer, startGitHttp } from "./harness/git-http.js";
import { type GitHubApi, startGitHubApi } from "./harness/github-api/index.js";

const TOKEN = "ghp_doctorToken0123456789abcdef";
const READ_ONLY = "ghp_readOnlyToken0123456789abc";

/** The lines of one check: its status line and the indented lines under it. */
function check(stdout: string, name: string): string {
  const lines = stdout.split("\n");
  const start = lines.findIndex((l) => new RegExp(`^  \\S+\\s+${name}\\s`).test(l));
  if (start < 0) return "";
  const end = lines.findIndex((l, i) => i > start && /^ {2}\S/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

let project: Project;
let root: string;
let http: GitHttpServer;
let api: GitHubApi;
/** Where the stand-in's clock is, relative to ours. */
let apiClockOffsetMs = 0;
let repoUrl: string;

beforeAll(async () => {
  project = makeProject();
  root = mkdtempSync(join(tmpdir(), "hpc-ci-doctor-"));
  mkdirSync(join(root, "octo-org"));
  // The results repository as GitHub names it, so that doctor finds owner/repo in the URL.
  execFileSync("git", ["clone", "-q", "--bare", project.origin, join(root, "octo-org/octo-repo.git")]);
  http = await startGitHttp(root, TOKEN, { readOnlyToken: READ_ONLY });
  api = await startGitHubApi({ token: TOKEN, now: () => new Date(Date.now() + apiClockOffsetMs) });
  api.state.addRepository({ owner: "octo-org", name: "read-only", viewerCanPush: false });
  repoUrl = `${http.url}/octo-org/octo-repo.git`;
});

afterAll(async () => {
  await http?.close();
  await api?.close();
  if (project) removeProject(project);
  if (root) rmSync(root, { recursive: true, force: true });
});

function overHttp(env: Record<string, string>) {
  return runCli(["doctor"], {
    cwd: project.dir,
    env: { HPC_RESULTS_REPO_URL: repoUrl, HPC_RESULTS_TOKEN: TOKEN, GITHUB_API_URL: api.url, ...env },
  });
}

describe("hpc-ci doctor", () => {
  it("passes against a bare repository on disk, says the first publish creates the branch, and pushes nothing", async () => {
    const run = await runCli(["doctor"], { cwd: project.dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(check(run.stdout, "remote")).toMatch(/^ {2}ok\s+remote\s+\S*origin\.git read with local access/);
    expect(check(run.stdout, "branch")).toMatch(
      /hpc-results does not exist yet: the first publish creates it/,
    );
    expect(check(run.stdout, "push")).toMatch(/^ {2}ok\s+push/);
    expect(check(run.stdout, "token")).toMatch(/HPC_RESULTS_TOKEN is not set/);
    expect(check(run.stdout, "node")).toMatch(
      new RegExp(`ok\\s+node\\s+${process.versions.node.replace(/\./g, "\\.")}`),
    );
    expect(run.stdout).toMatch(/All checks passed\./);
    expect(run.ms).toBeLessThan(5000);
    // The dry run sent nothing: the origin still has only main.
    const refs = execFileSync("git", ["--git-dir", project.origin, "for-each-ref", "--format=%(refname)"], {
      encoding: "utf8",
    });
    expect(refs.trim()).toBe("refs/heads/main");
  });

  it("over https with HPC_RESULTS_TOKEN: the remote, the branch's tip, a push, the token with the API and the clock", async () => {
    execFileSync("git", [
      "--git-dir",
      join(root, "octo-org/octo-repo.git"),
      "branch",
      "-f",
      "hpc-results",
      "main",
    ]);
    // The token in a file (the recommended way: see docs/security.md) is checked as the variable is.
    const file = join(root, "results-token");
    writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
    const run = await overHttp({ HPC_RESULTS_TOKEN: "", HPC_RESULTS_TOKEN_FILE: file });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(check(run.stdout, "remote")).toMatch(/read with HPC_RESULTS_TOKEN/);
    expect(check(run.stdout, "branch")).toContain(`hpc-results exists (tip ${project.commit.slice(0, 12)})`);
    expect(check(run.stdout, "push")).toMatch(/^ {2}ok\s+push\s+HPC_RESULTS_TOKEN may push/);
    expect(check(run.stdout, "token")).toMatch(/accepted for octo-org\/octo-repo, with write access/);
    expect(check(run.stdout, "clock")).toMatch(
      /^ {2}ok\s+clock\s+\d+ s (ahead of|behind) http:\/\/127\.0\.0\.1:\d+ \(up to 60 s is fine\)/,
    );
    // The token went to git as a header and to the API as a bearer token, and never into the output.
    expect(http.users).toContain("x-access-token");
    const asked = api.requests.filter((r) => r.path === "/repos/octo-org/octo-repo");
    expect(asked.at(-1)?.headers.authorization).toBe("Bearer [redacted]");
    expect(api.violations).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it("says how far off the clock is when the API's Date disagrees", async () => {
    apiClockOffsetMs = -(10 * 60 + 7) * 1000;
    try {
      const run = await overHttp({});
      expect(run.exitCode).toBe(2);
      expect(check(run.stdout, "clock")).toMatch(
        /FAIL\s+clock\s+this node's clock is 10 min [6-8] s ahead of http:\/\/127/,
      );
      expect(check(run.stdout, "clock")).toMatch(/fix: .*sync this node's clock/);
    } finally {
      apiClockOffsetMs = 0;
    }
  });

  it("a wrong token: git and the API refuse it, and each failure says what to do", async () => {
    const wrong = "ghp_wrongToken9876543210fedcba";
    const run = await overHttp({ HPC_RESULTS_TOKEN: wrong });
    expect(run.exitCode).toBe(2);
    const remote = check(run.stdout, "remote");
    expect(remote).toMatch(/FAIL\s+remote/);
    // git's own words, whole, not just its last lines.
    expect(remote).toMatch(/Authentication failed|could not read Username|401/);
    expect(remote).toMatch(/fix: the server refused HPC_RESULTS_TOKEN/);
    expect(check(run.stdout, "push")).toBe(""); // not asked when the remote cannot be read
    expect(check(run.stdout, "token")).toMatch(/FAIL\s+token\s+rejected by .*\(401 Bad credentials\)/);
    expect(check(run.stdout, "token")).toMatch(/fix: the token is wrong, expired or revoked/);
    expect(run.stdout + run.stderr).not.toContain(wrong);
    expect(run.stdout).toMatch(/2 check\(s\) failed\./);
  });

  it("a token that may read but not write: the push dry run and the API's permissions say so", async () => {
    const readOnly = await overHttp({ HPC_RESULTS_TOKEN: READ_ONLY });
    expect(readOnly.exitCode).toBe(2);
    expect(check(readOnly.stdout, "remote")).toMatch(/^ {2}ok\s+remote/);
    expect(check(readOnly.stdout, "push")).toMatch(/FAIL\s+push\s+a push would be refused: git push failed/);
    expect(check(readOnly.stdout, "push")).toMatch(/403/);
    expect(check(readOnly.stdout, "push")).toMatch(
      /fix: the token can read but not push: give it Contents: Read and write/,
    );

    const api403 = await overHttp({ HPC_RESULTS_REPOSITORY_SLUG: "octo-org/read-only" });
    expect(check(api403.stdout, "token")).toMatch(
      /FAIL\s+token\s+accepted for octo-org\/read-only, but without write access/,
    );
    expect(check(api403.stdout, "token")).toMatch(/fix: give the token Contents: Read and write/);

    const missing = await overHttp({ HPC_RESULTS_REPOSITORY_SLUG: "octo-org/elsewhere" });
    expect(check(missing.stdout, "token")).toMatch(
      /FAIL\s+token\s+octo-org\/elsewhere is not visible with this token \(404/,
    );
    expect(api.violations).toEqual([]);
  });

  it("a host nobody answers on, and a host that does not exist", async () => {
    const refused = await runCli(["doctor"], {
      cwd: project.dir,
      env: {
        HPC_RESULTS_REPO_URL: "http://127.0.0.1:9/octo-org/octo-repo.git",
        HPC_RESULTS_TOKEN: TOKEN,
        GITHUB_API_URL: "http://127.0.0.1:9",
      },
    });
    expect(refused.exitCode).toBe(2);
    expect(check(refused.stdout, "remote")).toMatch(/Failed to connect to 127\.0\.0\.1 port 9/);
    expect(check(refused.stdout, "remote")).toMatch(/fix: no connection to 127\.0\.0\.1/);
    expect(check(refused.stdout, "token")).toMatch(
      /the API at http:\/\/127\.0\.0\.1:9 did not answer: .*ECONNREFUSED/,
    );
    expect(check(refused.stdout, "token")).toMatch(/fix: check GITHUB_API_URL/);

    const unknown = await runCli(["doctor"], {
      cwd: project.dir,
      env: { HPC_RESULTS_REPO_URL: "https://hpc-ci-doctor.invalid/octo-org/octo-repo.git" },
    });
    expect(unknown.exitCode).toBe(2);
    expect(check(unknown.stdout, "remote")).toMatch(/Could not resolve host: hpc-ci-doctor\.invalid/);
    expect(check(unknown.stdout, "remote")).toMatch(
      /fix: this node cannot resolve hpc-ci-doctor\.invalid: .*publish from a login node/,
    );
    expect(check(unknown.stdout, "clock")).toMatch(/--\s+clock\s+not checked/);

    const ssh = await runCli(["doctor"], {
      cwd: project.dir,
      env: { HPC_RESULTS_REPO_URL: "git@hpc-ci-doctor.invalid:octo-org/octo-repo.git" },
    });
    expect(ssh.exitCode).toBe(2);
    expect(check(ssh.stdout, "remote")).toMatch(
      /cannot be read with your SSH key: .*\n.*Could not resolve hostname hpc-ci-doctor\.invalid/,
    );
    expect(check(ssh.stdout, "remote")).toMatch(/fix: this node cannot resolve hpc-ci-doctor\.invalid/);
  });

  it("gives up on a silent server after --timeout, so that it still answers in seconds", async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      const run = await runCli(["doctor", "--timeout", "1.5"], {
        cwd: project.dir,
        env: {
          HPC_RESULTS_REPO_URL: `http://127.0.0.1:${port}/octo-org/octo-repo.git`,
          HPC_RESULTS_TOKEN: TOKEN,
          GITHUB_API_URL: `http://127.0.0.1:${port}`,
        },
      });
      expect(run.exitCode).toBe(2);
      expect(check(run.stdout, "remote")).toMatch(/no answer within 1.5s; stopped/);
      expect(check(run.stdout, "token")).toMatch(/no answer within 1\.5s/);
      expect(run.ms).toBeLessThan(6000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it("outside a repository without a results URL: says what to set, exit 2", async () => {
    const outside = mkdtempSync(join(tmpdir(), "hpc-ci-doctor-outside-"));
    try {
      const run = await runCli(["doctor"], { cwd: outside });
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toMatch(/FAIL\s+remote\s+the repository has no remote named "origin"/);
      expect(run.stdout).toMatch(/fix: set HPC_RESULTS_REPO_URL/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("asks for Node.js 18 or newer", () => {
    expect(checkNode("16.20.2")).toMatchObject({
      state: "fail",
      fix: expect.stringMatching(/Node\.js 18 or newer/),
    });
    expect(checkNode("18.0.0").state).toBe("ok");
  });

  it("reads a remote's address as git does: kind, host, owner/repo", () => {
    const cases: Array<[string, string, string | undefined, string | undefined]> = [
      ["https://github.com/octo-org/octo-repo.git", "http", "github.com", "octo-org/octo-repo"],
      ["http://127.0.0.1:8080/octo-org/octo-repo", "http", "127.0.0.1", "octo-org/octo-repo"],
      ["git@github.com:octo-org/octo-repo.git", "ssh", "github.com", "octo-org/octo-repo"],
      [
        "ssh://git@ghe.example.com:2222/octo-org/octo-repo.git",
        "ssh",
        "ghe.example.com",
        "octo-org/octo-repo",
      ],
      ["/srv/git/octo-repo.git", "local", undefined, undefined],
      ["../origin.git", "local", undefined, undefined],
      ["file:///srv/git/o/r.git", "local", undefined, undefined],
      ["https://gitlab.example.com/group/sub/repo.git", "http", "gitlab.example.com", undefined],
    ];
    expect(apiUrlForRemote("git@github.com:octo-org/octo-repo.git")).toBe("https://api.github.com");
    expect(apiUrlForRemote("https://GHE.example.com/o/r.git")).toBe("https://ghe.example.com/api/v3");
    expect(apiUrlForRemote("/srv/git/r.git")).toBeUndefined();
    for (const [url, kind, host, repository] of cases) {
      expect([remoteKind(url), remoteHost(url), repositoryOfRemote(url)], url).toEqual([
        kind,
        host,
        repository,
      ]);
    }
  });
});
