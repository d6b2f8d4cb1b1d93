// Runs the bundled CLI the way a cluster job does (`node dist/hpc-ci/index.js ...`) in a throwaway
// git repository made from the example Julia package, with the stand-in `julia` first on PATH.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./run-action.js";
import { scratchDir } from "./scratch.js";

export const CLI = join(REPO_ROOT, "dist/hpc-ci/index.js");
export const STUB_BIN = join(REPO_ROOT, "test/fixtures/bin");

export interface Project {
  dir: string;
  origin: string;
  commit: string;
  git: (...args: string[]) => string;
}

export function makeProject(fixture = "example-julia-package"): Project {
  const base = scratchDir("hpc-ci-project-");
  const dir = join(base, "Example.jl");
  const origin = join(base, "origin.git");
  cpSync(join(REPO_ROOT, "test/fixtures", fixture), dir, { recursive: true });
  // A copy may carry .cov files of an earlier run of the fixture itself.
  execFileSync("sh", ["-c", "find . -name '*.jl.*.cov' -delete; rm -f benchmark-results.json"], { cwd: dir });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", ...args], {
      cwd: dir,
      encoding: "utf8",
    }).trim();
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", origin]);
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "Example package");
  git("remote", "add", "origin", origin);
  git("push", "-q", "origin", "main");
  git("remote", "set-head", "origin", "main");
  return { dir, origin, commit: git("rev-parse", "HEAD"), git };
}

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runCli(
  args: string[],
  options: {
    cwd: string;
    env?: Record<string, string | undefined>;
    timeoutMs?: number;
    stdin?: "ignore" | "pipe";
  },
): Promise<CliRun> {
  const env: Record<string, string> = {
    PATH: `${STUB_BIN}:${process.env.PATH}`,
    HOME: process.env.HOME ?? "/root",
    // the run's own TMPDIR (test/setup/tmpdir.ts), so whatever the CLI leaves there is seen
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    GIT_AUTHOR_NAME: "hpc-ci test",
    GIT_AUTHOR_EMAIL: "ci@example.com",
    GIT_COMMITTER_NAME: "hpc-ci test",
    GIT_COMMITTER_EMAIL: "ci@example.com",
  };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env,
    stdio: [options.stdin ?? "ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

export function lsBranch(origin: string, branch = "hpc-results"): string[] {
  return execFileSync("git", ["--git-dir", origin, "ls-tree", "-r", "--name-only", branch], {
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
}

export function showFile(origin: string, path: string, branch = "hpc-results"): string {
  return execFileSync("git", ["--git-dir", origin, "show", `${branch}:${path}`], { encoding: "utf8" });
}

export function removeProject(p: Project): void {
  rmSync(join(p.dir, ".."), { recursive: true, force: true });
}
