// Issue 15, findings 1 and 3: the publish credential never reaches a command line (a `git` wrapper records
// every argv, and /proc/*/cmdline is scanned while the CLI runs), and the tested commit's .hpc-ci.json
// cannot redirect the publish: not to another host, not over plain http, not to the default branch.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lsBranch, makeProject, type Project, removeProject, runCli, STUB_BIN } from "./harness/cli.js";
import { type GitHttpServer, startGitHttp } from "./harness/git-http.js";
import { scratchDir } from "./harness/scratch.js";
import { insecureTransport, splitCredentials } from "../src/git/credentials.js";
import { refuseDefaultBranch } from "../src/run/results-remote.js";

const TOKEN = "ghp_sec_cred_token_4711";
const RUN = ["run", "--tests-only", "--no-codecov"];

let p: Project;
let server: GitHttpServer;
let evil: { server: Server; url: string; requests: string[] };
let wrapperBin: string;
let argvLog: string;

beforeAll(async () => {
  p = makeProject();
  server = await startGitHttp(join(p.origin, ".."), TOKEN);
  // Another host, as the tested commit would name it: anything it receives is recorded.
  const requests: string[] = [];
  const s = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""}`);
    res.writeHead(401, { "WWW-Authenticate": 'Basic realm="evil"' }).end();
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  // "localhost" is a name, not a literal loopback address: plain http to it counts as another host.
  evil = { server: s, url: `http://localhost:${(s.address() as AddressInfo).port}`, requests };
  // A `git` first on PATH that records its argv, then runs the real git.
  const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  const scratch = scratchDir("hpc-ci-sec-cred-");
  wrapperBin = join(scratch, "bin");
  argvLog = join(scratch, "argv.log");
  mkdirSync(wrapperBin);
  writeFileSync(
    join(wrapperBin, "git"),
    `#!/bin/sh\nprintf '%s\\n' "git $*" >> '${argvLog}'\nexec '${realGit}' "$@"\n`,
  );
  chmodSync(join(wrapperBin, "git"), 0o755);
  writeFileSync(argvLog, "");
});

afterAll(async () => {
  await server.close();
  await new Promise((r) => evil.server.close(r));
  removeProject(p);
});

/** Every command line on this machine that holds `needle`, and how many git command lines were seen. */
function watchCommandLines(needle: string): { stop: () => { hits: string[]; gitSeen: number } } {
  const hits: string[] = [];
  const seen = new Set<string>();
  const scan = () => {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let line: string;
      try {
        line = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      } catch {
        continue;
      }
      if (line.includes(needle)) hits.push(line);
      if (/\bgit\b.*\b(fetch|push|ls-remote)\b/.test(line)) seen.add(`${pid} ${line}`);
    }
  };
  const timer = setInterval(scan, 1);
  return {
    stop: () => {
      clearInterval(timer);
      scan();
      return { hits, gitSeen: seen.size };
    },
  };
}

function watchedEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: `${wrapperBin}:${STUB_BIN}:${process.env.PATH}`, ...env };
}

function setConfig(config: unknown): void {
  writeFileSync(join(p.dir, ".hpc-ci.json"), JSON.stringify(config));
  p.git("add", ".hpc-ci.json");
  p.git("commit", "-q", "-m", "config");
  p.git("push", "-q", "origin", "HEAD:main");
}

const mainTip = () => execFileSync("git", ["--git-dir", p.origin, "rev-parse", "main"], { encoding: "utf8" });

describe("a token in HPC_RESULTS_REPO_URL", () => {
  it("is sent as a header and appears on no command line: run, then publish", async () => {
    const url = `${server.url.replace("://", `://x-access-token:${TOKEN}@`)}/origin.git`;
    for (const args of [RUN, ["publish"]]) {
      writeFileSync(argvLog, "");
      const users = server.users.length;
      const watch = watchCommandLines(TOKEN);
      const run = await runCli(args, { cwd: p.dir, env: watchedEnv({ HPC_RESULTS_REPO_URL: url }) });
      const { hits, gitSeen } = watch.stop();
      expect(run.exitCode, run.stderr).toBe(0);
      const argv = readFileSync(argvLog, "utf8");
      expect(argv).toMatch(/^git (fetch|push) .*127\.0\.0\.1/m);
      expect(argv).not.toContain(TOKEN);
      expect(gitSeen, "the scan saw git's network commands").toBeGreaterThan(0);
      expect(hits).toEqual([]);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
      expect(run.stderr).toMatch(/carries a credential.*set HPC_RESULTS_TOKEN/);
      expect(server.users.length).toBeGreaterThan(users);
    }
    expect(lsBranch(p.origin)).toContain(`${p.commit}/hpc-results.json`);
  });
});

describe("the tested commit's .hpc-ci.json", () => {
  it("cannot send the token to another host or push to main", async () => {
    setConfig({ results: { remote: `${evil.url}/evil.git`, branch: "main", repository: "evil/repo" } });
    const before = mainTip();
    const run = await runCli(RUN, { cwd: p.dir, env: watchedEnv({ HPC_RESULTS_TOKEN: TOKEN }) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(evil.requests).toEqual([]);
    expect(mainTip()).toBe(before);
    expect(lsBranch(p.origin)).toContain(`${p.git("rev-parse", "HEAD")}/hpc-results.json`);
    expect(run.stderr).toMatch(/\.hpc-ci\.json results\.remote is ignored/);
    expect(run.stderr).toMatch(/\.hpc-ci\.json results\.branch is ignored/);
  });

  it("follows the operator's file outside the checkout, and refuses one inside it", async () => {
    const dir = scratchDir("hpc-ci-operator-");
    const file = join(dir, "config.json");
    writeFileSync(
      file,
      JSON.stringify({ results: { repo_url: `${server.url}/origin.git`, branch: "cluster-results" } }),
    );
    const users = server.users.length;
    const run = await runCli(RUN, {
      cwd: p.dir,
      env: watchedEnv({ HPC_CI_OPERATOR_CONFIG: file, HPC_RESULTS_TOKEN: TOKEN }),
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(lsBranch(p.origin, "cluster-results")).toContain(`${p.git("rev-parse", "HEAD")}/hpc-results.json`);
    expect(server.users.length).toBeGreaterThan(users);
    expect(evil.requests).toEqual([]);

    writeFileSync(join(p.dir, "operator.json"), readFileSync(file));
    const inside = await runCli(RUN, {
      cwd: p.dir,
      env: { HPC_CI_OPERATOR_CONFIG: join(p.dir, "operator.json") },
    });
    expect(inside.exitCode).toBe(2);
    expect(inside.stderr).toMatch(/must lie outside the tested checkout/);
  });
});

describe("the operator's destination", () => {
  it("never sends a credential over plain http to another host (exit 2, nothing sent)", async () => {
    for (const env of [
      { HPC_RESULTS_REPO_URL: `${evil.url}/evil.git`, HPC_RESULTS_TOKEN: TOKEN },
      { HPC_RESULTS_REPO_URL: evil.url.replace("://", `://x-access-token:${TOKEN}@`) + "/evil.git" },
    ]) {
      const run = await runCli(RUN, { cwd: p.dir, env });
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/refusing to send a credential over plain http/);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    }
    expect(evil.requests).toEqual([]);
  });

  it("refuses the default branch as the results branch, for run and publish", async () => {
    const before = mainTip();
    const run = await runCli(RUN, { cwd: p.dir, env: { HPC_RESULTS_BRANCH: "main" } });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/refusing to publish results to main: it is the default branch/);
    const publish = await runCli(["publish", "--branch", "main"], { cwd: p.dir });
    expect(publish.exitCode, publish.stderr).toBe(2);
    expect(mainTip()).toBe(before);
  });

  it("refuses main and master when the remote does not say its default branch", async () => {
    const bare = join(scratchDir("hpc-ci-empty-"), "empty.git");
    execFileSync("git", ["init", "-q", "--bare", bare]);
    for (const branch of ["main", "master"])
      await expect(refuseDefaultBranch({ url: bare }, branch)).rejects.toThrow(/main or master/);
    await expect(refuseDefaultBranch({ url: bare }, "hpc-results")).resolves.toBeUndefined();
  });
});

describe("URLs as git is handed them", () => {
  it("lose user:password@ and token@ (the secret kept apart), keep ssh's user name", () => {
    expect(splitCredentials("https://x-access-token:gh%40p1@github.com/o/r.git")).toEqual({
      url: "https://github.com/o/r.git",
      secret: "gh@p1",
    });
    expect(splitCredentials("https://ghp_abc@github.com/o/r.git")).toEqual({
      url: "https://github.com/o/r.git",
      secret: "ghp_abc",
    });
    expect(splitCredentials("ssh://git@github.com/o/r.git")).toEqual({ url: "ssh://git@github.com/o/r.git" });
    expect(splitCredentials("git@github.com:o/r.git")).toEqual({ url: "git@github.com:o/r.git" });
    expect(splitCredentials("/srv/git/r.git")).toEqual({ url: "/srv/git/r.git" });
  });

  it("allow plain http with a credential only to literal loopback addresses", () => {
    expect(insecureTransport("https://github.com/o/r.git")).toBeUndefined();
    expect(insecureTransport("http://127.0.0.1:8080/o/r.git")).toBeUndefined();
    expect(insecureTransport("http://[::1]:8080/o/r.git")).toBeUndefined();
    for (const url of ["http://localhost/o/r.git", "http://github.com/o/r.git", "HTTP://10.0.0.1/r.git"])
      expect(insecureTransport(url)).toMatch(/refusing to send a credential over plain http/);
  });
});
