// The stand-in `julia` must speak Julia's real formats, or tests built on it prove nothing: Test Summary
// tables that parse by column position, .cov files line-aligned with their sources, BenchmarkTools JSON,
// and Julia's exit codes.
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const JULIA = fileURLToPath(new URL("./fixtures/bin/julia", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixtures/example-julia-package", import.meta.url));
const PKG_TEST_COV = ["--project=.", "-e", "import Pkg; Pkg.test(coverage=true)"];

let pkg: string;
beforeEach(() => {
  pkg = mkdtempSync(join(tmpdir(), "julia-stub-"));
  cpSync(FIXTURE, pkg, { recursive: true });
});
afterEach(() => rmSync(pkg, { recursive: true, force: true }));

function julia(args: string[], env: Record<string, string> = {}, opts: SpawnSyncOptions = {}) {
  const r = spawnSync(JULIA, args, {
    cwd: pkg,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 20_000,
    stdio: ["ignore", "pipe", "pipe"],
    ...opts,
  });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function writeConfig(name: string, config: unknown): string {
  const file = join(pkg, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** Parses `Test Summary:` tables the way a reader of Julia's output must: by the header's column ends. */
function parseSummaries(stdout: string) {
  const tables: { name: string; depth: number; cells: Record<string, string> }[][] = [];
  const lines = stdout.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i] ?? "";
    if (!header.startsWith("Test Summary:")) continue;
    const bar = header.indexOf("|");
    const columns = [...header.slice(bar + 1).matchAll(/\S+/g)].map((m) => ({
      label: m[0],
      end: bar + 1 + (m.index ?? 0) + m[0].length,
    }));
    const rows = [];
    for (let j = i + 1; j < lines.length && (lines[j] ?? "").charAt(bar) === "|"; j++) {
      const line = lines[j] ?? "";
      const label = line.slice(0, bar - 1);
      const cells: Record<string, string> = {};
      let start = bar + 1;
      for (const c of columns) {
        cells[c.label] = line.slice(start, c.end).trim();
        start = c.end;
      }
      rows.push({ name: label.trim(), depth: (label.length - label.trimStart().length) / 2, cells });
    }
    tables.push(rows);
  }
  return tables;
}

function covFiles(dir: string): string[] {
  const found: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && /\.jl\.\d+\.cov$/.test(e.name)) found.push(relative(pkg, join(e.parentPath, e.name)));
  }
  return found.sort();
}

/** Reads a .cov file, checking every line's shape: 9-char right-aligned count or "-", a space, the source. */
function readCov(file: string, source: string) {
  const covLines = readFileSync(join(pkg, file), "latin1").split("\n");
  expect(covLines.pop()).toBe(""); // every line ends in \n
  const srcLines = readFileSync(join(pkg, source), "latin1").split("\n");
  if (srcLines[srcLines.length - 1] === "") srcLines.pop();
  expect(covLines).toHaveLength(srcLines.length);
  return covLines.map((l, i) => {
    expect(l).toMatch(/^ *(-|\d+) /);
    expect(l.slice(0, 9)).toMatch(/^ {0,8}(-|\d+)$/);
    expect(l.charAt(9)).toBe(" ");
    expect(l.slice(10)).toBe((srcLines[i] ?? "").slice(0, 1023));
    const count = l.slice(0, 9).trim();
    return count === "-" ? null : Number(count);
  });
}

describe("julia stand-in: version and command line", () => {
  it("prints Julia's version line, overridable", () => {
    expect(julia(["--version"]).stdout).toBe("julia version 1.10.10\n");
    expect(julia(["-v"], { JULIA_STUB_VERSION: "1.11.2" }).stdout).toBe("julia version 1.11.2\n");
    expect(julia(["-e", "print(VERSION)"]).stdout).toBe("1.10.10");
  });

  it("fails loudly on what it cannot simulate, like Julia on bad options", () => {
    const unknownCode = julia(["-e", "using Foo; Foo.bar()"]);
    expect(unknownCode.code).toBe(97);
    expect(unknownCode.stderr).toContain("julia-stub: cannot evaluate `Foo.bar()`");
    const badOption = julia(["--frobnicate", "-e", "1"]);
    expect(badOption.code).toBe(1);
    expect(badOption.stderr).toContain("unknown option `--frobnicate`");
    const noProject = julia(["-e", "import Pkg; Pkg.test()"], {}, { cwd: tmpdir() });
    expect(noProject.code).toBe(1);
    expect(noProject.stderr).toContain("ERROR: trying to test unnamed project");
    const missingScript = julia(["--project=.", "benchmark/nope.jl"]);
    expect(missingScript.code).toBe(1);
    expect(missingScript.stderr).toContain("ERROR: could not open file");
  });
});

describe("julia stand-in: Pkg.test", () => {
  it("prints a Test Summary that parses by column position and passes", () => {
    const r = julia(PKG_TEST_COV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("     Testing Running tests...");
    expect(r.stderr).toContain("     Testing Example tests passed");
    expect(r.stdout).toContain(
      "Test Summary: | Pass  Broken  Total     Time\nExample       |    7       1      8  1m02.3s\n",
    );
    const [table] = parseSummaries(r.stdout);
    // All passed: Julia shows only the top-level row.
    expect(table).toEqual([
      { name: "Example", depth: 0, cells: { Pass: "7", Broken: "1", Total: "8", Time: "1m02.3s" } },
    ]);
  });

  it("writes .cov files next to every src/ and ext/ source, line-aligned, with the configured counts", () => {
    const r = julia(PKG_TEST_COV);
    expect(r.code, r.stderr).toBe(0);
    const files = covFiles(pkg);
    const pid = /\.(\d+)\.cov$/.exec(files[0] ?? "")?.[1];
    expect(files).toEqual([
      `ext/ExampleExt.jl.${pid}.cov`,
      `src/Example.jl.${pid}.cov`,
      `src/util.jl.${pid}.cov`,
    ]);
    const util = readCov(`src/util.jl.${pid}.cov`, "src/util.jl");
    expect(util.slice(0, 8)).toEqual([null, null, null, null, null, null, null, 1]);
    expect(util[14]).toBe(0); // clamp_to never runs
    expect(readFileSync(join(pkg, `src/util.jl.${pid}.cov`), "utf8").split("\n")[14]).toBe(
      "        0 function clamp_to(i::Interval, x::Real)",
    );
    let code = 0;
    let covered = 0;
    for (const f of files) {
      for (const c of readCov(f, f.replace(/\.\d+\.cov$/, ""))) {
        if (c === null) continue;
        code++;
        if (c > 0) covered++;
      }
    }
    expect({ code, covered }).toEqual({ code: 24, covered: 18 }); // what the fixture README promises
  });

  it("writes no .cov files unless Pkg.test is asked for coverage, as real Pkg does", () => {
    const plain = julia(["--project=.", "-e", "import Pkg; Pkg.test()"]);
    expect(plain.code).toBe(0);
    const parentFlag = julia(["--code-coverage=user", "--project=.", "-e", "import Pkg; Pkg.test()"]);
    expect(parentFlag.code).toBe(0);
    expect(covFiles(pkg)).toEqual([]);
    const forced = julia(["--project=.", "-e", "import Pkg; Pkg.test()"], { JULIA_STUB_COVERAGE: "1" });
    expect(forced.code).toBe(0);
    expect(covFiles(pkg)).toHaveLength(3);
  });

  it("exits 1 with Julia's messages and nested rows when a test fails, still writing coverage", () => {
    const r = julia(PKG_TEST_COV, { JULIA_STUB_FAIL: "1" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^unit: Test Failed at .*test\/runtests\.jl:7$/m);
    expect(r.stderr).toContain(
      "ERROR: LoadError: Some tests did not pass: 7 passed, 1 failed, 0 errored, 1 broken.",
    );
    expect(r.stderr).toMatch(/in expression starting at .*test\/runtests\.jl:5\n/);
    expect(r.stderr).toContain("ERROR: Package Example errored during testing");
    expect(r.stderr).not.toContain("tests passed");
    const [table] = parseSummaries(r.stdout);
    expect(table).toEqual([
      {
        name: "Example",
        depth: 0,
        cells: { Pass: "7", Fail: "1", Broken: "1", Total: "9", Time: "1m02.3s" },
      },
      { name: "unit", depth: 1, cells: { Pass: "4", Fail: "1", Broken: "1", Total: "6", Time: "1.2s" } },
      { name: "solver", depth: 1, cells: { Pass: "2", Fail: "", Broken: "", Total: "2", Time: "0.6s" } },
      {
        name: "extension",
        depth: 1,
        cells: { Pass: "1", Fail: "", Broken: "", Total: "1", Time: "1m00.5s" },
      },
    ]);
    expect(covFiles(pkg)).toHaveLength(3);
  });

  it("lays out wide counts, errors, verbose sets and stops after the first failing top-level set", () => {
    const config = writeConfig("custom.json", {
      testsets: [
        {
          name: "big",
          verbose: true,
          seconds: 3.04,
          children: [{ name: "many", pass: 123456 }, { name: "empty" }],
        },
        {
          name: "second",
          children: [{ name: "a rather long testset name", pass: 1, error: 2 }],
        },
        { name: "never printed", pass: 1 },
      ],
      coverage: {},
    });
    const r = julia(PKG_TEST_COV, { JULIA_STUB_TEST_CONFIG: config });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      [
        "Test Summary: |   Pass   Total  Time",
        "big           | 123456  123456  3.0s",
        "  many        | 123456  123456  0.0s",
        "  empty       |           None  0.0s",
      ].join("\n"),
    );
    const tables = parseSummaries(r.stdout);
    expect(tables).toHaveLength(2);
    expect(tables[1]).toEqual([
      { name: "second", depth: 0, cells: { Pass: "1", Error: "2", Total: "3", Time: "0.0s" } },
      {
        name: "a rather long testset name",
        depth: 1,
        cells: { Pass: "1", Error: "2", Total: "3", Time: "0.0s" },
      },
    ]);
    expect((r.stdout.match(/Error During Test at/g) ?? []).length).toBe(2);
    expect(r.stderr).toContain("Some tests did not pass: 1 passed, 0 failed, 2 errored, 0 broken.");
    expect(r.stdout).not.toContain("never printed");
  });

  it("prints listed failures and errors at their files and lines, in nested sets, as Julia 1.10 does", () => {
    const config = writeConfig("failures.json", {
      pathPrefix: "/global/homes/u/user/Mycelia",
      testsets: [
        {
          name: "Mycelia",
          seconds: 2,
          children: [
            {
              name: "io",
              pass: 9,
              seconds: 0.3,
              failures: [
                {
                  kind: "fail",
                  file: "test/io.jl",
                  line: 12,
                  expression: "length(r) == 3",
                  evaluated: "2 == 3",
                },
              ],
            },
            {
              name: "parse",
              seconds: 1.7,
              children: [
                {
                  name: "reader",
                  pass: 20,
                  seconds: 1.5,
                  failures: [
                    {
                      kind: "error",
                      file: "test/parse/reader.jl",
                      line: 27,
                      expression: "read()",
                      error: ["E: x"],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
      coverage: {},
    });
    const r = julia(PKG_TEST_COV, { JULIA_STUB_TEST_CONFIG: config });
    expect(r.code).toBe(1);
    const stdlib = "/usr/share/julia/stdlib/v1.10/Test/src/Test.jl";
    expect(r.stdout).toBe(
      [
        "io: Test Failed at /global/homes/u/user/Mycelia/test/io.jl:12",
        "  Expression: length(r) == 3",
        "   Evaluated: 2 == 3",
        "",
        "Stacktrace:",
        " [1] macro expansion",
        `   @ ${stdlib}:672 [inlined]`,
        " [2] macro expansion",
        "   @ /global/homes/u/user/Mycelia/test/io.jl:12 [inlined]",
        "reader: Error During Test at /global/homes/u/user/Mycelia/test/parse/reader.jl:27",
        "  Test threw exception",
        "  Expression: read()",
        "  E: x",
        "  Stacktrace:",
        "   [1] macro expansion",
        `     @ ${stdlib}:669 [inlined]`,
        "   [2] macro expansion",
        "     @ /global/homes/u/user/Mycelia/test/parse/reader.jl:27 [inlined]",
        "Test Summary: | Pass  Fail  Error  Total  Time",
        "Mycelia       |   29     1      1     31  2.0s",
        "  io          |    9     1            10  0.3s",
        "  parse       |   20            1     21  1.7s",
        "    reader    |   20            1     21  1.5s",
        "",
      ].join("\n"),
    );
    expect(r.stderr).toContain("in expression starting at /global/homes/u/user/Mycelia/test/runtests.jl:");
    // Without a prefix the package's own absolute path; Julia 1.6 prints no blank line before Stacktrace.
    const local = julia(PKG_TEST_COV, {
      JULIA_STUB_TEST_CONFIG: config,
      JULIA_STUB_PATH_PREFIX: "",
      JULIA_STUB_VERSION: "1.6.7",
    });
    expect(local.stdout).toContain(`io: Test Failed at ${join(pkg, "test/io.jl")}:12\n`);
    expect(local.stdout).toContain("   Evaluated: 2 == 3\nStacktrace:\n");
  });

  it("splits counts over several pids so that they sum to the configured count", () => {
    const config = writeConfig("pids.json", {
      pids: 3,
      testsets: [{ name: "t", pass: 1 }],
      coverage: {
        "src/util.jl": { lines: { "8": 5, "10": 1, "11": 0 } },
        "src/Example.jl": null,
        "ext/ExampleExt.jl": null,
      },
    });
    const r = julia(PKG_TEST_COV, { JULIA_STUB_TEST_CONFIG: config });
    expect(r.code, r.stderr).toBe(0);
    const files = covFiles(pkg);
    expect(files).toHaveLength(3);
    expect(files.every((f) => f.startsWith("src/util.jl."))).toBe(true);
    const perPid = files.map((f) => readCov(f, "src/util.jl"));
    const sum = (line: number) => perPid.reduce((s, counts) => s + (counts[line - 1] ?? 0), 0);
    expect([sum(8), sum(10), sum(11)]).toEqual([5, 1, 0]);
    expect(perPid.map((c) => c[7])).toEqual([2, 2, 1]);
    expect(perPid.every((c) => c[10] === 0 && c[0] === null)).toBe(true);
  });

  it("handles sources the way coverage.cpp reads them: no trailing newline, lines cut at 1023 bytes", () => {
    const long = "x = " + "1".repeat(1996);
    writeFileSync(join(pkg, "src", "long.jl"), `# long\n${long}\nf() = 1`);
    const config = writeConfig("long.json", {
      testsets: [{ name: "t", pass: 1 }],
      coverage: { "src/long.jl": { lines: { "2-3": 7 } } },
    });
    const r = julia(PKG_TEST_COV, { JULIA_STUB_TEST_CONFIG: config, JULIA_STUB_PIDS: "1" });
    expect(r.code, r.stderr).toBe(0);
    const cov = covFiles(pkg).find((f) => f.startsWith("src/long.jl."));
    expect(cov).toBeDefined();
    const text = readFileSync(join(pkg, cov ?? ""), "latin1");
    expect(text.split("\n")).toEqual([
      "        - # long",
      `        7 ${long.slice(0, 1023)}`,
      "        7 f() = 1",
      "",
    ]);
  });

  it("rejects a coverage line outside the file with a stub error", () => {
    const config = writeConfig("bad.json", {
      testsets: [],
      coverage: { "src/util.jl": { lines: { "99": 1 } } },
    });
    const r = julia(PKG_TEST_COV, { JULIA_STUB_TEST_CONFIG: config });
    expect(r.code).toBe(97);
    expect(r.stderr).toContain('coverage["src/util.jl"].lines "99" is outside lines 1-23');
  });

  it("runs test/runtests.jl directly, with coverage from --code-coverage", () => {
    const r = julia(["--code-coverage=user", "--project=.", "test/runtests.jl"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("Testing");
    expect(parseSummaries(r.stdout)[0]?.[0]?.cells.Total).toBe("8");
    expect(covFiles(pkg)).toHaveLength(3);
  });
});

describe("julia stand-in: benchmarks", () => {
  type Leaf = [string, Record<string, unknown>];

  it("writes BenchmarkTools save() JSON with nested groups and TrialEstimate leaves", () => {
    const r = julia(["--project=.", "benchmark/benchmarks.jl"]);
    expect(r.code, r.stderr).toBe(0);
    const raw = readFileSync(join(pkg, "benchmark-results.json"), "utf8");
    expect(raw).toContain('"seconds":5.0'); // Julia prints Float64 with a decimal point
    const [versions, values] = JSON.parse(raw) as [
      Record<string, string>,
      [string, { data: Record<string, Leaf>; tags: unknown[] }][],
    ];
    expect(versions).toEqual({ Julia: "1.10.10", BenchmarkTools: "1.5.0" });
    expect(values).toHaveLength(1);
    const [type, root] = values[0] ?? [];
    expect(type).toBe("BenchmarkGroup");
    expect(root?.tags).toEqual([]);
    const solver = root?.data.solver as unknown as [string, { data: Record<string, Leaf> }];
    expect(solver[0]).toBe("BenchmarkGroup");
    const [leafType, est] = solver[1].data.solve2 ?? [];
    expect(leafType).toBe("TrialEstimate");
    expect(est).toMatchObject({ time: 245.3, gctime: 0, memory: 224, allocs: 3 });
    const [paramsType, params] = est?.params as [string, Record<string, unknown>];
    expect(paramsType).toBe("Parameters");
    expect(Object.keys(params).sort()).toEqual([
      "evals",
      "evals_set",
      "gcsample",
      "gctrial",
      "memory_tolerance",
      "overhead",
      "samples",
      "seconds",
      "time_tolerance",
    ]);
    expect(params.evals).toBe(400);
  });

  it("writes Trial leaves, Julia-style floats, scaled times and honours the output argument", () => {
    const config = writeConfig("bench.json", {
      leaf: "trial",
      output: "ignored.json",
      benchmarks: { "big/solve": { time: 1234567.8, memory: 1, allocs: 2, times: [1e6, 1234567.8, 2e6] } },
    });
    const r = julia(["--project=.", "benchmark/benchmarks.jl", "out/res.json"], {
      JULIA_STUB_BENCH_CONFIG: config,
      JULIA_STUB_BENCH_SCALE: "2",
    });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(pkg, "ignored.json"))).toBe(false);
    const raw = readFileSync(join(pkg, "out/res.json"), "utf8");
    expect(raw).toContain('"times":[2.0e6,2.4691356e6,4.0e6]');
    const parsed = JSON.parse(raw) as [
      unknown,
      [string, { data: { big: [string, { data: { solve: Leaf } }] } }][],
    ];
    const [leafType, trial] = parsed[1][0]?.[1].data.big[1].data.solve ?? [];
    expect(leafType).toBe("Trial");
    expect(trial).toMatchObject({ memory: 1, allocs: 2, gctimes: [0, 0, 0], times: [2e6, 2469135.6, 4e6] });
  });

  it("prints a [{name, unit, value}] list when told to", () => {
    const config = writeConfig("list.json", {
      format: "list",
      unit: "ms",
      benchmarks: { "solver/3d": { time: 123_400_000 }, io: { time: 2_000_000 } },
    });
    const r = julia(["--project=.", "-e", 'include("benchmark/benchmarks.jl")'], {
      JULIA_STUB_BENCH_CONFIG: config,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: "solver/3d", unit: "ms", value: 123.4 },
      { name: "io", unit: "ms", value: 2 },
    ]);
  });
});

describe("julia stand-in: process behaviour", () => {
  it("fails fast on a prompt when stdin is ignored, and reads an answer when one is given", () => {
    const start = Date.now();
    const ignored = julia(PKG_TEST_COV, { JULIA_STUB_PROMPT: "1" });
    expect(ignored.code).toBe(1);
    expect(ignored.stderr).toContain("ERROR: LoadError: EOFError: read end of file");
    expect(Date.now() - start).toBeLessThan(5_000);
    const answered = julia(
      PKG_TEST_COV,
      { JULIA_STUB_PROMPT: "1" },
      { stdio: ["pipe", "pipe", "pipe"], input: "y\n" },
    );
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stdout).toContain('julia-stub: read answer "y"');
  });

  it("hangs on a prompt when stdin is an open pipe nobody writes to (the bug our CLI must avoid)", async () => {
    const child = spawn(JULIA, PKG_TEST_COV, {
      cwd: pkg,
      env: { ...process.env, JULIA_STUB_PROMPT: "1" },
      stdio: ["pipe", "ignore", "ignore"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const outcome = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r("still running"), 1_000)),
    ]);
    expect(outcome).toBe("still running");
    child.kill("SIGKILL");
    await exited;
  });

  it("prints requested environment variables and logs every invocation", () => {
    const log = join(pkg, "calls.jsonl");
    const env = {
      JULIA_STUB_LOG: log,
      JULIA_STUB_PRINT_ENV: "HPC_CI_COMMIT, NOT_SET_ANYWHERE",
      HPC_CI_COMMIT: "abc123",
    };
    expect(julia(["--version"], env).code).toBe(0);
    const r = julia(["--project=.", "-e", "import Pkg; Pkg.test()"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("julia-stub env: HPC_CI_COMMIT=abc123\n");
    expect(r.stdout).toContain("julia-stub env: NOT_SET_ANYWHERE (unset)\n");
    const calls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { argv: string[]; cwd: string; pid: number });
    expect(calls.map((c) => c.argv)).toEqual([
      ["--version"],
      ["--project=.", "-e", "import Pkg; Pkg.test()"],
    ]);
    expect(calls.every((c) => c.cwd === pkg && c.pid > 0)).toBe(true);
  });
});
