// Named failures: Julia's Test output as Julia 1.6, 1.8, 1.10 and 1.11 print it (stdlib Test's
// record(::DefaultTestSet, ...), show(::Fail), show(::Error)), JUnit's <failure>/<error>, paths made
// relative to the checkout, the bounds, and flaky tests across attempts of one commit.
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TestFailure, TestsSection } from "../src/contract/types.js";
import { normalizeRun } from "../src/contract/normalize.js";
import { checkDocument } from "../src/contract/validate.js";
import { mergeAttempts } from "../src/results-branch/attempts.js";
import { mergeRuns } from "../src/results-branch/write-run.js";
import {
  SourcePaths,
  dropOutOfRange,
  parseJUnitXml,
  parseJuliaFailures,
  parseJuliaTestSummary,
} from "../src/test-report/index.js";
import { scratchDir } from "./harness/scratch.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "test-report");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const failuresOf = (log: string) => parseJuliaFailures(log, parseJuliaTestSummary(log));
const COMMIT = "a".repeat(40);

const scratch = scratchDir("hpc-ci-failures-");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A checkout named `name` holding `files`. */
function checkout(name: string, files: string[]): string {
  const root = join(scratch, `${Math.random().toString(36).slice(2)}`, name);
  for (const file of files) {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), "");
  }
  return root;
}

describe("parseJuliaFailures", () => {
  it("reads a Julia 1.10 log with nested sets, a failure and an error in different files", () => {
    const { failures, total } = failuresOf(fixture("julia-failures-nested.log"));
    expect(total).toBe(2);
    expect(failures).toEqual([
      {
        kind: "failed",
        testset: ["Mycelia", "unit", "io"],
        file: "/global/homes/u/user/Mycelia/test/io.jl",
        line: 12,
        expression: "length(records) == 3",
        evaluated: "2 == 3",
      },
      {
        kind: "errored",
        testset: ["Mycelia", "unit", "parse", "reader"],
        file: "/global/homes/u/user/Mycelia/test/parse/reader.jl",
        line: 27,
        expression: 'Mycelia.read_fastq("missing.fq")',
        message: 'SystemError: opening file "missing.fq": No such file or directory',
      },
    ]);
  });

  it("reads Julia 1.6's shape: the set's name in colour, no blank line before Stacktrace, CRLF", () => {
    const log = [
      "\x1b[37mparse: \x1b[39m\x1b[91m\x1b[1mTest Failed\x1b[22m\x1b[39m at \x1b[39m\x1b[1m/scratch/ci/Pkg/test/parse.jl:8\x1b[22m",
      '  Expression: parse(Int, "12") == 13',
      "   Evaluated: 12 == 13",
      "Stacktrace:",
      " [1] macro expansion",
      "   @ /opt/julia-1.6.7/share/julia/stdlib/v1.6/Test/src/Test.jl:445 [inlined]",
      "Test Summary: | Pass  Fail  Total",
      "Pkg           |    3     1      4",
      "  parse       |    1     1      2",
      "  io          |    2             2",
    ].join("\r\n");
    expect(failuresOf(log).failures).toEqual([
      {
        kind: "failed",
        testset: ["Pkg", "parse"],
        file: "/scratch/ci/Pkg/test/parse.jl",
        line: 8,
        expression: 'parse(Int, "12") == 13',
        evaluated: "12 == 13",
      },
    ]);
  });

  it("reads Julia 1.8's @test_throws failures: Expected / Thrown, and No exception thrown", () => {
    const log = [
      "errors: Test Failed at /p/Pkg/test/errors.jl:4",
      '  Expression: error("boom")',
      "    Expected: ArgumentError",
      "      Thrown: ErrorException",
      "Stacktrace:",
      " [1] macro expansion",
      "errors: Test Failed at /p/Pkg/test/errors.jl:5",
      "  Expression: 1 + 1",
      "    Expected: DomainError",
      "  No exception thrown",
      "Stacktrace:",
    ].join("\n");
    const { failures } = failuresOf(log);
    expect(failures.map((f) => [f.line, f.expression, f.message])).toEqual([
      [4, 'error("boom")', "Expected: ArgumentError\nThrown: ErrorException"],
      [5, "1 + 1", "Expected: DomainError\nNo exception thrown"],
    ]);
    // No table follows: the printed name is all there is.
    expect(failures[0]!.testset).toEqual(["errors"]);
  });

  it("reads Julia 1.11's shapes: Context, errors outside a @test, Unexpected Pass, non-Boolean, the RNG line", () => {
    const log = [
      "loop: Test Failed at /p/Pkg/test/loop.jl:9",
      "  Expression: x < 3",
      "   Evaluated: 3 < 3",
      "     Context: x = 3",
      "",
      "Stacktrace:",
      " [1] macro expansion",
      "setup: Error During Test at /p/Pkg/test/setup.jl:2",
      "  Got exception outside of a @test",
      "  MethodError: no method matching f(::Int64)",
      "  ",
      "  Closest candidates are:",
      "    f(::String)",
      "  Stacktrace:",
      "   [1] top-level scope",
      "broken: Error During Test at /p/Pkg/test/broken.jl:6",
      " Unexpected Pass",
      " Expression: 1 == 1",
      " Got correct result, please change to @test if no longer broken.",
      "",
      "nonbool: Error During Test at /p/Pkg/test/nonbool.jl:3",
      "  Expression evaluated to non-Boolean",
      "  Expression: 1",
      "       Value: 1",
      "Test Summary: | Pass  Fail  Error  Total  Time",
      "Pkg           |    1     1      3      5  0.2s",
      "  loop        |    1     1             2  0.0s",
      "  setup       |                 1      1  0.1s",
      "  broken      |                 1      1  0.0s",
      "  nonbool     |                 1      1  0.0s",
      "RNG of the outermost testset: Random.Xoshiro(0x1, 0x2, 0x3, 0x4, 0x5)",
    ].join("\n");
    const { failures, total } = failuresOf(log);
    expect(total).toBe(4);
    expect(failures[0]).toMatchObject({
      kind: "failed",
      testset: ["Pkg", "loop"],
      message: "Context: x = 3",
    });
    expect(failures[1]).toEqual({
      kind: "errored",
      testset: ["Pkg", "setup"],
      file: "/p/Pkg/test/setup.jl",
      line: 2,
      message:
        "Got exception outside of a @test\nMethodError: no method matching f(::Int64)\n\nClosest candidates are:\n  f(::String)",
    });
    expect(failures[2]).toMatchObject({
      kind: "errored",
      expression: "1 == 1",
      message: "Unexpected Pass\nGot correct result, please change to @test if no longer broken.",
    });
    expect(failures[3]).toMatchObject({
      expression: "1",
      message: "Expression evaluated to non-Boolean\nValue: 1",
    });
  });

  it("reads failures outside any test set, after 'Error in testset', and multi-line expressions", () => {
    const log = [
      "Test Failed at /p/Pkg/test/runtests.jl:3",
      "  Expression: false",
      "ERROR: LoadError: There was an error during testing",
      "Error in testset custom:",
      "Test Failed at /p/Pkg/test/custom.jl:7",
      "  Expression: begin",
      "    x = 1",
      "    x == 2",
      "end",
      "",
    ].join("\n");
    const { failures } = failuresOf(log);
    expect(failures[0]).toEqual({
      kind: "failed",
      file: "/p/Pkg/test/runtests.jl",
      line: 3,
      expression: "false",
    });
    expect(failures[1]).toMatchObject({
      testset: ["custom"],
      expression: "begin\n    x = 1\n    x == 2\nend",
    });
    expect(failures[1]!.message).toBeUndefined();
  });

  it("tells apart sets of the same name by which one failed; keeps the name when that leaves two", () => {
    const table = (ioA: string, ioB: string) => [
      "Test Summary: | Pass  Fail  Total",
      "Pkg           |    4     1      5",
      `  a           |    2  ${ioA}      3`,
      `    io        |    1  ${ioA}      2`,
      `  b           |    2  ${ioB}      2`,
      `    io        |    1  ${ioB}      1`,
    ];
    const header = ["io: Test Failed at /p/Pkg/test/io.jl:1", "  Expression: false"];
    expect(failuresOf([...header, ...table("   1", "    ")].join("\n")).failures[0]!.testset).toEqual([
      "Pkg",
      "a",
      "io",
    ]);
    expect(failuresOf([...header, ...table("   1", "   1")].join("\n")).failures[0]!.testset).toEqual(["io"]);
  });

  it("reads a failure a Distributed worker printed, every line behind the worker's prefix", () => {
    const w = "      From worker 2:\t";
    const log = [
      `${w}io: Test Failed at /p/Pkg/test/io.jl:4`,
      `${w}  Expression: f() == 1`,
      `${w}   Evaluated: 2 == 1`,
      `${w}`,
      `${w}Stacktrace:`,
      "next: Test Failed at /p/Pkg/test/next.jl:1",
    ].join("\n");
    const { failures } = failuresOf(log);
    expect(failures[0]).toEqual({
      kind: "failed",
      testset: ["io"],
      file: "/p/Pkg/test/io.jl",
      line: 4,
      expression: "f() == 1",
      evaluated: "2 == 1",
    });
    expect(failures[1]).toMatchObject({ testset: ["next"], line: 1 });
  });

  it("reads @test_logs' and JET's failures, which print alike", () => {
    const log = [
      "logs: Log Test Failed at /p/Pkg/test/logs.jl:3",
      '  Expression: @test_logs (:info, "a") f()',
      '  Log Pattern: (:info, "a")',
      "  Captured Logs: ",
      "jet: JET-test failed at /p/Pkg/test/jet.jl:9",
      "  Expression: #= /p/Pkg/test/jet.jl:9 =# @test_call g(1)",
      "  ═════ 1 possible error found ═════",
    ].join("\n");
    expect(failuresOf(log).failures.map((f) => [f.kind, f.testset, f.line, f.message])).toEqual([
      ["failed", ["logs"], 3, 'Log Pattern: (:info, "a")\nCaptured Logs:'],
      ["failed", ["jet"], 9, "═════ 1 possible error found ═════"],
    ]);
  });

  it("keeps the first 50 failures in full and counts them all", () => {
    const blocks = Array.from({ length: 60 }, (_, i) =>
      [
        `set: Test Failed at /p/Pkg/test/t.jl:${i + 1}`,
        `  Expression: f(${i}) == 0`,
        `   Evaluated: ${i} == 0`,
        "",
      ].join("\n"),
    );
    const { failures, total } = failuresOf(blocks.join("\n"));
    expect(total).toBe(60);
    expect(failures).toHaveLength(50);
    expect(failures[49]).toMatchObject({ line: 50, expression: "f(49) == 0" });
  });

  it("bounds an error message to 10 lines and 1000 characters, and stops at its stack trace", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `  line ${i} ${"x".repeat(i === 2 ? 2000 : 5)}`);
    const log = [
      "s: Error During Test at /p/t.jl:1",
      "  Test threw exception",
      "  Expression: g()",
      ...lines,
    ].join("\n");
    const message = failuresOf(log).failures[0]!.message!;
    expect(message.split("\n").length).toBeLessThanOrEqual(11);
    expect(Array.from(message).length).toBeLessThanOrEqual(1000);
    const traced = failuresOf(
      ["s: Error During Test at /p/t.jl:1", "  Expression: g()", "  E", "  Stacktrace:", "   [1] g()"].join(
        "\n",
      ),
    );
    expect(traced.failures[0]!.message).toBe("E");
  });

  it("is not fooled by lines that only mention a failure", () => {
    const log = ["The words Test Failed at /x.jl:1 inside a sentence", "x: Test Failed at nowhere"].join(
      "\n",
    );
    expect(failuresOf(log).total).toBe(0);
  });
});

describe("SourcePaths", () => {
  it("maps a cluster path onto a checkout mounted elsewhere, by the longest suffix that is a file", () => {
    const root = checkout("Mycelia", ["test/io.jl", "test/parse/reader.jl", "src/Test.jl", "runtests.jl"]);
    const paths = new SourcePaths(root, { home: "/global/homes/u/user" });
    expect(paths.relative("/global/homes/u/user/Mycelia/test/io.jl")).toBe("test/io.jl");
    expect(paths.relative("/global/homes/u/user/Mycelia/test/parse/reader.jl")).toBe("test/parse/reader.jl");
    expect(paths.relative("~/Mycelia/test/parse/reader.jl")).toBe("test/parse/reader.jl");
    // One segment only maps under a folder of the checkout's own name.
    expect(paths.relative("/elsewhere/Mycelia/runtests.jl")).toBe("runtests.jl");
    expect(paths.relative("/elsewhere/Other/runtests.jl")).toBeUndefined();
    // Julia's own files never map, even when the repository has a file of the same name.
    expect(paths.relative("/usr/share/julia/stdlib/v1.10/Test/src/Test.jl")).toBeUndefined();
    expect(paths.relative("/home/u/.julia/packages/Foo/abc/src/Test.jl")).toBeUndefined();
    expect(paths.relative("none")).toBeUndefined();
    expect(paths.relative("/p/Mycelia/test/missing.jl")).toBeUndefined();
  });

  it("strips the checkout's own prefix, through a symbolic link too, and never yields '..'", () => {
    const root = checkout("Pkg", ["test/a.jl"]);
    const link = join(scratch, `link-${Date.now()}`);
    symlinkSync(root, link);
    const paths = new SourcePaths(link);
    expect(paths.relative(`${link}/test/a.jl`)).toBe("test/a.jl");
    expect(new SourcePaths(root).relative(`${link}/test/a.jl`)).toBe("test/a.jl");
    expect(paths.relative(`${root}/test/new.jl`)).toBe("test/new.jl");
    expect(paths.relative("./test/a.jl")).toBe("test/a.jl");
    expect(paths.relative("../../Pkg/test/a.jl")).toBe("test/a.jl");
    expect(paths.relative(`${root}/../etc/passwd`)).toBeUndefined();
    expect(paths.relative("../../etc/passwd")).toBeUndefined();
  });

  it("moves a path outside the repository into the message", () => {
    const paths = new SourcePaths(checkout("Pkg", ["test/a.jl"]));
    const f: TestFailure = {
      kind: "errored",
      file: "/usr/share/julia/stdlib/v1.10/Test/src/Test.jl",
      line: 669,
      message: "E",
    };
    expect(paths.mapFailure(f)).toEqual({
      kind: "errored",
      message: "at /usr/share/julia/stdlib/v1.10/Test/src/Test.jl:669\nE",
    });
  });
});

describe("JUnit failures", () => {
  it("names each failed or errored testcase with its suite path and message", () => {
    const report = parseJUnitXml(fixture("junit-testreports.xml"));
    expect(report.failures.total).toBe(2);
    expect(report.failures.failures).toEqual([
      {
        kind: "failed",
        testset: ["Mycelia/unit"],
        name: "length(records) == 3",
        message: "Test Failed\nExpression: length(records) == 3\n Evaluated: 2 == 3 & more <details>",
      },
      {
        kind: "errored",
        testset: ["Mycelia/integration"],
        name: "download",
        message:
          'ConnectError\nHTTP.Exceptions.ConnectError("https://ftp.ncbi.nlm.nih.gov", "timeout") <not a tag>',
      },
    ]);
  });

  it("takes file and line from attributes, or from Julia's own text, and keeps 50 of 60", () => {
    const cases = Array.from(
      { length: 58 },
      (_, i) =>
        `<testcase name="t${i}" file="test/t.jl" line="${i + 1}"><failure message="m${i}"/></testcase>`,
    ).join("");
    const xml = `<testsuites><testsuite name="outer"><testsuite name="inner">
      <testcase name="julia"><failure>Test Failed at /p/Pkg/test/io.jl:12
  Expression: x == 1</failure></testcase>
      <testcase name="both"><failure message="f"/><error message="e">boom</error></testcase>
      ${cases}</testsuite></testsuite></testsuites>`;
    const { failures, total } = parseJUnitXml(xml).failures;
    expect(total).toBe(60);
    expect(failures).toHaveLength(50);
    expect(failures[0]).toMatchObject({ testset: ["outer", "inner"], file: "/p/Pkg/test/io.jl", line: 12 });
    expect(failures[1]).toEqual({ kind: "errored", testset: ["outer", "inner"], name: "both", message: "f" });
    expect(failures[2]).toMatchObject({ name: "t0", file: "test/t.jl", line: 1, message: "m0" });
  });
});

describe("out-of-range numbers", () => {
  it("drops a JUnit time of 1e20 and counts summed past 2^53, with a warning, so the run stays valid", () => {
    const suites = Array.from(
      { length: 10 },
      (_, i) => `<testsuite name="s${i}" tests="999999999999999" time="1"/>`,
    );
    const report = parseJUnitXml(
      `<testsuites><testsuite name="slow" tests="1" time="1e20"/>${suites.join("")}</testsuites>`,
    );
    const warnings = dropOutOfRange(report);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^test set "slow": duration_seconds \d{20} is out of range \(0 to 315576000\); left out$/,
      ),
      expect.stringMatching(/^the totals: passed \d+ is out of range \(0 to 9007199254740991\); left out$/),
      expect.stringMatching(/^the totals: total \d+ is out of range/),
      expect.stringMatching(/^the totals: duration_seconds \d+ is out of range/),
    ]);
    expect(report.suites["slow"]!.duration_seconds).toBeUndefined();
    const tests: TestsSection = { status: "passed", suites: report.suites, totals: report.totals };
    const results = { schema_version: 1, commit: COMMIT, tests };
    expect(checkDocument("hpc-results", results, "hpc-results.json")).toEqual([]);
  });
});

describe("out-of-range numbers from a Julia log", () => {
  it("drops a Time cell past ten years from the table's suites and totals", () => {
    const report = parseJuliaTestSummary(
      ["Test Summary: | Pass  Total            Time", "Pkg           |    1      1  99999999m00.0s"].join(
        "\n",
      ),
    );
    expect(report.suites["Pkg"]!.duration_seconds).toBe(5999999940);
    expect(dropOutOfRange(report)).toHaveLength(2);
    expect(report.suites["Pkg"]).toEqual({ passed: 1, failed: 0, errored: 0, broken: 0, total: 1 });
  });
});

describe("attempts and flaky tests", () => {
  const io: TestFailure = { kind: "failed", testset: ["Pkg", "io"], file: "test/io.jl", line: 12 };
  const reader: TestFailure = {
    kind: "errored",
    testset: ["Pkg", "reader"],
    file: "test/parse/reader.jl",
    line: 27,
  };
  const noPlace: TestFailure = { kind: "failed", testset: ["Pkg", "net"], expression: "ping()" };
  const run = (at: string, tests: TestsSection) => ({
    schema_version: 1 as const,
    commit: COMMIT,
    generated_at: at,
    tests,
  });
  const failed = (failures: TestFailure[], total = failures.length): TestsSection => ({
    status: "failed",
    failures,
    failures_total: total,
  });

  it("marks a new failure flaky, lists the old one that passed, and counts the attempts", () => {
    const first = run("2026-01-01T00:00:00Z", failed([io, reader]));
    const second = run("2026-01-01T01:00:00Z", failed([io, noPlace]));
    const merged = mergeRuns(first, second).tests!;
    expect(merged.attempts).toBe(2);
    expect(merged.failures).toEqual([io, { ...noPlace, flaky: true }]);
    expect(merged.flaky).toEqual([{ ...reader, flaky: true }]);
    // A third attempt that passes: everything that ever failed is flaky now.
    const third = mergeRuns(
      run("2026-01-01T01:00:00Z", merged),
      run("2026-01-01T02:00:00Z", { status: "passed", failures_total: 0 }),
    ).tests!;
    expect(third.attempts).toBe(3);
    expect(third.flaky?.map((f) => f.line ?? f.expression)).toEqual([12, "ping()", 27]);
    expect(checkDocument("hpc-results", run("2026-01-01T02:00:00Z", third), "x")).toEqual([]);
  });

  it("claims nothing from an incomplete list, and does not count the same document twice", () => {
    const first = run("2026-01-01T00:00:00Z", failed([io], 70));
    const second = run("2026-01-01T01:00:00Z", failed([reader], 1));
    const merged = mergeRuns(first, second).tests!;
    expect(merged.failures).toEqual([reader]);
    expect(merged.flaky).toEqual([{ ...io, flaky: true }]);
    expect(mergeRuns(second, second).tests).toEqual(second.tests);
    // Two short runs finishing within the same second are still two attempts.
    const sameSecond = run("2026-01-01T01:00:00Z", failed([io], 1));
    expect(mergeRuns(second, sameSecond).tests?.attempts).toBe(2);
    // A previous run whose tests did not run is no attempt.
    const skipped = run("2026-01-01T00:00:00Z", { status: "skipped" });
    expect(mergeRuns(skipped, second).tests).toEqual(second.tests);
    // A passing previous run: every failure now is flaky.
    expect(mergeAttempts({ status: "passed" }, failed([io])).failures).toEqual([{ ...io, flaky: true }]);
  });
});

describe("the failure lists when a run is read back", () => {
  it("come from <sha>/tests.json when hpc-results.json has no tests section", () => {
    const failure: TestFailure = { kind: "failed", testset: ["Pkg"], file: "test/a.jl", line: 3 };
    const summary = {
      commit: COMMIT,
      status: "failed" as const,
      failures: [failure],
      failures_total: 4,
      attempts: 2,
      flaky: [],
    };
    expect(normalizeRun(COMMIT, { testsSummary: summary }, [])?.tests).toMatchObject({
      status: "failed",
      failures: [failure],
      failures_total: 4,
      attempts: 2,
    });
  });
});
