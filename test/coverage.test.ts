import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "./harness/random.js";
import {
  cleanCoverageFiles,
  formatLcovSummary,
  formatRate,
  LcovReader,
  parseJuliaCov,
  parseLcov,
  readJuliaCoverage,
  readLcovFile,
  summarize,
  summarizeLcov,
  summarizeLcovFile,
  toLcov,
  type FileCoverage,
  type LcovSummary,
} from "../src/coverage/index.js";
import { LineCounts } from "../src/coverage/line-counts.js";
import { missingCommands } from "./harness/system.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "coverage");
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "coverage-test-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A fresh copy of the fixture package (tests delete and add files). */
async function copyPackage(name: string): Promise<string> {
  const root = join(work, name);
  await cp(join(FIXTURES, "pkg"), root, { recursive: true });
  return root;
}

function lines(entries: Record<number, number>): Map<number, number> {
  return new Map(Object.entries(entries).map(([line, count]) => [Number(line), count]));
}

function asObject(file: FileCoverage | undefined): Record<number, number> {
  return Object.fromEntries(file?.lines ?? []);
}

// Julia writes "%9d " or "        - " before each source line (src/coverage.cpp).
function covLine(count: number | null, source: string): string {
  return `${count === null ? "        -" : String(count).padStart(9)} ${source}\n`;
}

describe("Julia .cov reader", () => {
  it("sums the files of several processes, keeps '-' lines out, maps SF paths relative to the root", async () => {
    const root = await copyPackage("read");
    const { files, warnings } = await readJuliaCoverage(root);
    expect(files.map((f) => f.path)).toEqual([
      "ext/FooExt.jl",
      "src/Empty.jl",
      "src/Foo.jl",
      "src/sub/Bar.jl",
    ]);
    const byPath = new Map(files.map((f) => [f.path, f]));
    // Line 7 is code only in pid 2222 (count 0), line 9 only in pid 1111: both count as code.
    expect(asObject(byPath.get("src/Foo.jl"))).toEqual({ 4: 4, 5: 4, 6: 4, 7: 0, 9: 2 });
    // A count of 10 digits is wider than the 9 columns.
    expect(asObject(byPath.get("src/sub/Bar.jl"))).toEqual({ 4: 1234567890, 5: 0 });
    expect(asObject(byPath.get("ext/FooExt.jl"))).toEqual({ 3: 0 });
    expect(byPath.get("src/Empty.jl")?.lines.size).toBe(0);
    // test/ is not searched by default; src/reads.cov is not Julia's; Gone.jl's source is gone.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /stale coverage file\(s\) ignored: src\/Gone\.jl\.4444\.cov .*src\/Gone\.jl no longer exists/,
    );
    const summary = summarize(files);
    expect([summary.totalLines, summary.coveredLines, summary.percent]).toEqual([8, 5, 62.5]);
  });

  it("searches only the folders given, and says when one is missing", async () => {
    const root = await copyPackage("dirs");
    const { files, warnings } = await readJuliaCoverage(root, ["test", "nope"]);
    expect(files.map((f) => f.path)).toEqual(["test/runtests.jl"]);
    expect(warnings).toEqual([expect.stringMatching(/cannot search .*nope: no such file/)]);
    // Overlapping folders do not count a file twice.
    const again = await readJuliaCoverage(root, ["src", "src/sub", join(root, "src")]);
    expect(asObject(again.files.find((f) => f.path === "src/sub/Bar.jl"))).toEqual({ 4: 1234567890, 5: 0 });
  });

  it("reads CRLF files and a last line without a newline", () => {
    const lf = covLine(null, "x = 1") + covLine(3, "f() = 2") + covLine(0, "g() = 3");
    expect(parseJuliaCov(lf.replace(/\n/g, "\r\n")).lines).toEqual(lines({ 2: 3, 3: 0 }));
    const cut = lf.slice(0, -1);
    expect(parseJuliaCov(cut)).toEqual({ lines: lines({ 2: 3, 3: 0 }), lineCount: 3, warnings: [] });
    // A blank source line whose trailing space was stripped is still a "-" line.
    expect(parseJuliaCov("        -\n        1 x\n").lines).toEqual(lines({ 2: 1 }));
  });

  it("reports malformed lines with file and line number, and reads the rest", () => {
    const text = covLine(1, "a") + "garbage\n" + "       12x\n" + "\n" + covLine(2, "b");
    const parsed = parseJuliaCov(text, "src/X.jl.1.cov");
    expect(parsed.lines).toEqual(lines({ 1: 1, 5: 2 }));
    expect(parsed.warnings).toEqual([
      expect.stringMatching(/^src\/X\.jl\.1\.cov:2: not a coverage line/),
      expect.stringMatching(/^src\/X\.jl\.1\.cov:3: not a coverage line/),
      expect.stringMatching(/^src\/X\.jl\.1\.cov:4: not a coverage line/),
    ]);
  });

  it("warns when a .cov file does not match its source's length (stale), and still reads it", async () => {
    const root = await copyPackage("stale");
    await writeFile(join(root, "src/Foo.jl.9999.cov"), covLine(7, "module Foo"));
    const { files, warnings } = await readJuliaCoverage(root, ["src"]);
    expect(warnings).toContainEqual(
      "src/Foo.jl.9999.cov has 1 line(s) but src/Foo.jl has 11: it may be from an older version of the source",
    );
    expect(asObject(files.find((f) => f.path === "src/Foo.jl"))).toEqual({
      1: 7,
      4: 4,
      5: 4,
      6: 4,
      7: 0,
      9: 2,
    });
  });

  it("reads big and small files in a row, each on its own (the reader reuses one buffer)", async () => {
    const root = join(work, "sizes");
    const rnd = seededRandom(7);
    const expected = new Map<string, Map<number, number>>();
    // 3 MB, then 40 bytes, then 1.5 MB: larger than the first buffer, then leftovers that must not leak.
    for (const [name, count] of [
      ["Big", 60_000],
      ["Small", 2],
      ["Mid", 30_000],
    ] as const) {
      const source = Array.from({ length: count }, (_, i) => `    y${i} = g(y${i - 1}) # ${i}`);
      const cov = source.map((line) => covLine(rnd() < 0.4 ? null : Math.floor(rnd() * 1000), line)).join("");
      await mkdir(join(root, "src"), { recursive: true });
      await writeFile(join(root, "src", `${name}.jl`), source.join("\n") + "\n");
      await writeFile(join(root, "src", `${name}.jl.77.cov`), cov);
      expected.set(`src/${name}.jl`, parseJuliaCov(cov).lines);
    }
    const { files, warnings } = await readJuliaCoverage(root);
    expect(warnings).toEqual([]);
    expect(new Map(files.map((f) => [f.path, f.lines]))).toEqual(expected);
    expect(expected.get("src/Big.jl")?.size).toBeGreaterThan(30_000);
  });

  it("cleanCoverageFiles deletes Julia's .cov files (and .mem on request) and nothing else", async () => {
    const root = await copyPackage("clean");
    await writeFile(join(root, "src/Foo.jl.1111.mem"), "        - x\n");
    const deleted = await cleanCoverageFiles(["src", "ext", "missing"], { root });
    expect(deleted.map((p) => p.slice(root.length + 1))).toEqual([
      "ext/FooExt.jl.1111.cov",
      "src/Empty.jl.1111.cov",
      "src/Foo.jl.1111.cov",
      "src/Foo.jl.2222.cov",
      "src/Gone.jl.4444.cov",
      "src/sub/Bar.jl.3333.cov",
    ]);
    expect((await readdir(join(root, "src"))).sort()).toEqual([
      "Empty.jl",
      "Foo.jl",
      "Foo.jl.1111.mem",
      "reads.cov",
      "sub",
    ]);
    expect(await cleanCoverageFiles(["src"], { root, includeMemFiles: true })).toEqual([
      join(root, "src/Foo.jl.1111.mem"),
    ]);
    const after = await readJuliaCoverage(root);
    expect(after.files).toEqual([]);
    expect(after.warnings).toEqual([
      `no Julia coverage files (<file>.jl.<pid>.cov) under src, ext in ${root}`,
    ]);
  });
});

describe("lcov writer", () => {
  it("writes records in a fixed order, sums duplicate paths, and reads back the same", () => {
    const files: FileCoverage[] = [
      { path: "src/b.jl", lines: lines({ 10: 0, 2: 3 }) },
      { path: "src/a.jl", lines: lines({ 1: 1 }) },
      { path: "src/b.jl", lines: lines({ 2: 1, 5: 0 }) },
    ];
    const text = toLcov(files);
    expect(text).toBe(
      [
        "TN:",
        "SF:src/a.jl",
        "DA:1,1",
        "LF:1",
        "LH:1",
        "end_of_record",
        "TN:",
        "SF:src/b.jl",
        "DA:2,4",
        "DA:5,0",
        "DA:10,0",
        "LF:3",
        "LH:1",
        "end_of_record",
        "",
      ].join("\n"),
    );
    expect(toLcov([...files].reverse())).toBe(text);
    const back = parseLcov(text);
    expect(back.warnings).toEqual([]);
    expect(back.files).toEqual([
      { path: "src/a.jl", lines: lines({ 1: 1 }) },
      { path: "src/b.jl", lines: lines({ 2: 4, 5: 0, 10: 0 }) },
    ]);
    expect(toLcov([])).toBe("");
    expect(() => toLcov(files, { testName: "has space" })).toThrow(/test name/);
  });

  it("writes every count as String() would, and paths in UTF-8", () => {
    const counts = [0, 7, 10, 99, 100, 1234567890, 2 ** 53 - 1, 2 ** 60, 1.5, 1e21];
    const path = "src/Überprüfung/数据.jl";
    const text = toLcov([{ path, lines: new Map(counts.map((count, i) => [i + 1, count])) }]);
    expect(text).toBe(
      [
        "TN:",
        `SF:${path}`,
        ...counts.map((count, i) => `DA:${i + 1},${String(count)}`),
        `LF:${counts.length}`,
        `LH:${counts.length - 1}`,
        "end_of_record",
        "",
      ].join("\n"),
    );
  });

  it("keeps functions and branches through a round trip", () => {
    const text = [
      "SF:x.c",
      "FN:7,later",
      "FN:2,first",
      "FNDA:3,first",
      "BRDA:4,0,1,-",
      "BRDA:4,0,0,2",
      "DA:2,3",
      "end_of_record",
      "",
    ].join("\n");
    const written = toLcov(parseLcov(text).files, { testName: "t1" });
    expect(written).toBe(
      [
        "TN:t1",
        "SF:x.c",
        "FN:2,first",
        "FN:7,later",
        "FNDA:3,first",
        "FNDA:0,later",
        "FNF:2",
        "FNH:1",
        "BRDA:4,0,0,2",
        "BRDA:4,0,1,-",
        "BRF:2",
        "BRH:1",
        "DA:2,3",
        "LF:1",
        "LH:1",
        "end_of_record",
        "",
      ].join("\n"),
    );
  });
});

describe("lcov reader and summary", () => {
  it("follows lcov's rules on duplicate records, checksums, lying LF/LH, negative counts and garbage", async () => {
    const summary = await summarizeLcovFile(join(FIXTURES, "tricky.info"));
    expect([summary.totalLines, summary.coveredLines]).toEqual([6, 3]);
    expect(summary.functions).toEqual({ total: 2, covered: 1, percent: 50 });
    expect(summary.branches).toEqual({ total: 2, covered: 2, percent: 100 });
    expect(summary.files.map((f) => [f.path, f.lines.total, f.lines.covered])).toEqual([
      ["src/a.jl", 4, 3],
      ["src/b.jl", 2, 0],
    ]);
    expect(summary.warnings).toEqual([
      expect.stringMatching(/tricky\.info:20: not an lcov record, skipped: "this line is not lcov"/),
      expect.stringMatching(/tricky\.info:7: negative counts found/),
    ]);
    const { files } = await readLcovFile(join(FIXTURES, "tricky.info"));
    expect(asObject(files[0])).toEqual({ 1: 7, 2: 5, 3: 0, 4: 1 });
  });

  it("says what lcov silently drops, and never throws on bad input", () => {
    const text = [
      "DA:1,1",
      "SF:lost.jl",
      "DA:1,1",
      "SF:kept.jl",
      "DA:1,0",
      "DA:x,1",
      "DA:2,1,abc",
      "DA:2,1,abd",
      "FNDA:-1,f",
      "end_of_record",
      "DA:3,2",
      "SF:0",
      "DA:1,1",
      "end_of_record",
    ].join("\n");
    const { files, warnings } = parseLcov(text, "in.info");
    // DA:3 after end_of_record still belongs to kept.jl, as in lcov.
    expect(files).toEqual([{ path: "kept.jl", lines: lines({ 1: 0, 2: 2, 3: 2 }) }]);
    expect(warnings).toEqual([
      "in.info:1: coverage data before any SF record; ignored",
      "in.info:2: record for lost.jl has no end_of_record; its line data is ignored",
      "in.info:6: malformed DA record, skipped",
      "in.info:8: checksum mismatch at kept.jl:2 (counts summed anyway)",
      "in.info:9: malformed FNDA record, skipped",
      'in.info:12: record with file name "0" ignored',
    ]);
    // An unended record adds to the tables its file already has (lines here) and loses the rest.
    const unended = parseLcov("SF:f.jl\nDA:1,0\nend_of_record\nSF:f.jl\nDA:2,1\nFN:1,g\nSF:o.jl\n", "u.info");
    expect(unended.files).toEqual([{ path: "f.jl", lines: lines({ 1: 0, 2: 1 }) }]);
    expect(unended.warnings).toContain(
      "u.info:4: record for f.jl has no end_of_record; its function data is ignored",
    );
    const empty = summarizeLcov("nothing here\n", "e.info");
    expect([empty.totalLines, empty.coveredLines, empty.percent]).toEqual([0, 0, 0]);
    expect(empty.warnings.at(-1)).toBe("e.info: no valid records found (no DA lines)");
    expect(formatLcovSummary(empty)).toContain("lines......: no data found");
  });

  it("reads CRLF line ends, a last line without newline, UTF-8 names, and pieces split anywhere", async () => {
    const text = "SF:src/é.jl\r\nDA:1,1\r\nDA:2,0\r\nend_of_record\r\nSF:src/b.jl\nDA:7,3\nend_of_record";
    const path = join(work, "crlf.info");
    await writeFile(path, text);
    const fromFile = await readLcovFile(path);
    expect(fromFile.warnings).toEqual([]);
    expect(fromFile.files).toEqual([
      { path: "src/b.jl", lines: lines({ 7: 3 }) },
      { path: "src/é.jl", lines: lines({ 1: 1, 2: 0 }) },
    ]);
    expect(parseLcov(text).files).toEqual(fromFile.files);
    for (let cut = 0; cut <= text.length; cut++) {
      const reader = new LcovReader();
      reader.push(text.slice(0, cut));
      reader.push(text.slice(cut));
      expect(reader.end().files).toEqual(fromFile.files);
    }
  });

  it("rejects an unreadable file with its name and the reason", async () => {
    await expect(summarizeLcovFile(join(work, "none.info"))).rejects.toThrow(
      `cannot read lcov file ${join(work, "none.info")}: no such file`,
    );
    await expect(summarizeLcovFile(work)).rejects.toThrow(/is a directory/);
    const notGzip = join(work, "plain.info.gz");
    await writeFile(notGzip, "SF:a\nDA:1,1\nend_of_record\n");
    await expect(readLcovFile(notGzip)).rejects.toThrow(
      `cannot read lcov file ${notGzip}: incorrect header check`,
    );
  });

  it("formats rates as lcov does: printf rounding, never 0.0 or 100.0 by rounding", () => {
    expect(formatRate(1, 400)).toBe("0.2"); // 0.25 is a tie: to even
    expect(formatRate(3, 400)).toBe("0.8"); // 0.75: to even
    expect(formatRate(9, 400)).toBe("2.2"); // 2.25
    expect(formatRate(1, 3)).toBe("33.3");
    expect(formatRate(2, 3)).toBe("66.7");
    expect(formatRate(1, 100000)).toBe("0.1");
    expect(formatRate(0, 5)).toBe("0.0");
    expect(formatRate(99999, 100000)).toBe("99.9");
    expect(formatRate(5, 5)).toBe("100.0");
    expect(formatRate(0, 0)).toBe("-");
  });

  it("keeps each line in one place when far-off lines and dense lines meet", () => {
    const counts = new LineCounts();
    counts.add(500, 1); // far past the first lines: kept aside
    counts.add(999_999_999, 2);
    for (let line = 1; line <= 600; line++) counts.add(line, 0); // the dense part grows past 500
    counts.add(500, 4);
    counts.add(999_999_999, 0);
    const map = counts.toMap();
    expect(counts.size).toBe(601);
    expect(map.size).toBe(601);
    expect([map.get(500), map.get(1), map.get(999_999_999)]).toEqual([5, 0, 2]);
    const text = "SF:a\nDA:999999999,1\nDA:3,0\nDA:999999999,1\nend_of_record\n";
    expect(parseLcov(text).files[0]?.lines).toEqual(lines({ 3: 0, 999999999: 2 }));
  });

  it("reports 0% for no lines, and percent unrounded", () => {
    expect(summarize([]).percent).toBe(0);
    const s = summarize([{ path: "a", lines: lines({ 1: 1, 2: 0, 3: 0 }) }]);
    expect(s.percent).toBeCloseTo(100 / 3, 12);
  });
});

// ---- against Debian's lcov --------------------------------------------------------------------------

const noLcov = missingCommands("lcov");

interface LcovRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runLcov(file: string, branches: boolean): Promise<LcovRun> {
  const args = ["--config-file", "/dev/null", "--summary", file];
  if (branches) args.unshift("--rc", "lcov_branch_coverage=1");
  return new Promise((resolve, reject) => {
    const child = spawn("lcov", args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** lcov's text after its "Reading tracefile" line; "" when it found no valid records. */
function lcovSummaryText(run: LcovRun): string {
  if (run.status !== 0) {
    expect(run.stderr).toMatch(/no valid records found/);
    return "";
  }
  return run.stdout.slice(run.stdout.indexOf("\n") + 1);
}

function ourText(summary: LcovSummary, branches: boolean): string {
  return summary.totalLines === 0 ? "" : formatLcovSummary(summary, { branchCoverage: branches });
}

/** A tracefile with every oddity lcov tolerates (but no checksum mismatch, where lcov stops). */
function randomLcov(seed: number): string {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const files = ["src/a.jl", "src/b.jl", "src/c/d.jl", "ext/E.jl", "src/f.jl"];
  const names = ["f", "g", "h_1", "Mod.k", "λ"];
  const out: string[] = [];
  if (rnd() < 0.1) out.push(`DA:${1 + int(9)},${int(3)}`);
  const records = 1 + int(12);
  for (let r = 0; r < records; r++) {
    if (rnd() < 0.7) out.push(`TN:${pick(["", "unit", "it-1"])}`);
    const file = rnd() < 0.05 ? pick(["", "0"]) : pick(files);
    out.push(`SF:${file}`);
    const n = int(25);
    for (let i = 0; i < n; i++) {
      const kind = rnd();
      const line = 1 + int(rnd() < 0.5 ? 40 : 400);
      if (kind < 0.6) {
        const count =
          rnd() < 0.35 ? 0 : rnd() < 0.07 ? -1 - int(5) : rnd() < 0.02 ? 2 ** 40 + int(9) : int(50);
        const checksum = rnd() < 0.2 ? `,${file.length}x${line}` : "";
        out.push(`DA:${line},${count}${checksum}${rnd() < 0.05 ? " trailing junk" : ""}`);
      } else if (kind < 0.7) out.push(`FN:${line},${pick(names)}`);
      else if (kind < 0.8) out.push(`FNDA:${int(3)},${pick(names)}`);
      else if (kind < 0.92)
        out.push(`BRDA:${line % 7},${int(2)},${int(3)},${rnd() < 0.3 ? "-" : rnd() < 0.05 ? "-2" : int(4)}`);
      else
        out.push(
          pick(["LF:99", "LH:1000", "FNF:3", "FNH:7", "BRF:1", "BRH:0", "garbage", "", "DA:", "DA:5,x"]),
        );
    }
    if (rnd() < 0.5) out.push(`LF:${int(100)}`, `LH:${int(100)}`);
    if (rnd() < 0.9) out.push("end_of_record");
    if (rnd() < 0.1) out.push(`DA:${1 + int(9)},${int(3)}`);
  }
  return out.join("\n") + (rnd() < 0.8 ? "\n" : "");
}

describe.skipIf(noLcov)("the same totals as Debian's lcov --summary", () => {
  it("on the lcov we write from Julia .cov files", async () => {
    const root = await copyPackage("vs-lcov");
    const { files } = await readJuliaCoverage(root);
    const path = join(work, "julia.info");
    await writeFile(path, toLcov(files));
    const ours = await summarizeLcovFile(path);
    expect(ours.warnings).toEqual([]);
    const text = lcovSummaryText(await runLcov(path, false));
    expect(text).toContain("lines......: 62.5% (5 of 8 lines)");
    expect(ourText(ours, false)).toBe(text);
  });

  it("on duplicate records, checksums, lying LF/LH, negative counts and garbage", async () => {
    const path = join(FIXTURES, "tricky.info");
    const ours = await summarizeLcovFile(path);
    for (const branches of [false, true]) {
      expect(ourText(ours, branches)).toBe(lcovSummaryText(await runLcov(path, branches)));
    }
    // The same with CRLF line ends (made here: git would turn a committed CRLF fixture into LF).
    const crlf = join(work, "tricky-crlf.info");
    await writeFile(crlf, (await readFile(path, "utf8")).replace(/\n/g, "\r\n"));
    expect(ourText(await summarizeLcovFile(crlf), true)).toBe(lcovSummaryText(await runLcov(crlf, true)));
    expect(ourText(await summarizeLcovFile(crlf), true)).toBe(ourText(ours, true));
    // A gzipped tracefile is read through gunzip, as lcov does.
    const gz = join(work, "tricky.info.gz");
    await writeFile(gz, gzipSync(await readFile(path)));
    expect(ourText(await summarizeLcovFile(gz), true)).toBe(lcovSummaryText(await runLcov(gz, true)));
    expect((await summarizeLcovFile(gz)).totalLines).toBe(6);
    // Nothing valid: lcov stops with "no valid records found", we report 0 of 0 and say the same.
    const garbage = join(work, "garbage.info");
    await writeFile(garbage, "SF:x.jl\nFN:1,f\nend_of_record\nnot lcov\n");
    expect(lcovSummaryText(await runLcov(garbage, false))).toBe("");
    const none = await summarizeLcovFile(garbage);
    expect([none.totalLines, none.functions.total]).toEqual([0, 0]);
    expect(none.warnings).toContain(`${garbage}: no valid records found (no DA lines)`);
  });

  it("on rates that need lcov's rounding", async () => {
    for (const [hit, found] of [
      [1, 400],
      [3, 400],
      [9, 400],
      [1, 1000],
      [999, 1000],
      [2, 3],
    ] as const) {
      const das = Array.from({ length: found }, (_, i) => `DA:${i + 1},${i < hit ? 1 : 0}`);
      const path = join(work, `rate-${hit}-${found}.info`);
      await writeFile(path, ["SF:r.jl", ...das, "end_of_record", ""].join("\n"));
      expect(ourText(await summarizeLcovFile(path), false)).toBe(lcovSummaryText(await runLcov(path, false)));
    }
  });

  it("on 50 seeded random tracefiles (lines, functions and branches)", async () => {
    const seeds = Array.from({ length: 50 }, (_, i) => 1000 + i);
    const mismatches: string[] = [];
    // Two lcov processes at a time: the machine has two cores.
    for (let i = 0; i < seeds.length; i += 2) {
      await Promise.all(
        seeds.slice(i, i + 2).map(async (seed) => {
          const text = randomLcov(seed);
          const path = join(work, `random-${seed}.info`);
          await writeFile(path, text);
          const branches = seed % 2 === 0;
          const expected = lcovSummaryText(await runLcov(path, branches));
          const fromFile = ourText(await summarizeLcovFile(path), branches);
          const inMemory = ourText(summarizeLcov(text), branches);
          const viaWriter = ourText(summarize(parseLcov(text).files), branches);
          if (fromFile !== expected || inMemory !== expected || viaWriter !== expected) {
            mismatches.push(`seed ${seed}:\nlcov:\n${expected}\nours:\n${fromFile}`);
          }
        }),
      );
    }
    expect(mismatches).toEqual([]);
  });

  it("on a tracefile written back by toLcov (merging keeps lcov's totals)", async () => {
    const text = randomLcov(7);
    const path = join(work, "rewritten.info");
    await writeFile(path, toLcov(parseLcov(text).files));
    const original = join(work, "original.info");
    await writeFile(original, text);
    expect(lcovSummaryText(await runLcov(path, true))).toBe(lcovSummaryText(await runLcov(original, true)));
    expect(await readFile(path, "utf8")).toMatch(/^TN:\nSF:/);
  });
});
