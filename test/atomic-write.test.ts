// Artifacts are written atomically: a temporary file beside the target, then a rename, so that a reader
// (an upload, a later --benchmarks-only run, a job killed halfway) sees the old file or the new one,
// never half of one. Checked on writeFileAtomic itself, and on the bundled CLI and render-badges by
// tracing their system calls with strace: every file they write must come from a rename.
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../src/fs/atomic.js";
import { makeProject, removeProject, STUB_BIN, CLI } from "./harness/cli.js";
import { REPO_ROOT } from "./harness/run-action.js";
import { missingCommands } from "./harness/system.js";

const work = mkdtempSync(join(tmpdir(), "atomic-write-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function readAll(fd: number): string {
  const buf = Buffer.alloc(4 << 20);
  const n = readSync(fd, buf, 0, buf.length, 0);
  return buf.toString("utf8", 0, n);
}

describe("writeFileAtomic", () => {
  it("replaces the file by a rename: one open on the old file still reads the old file whole", async () => {
    const dir = join(work, "replace");
    const path = join(dir, "summary.json");
    const old = JSON.stringify({ version: 1, pad: "x".repeat(1 << 20) });
    await writeFileAtomic(path, old);
    const before = statSync(path).ino;
    const fd = openSync(path, "r");
    await writeFileAtomic(path, JSON.stringify({ version: 2 }));
    // Written in place, the old descriptor would now read the new (shorter) text.
    expect(readAll(fd)).toBe(old);
    expect(readFileSync(path, "utf8")).toBe('{"version":2}');
    expect(statSync(path).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(["summary.json"]);
  });

  it("leaves the target as it was and no temporary file when the write fails", async () => {
    const dir = join(work, "fails");
    // The target is a folder: the temporary file is written whole, and the rename over it fails.
    await mkdir(join(dir, "lcov.info", "inside"), { recursive: true });
    await writeFile(join(dir, "lcov.info", "inside", "keep"), "kept");
    await expect(writeFileAtomic(join(dir, "lcov.info"), "TN:\n")).rejects.toThrow(/EISDIR|directory/i);
    expect(readdirSync(dir)).toEqual(["lcov.info"]);
    expect(readFileSync(join(dir, "lcov.info", "inside", "keep"), "utf8")).toBe("kept");
  });

  it("ends with exactly one writer's whole text when many write the same file at once", async () => {
    const dir = join(work, "race");
    const path = join(dir, "meta.json");
    const texts = Array.from({ length: 24 }, (_, i) =>
      JSON.stringify({ writer: i, pad: String(i).repeat(50_000) }),
    );
    await Promise.all(texts.map((text) => writeFileAtomic(path, text)));
    expect(texts).toContain(readFileSync(path, "utf8"));
    expect(readdirSync(dir)).toEqual(["meta.json"]);
  });
});

interface Trace {
  /** Files opened for writing by the node process itself (its threads included), absolute paths. */
  opened: string[];
  /** rename(from, to) by the node process. */
  renamed: Array<[string, string]>;
}

/** Runs a command under strace; children (git, julia) are told apart by their execve and left out. */
function traced(command: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Trace {
  const log = join(work, `trace-${Date.now()}.txt`);
  const run = spawnSync(
    "strace",
    [
      "-f",
      "-qq",
      "-e",
      "trace=execve,openat,rename,renameat,renameat2",
      "-e",
      "signal=none",
      "-o",
      log,
      ...command,
    ],
    { cwd: options.cwd, env: options.env, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`${command.join(" ")} failed:\n${run.stdout}${run.stderr}`);
  const lines = readFileSync(log, "utf8").split("\n");
  const first = Number(lines[0]?.split(" ")[0]);
  const others = new Set<number>();
  for (const line of lines) {
    const pid = Number(line.split(" ")[0]);
    if (pid !== first && / execve\(/.test(line)) others.add(pid);
  }
  const trace: Trace = { opened: [], renamed: [] };
  for (const line of lines) {
    const pid = Number(line.split(" ")[0]);
    if (others.has(pid)) continue;
    const open = /openat\(AT_FDCWD, "([^"]+)", (O_[A-Z_|]+)/.exec(line);
    if (open && /O_WRONLY|O_RDWR/.test(open[2]!) && !/= -1 /.test(line)) trace.opened.push(open[1]!);
    const move = /rename(?:at2?)?\((?:AT_FDCWD, )?"([^"]+)", (?:AT_FDCWD, )?"([^"]+)"/.exec(line);
    if (move && !/= -1 /.test(line)) trace.renamed.push([move[1]!, move[2]!]);
  }
  return trace;
}

/** Every file under `dir` (but `except`) was written to a temporary name and renamed into place. */
function expectAllRenamed(trace: Trace, dir: string, except: RegExp = /^$/): string[] {
  const written = trace.opened.filter((p) => p.startsWith(`${dir}/`));
  const direct = written.filter((p) => !/\/\.[^/]+\.\d+\.[0-9a-f]+\.tmp$/.test(p) && !except.test(p));
  expect(direct, "files written in place instead of through a temporary file").toEqual([]);
  const targets = trace.renamed.filter(([, to]) => to.startsWith(`${dir}/`)).map(([, to]) => to);
  for (const [from] of trace.renamed.filter(([, to]) => to.startsWith(`${dir}/`)))
    expect(written).toContain(from);
  return targets.map((p) => p.slice(dir.length + 1)).sort();
}

const skip = missingCommands("strace", "git");

describe.skipIf(skip)("the bundles write their files atomically (strace)", () => {
  it("hpc-ci run: every artifact and hpc-results.json comes from a rename; logs are streamed", () => {
    const p = makeProject();
    try {
      const trace = traced([process.execPath, CLI, "run", "--no-codecov", "--no-publish"], {
        cwd: p.dir,
        env: { PATH: `${STUB_BIN}:${process.env.PATH}`, HOME: process.env.HOME ?? "/root" },
      });
      const out = join(p.dir, "hpc-ci");
      const files = expectAllRenamed(trace, out, /\/hpc-ci\/logs\/[^/]+\.log$/);
      expect(files).toEqual(
        expect.arrayContaining([
          "artifacts/benchmarks/summary.json",
          "artifacts/coverage/lcov.info",
          "artifacts/coverage/summary.json",
          "artifacts/meta.json",
          "artifacts/tests/summary.json",
          "hpc-results.json",
        ]),
      );
      // The logs are the one thing written as it comes (they are meant to be read while a job runs).
      expect(trace.opened.filter((f) => f.startsWith(`${out}/logs/`)).length).toBeGreaterThan(0);
    } finally {
      removeProject(p);
    }
  });

  it("render-badges: badges, endpoints and the dashboard come from renames", () => {
    const pages = join(work, "pages");
    mkdirSync(pages, { recursive: true });
    const results = join(REPO_ROOT, "examples/hpc-results-branch");
    const commit = readdirSync(results).find((d) => /^[0-9a-f]{40}$/.test(d))!;
    const temp = join(work, "runner-temp");
    mkdirSync(temp, { recursive: true });
    // The runner creates these files before a step starts.
    writeFileSync(join(work, "render.out"), "");
    writeFileSync(join(work, "render.md"), "");
    const trace = traced([process.execPath, join(REPO_ROOT, "dist/render-badges/index.js")], {
      cwd: results,
      env: {
        PATH: process.env.PATH,
        RUNNER_TEMP: temp,
        GITHUB_REPOSITORY: "octo/repo",
        GITHUB_OUTPUT: join(work, "render.out"),
        GITHUB_STEP_SUMMARY: join(work, "render.md"),
        "INPUT_RESULTS-FILE": join(results, commit, "hpc-results.json"),
        "INPUT_PAGES-PATH": pages,
        "INPUT_PAGES-DIR": "hpc",
        INPUT_PUSH: "false",
        "INPUT_HISTORY-SIZE": "200",
        "INPUT_STALE-AFTER": "7d",
        "INPUT_BADGE-STYLE": "flat",
        "INPUT_LABEL-PREFIX": "HPC",
        "INPUT_COVERAGE-GOOD": "80",
        "INPUT_COVERAGE-FAIR": "60",
        "INPUT_PAGES-BRANCH": "gh-pages",
      },
    });
    const files = expectAllRenamed(trace, pages);
    expect(files).toEqual(
      expect.arrayContaining(["hpc/index.html", "hpc/history.json", "hpc/tests.svg", "hpc/tests.json"]),
    );
  });
});
