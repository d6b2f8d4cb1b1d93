// The comment and job summary name what failed: comment-hpc-summary run as the runner runs it
// (node dist/comment-hpc-summary/index.js with INPUT_* and the runner's files) against the OpenAPI-checked
// GitHub stand-in, and its Markdown rendered by cmark-gfm (GitHub's fork of cmark) to read what a reviewer
// sees.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeSha, startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import type { BenchmarkResult, HpcResults, TestFailure, TestsSection } from "../src/contract/types.js";
import { runAction, type ActionRun } from "./harness/run-action.js";
import { codeTexts, decodeHtml, linkTargets, renderGfm, visibleText } from "./harness/markdown.js";
import { missingCommands } from "./harness/system.js";
import { codeBlock, codeSpan, forJobSummary } from "../src/render/escape.js";
import { failureList, testSetTable } from "../src/render/test-report.js";

const TOKEN = "ghs_CommentFailuresToken0123456789abcdef";
const HEAD = createFakeSha("failures-head");
const BASE = createFakeSha("failures-base");
const REPO = "https://github.com/octo-org/octo-repo";
const noCmark = missingCommands("cmark-gfm");

let api: GitHubApi;
let resultsPath: string;
const temps: string[] = [];

beforeAll(() => {
  resultsPath = mkdtempSync(join(tmpdir(), "comment-failures-"));
  temps.push(resultsPath);
  // The newest run of main on the results branch: what the pull request is compared with.
  const file = join(resultsPath, "branches", "main.json");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(baseRun()));
});

beforeEach(async () => {
  api = await startGitHubApi({ token: TOKEN });
  api.state.addPullRequest({ number: 7, headSha: HEAD, baseRef: "main" });
});

afterEach(async () => {
  expect(api.violations).toEqual([]);
  await api.close();
});

afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const IO_FAILURE: TestFailure = {
  kind: "failed",
  testset: ["Example", "io"],
  file: "test/io.jl",
  line: 12,
  expression: 'read(io, String) == "x"',
  evaluated: '"y" == "x"',
  flaky: true,
};

const READER_ERROR: TestFailure = {
  kind: "errored",
  testset: ["Example", "parse", "reader"],
  file: "test/parse/reader.jl",
  line: 40,
  expression: "parse(Reader(io))",
  message: [
    "ArgumentError: unexpected token at 1:3",
    "Stacktrace:",
    " [1] parse(r::Reader)",
    "   @ Example ~/Example/src/reader.jl:88",
  ].join("\n"),
};

function run(tests: Partial<TestsSection> = {}): HpcResults {
  return {
    schema_version: 1,
    commit: HEAD,
    branch: "feature",
    generated_at: "2026-12-06T05:12:40Z",
    hpc: { cluster: "perlmutter", job_id: "4242", node: "nid001", julia_version: "1.11.2" },
    coverage: null,
    tests: {
      status: "failed",
      duration_seconds: 3725,
      log_file: "logs/tests.log",
      suites: {
        Example: { passed: 40, failed: 1, errored: 1, broken: 2, total: 44 },
        "Example/io": { passed: 9, failed: 1, total: 10 },
        "Example/parse": { passed: 12, errored: 1, total: 13 },
        "Example/parse/reader": { passed: 4, errored: 1, total: 5 },
        "Example/unit": { passed: 19, broken: 2, total: 21 },
      },
      totals: { passed: 40, failed: 1, errored: 1, broken: 2, total: 44 },
      failures: [IO_FAILURE, READER_ERROR],
      failures_total: 2,
      attempts: 2,
      flaky: [
        {
          kind: "failed",
          testset: ["Example", "unit"],
          file: "test/unit.jl",
          line: 7,
          expression: "rand() < 0.99",
        },
      ],
      ...tests,
    },
  };
}

function baseRun(): HpcResults {
  return {
    schema_version: 1,
    commit: BASE,
    branch: "main",
    generated_at: "2026-12-05T22:03:00Z",
    coverage: null,
    tests: {
      status: "passed",
      suites: {
        Example: { passed: 38, broken: 2, total: 40 },
        "Example/io": { passed: 10, total: 10 },
        "Example/parse": { passed: 11, total: 11 },
        "Example/unit": { passed: 19, broken: 2, total: 21 },
      },
    },
  };
}

async function comment(results: HpcResults): Promise<{ action: ActionRun; body: string }> {
  // A file, as a workflow passes a big run (an environment variable that long does not fit in exec).
  const file = join(resultsPath, `run-${temps.length}.json`);
  writeFileSync(file, JSON.stringify(results));
  const action = await runAction("comment-hpc-summary", {
    inputs: {
      token: TOKEN,
      "results-path": resultsPath,
      "results-file": file,
      statuses: "false",
    },
    env: { GITHUB_API_URL: api.url, HPC_CI_GITHUB_TIME_SCALE: "0.01" },
  });
  temps.push(dirname(action.runnerTemp));
  expect(action.stderr).toBe("");
  expect(action.exitCode, action.stdout).toBe(0);
  const comments = api.state.comments(7);
  expect(comments).toHaveLength(1);
  return { action, body: comments[0]!.body! };
}

const HOSTILE_SET = "Example/a|b `x` @octocat #1 <i>";
const ioLink = `${REPO}/blob/${HEAD}/test/io.jl#L12`;
const readerLink = `${REPO}/blob/${HEAD}/test/parse/reader.jl#L40`;

describe("comment-hpc-summary names what failed", () => {
  it("names the failure and the error with links to their lines, counts per test set against the base, and the flaky one", async () => {
    const { action, body } = await comment(run());
    // Each failure: its kind, its test-set path, file:line linked at the tested commit, the expression.
    const io = body.split("\n").find((l) => l.includes("test/io.jl:12"))!;
    expect(io).toBe(
      `- ❌ **Test failed** in \`Example/io\` at [\`test/io.jl:12\`](${ioLink}) · ⚠️ **flaky**`,
    );
    expect(body).toContain(
      `${io}\n  - Expression: \`read(io, String) == "x"\`\n  - Evaluated: \`"y" == "x"\``,
    );
    expect(body).toContain(
      `- 💥 **Error during test** in \`Example/parse/reader\` at [\`test/parse/reader.jl:40\`](${readerLink})\n` +
        "  - Expression: `parse(Reader(io))`\n  - Error:\n    ```\n    ArgumentError: unexpected token at 1:3\n",
    );
    expect(body).toContain(
      "**What failed**: 2 tests that failed or errored, in the order the run reported them",
    );
    // Flaky: marked, explained, and the test that failed before and passed now is named.
    expect(body).toContain(
      "⚠️ **flaky**: the test failed in one run and passed in another run of the same commit",
    );
    expect(body).toContain("(this commit was tested 2 times)");
    expect(body).toContain(
      `- 🔁 **Failed in an earlier run** in \`Example/unit\` at [\`test/unit.jl:7\`](${REPO}/blob/${HEAD}/test/unit.jl#L7) · ⚠️ **flaky**: \`rand() < 0.99\``,
    );
    // Counts per test set with the change against main's newest run, failing sets first, the rest folded.
    expect(body).toContain("| Test set with failures | Passed | Failed | Errored | Broken | Total |");
    expect(body).toContain("| `Example` | 40 (+2) | **1** (+1) | **1** (+1) | 2 | 44 (+4) |");
    expect(body).toContain("| `Example/io` | 9 (-1) | **1** (+1) | 0 | 0 | 10 |");
    expect(body).toContain("| `Example/parse/reader` (new) | 4 | 0 | **1** | 0 | 5 |");
    expect(body).toContain("<details><summary>1 test set without failures</summary>");
    expect(body).toContain("| `Example/unit` | 19 | 0 | 0 | 2 | 21 |");
    expect(body.indexOf("`Example/parse/reader` (new)")).toBeLessThan(body.indexOf("| `Example/unit` |"));
    // Every number explained: the caption names the base run by a linked short SHA and a readable time.
    expect(body).toContain(
      `In parentheses: the change against the newest run of main ([\`${BASE.slice(0, 7)}\`](${REPO}/commit/${BASE}), 2026-12-05 22:03 UTC)`,
    );
    expect(body).toContain(`Commit [\`${HEAD.slice(0, 7)}\`](${REPO}/commit/${HEAD}) · branch feature`);
    expect(body).toContain("finished 2026-12-06 05:12 UTC");
    expect(body).toContain(
      "40 passed, 1 failed, 1 errored, 2 broken in 5 test sets · took 1 h 02 min · run 2 times on this commit",
    );

    // The job summary carries the same failures and tables, with nothing invisible and no entity.
    for (const part of [
      io,
      readerLink,
      "| `Example/io` | 9 (-1) | **1** (+1) | 0 | 0 | 10 |",
      "In parentheses",
    ]) {
      expect(action.summary).toContain(part);
    }
    expect(action.summary).not.toContain("\u200b");
    expect(action.summary).not.toMatch(/&(#\d+|[a-z]+);/i);

    if (noCmark) return;
    // Rendered as GitHub renders it: both failures are links to their lines, with code for the text.
    for (const md of [body, action.summary]) {
      const html = renderGfm(md);
      expect(linkTargets(html)).toEqual(expect.arrayContaining([ioLink, readerLink]));
      expect(html).toContain(`<a href="${ioLink}"><code>test/io.jl:12</code></a>`);
      expect(codeTexts(html)).toEqual(
        expect.arrayContaining(['read(io, String) == "x"', "Example/parse/reader", "parse(Reader(io))"]),
      );
      expect(html).toContain("<pre><code>ArgumentError: unexpected token at 1:3\nStacktrace:\n");
      // Every row of the test-set tables keeps its six cells.
      const tables = html.match(/<table>[\s\S]*?<\/table>/g)!.filter((t) => t.includes("<th>Test set"));
      expect(tables).toHaveLength(2);
      for (const row of tables.join("").match(/<tr>[\s\S]*?<\/tr>/g)!) {
        expect(row.match(/<t[dh][ >]/g)).toHaveLength(6);
      }
    }
  });

  it("shows hostile names and expressions literally in both, and neither mentions, references nor links", async () => {
    const hostile: TestFailure = {
      kind: "failed",
      testset: ["@octocat <b>", "fix #123 & | x"],
      name: "www.evil.example `quoted`",
      file: "test/a|b`c.jl",
      line: 3,
      expression: "a < b && c | d == `cmd` @admins #1 https://evil.example deadbeefcafe",
      evaluated: "``` fence\n</details>",
    };
    const { action, body } = await comment(
      run({
        failures: [hostile, { ...READER_ERROR, message: "@team see #9 <script>x</script> &amp;\n````" }],
        flaky: [],
        suites: { ...run().tests!.suites, [HOSTILE_SET]: { passed: 1, failed: 1 } },
      }),
    );
    expect(action.summary).not.toContain("\u200b");
    // Outside code (where "&amp;" is the data's own text) the job summary holds no entity.
    expect(action.summary.replace(/(`+)[\s\S]*?\1/g, "")).not.toMatch(/&(#\d+|[a-z]+);/i);
    if (noCmark) return;
    for (const md of [body, action.summary]) {
      const html = renderGfm(md);
      const code = codeTexts(html);
      // Shown exactly as the run has it: no entity, no invisible space, no backslash.
      expect(code).toEqual(
        expect.arrayContaining([
          "@octocat <b>/fix #123 & | x",
          "www.evil.example `quoted`",
          "test/a|b`c.jl:3",
          hostile.expression,
          "``` fence\n</details>\n",
          "@team see #9 <script>x</script> &amp;\n````\n",
          HOSTILE_SET,
        ]),
      );
      // A "|" in a test set's name stays in its cell: every row of the test-set tables has six.
      const tables = html.match(/<table>[\s\S]*?<\/table>/g)!.filter((t) => t.includes("<th>Test set"));
      for (const row of tables.join("").match(/<tr>[\s\S]*?<\/tr>/g)!) {
        expect(row.match(/<t[dh][ >]/g)).toHaveLength(6);
      }
      // Outside code and our links, nothing GitHub would turn into a mention, reference or link.
      const text = visibleText(html);
      expect(text).not.toMatch(/@\w|#\d|www\.|:\/\/|deadbeef/);
      expect(text).not.toContain("\u200b");
      for (const target of linkTargets(html)) expect(target.startsWith(`${REPO}/`)).toBe(true);
      // The file's link escapes what a path may hold.
      expect(linkTargets(html)).toContain(`${REPO}/blob/${HEAD}/test/a%7Cb%60c.jl#L3`);
      // Our own HTML is the only HTML: the data's </details> sits in a code block.
      expect(html).not.toContain("<b>");
      expect(decodeHtml(html.replace(/<pre>[\s\S]*?<\/pre>|<code>[\s\S]*?<\/code>/g, ""))).not.toContain(
        "<script>",
      );
      expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length);
    }
  });

  it("stays within 65,536 characters with 50 long failures and a big benchmark table, cutting benchmarks first", async () => {
    const failures: TestFailure[] = Array.from({ length: 50 }, (_, i) => ({
      kind: i % 2 === 0 ? "failed" : "errored",
      testset: ["Example", `group ${i}`, "x".repeat(300)],
      file: `test/${"deep/".repeat(40)}file${i}.jl`,
      line: 1000 + i,
      expression: `check_${i}(${"argument, ".repeat(300)})`,
      evaluated: `check_${i}(${"value, ".repeat(300)})`,
      message: Array.from({ length: 20 }, (_, j) => `line ${j} of the error ${"·".repeat(150)}`).join("\n"),
    }));
    const results = run({ failures, failures_total: 120, flaky: [] });
    const benchmarks: Record<string, BenchmarkResult> = {};
    for (let i = 0; i < 1500; i++) {
      benchmarks[`suite-${i}/${"long-benchmark-name-".repeat(6)}${i}`] = {
        median_ms: i + 1,
        delta_vs_baseline_pct: 1,
      };
    }
    results.benchmarks = { status: "passed", results: benchmarks };
    const { action, body } = await comment(results);
    expect(Array.from(`${body}`).length).toBeLessThanOrEqual(65_536);
    // Every one of the 50 failures is still named, with its linked line.
    for (let i = 0; i < 50; i++) expect(body).toContain(`file${i}.jl#L${1000 + i})`);
    expect(body).toContain("… and 70 more failures: a run keeps only its first 50 in full");
    // The benchmarks gave way, saying so.
    expect(body).toMatch(/… [\d,]+ more benchmarks not shown/);
    // The job summary is the same content (within GitHub's 1 MiB for it).
    expect(action.summary).toContain("… and 70 more failures");
    expect(Buffer.byteLength(action.summary)).toBeLessThan(1024 * 1024);
  });
});

describe("the test report's Markdown", () => {
  it("fences code spans and blocks past any backticks, and escapes | only in tables", () => {
    expect(codeSpan("a`b")).toBe("``a`b``");
    expect(codeSpan("`x`")).toBe("`` `x` ``");
    expect(codeSpan("a | b")).toBe("`a | b`");
    expect(codeSpan("a | b", 200, true)).toBe("`a \\| b`");
    expect(codeSpan("a\nb\u200bc")).toBe("`a b\ufffdc`");
    expect(codeBlock("x\n````\ny", 8, 200, "  ")).toBe("  `````\n  x\n  ````\n  y\n  `````");
    expect(codeBlock("1\n2\n3", 2)).toBe("```\n1\n2\n… 1 more lines\n```");
    // The job summary's rewriting of entities stops at code.
    expect(forJobSummary("&#64;a\u200b `&#64;b` ``&#35;`c`` &#124;")).toBe("\\@a `&#64;b` ``&#35;`c`` \\|");
  });

  it("keeps the exported shapes the check run uses", () => {
    const tests = run().tests!;
    const links = { serverUrl: "https://github.com", repository: "octo-org/octo-repo", commit: HEAD };
    const list = failureList(tests, links);
    expect(list).toContain(`[\`test/io.jl:12\`](${ioLink})`);
    expect(list).toContain(`[\`test/parse/reader.jl:40\`](${readerLink})`);
    expect(testSetTable(tests, baseRun().tests)).toContain(
      "| `Example/io` | 9 (-1) | **1** (+1) | 0 | 0 | 10 |",
    );
    expect(testSetTable(tests)).toContain("| `Example/io` | 9 | **1** | 0 | 0 | 10 |");
    // A run that counted failures but kept none in full still says how many.
    expect(failureList({ status: "failed", failures_total: 3, log_file: "logs/t.log" }, links)).toBe(
      "3 tests failed or errored; the run kept none of them in full: the test log (`logs/t.log` on the cluster) has them all.",
    );
    // Bounded.
    expect(testSetTable(tests, undefined, 300).length).toBeLessThanOrEqual(300);
  });
});
