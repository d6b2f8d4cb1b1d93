// Test reports: Julia's Test Summary tables (fixtures written in the layout of stdlib Test's
// print_test_results/print_counts for Julia 1.6, 1.10 and 1.11) and JUnit XML.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  JUnitError,
  durationSeconds,
  parseJUnitXml,
  parseJuliaTestSummary,
  readJUnitXml,
  scanXml,
  stripAnsi,
  testStatus,
} from "../src/test-report/index.js";
import { checkDocument } from "../src/contract/validate.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "test-report");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

describe("parseJuliaTestSummary", () => {
  it("reads a failing Julia 1.10 table with colours, nesting, every kind and a name containing ' | '", () => {
    const report = parseJuliaTestSummary(fixture("julia-1.10-failures.log"));
    expect(report.tables).toBe(1);
    expect(Object.keys(report.suites)).toEqual([
      "Mycelia",
      "Mycelia/unit",
      "Mycelia/unit/io",
      "Mycelia/unit/parsing | fasta",
      "Mycelia/integration",
      "Mycelia/integration/download",
      "Mycelia/integration/assembly",
      "Mycelia/aqua",
    ]);
    expect(report.suites["Mycelia"]).toEqual({
      passed: 48,
      failed: 1,
      errored: 1,
      broken: 2,
      total: 52,
      duration_seconds: 62.3,
    });
    expect(report.suites["Mycelia/unit/io"]).toEqual({
      passed: 9,
      failed: 1,
      errored: 0,
      broken: 0,
      total: 10,
      duration_seconds: 0.3,
    });
    expect(report.suites["Mycelia/integration/download"]).toMatchObject({ passed: 0, errored: 1, total: 1 });
    expect(report.suites["Mycelia/integration/assembly"]).toMatchObject({ passed: 10, broken: 2, total: 12 });
    expect(report.suites["Mycelia/unit/parsing | fasta"]).toMatchObject({ passed: 21, total: 21 });
    // Only the top-level row counts towards the totals: its counts already include its children's.
    expect(report.totals).toEqual(report.suites["Mycelia"]);
  });

  it("reads several tables, sums repeated names, and follows verbose children and wide characters", () => {
    const report = parseJuliaTestSummary(fixture("julia-1.10-several-tables.log"));
    expect(report.tables).toBe(6);
    expect(report.suites).toEqual({
      "Aqua.jl": { passed: 11, failed: 0, errored: 0, broken: 0, total: 11, duration_seconds: 12.5 },
      "kmer counting": { passed: 128, failed: 0, errored: 0, broken: 1, total: 129, duration_seconds: 7.9 },
      assembly: { passed: 280, failed: 0, errored: 0, broken: 0, total: 280, duration_seconds: 125 },
      "assembly/short reads": {
        passed: 120,
        failed: 0,
        errored: 0,
        broken: 0,
        total: 120,
        duration_seconds: 60.2,
      },
      "assembly/long reads": {
        passed: 160,
        failed: 0,
        errored: 0,
        broken: 0,
        total: 160,
        duration_seconds: 64.8,
      },
      "assembly/long reads/ont": {
        passed: 40,
        failed: 0,
        errored: 0,
        broken: 0,
        total: 40,
        duration_seconds: 30.1,
      },
      "assembly/long reads/hifi": {
        passed: 40,
        failed: 0,
        errored: 0,
        broken: 0,
        total: 40,
        duration_seconds: 34.7,
      },
      smoke: { passed: 5, failed: 0, errored: 0, broken: 0, total: 5, duration_seconds: 0.3 },
      "séquences 测试": { passed: 10, failed: 0, errored: 0, broken: 0, total: 10, duration_seconds: 0.4 },
      "séquences 测试/读取": { passed: 5, failed: 0, errored: 0, broken: 0, total: 5, duration_seconds: 0.3 },
    });
    expect(report.totals).toEqual({
      passed: 11 + 128 + 280 + 5 + 10,
      failed: 0,
      errored: 0,
      broken: 1,
      total: 11 + 129 + 280 + 5 + 10,
      duration_seconds: 146.1,
    });
  });

  it("reads Julia 1.6 tables (no Time column, 'No tests') with CRLF line ends", () => {
    const text = fixture("julia-1.6-crlf.log");
    expect(text).toContain("\r\n");
    const report = parseJuliaTestSummary(text);
    expect(report.suites).toEqual({
      Example: { passed: 17, failed: 2, errored: 0, broken: 0, total: 19 },
      "Example/empty placeholder": { passed: 0, failed: 0, errored: 0, broken: 0, total: 0 },
      "Example/solver": { passed: 5, failed: 2, errored: 0, broken: 0, total: 7 },
      "Example/utils": { passed: 12, failed: 0, errored: 0, broken: 0, total: 12 },
    });
    expect(report.totals.total).toBe(19);
  });

  it("reads Julia 1.11 tables: '0' totals, custom testsets shown as x / ? / ?s, then the RNG line", () => {
    const report = parseJuliaTestSummary(fixture("julia-1.11-rng.log"));
    expect(report.suites).toEqual({
      Mycelia: { passed: 7, failed: 1, errored: 0, broken: 0, total: 8, duration_seconds: 3.4 },
      "Mycelia/unit": { passed: 7, failed: 1, errored: 0, broken: 0, total: 8, duration_seconds: 1.2 },
      "Mycelia/placeholder": { passed: 0, failed: 0, errored: 0, broken: 0, total: 0, duration_seconds: 0 },
      // A custom AbstractTestSet that does not implement get_test_counts: Julia cannot say.
      "Mycelia/external": { errored: 0, broken: 0 },
    });
  });

  it("reads a table of a test set with no results at all (Julia 1.8-1.10: no Total header)", () => {
    const log = ["Test Summary: |Time", "nothing yet   | None  0.0s", ""].join("\n");
    expect(parseJuliaTestSummary(log).suites).toEqual({
      "nothing yet": { passed: 0, failed: 0, errored: 0, broken: 0, total: 0, duration_seconds: 0 },
    });
    const old = ["Test Summary: |", "nothing yet   | No tests"].join("\n");
    expect(parseJuliaTestSummary(old).totals).toEqual({
      passed: 0,
      failed: 0,
      errored: 0,
      broken: 0,
      total: 0,
    });
  });

  it("reads the examples of Julia's own @testset docstring", () => {
    const v16 = "Test Summary:            | Pass  Total\ntrigonometric identities |    4      4\n";
    const v110 =
      "Test Summary:            | Pass  Total  Time\ntrigonometric identities |    4      4  0.2s\n";
    expect(parseJuliaTestSummary(v16).totals).toEqual({
      passed: 4,
      failed: 0,
      errored: 0,
      broken: 0,
      total: 4,
    });
    expect(parseJuliaTestSummary(v110).totals).toMatchObject({ passed: 4, total: 4, duration_seconds: 0.2 });
  });

  it("keeps a prefix that every line of the table carries (distributed workers, timestamps)", () => {
    const log = [
      "      From worker 2:\tTest Summary: | Pass  Total  Time",
      "      From worker 2:\tworker tests  |    3      3  0.5s",
      "      From worker 3:\tsomething else | 1",
    ].join("\n");
    expect(parseJuliaTestSummary(log).suites).toEqual({
      "worker tests": { passed: 3, failed: 0, errored: 0, broken: 0, total: 3, duration_seconds: 0.5 },
    });

    const stamped = [
      "2026-01-17T12:00:00.0981Z Test Summary: | Pass  Total",
      "2026-01-17T12:00:00.1013Z stamped       |    2      2",
      "2026-01-17T12:00:01.1013Z   child       |    2      2",
      "2026-01-17T12:00:01Z      not a row     |    2      2",
    ].join("\n");
    expect(Object.keys(parseJuliaTestSummary(stamped).suites)).toEqual(["stamped", "stamped/child"]);
  });

  it("returns empty suites and totals, and tables 0, for a log without a table", () => {
    expect(parseJuliaTestSummary("     Testing Running tests...\nERROR: LoadError: syntax\n")).toEqual({
      suites: {},
      totals: {},
      tables: 0,
      rows: [],
    });
    expect(parseJuliaTestSummary("")).toEqual({ suites: {}, totals: {}, tables: 0, rows: [] });
  });

  it("ends a table at the first line that is not a row of it", () => {
    const log = [
      "Test Summary: | Pass  Total  Time",
      "first         |    3      3  0.5s",
      "",
      "second        |    4      4  0.5s",
    ].join("\n");
    expect(Object.keys(parseJuliaTestSummary(log).suites)).toEqual(["first"]);
    // A misaligned number, a word or a row narrower than the name column are not rows.
    for (const bad of [
      "second        |   4      4  0.5s",
      "second        |    4  four  0.5s",
      "second |    4      4  0.5s",
      "second        |    4      4  0.5s  extra",
    ]) {
      const t = parseJuliaTestSummary(["Test Summary: | Pass  Total  Time", bad].join("\n"));
      expect(t.suites, bad).toEqual({});
    }
  });

  it("does not let hostile names or numbers reach a prototype or the output", () => {
    const log = [
      "Test Summary: | Pass  Total",
      "__proto__     |    1      1",
      "Test Summary: | Pass  Total",
      "constructor   |    2      2",
      "Test Summary: | Pass  Total",
      "toString      |    3      3",
      "  __proto__   |    3      3",
      "Test Summary:   |             Pass               Total",
      "too big         | 9999999999999999999  9999999999999999999",
    ].join("\n");
    const report = parseJuliaTestSummary(log);
    expect(Object.keys(report.suites)).toEqual([
      "(__proto__)",
      "constructor",
      "toString",
      "toString/__proto__",
    ]);
    expect(Object.getPrototypeOf(report.suites)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).passed).toBeUndefined();
    expect(report.totals).toMatchObject({ passed: 6, total: 6 });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("gives a name to an empty test set name and caps long paths at the schema's 512 characters", () => {
    const long = "x".repeat(600);
    const log = [`Test Summary:${" ".repeat(600 - 13)} | Pass  Total`, `${long} |    1      1`, ""].join(
      "\n",
    );
    const emptyName = ["Test Summary: | Pass  Total", "              |    1      1"].join("\n");
    const [key] = Object.keys(parseJuliaTestSummary(log).suites);
    expect(key).toHaveLength(512);
    expect(Object.keys(parseJuliaTestSummary(emptyName).suites)).toEqual(["(unnamed)"]);
    const summary = {
      commit: "a".repeat(40),
      status: "passed",
      suites: parseJuliaTestSummary(log + "\n" + emptyName).suites,
    };
    expect(checkDocument("tests-summary", summary, "summary.json")).toEqual([]);
  });

  it("parses Julia's durations", () => {
    expect(durationSeconds("0.3s")).toBe(0.3);
    expect(durationSeconds("1m02.3s")).toBe(62.3);
    expect(durationSeconds("125m00.0s")).toBe(7500);
    expect(durationSeconds("?s")).toBeUndefined();
    expect(durationSeconds("-1s")).toBeUndefined();
  });

  it("strips colour and hyperlink escapes", () => {
    expect(stripAnsi("\x1b[1m\x1b[32mok\x1b[39m\x1b[22m \x1b]8;;file:///x\x07link\x1b]8;;\x07")).toBe(
      "ok link",
    );
  });

  it("stays fast on a large log full of unterminated escapes and near-rows", () => {
    const noise = "\x1b]8;;" + "x".repeat(50) + " | 1  2\n";
    const log = "Test Summary: | Pass  Total\n" + noise.repeat(100_000);
    const started = performance.now();
    expect(parseJuliaTestSummary(log).tables).toBe(1);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe("parseJUnitXml", () => {
  it("counts the testcases of a TestReports.jl-style report, entities and CDATA included", () => {
    const report = parseJUnitXml(fixture("junit-testreports.xml"), "report.xml");
    expect(report.suites).toEqual({
      "Mycelia/unit": { passed: 3, failed: 1, errored: 0, skipped: 1, total: 5, duration_seconds: 4.1 },
      "Mycelia/integration": {
        passed: 2,
        failed: 0,
        errored: 1,
        skipped: 0,
        total: 3,
        duration_seconds: 8.6,
      },
      Aqua: { passed: 1, failed: 0, errored: 0, skipped: 0, total: 1, duration_seconds: 0.05 },
    });
    expect(report.totals).toEqual({
      passed: 6,
      failed: 1,
      errored: 1,
      skipped: 1,
      total: 9,
      duration_seconds: 12.75,
    });
  });

  it("joins nested testsuites with '/', includes children in parents, and reads attribute-only suites", () => {
    const report = parseJUnitXml(fixture("junit-nested.xml"));
    expect(report.suites).toEqual({
      root: { passed: 6, failed: 3, errored: 2, skipped: 3, total: 14 },
      "root/a": { passed: 1, failed: 1, errored: 1, skipped: 0, total: 3 },
      "root/a/deep": { passed: 0, failed: 0, errored: 1, skipped: 0, total: 1 },
      "root/summary-only": { passed: 4, failed: 2, errored: 1, skipped: 3, total: 10, duration_seconds: 1.5 },
    });
    expect(report.totals).toEqual(report.suites.root);
  });

  it("accepts a single <testsuite> root, namespaces and a BOM", () => {
    const xml = '\ufeff<j:testsuite xmlns:j="urn:x" name="only"><j:testcase name="a"/></j:testsuite>';
    expect(parseJUnitXml(xml).suites).toEqual({
      only: { passed: 1, failed: 0, errored: 0, skipped: 0, total: 1 },
    });
  });

  it("refuses a DOCTYPE, unknown entities and malformed XML, naming the file and line", () => {
    const laughs =
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n<testsuites/>';
    expect(() => parseJUnitXml(laughs, "bomb.xml")).toThrow(
      /^bomb\.xml: not well-formed XML \(line 2: a DOCTYPE/,
    );
    const cases: Array<[string, RegExp]> = [
      ['<testsuites><testsuite name="&lol;"/></testsuites>', /unknown entity &lol;/],
      ['<testsuites><testsuite name="&#0;"/></testsuites>', /not a valid character/],
      ['<testsuites><testsuite name="a & b"/></testsuites>', /"&" that starts no reference/],
      ["<testsuites><testsuite></testsuites>", /<\/testsuites> closes <testsuite>/],
      ["<testsuites>\n<testsuite>", /line 2: <testsuite> is not closed/],
      ['<testsuites a="1" a="2"/>', /attribute a appears twice/],
      ["<testsuites/><testsuites/>", /more than one root element/],
      ["<!-- only a comment -->", /no element found/],
      ['<testsuites name="<x>"/>', /"<" in the value/],
    ];
    for (const [xml, message] of cases) {
      expect(() => parseJUnitXml(xml, "r.xml"), xml).toThrow(message);
      expect(() => parseJUnitXml(xml, "r.xml"), xml).toThrow(JUnitError);
    }
    expect(() => parseJUnitXml("<html><body/></html>", "page.xml")).toThrow(
      "page.xml: not a JUnit report: the root element is <html>, not <testsuites> or <testsuite>",
    );
  });

  it("refuses nesting deeper than the limit without exhausting the stack", () => {
    const deep =
      "<testsuites>" + "<testsuite>".repeat(10_000) + "</testsuite>".repeat(10_000) + "</testsuites>";
    expect(() => parseJUnitXml(deep)).toThrow(/nested deeper than 256 levels/);
  });

  it("keeps __proto__ and huge attribute values out of the result", () => {
    const xml =
      '<testsuites><testsuite name="__proto__"><testcase name="a"/></testsuite>' +
      '<testsuite name="big" tests="99999999999999999999" failures="NaN"/></testsuites>';
    const report = parseJUnitXml(xml);
    expect(Object.keys(report.suites)).toEqual(["(__proto__)", "big"]);
    expect(report.suites.big).toEqual({});
    expect(({} as Record<string, unknown>).passed).toBeUndefined();
  });

  it("reads a report from disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hpcci-junit-"));
    try {
      const path = join(dir, "r.xml");
      writeFileSync(path, fixture("junit-nested.xml"));
      expect((await readJUnitXml(path, "r.xml")).totals.total).toBe(14);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("decodes references in attributes through the tokenizer", () => {
    const seen: string[] = [];
    scanXml(`<a v="&lt;&gt;&amp;&quot;&apos;&#65;&#x1F600;"/>`, {
      open: (_name, attributes) => seen.push(attributes.get("v") ?? ""),
      close: () => {},
    });
    expect(seen).toEqual([`<>&"'A😀`]);
  });
});

describe("testStatus", () => {
  it("passes only with exit code 0 and no failures or errors", () => {
    expect(testStatus(0, { passed: 10, broken: 2, total: 12 })).toEqual({ status: "passed" });
    expect(testStatus(0)).toEqual({ status: "passed" });
  });

  it("fails on failures even when the process exited 0, saying so", () => {
    expect(testStatus(0, { passed: 9, failed: 1, errored: 0 })).toEqual({
      status: "failed",
      reason: "1 failed, 0 errored (the test process exited with code 0)",
    });
  });

  it("fails on a non-zero exit code even when every counted test passed", () => {
    expect(testStatus(1, { passed: 10, failed: 0, errored: 0, total: 10 })).toEqual({
      status: "failed",
      reason:
        "the tests exited with code 1, although no test failed or errored: an error outside the tests, or a crash",
    });
    expect(testStatus(1, { passed: 3, failed: 1, errored: 2 })).toEqual({
      status: "failed",
      reason: "the tests exited with code 1, 1 failed, 2 errored",
    });
    expect(testStatus(null, { passed: 3 })).toEqual({
      status: "failed",
      reason: "the test process was killed before it exited",
    });
  });
});
