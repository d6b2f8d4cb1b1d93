// Patch coverage: the unified-diff reader on git's own diffs (a real repository, a real `git diff`), the
// intersection with covered lines against a count by hand, the covered-lines document the CLI writes, and
// the comment action's "Patch coverage" block and gate, run as the runner runs it against the GitHub stand-in.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DOCUMENT_BYTES } from "../src/contract/json.js";
import type { CoverageLines } from "../src/contract/types.js";
import type { FileCoverage } from "../src/coverage/file-coverage.js";
import { checkDocument } from "../src/contract/validate.js";
import {
  coverageLines,
  formatCoverageLines,
  lineRanges,
  mergeCoverageLines,
  repositoryPath,
} from "../src/coverage/lines.js";
import { changedLines, PatchError, patchCoverage } from "../src/coverage/patch.js";
import { lsBranch, makeProject, runCli, showFile } from "./harness/cli.js";
import { startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import type { PullFileInit } from "./harness/github-api/state.js";
import { ourRun } from "./harness/results-branch.js";
import { runAction } from "./harness/run-action.js";
import { patchCoverageBlocks } from "../src/render/patch-coverage.js";
import { pullFilesFromGit } from "./harness/pull-files.js";
import { seededRandom } from "./harness/random.js";
import { scratchDir } from "./harness/scratch.js";

// --- a pull request made with git ---------------------------------------------------------------------------

const BASE_FILES: Record<string, string | Buffer> = {
  "src/a.jl": [
    "module A",
    "",
    "function f(x)",
    "    y = x + 1",
    "    return y",
    "end",
    "",
    "function g(x)",
    "    x * 2",
    "end",
    "",
    "end # module",
    "",
  ].join("\n"),
  "src/old_name.jl": [
    "function r()",
    "    return 1",
    "end",
    "",
    "function s()",
    "    return :s",
    "end",
    "# the same, renamed",
    "",
  ].join("\n"),
  "src/gone.jl": "gone() = nothing\n",
  "src/shrink.jl": ["one = 1", "two = 2", "three = 3", "four = 4", "five = 5", "six = 6", ""].join("\n"),
  "src/nonl.jl": "x = 1\ny = 2",
  "src/grow.jl": "a = 1\nb = 2",
  "docs/readme.md": ["# Title", "", "-- old dashes", "text", ""].join("\n"),
  "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 1, 2, 0, 3]),
};

const HEAD_FILES: Record<string, string | Buffer | null> = {
  "src/a.jl": [
    "module A", //           1
    "", //                   2
    "function f(x)", //      3
    "    y = x + 2", //      4 changed
    "    z = y * 3", //      5 added
    "    return z", //       6 changed
    "end", //                7
    "", //                   8
    "function g(x)", //      9
    "    x * 2", //          10
    "end", //                11
    "# helper", //           12 added
    "function h(x)", //      13 added
    "    if x > 0", //       14 added
    "        return 1", //   15 added
    "    end # if", //       16 added
    "    return 0", //       17 added
    "end # h", //            18 added
    "", //                   19
    "end # module", //       20
    "",
  ].join("\n"),
  "src/old_name.jl": null,
  "src/new_name.jl": [
    "function r()",
    "    return 2", // line 2 changed
    "end",
    "",
    "function s()",
    "    return :s",
    "end",
    "# the same, renamed",
    "",
  ].join("\n"),
  "src/gone.jl": null,
  "src/new.jl": ["function newf()", "    a = 1", "    b = 2", "    a + b", "end", ""].join("\n"),
  "src/shrink.jl": ["one = 1", "two = 2", "five = 5", "six = 6", ""].join("\n"),
  "src/nonl.jl": "x = 1\ny = 3",
  "src/grow.jl": "a = 1\nb = 2\nc = 3\n",
  "docs/readme.md": ["# Title", "", "++ new pluses", "text", ""].join("\n"),
  "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 9, 9, 0, 3]),
};

function writeTree(dir: string, files: Record<string, string | Buffer | null>): void {
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    if (content === null) {
      execFileSync("git", ["rm", "-q", path], { cwd: dir });
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

let repo: string;
let files: PullFileInit[];
let headCommit: string;

beforeAll(() => {
  repo = join(scratchDir("patch-coverage-"), "pkg");
  mkdirSync(repo);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", ...args], {
      cwd: repo,
      encoding: "utf8",
    }).trim();
  git("init", "-q", "-b", "main");
  writeTree(repo, BASE_FILES);
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  const base = git("rev-parse", "HEAD");
  writeTree(repo, HEAD_FILES);
  git("add", "-A");
  git("commit", "-q", "-m", "head");
  headCommit = git("rev-parse", "HEAD");
  files = pullFilesFromGit(repo, base, headCommit);
});

function file(name: string): PullFileInit {
  const found = files.find((f) => f.filename === name);
  if (!found) throw new Error(`no ${name} in ${files.map((f) => f.filename).join(", ")}`);
  return found;
}

describe("the diff reader, on git's own diffs", () => {
  it("lists the files as GitHub does: a rename with its old name, a removal, a binary file without patch", () => {
    expect(file("src/new_name.jl")).toMatchObject({
      status: "renamed",
      previous_filename: "src/old_name.jl",
    });
    expect(file("src/gone.jl")).toMatchObject({ status: "removed", deletions: 1 });
    expect(file("src/new.jl")).toMatchObject({ status: "added", additions: 5 });
    expect(file("logo.png").status).toBe("modified");
    expect(file("logo.png").patch).toBeUndefined();
    expect(files.some((f) => f.filename === "src/old_name.jl")).toBe(false);
  });

  it("finds the added and changed lines of the new side", () => {
    expect(changedLines(file("src/a.jl").patch!)).toEqual([4, 5, 6, 12, 13, 14, 15, 16, 17, 18]);
    expect(changedLines(file("src/new.jl").patch!)).toEqual([1, 2, 3, 4, 5]);
    expect(changedLines(file("src/new_name.jl").patch!)).toEqual([2]);
    // Deletions only: nothing on the new side.
    expect(file("src/shrink.jl").patch).toMatch(/^@@ -1,6 \+1,4 @@/);
    expect(changedLines(file("src/shrink.jl").patch!)).toEqual([]);
    expect(changedLines(file("src/gone.jl").patch!)).toEqual([]);
  });

  it('reads "\\ No newline at end of file" on either side', () => {
    expect(file("src/nonl.jl").patch).toContain("\\ No newline at end of file");
    expect(changedLines(file("src/nonl.jl").patch!)).toEqual([2]);
    // b had no newline: git shows it removed and added again, then c.
    expect(changedLines(file("src/grow.jl").patch!)).toEqual([2, 3]);
  });

  it('never takes a removed "-- ..." or an added "++ ..." line for a file header', () => {
    const patch = file("docs/readme.md").patch!;
    expect(patch).toContain("\n--- old dashes");
    expect(patch).toContain("\n+++ new pluses");
    expect(changedLines(patch)).toEqual([3]);
  });

  it("reads a whole `git diff` of one file (its header before the first hunk is skipped)", () => {
    const whole = execFileSync("git", ["diff", "HEAD~1", "HEAD", "--", "src/a.jl"], {
      cwd: repo,
      encoding: "utf8",
    });
    expect(whole.startsWith("diff --git")).toBe(true);
    expect(changedLines(whole)).toEqual([4, 5, 6, 12, 13, 14, 15, 16, 17, 18]);
  });

  it("refuses a malformed or cut patch with the line and the reason", () => {
    expect(() => changedLines("@@ -1,2 +1,2 @@\n x\n")).toThrow(PatchError);
    expect(() => changedLines("@@ -1,2 +1,2 @@\n x\n")).toThrow(/ends early/);
    expect(() => changedLines("@@ -1 +1 @@\n-a\n+b\nnot a hunk")).toThrow(/line 4 is not a hunk header/);
    expect(() => changedLines("@@ -1 +1 @@\n*a")).toThrow(/starts with "\*"/);
  });
});

// --- patch coverage by hand ------------------------------------------------------------------------------

/** The covered lines of the head commit, as a run would publish them (hand-written). */
function headCoverage(commit: string): CoverageLines {
  return {
    schema_version: 1,
    commit,
    files: {
      "src/a.jl": {
        covered: [
          [3, 4],
          [6, 6],
          [10, 10],
          [14, 14],
          [17, 17],
        ],
        missed: [
          [5, 5],
          [15, 16],
        ],
      },
      "src/new.jl": { covered: [], missed: [[2, 4]] },
      "src/new_name.jl": {
        covered: [
          [2, 2],
          [6, 6],
        ],
        missed: [],
      },
      "src/shrink.jl": { covered: [[1, 4]], missed: [] },
      "src/nonl.jl": { covered: [[1, 1]], missed: [[2, 2]] },
      "src/unchanged.jl": { covered: [], missed: [[1, 9]] },
    },
  };
}

describe("patch coverage of the fixture pull request", () => {
  it("matches the count by hand", () => {
    // By hand, changed line: executable? covered?
    //   src/a.jl         4 cov, 5 MISS, 6 cov, 12 -, 13 -, 14 cov, 15 MISS, 16 MISS, 17 cov, 18 -  -> 7 exec, 4 cov
    //   src/new.jl       1 -, 2 MISS, 3 MISS, 4 MISS, 5 -                                          -> 3 exec, 0 cov
    //   src/new_name.jl  2 cov                                                                     -> 1 exec, 1 cov
    //   src/shrink.jl    (deletions only)                                                          -> 0
    //   src/nonl.jl      2 MISS                                                                    -> 1 exec, 0 cov
    //   src/grow.jl, docs/readme.md: not in the coverage (not code); src/gone.jl removed           -> 0
    //   logo.png: binary, no patch                                                                 -> not checked
    //   total: 12 executable, 5 covered = 41.67%; uncovered 5, 15-16 (a.jl), 2-4 (new.jl), 2 (nonl.jl)
    const result = patchCoverage(files, headCoverage(headCommit));
    expect(result.executable).toBe(12);
    expect(result.covered).toBe(5);
    expect(result.percent!.toFixed(2)).toBe("41.67");
    expect(result.files.map((f) => [f.path, f.executable, f.covered, f.uncovered])).toEqual(
      [
        [
          "src/a.jl",
          7,
          4,
          [
            [5, 5],
            [15, 16],
          ],
        ],
        ["src/new.jl", 3, 0, [[2, 4]]],
        ["src/new_name.jl", 1, 1, []],
        ["src/nonl.jl", 1, 0, [[2, 2]]],
      ].sort(
        (a, b) => files.findIndex((f) => f.filename === a[0]) - files.findIndex((f) => f.filename === b[0]),
      ),
    );
    expect(result.unchecked).toEqual([{ path: "logo.png", reason: expect.stringMatching(/no diff/) }]);
    expect(result.changedFiles).toBe(files.length);
  });

  it("joins uncovered lines across lines that are not code, and not across covered ones", () => {
    const lines: CoverageLines = {
      schema_version: 1,
      commit: headCommit,
      files: {
        "x.jl": {
          covered: [[5, 5]],
          missed: [
            [1, 1],
            [3, 4],
            [6, 6],
          ],
        },
      },
    };
    const patch = "@@ -0,0 +1,6 @@\n+1\n+2\n+3\n+4\n+5\n+6";
    const result = patchCoverage([{ filename: "x.jl", status: "added", patch }], lines);
    // 1 missed, 2 not code, 3-4 missed, 5 covered, 6 missed.
    expect(result.files[0]!.uncovered).toEqual([
      [1, 4],
      [6, 6],
    ]);
  });

  it("reads ranges from an untrusted file as sets: unsorted and overlapping ranges count once", () => {
    const lines: CoverageLines = {
      schema_version: 1,
      commit: headCommit,
      files: {
        "x.jl": {
          covered: [
            [8, 9],
            [1, 5],
            [3, 4],
          ],
          missed: [[6, 7]],
        },
      },
    };
    const patch = "@@ -0,0 +1,9 @@\n+1\n+2\n+3\n+4\n+5\n+6\n+7\n+8\n+9";
    const result = patchCoverage([{ filename: "x.jl", status: "added", patch }], lines);
    expect([result.executable, result.covered]).toEqual([9, 7]);
  });

  it("checks nothing of a pure rename; a file without patch otherwise is named as not checked", () => {
    const renamed = { filename: "src/b.jl", previous_filename: "src/a.jl", status: "renamed", changes: 0 };
    const binary = { filename: "data.bin", status: "modified", changes: 0 };
    const result = patchCoverage([renamed, binary], headCoverage(headCommit));
    expect(result.unchecked.map((u) => u.path)).toEqual(["data.bin"]);
  });

  it("says nothing executable changed when no changed line is code", () => {
    const result = patchCoverage([file("docs/readme.md"), file("src/shrink.jl")], headCoverage(headCommit));
    expect(result).toMatchObject({ executable: 0, covered: 0, percent: null, files: [] });
  });
});

describe("the Patch coverage block", () => {
  it("escapes file names from the pull request and keeps them inside their links", () => {
    const name = "src/a|b [x](y) @someone.jl";
    const coverage = patchCoverage([{ filename: name, status: "added", patch: "@@ -0,0 +1,2 @@\n+a\n+b" }], {
      schema_version: 1,
      commit: headCommit,
      files: { [name]: { covered: [], missed: [[1, 2]] } },
    });
    const links = { serverUrl: "https://github.com", repository: "o/r", commit: headCommit };
    const table = patchCoverageBlocks({ pullRequest: 3, coverage }, links).find((b) => typeof b !== "string");
    const row = (table as { rows: string[] }).rows[0]!;
    const url = `https://github.com/o/r/blob/${headCommit}/src/a%7Cb%20%5Bx%5D%28y%29%20%40someone.jl`;
    expect(row).toBe(`| [src/a&#124;b &#91;x&#93;(y) &#64;\u200bsomeone.jl](${url}) | [1–2](${url}#L1-L2) |`);
  });
});

// --- the covered-lines document ------------------------------------------------------------------------------

/**
 * Line counts shaped like a Julia package of Mycelia's size (about 12,000 executable lines in 100 files of
 * `src/`): functions with a docstring, a signature and a body of short runs of code lines between blank,
 * comment and `end` lines (as in Mycelia's src/fastx.jl); 60% of the functions run, and a run function
 * misses one block in seven.
 */
function myceliaSizedCoverage(): FileCoverage[] {
  const random = seededRandom(16);
  const files: FileCoverage[] = [];
  let executable = 0;
  for (let f = 0; executable < 12_000; f++) {
    const lines = new Map<number, number>();
    let line = 1;
    for (let fn = 0; fn < 4 && executable < 12_000; fn++) {
      line += random() < 0.7 ? 12 + Math.floor(random() * 12) : 1; // docstring or a blank line
      const runs = random() < 0.6;
      let body = 15 + Math.floor(random() * 30);
      lines.set(line++, runs ? 1 : 0); // the signature
      executable++;
      while (body > 0) {
        const block = Math.min(body, 1 + Math.floor(random() * 6));
        const count = runs && random() > 1 / 7 ? 1 + Math.floor(random() * 100) : 0;
        for (let i = 0; i < block; i++) lines.set(line++, count);
        executable += block;
        body -= block;
        line += 1 + Math.floor(random() * 2); // blank, comment or `end` lines
      }
    }
    files.push({ path: `src/module-file-${f}.jl`, lines });
  }
  return files;
}

describe("coverage lines (lines.json)", () => {
  it("stays at a few tens of KB for a package of Mycelia's size (12,000 executable lines), far below 1 MiB", () => {
    const files = myceliaSizedCoverage();
    const executable = files.reduce((n, f) => n + f.lines.size, 0);
    const text = formatCoverageLines(coverageLines(headCommit, files, []).document);
    const bytes = Buffer.byteLength(text);
    // Worst case: every executable line its own range (covered and missed alternating).
    const alternating = new Map(
      Array.from({ length: 12_000 }, (_, i) => [2 * i + 1, i % 2] as [number, number]),
    );
    const worst = Buffer.byteLength(
      formatCoverageLines(
        coverageLines(headCommit, [{ path: "src/one.jl", lines: alternating }], []).document,
      ),
    );
    console.info(
      `coverage lines: ${executable} executable lines in ${files.length} files -> ${bytes} bytes; worst case 12,000 single-line ranges -> ${worst} bytes`,
    );
    expect(executable).toBeGreaterThanOrEqual(12_000);
    expect(bytes).toBeLessThan(64 * 1024);
    expect(worst).toBeLessThan(MAX_DOCUMENT_BYTES / 4);
  });

  it("turns counts into ascending ranges that only join adjacent lines of one kind", () => {
    const counts = new Map([
      [7, 0],
      [1, 3],
      [2, 1],
      [3, 0],
      [5, 2],
      [6, 4],
      [8, 0],
    ]);
    expect(lineRanges(counts)).toEqual({
      covered: [
        [1, 2],
        [5, 6],
      ],
      missed: [
        [3, 3],
        [7, 8],
      ],
    });
  });

  it("makes absolute paths of the checkout relative and leaves out files outside it", () => {
    const base = scratchDir("coverage-lines-");
    const real = join(base, "real", "Pkg");
    mkdirSync(real, { recursive: true });
    const link = join(base, "home");
    symlinkSync(join(base, "real"), link);
    const roots = [join(link, "Pkg"), real];
    expect(repositoryPath(join(link, "Pkg", "src", "a.jl"), roots)).toBe("src/a.jl");
    expect(repositoryPath(join(real, "src", "a.jl"), roots)).toBe("src/a.jl");
    expect(repositoryPath("src/./sub/../b.jl", roots)).toBe("src/b.jl");
    expect(repositoryPath("/home/u/.julia/packages/JSON/abc/src/JSON.jl", roots)).toBeUndefined();
    expect(repositoryPath("../elsewhere.jl", roots)).toBeUndefined();
    expect(repositoryPath(real, roots)).toBeUndefined();

    const { document, outside } = coverageLines(
      headCommit,
      [
        {
          path: join(real, "src", "a.jl"),
          lines: new Map([
            [1, 1],
            [2, 0],
          ]),
        },
        { path: "src/a.jl", lines: new Map([[2, 5]]) },
        { path: "/usr/include/stdio.h", lines: new Map([[1, 1]]) },
      ],
      roots,
    );
    expect(outside).toEqual(["/usr/include/stdio.h"]);
    // Records of one path are summed, as lcov sums them: line 2 ran in the second.
    expect(document.files).toEqual({ "src/a.jl": { covered: [[1, 2]], missed: [] } });
    const text = formatCoverageLines(document);
    expect(checkDocument("coverage-lines", JSON.parse(text), "lines.json")).toEqual([]);
    expect(text).toBe(
      `{"schema_version":1,"commit":"${headCommit}","files":{\n"src/a.jl":{"covered":[[1,2]],"missed":[]}\n}}\n`,
    );
  });
});

// --- the comment action, as the runner runs it ---------------------------------------------------------------

describe("comment-hpc-summary shows patch coverage", () => {
  const TOKEN = "ghs_PatchCoverageTokenNeverShown0123456789";
  let api: GitHubApi;
  let resultsPath: string;

  beforeAll(async () => {
    api = await startGitHubApi({ token: TOKEN });
    resultsPath = scratchDir("patch-results-");
    const folder = join(resultsPath, headCommit);
    mkdirSync(folder);
    writeFileSync(join(folder, "coverage-lines.json"), formatCoverageLines(headCoverage(headCommit)));
    // The newest run of the base branch, for the change of total coverage.
    const base = ourRun("c".repeat(40)).results;
    base.coverage = { ...base.coverage!, coverage_percent: 80.05 };
    mkdirSync(join(resultsPath, "branches"));
    writeFileSync(join(resultsPath, "branches", "main.json"), JSON.stringify(base));
  });

  afterAll(async () => {
    await api?.close();
  });

  async function comment(pullRequest: number, inputs: Record<string, string> = {}) {
    const run = ourRun(headCommit).results;
    const action = await runAction("comment-hpc-summary", {
      inputs: {
        token: TOKEN,
        results: JSON.stringify(run),
        "results-path": resultsPath,
        "pull-request": String(pullRequest),
        ...inputs,
      },
      env: { GITHUB_API_URL: api.url, HPC_CI_GITHUB_TIME_SCALE: "0.01" },
    });
    expect(api.violations).toEqual([]);
    return action;
  }

  /** The `hpc/coverage` check run (the default report) as a status: its conclusion and title. */
  function coverageStatus() {
    const run = api.state.checkRuns(headCommit).find((c) => c.name === "hpc/coverage")!;
    return { state: run.conclusion, description: run.output.title };
  }

  it("lists the uncovered changed lines with links to the tested commit, and fails the coverage check run below coverage-patch-min", async () => {
    api.state.addPullRequest({ number: 21, headSha: headCommit, baseRef: "main" });
    api.state.setPullRequestFiles(21, files);
    const run = await comment(21, { "coverage-patch-min": "60" });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const body = api.state.comments(21)[0]!.body!;
    const blob = `https://github.com/octo-org/octo-repo/blob/${headCommit}`;
    expect(body).toContain("#### Patch coverage ❌");
    expect(body).toContain(
      "**41.67% (5 of 12 changed lines)** of pull request 21 covered by this run, in 4 files",
    );
    expect(body).toContain(
      `| [src/a.jl](${blob}/src/a.jl) | [5](${blob}/src/a.jl#L5), [15–16](${blob}/src/a.jl#L15-L16) |`,
    );
    expect(body).toContain(`| [src/new.jl](${blob}/src/new.jl) | [2–4](${blob}/src/new.jl#L2-L4) |`);
    expect(body).toContain(`[2](${blob}/src/nonl.jl#L2)`);
    expect(body).not.toContain("src/new_name.jl |"); // all its changed lines are covered
    expect(body).toMatch(/Not checked, GitHub shows no diff for them \(binary, or too large\): logo\.png\./);
    expect(body).toContain("patch coverage 41.67% (5 of 12 changed lines) is below the 60% minimum");
    // The same block in the job summary.
    expect(run.summary).toContain("#### Patch coverage ❌");
    expect(run.summary).toContain(`[15–16](${blob}/src/a.jl#L15-L16)`);
    const status = coverageStatus();
    expect(status.state).toBe("failure");
    expect(status.description).toMatch(
      /^\d+\.\d\d%: patch coverage 41\.67% \(5 of 12 changed lines\) is below the 60% minimum$/,
    );
    expect(
      api.requests.some(
        (r) => r.method === "GET" && r.route === "/repos/{owner}/{repo}/pulls/{pull_number}/files",
      ),
    ).toBe(true);
  });

  it("passes the gate at or above the minimum, saying the patch coverage in the status", async () => {
    const run = await comment(21, { "coverage-patch-min": "41.67" });
    expect(run.exitCode).toBe(0);
    expect(coverageStatus()).toMatchObject({ state: "success" });
    // Total coverage keeps its change against the base run beside the patch coverage.
    expect(coverageStatus().description).toBe(
      "81.25% of lines (+1.20 vs main); patch 41.67% (5 of 12 changed lines)",
    );
    expect(api.state.comments(21)[0]!.body).toContain("**+1.20** points against the newest run of main");
    expect(api.state.comments(21)[0]!.body).toContain("#### Patch coverage\n");
  });

  it("passes a pull request that changes no executable line, saying so", async () => {
    api.state.addPullRequest({ number: 22, headSha: headCommit, baseRef: "main" });
    api.state.setPullRequestFiles(22, [file("docs/readme.md"), file("src/shrink.jl")]);
    const run = await comment(22, { "coverage-patch-min": "90" });
    expect(run.exitCode).toBe(0);
    const body = api.state.comments(22)[0]!.body!;
    expect(body).toContain("None of the lines pull request 22 changes is executable code");
    expect(body).toContain("no executable line changed, so the 90% patch coverage minimum passes");
    expect(coverageStatus()).toMatchObject({ state: "success" });
    expect(coverageStatus().description).toContain("patch: no executable line changed");
  });

  it("pages through a pull request of many files (per_page=100)", async () => {
    api.state.addPullRequest({ number: 23, headSha: headCommit, baseRef: "main" });
    const filler = Array.from({ length: 230 }, (_, i) => ({
      filename: `docs/page${i}.md`,
      status: "added" as const,
      additions: 1,
      deletions: 0,
      patch: "@@ -0,0 +1 @@\n+text",
    }));
    api.state.setPullRequestFiles(23, [...filler, file("src/a.jl")]);
    const before = api.requests.length;
    const run = await comment(23);
    expect(run.exitCode).toBe(0);
    const pages = api.requests
      .slice(before)
      .filter((r) => r.method === "GET" && r.route === "/repos/{owner}/{repo}/pulls/{pull_number}/files");
    expect(pages).toHaveLength(3);
    expect(api.state.comments(23)[0]!.body).toContain("**57.14% (4 of 7 changed lines)** of pull request 23");
  });

  it("checks no pull request whose head moved past the tested commit (its diff has other line numbers)", async () => {
    api.state.addPullRequest({ number: 25, headSha: "d".repeat(40), commits: [headCommit], baseRef: "main" });
    api.state.setPullRequestFiles(25, files);
    const before = api.requests.length;
    const run = await comment(25);
    expect(run.exitCode).toBe(0);
    expect(api.state.comments(25)[0]!.body).toContain("Unavailable: the pull request&#39;s head is dddddd");
    expect(api.requests.slice(before).some((r) => r.route?.endsWith("/files"))).toBe(false);
  });

  it("says patch coverage is unavailable when the commit has no coverage-lines.json", async () => {
    const other = "b".repeat(40);
    api.state.addPullRequest({ number: 24, headSha: other, baseRef: "main" });
    api.state.setPullRequestFiles(24, files);
    const results = ourRun(other).results;
    const run = await runAction("comment-hpc-summary", {
      inputs: {
        token: TOKEN,
        results: JSON.stringify(results),
        "results-path": resultsPath,
        "pull-request": "24",
        "coverage-patch-min": "80",
      },
      env: { GITHUB_API_URL: api.url, HPC_CI_GITHUB_TIME_SCALE: "0.01" },
    });
    expect(run.exitCode).toBe(0);
    const body = api.state.comments(24)[0]!.body!;
    expect(body).toContain("Unavailable: the results branch has no coverage-lines.json for this commit");
    expect(body).toContain("patch coverage minimum was not applied");
  });
});

// --- the CLI ------------------------------------------------------------------------------------------------

/** line -> count per SF path of an lcov file, read with nothing of ours (the oracle for lines.json). */
function lcovLines(text: string): Map<string, Map<number, number>> {
  const files = new Map<string, Map<number, number>>();
  let current: Map<number, number> | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("SF:")) {
      const path = line.slice(3);
      current = files.get(path) ?? new Map();
      files.set(path, current);
    } else if (line.startsWith("DA:") && current) {
      const [n, count] = line.slice(3).split(",").map(Number) as [number, number];
      current.set(n, (current.get(n) ?? 0) + count);
    }
  }
  return files;
}

function expand(ranges: Array<[number, number]>): number[] {
  return ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
}

/** The example project, tested by a script whose `commands` write out/lcov.info, the coverage to read. */
function lcovProject(commands: string[]) {
  const p = makeProject();
  writeFileSync(join(p.dir, "run-tests.sh"), ["#!/bin/sh", "mkdir -p out", ...commands].join("\n"));
  chmodSync(join(p.dir, "run-tests.sh"), 0o755);
  const config = {
    tests: { command: ["./run-tests.sh"] },
    coverage: { lcov: "out/lcov.info" },
    benchmarks: { enabled: false },
  };
  writeFileSync(join(p.dir, ".hpc-ci.json"), JSON.stringify(config));
  return p;
}

describe("hpc-ci run writes the covered lines and publishes them", () => {
  it("merges the lines of shards: covered in any shard is covered", async () => {
    const shard = (covered: Array<[number, number]>, missed: Array<[number, number]>): CoverageLines => ({
      schema_version: 1,
      commit: headCommit,
      files: { "src/a.jl": { covered, missed } },
    });
    const merged = mergeCoverageLines(headCommit, [
      shard([[1, 2]], [[3, 5]]),
      shard(
        [[4, 4]],
        [
          [1, 3],
          [7, 7],
        ],
      ),
    ]);
    expect(merged.files).toEqual({
      "src/a.jl": {
        covered: [
          [1, 2],
          [4, 4],
        ],
        missed: [
          [3, 3],
          [5, 5],
          [7, 7],
        ],
      },
    });

    const p = makeProject();
    for (const index of ["1/2", "2/2"]) {
      const run = await runCli(["run", "--tests-only", "--no-codecov", "--shard", index], { cwd: p.dir });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    }
    const one = readFileSync(join(p.dir, "hpc-ci/shards/1/artifacts/coverage/lines.json"), "utf8");
    const result = await runCli(["merge"], { cwd: p.dir });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    // The stand-in julia covers the same lines in both shards: their union is either.
    expect(readFileSync(join(p.dir, "hpc-ci/artifacts/coverage/lines.json"), "utf8")).toBe(one);
    expect(showFile(p.origin, `${p.commit}/coverage-lines.json`)).toBe(one);
  });

  it("writes lines.json from Julia's .cov files with repository-relative paths, publishes it, and keeps it through a run without coverage", async () => {
    const p = makeProject();
    const first = await runCli(["run", "--tests-only", "--no-codecov"], { cwd: p.dir });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const linesFile = join(p.dir, "hpc-ci/artifacts/coverage/lines.json");
    const text = readFileSync(linesFile, "utf8");
    const lines = JSON.parse(text) as CoverageLines;
    expect(checkDocument("coverage-lines", lines, linesFile)).toEqual([]);
    expect(lines.commit).toBe(p.commit);
    // The same lines as the lcov.info the run wrote, file by file.
    const lcov = lcovLines(readFileSync(join(p.dir, "hpc-ci/artifacts/coverage/lcov.info"), "utf8"));
    expect(Object.keys(lines.files).sort()).toEqual(
      [...lcov.keys()].filter((k) => lcov.get(k)!.size > 0).sort(),
    );
    for (const [path, ranges] of Object.entries(lines.files)) {
      expect(path).toMatch(/^(src|ext)\/[^/].*\.jl$/);
      expect(existsSync(join(p.dir, path)), path).toBe(true);
      const counts = lcov.get(path)!;
      expect(expand(ranges.covered)).toEqual(
        [...counts]
          .filter(([, c]) => c > 0)
          .map(([n]) => n)
          .sort((a, b) => a - b),
      );
      expect(expand(ranges.missed)).toEqual(
        [...counts]
          .filter(([, c]) => c === 0)
          .map(([n]) => n)
          .sort((a, b) => a - b),
      );
    }
    expect(first.stdout + first.stderr).toMatch(/wrote .*lines\.json \(\d+ files, \d+ bytes\)/);
    expect(showFile(p.origin, `${p.commit}/coverage-lines.json`)).toBe(text);

    // A later run of the commit without coverage keeps the published lines.
    const second = await runCli(["run", "--benchmarks-only", "--no-codecov"], { cwd: p.dir });
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    expect(showFile(p.origin, `${p.commit}/coverage-lines.json`)).toBe(text);
    expect(lsBranch(p.origin).filter((f) => f.endsWith("coverage-lines.json"))).toEqual([
      `${p.commit}/coverage-lines.json`,
    ]);
  });

  it("leaves lines.json out, saying patch coverage is unavailable, when it would pass the 1 MiB document limit", async () => {
    // 100,000 lines, covered and missed by turns with a line that is not code between: each its own range.
    const p = lcovProject([
      `awk 'BEGIN { print "SF:src/Example.jl"; for (i = 1; i <= 200000; i += 2) print "DA:" i "," (i % 4 == 1); print "end_of_record" }' > out/lcov.info`,
    ]);
    const run = await runCli(["run", "--no-codecov"], { cwd: p.dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(
      /coverage lines of 1 file\(s\) take \d+ bytes, over the 1048576 byte limit .* so patch coverage is unavailable for this commit/,
    );
    expect(existsSync(join(p.dir, "hpc-ci/artifacts/coverage/lines.json"))).toBe(false);
    expect(JSON.parse(readFileSync(join(p.dir, "hpc-ci/hpc-results.json"), "utf8")).coverage).toMatchObject({
      total_lines: 100_000,
      covered_lines: 50_000,
    });
    expect(lsBranch(p.origin)).toContain(`${p.commit}/hpc-results.json`);
    expect(lsBranch(p.origin).some((f) => f.endsWith("coverage-lines.json"))).toBe(false);
  });

  it("maps an lcov file's absolute cluster paths onto the checkout and leaves out files outside it", async () => {
    const p = lcovProject([
      `printf 'TN:\\nSF:%s/src/Example.jl\\nDA:1,1\\nDA:2,0\\nDA:3,4\\nend_of_record\\n' "$PWD" > out/lcov.info`,
      `printf 'SF:/global/homes/u/user/.julia/packages/JSON/Ab1Cd/src/JSON.jl\\nDA:1,1\\nend_of_record\\n' >> out/lcov.info`,
    ]);
    const run = await runCli(["run", "--no-codecov", "--no-publish"], { cwd: p.dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const lines = JSON.parse(
      readFileSync(join(p.dir, "hpc-ci/artifacts/coverage/lines.json"), "utf8"),
    ) as CoverageLines;
    expect(lines.files).toEqual({
      "src/Example.jl": {
        covered: [
          [1, 1],
          [3, 3],
        ],
        missed: [[2, 2]],
      },
    });
    expect(run.stdout + run.stderr).toMatch(
      /1 file\(s\) outside .* left out \(\/global\/homes\/u\/user\/\.julia/,
    );
  });
});
