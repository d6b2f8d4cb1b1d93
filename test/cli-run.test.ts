// The bundled CLI run as a cluster job runs it: a real git repository with a bare origin, the
// stand-in julia, Debian's lcov as the reference for coverage totals.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runCli, lsBranch, showFile } from "./harness/cli.js";
import { missingCommands } from "./harness/system.js";
import { runAction } from "./harness/run-action.js";

const noLcov = missingCommands("lcov");

function read(path: string) {
  return JSON.parse(readFileSync(path, "utf8"));
}

describe("hpc-ci run", () => {
  it("tests with coverage, benchmarks, writes the artifacts and publishes to hpc-results", async () => {
    const p = makeProject();
    const run = await runCli(["run", "--no-codecov"], {
      cwd: p.dir,
      env: { HPC_CLUSTER_NAME: "testcluster" },
    });
    expect(run.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const out = join(p.dir, "hpc-ci");
    for (const f of [
      "hpc-results.json",
      "artifacts/coverage/lcov.info",
      "artifacts/tests/summary.json",
      "artifacts/benchmarks/summary.json",
      "artifacts/meta.json",
      "logs/tests.log",
      "logs/benchmarks.log",
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const results = read(join(out, "hpc-results.json"));
    expect(results).toMatchObject({
      schema_version: 1,
      commit: p.commit,
      branch: "main",
      hpc: { cluster: "testcluster" },
    });
    expect(results.tests).toMatchObject({ status: "passed", totals: { passed: 7, broken: 1, total: 8 } });
    // Julia lists nested sets only under a failing one: all passed, so only the top set.
    expect(Object.keys(results.tests.suites)).toEqual(["Example"]);
    expect(results.coverage).toMatchObject({
      flag: "hpc-extended",
      total_lines: 24,
      covered_lines: 18,
      coverage_percent: 75,
    });
    expect(Object.keys(results.benchmarks.results).sort()).toEqual([
      "arith/add",
      "arith/mean_abs",
      "solver/solve2",
    ]);
    expect(results.benchmarks.status).toBe("passed");
    expect(results.hpc.julia_version).toBe("1.10.10");
    const files = lsBranch(p.origin);
    expect(files).toEqual(
      expect.arrayContaining([
        `${p.commit}/hpc-results.json`,
        `${p.commit}/tests.json`,
        `${p.commit}/benchmarks.json`,
        `${p.commit}/meta.json`,
        "latest-hpc-results.json",
        "latest-tests.json",
        "latest-benchmarks.json",
        "latest-meta.json",
        "branches/main.json",
        "README.md",
        ".nojekyll",
      ]),
    );
    expect(files.some((f) => f.endsWith(".log") || f.endsWith(".info"))).toBe(false);
    expect(JSON.parse(showFile(p.origin, "latest-tests.json"))).toMatchObject({
      schemaVersion: 1,
      label: expect.any(String),
    });
  });

  it.skipIf(noLcov)("writes lcov whose totals equal Debian lcov --summary", async () => {
    const p = makeProject();
    const run = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], { cwd: p.dir });
    expect(run.exitCode).toBe(0);
    const summary = execFileSync("lcov", ["--summary", join(p.dir, "hpc-ci/artifacts/coverage/lcov.info")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(summary).toMatch(/lines\.+: 75\.0% \(18 of 24 lines\)/);
  });

  it("records failed tests, still writes every result, and exits 1", async () => {
    const p = makeProject();
    const run = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], {
      cwd: p.dir,
      env: { JULIA_STUB_FAIL: "1" },
    });
    expect(run.exitCode).toBe(1);
    const results = read(join(p.dir, "hpc-ci/hpc-results.json"));
    expect(results.tests.status).toBe("failed");
    expect(results.tests.totals.failed).toBeGreaterThan(0);
    expect(results.coverage).toMatchObject({ covered_lines: expect.any(Number) });
  });

  it("turns a coverage failure into a warning and coverage: null", async () => {
    const p = makeProject();
    const run = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], {
      cwd: p.dir,
      env: { JULIA_STUB_COVERAGE: "0" },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/warning: coverage could not be measured/);
    expect(read(join(p.dir, "hpc-ci/hpc-results.json")).coverage).toBeNull();
    expect(existsSync(join(p.dir, "hpc-ci/artifacts/coverage/lcov.info"))).toBe(false);
  });

  it("gives commands no stdin, so a prompt fails at once instead of hanging", async () => {
    const p = makeProject();
    const run = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], {
      cwd: p.dir,
      env: { JULIA_STUB_PROMPT: "1" },
      stdin: "pipe",
      timeoutMs: 30_000,
    });
    expect(run.exitCode).toBe(1);
    expect(run.ms).toBeLessThan(20_000);
    expect(readFileSync(join(p.dir, "hpc-ci/logs/tests.log"), "utf8")).toMatch(/EOFError/);
  });

  it("passes the job's environment to julia, but never the Codecov token", async () => {
    const p = makeProject();
    const run = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], {
      cwd: p.dir,
      env: {
        MY_SETTING: "from-the-job",
        CODECOV_TOKEN: "tok-secret-123",
        JULIA_STUB_PRINT_ENV: "MY_SETTING,CODECOV_TOKEN,HPC_CI_COMMIT",
      },
    });
    expect(run.exitCode).toBe(0);
    const log = readFileSync(join(p.dir, "hpc-ci/logs/tests.log"), "utf8");
    expect(log).toContain("julia-stub env: MY_SETTING=from-the-job");
    expect(log).toContain("julia-stub env: CODECOV_TOKEN (unset)");
    expect(log).toContain(`julia-stub env: HPC_CI_COMMIT=${p.commit}`);
    expect(run.stdout + run.stderr).not.toContain("tok-secret-123");
  });

  it("merges a later --benchmarks-only run into the same commit and never reuses another commit's results", async () => {
    const p = makeProject();
    expect((await runCli(["run", "--tests-only", "--no-codecov"], { cwd: p.dir })).exitCode).toBe(0);
    expect((await runCli(["run", "--benchmarks-only", "--no-codecov"], { cwd: p.dir })).exitCode).toBe(0);
    const published = JSON.parse(showFile(p.origin, `${p.commit}/hpc-results.json`));
    expect(published.tests.status).toBe("passed");
    expect(published.coverage.covered_lines).toBe(18);
    expect(published.benchmarks.status).toBe("passed");

    writeFileSync(join(p.dir, "NEWS.md"), "next\n");
    p.git("add", "NEWS.md");
    p.git("commit", "-q", "-m", "next");
    const next = p.git("rev-parse", "HEAD");
    const run = await runCli(["run", "--benchmarks-only", "--no-codecov", "--no-publish"], { cwd: p.dir });
    expect(run.exitCode).toBe(0);
    const results = read(join(p.dir, "hpc-ci/hpc-results.json"));
    expect(results.commit).toBe(next);
    expect(results.tests).toBeUndefined();
    expect(results.coverage).toBeUndefined();
    expect(existsSync(join(p.dir, "hpc-ci/artifacts/coverage/lcov.info"))).toBe(false);
  });

  it("HPC_CI_CHECKOUT=1 checks out the commit, and refuses a dirty tree with exit 2", async () => {
    const p = makeProject();
    const first = p.commit;
    writeFileSync(join(p.dir, "NEWS.md"), "next\n");
    p.git("add", "NEWS.md");
    p.git("commit", "-q", "-m", "next");
    const env = { HPC_CI_CHECKOUT: "1", HPC_CI_COMMIT: first, HPC_CI_BRANCH: "main" };
    const ok = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], { cwd: p.dir, env });
    expect(ok.exitCode).toBe(0);
    expect(p.git("rev-parse", "HEAD")).toBe(first);
    expect(read(join(p.dir, "hpc-ci/hpc-results.json")).commit).toBe(first);
    writeFileSync(join(p.dir, "src/util.jl"), "# edited\n");
    const dirty = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], { cwd: p.dir, env });
    expect(dirty.exitCode).toBe(2);
    expect(dirty.stderr).toMatch(/refusing to check out .* the working tree has changes/);
    const unknown = await runCli(["run", "--tests-only", "--no-publish"], {
      cwd: p.dir,
      env: { ...env, HPC_CI_COMMIT: "f".repeat(40) },
    });
    expect(unknown.exitCode).toBe(2); // the tree is still dirty: refused before any fetch
    p.git("checkout", "--", "src/util.jl");
    const missing = await runCli(["run", "--tests-only", "--no-publish"], {
      cwd: p.dir,
      env: { ...env, HPC_CI_COMMIT: "f".repeat(40) },
    });
    expect(missing.exitCode).toBe(3); // the fetch fails: infrastructure
    expect(missing.stderr).toMatch(/could not check out f{40}/);
  });

  it("answers a bad configuration with exit 2 and the file, pointer and reason", async () => {
    const p = makeProject();
    writeFileSync(
      join(p.dir, ".hpc-ci.json"),
      JSON.stringify({ tests: { comand: "x" }, benchmarks: { threshold_pct: "ten" } }),
    );
    const run = await runCli(["run", "--no-publish"], { cwd: p.dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(".hpc-ci.json at /tests/comand: is not a known setting");
    expect(run.stderr).toContain(".hpc-ci.json at /benchmarks/threshold_pct: must be number");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect((await runCli(["run", "--bogus"], { cwd: p.dir })).exitCode).toBe(2);
    expect((await runCli(["frobnicate"], { cwd: p.dir })).exitCode).toBe(2);
  });

  it("says in one line, with exit 2, that julia is missing or that this is not a git repository", async () => {
    const p = makeProject();
    const noJulia = await runCli(["run", "--no-publish"], { cwd: p.dir, env: { PATH: "/usr/bin:/bin" } });
    expect(noJulia.exitCode).toBe(2);
    expect(noJulia.stderr.trim().split("\n")).toEqual([
      "[hpc-ci] error: configuration: julia not found on PATH: the test command cannot run (tests.command in .hpc-ci.json)",
    ]);
    const outside = await runCli(["run"], { cwd: join(p.dir, "..") });
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toMatch(/is not in a git repository/);
  });

  it("exits 3 when the push fails, after writing the results", async () => {
    const p = makeProject();
    const run = await runCli(["run", "--tests-only", "--no-codecov"], {
      cwd: p.dir,
      env: { HPC_RESULTS_REPO_URL: join(p.dir, "..", "missing.git") },
    });
    expect(run.exitCode).toBe(3);
    expect(existsSync(join(p.dir, "hpc-ci/hpc-results.json"))).toBe(true);
  });

  it("output of the published branch is read by the ingest action", async () => {
    const p = makeProject();
    expect((await runCli(["run", "--no-codecov"], { cwd: p.dir })).exitCode).toBe(0);
    const checkout = join(p.dir, "..", "results-checkout");
    execFileSync("git", ["clone", "-q", "-b", "hpc-results", p.origin, checkout]);
    const ingest = await runAction("ingest-hpc-results", { cwd: checkout, eventName: "workflow_dispatch" });
    expect(ingest.exitCode).toBe(0);
    expect(ingest.outputs.commit).toBe(p.commit);
    expect(ingest.outputs["coverage-percent"]).toBe("75");
    const normalized = JSON.parse(ingest.outputs.results!);
    expect(normalized.tests.totals).toMatchObject({ passed: 7, broken: 1 });
  });
});

describe("hpc-ci publish, validate, coverage", () => {
  it("publishes Mycelia's hpc-results.json unchanged in shape, and validates it", async () => {
    const p = makeProject();
    const dir = join(p.dir, "hpc-ci");
    mkdirSync(dir, { recursive: true });
    const mycelia = {
      schema_version: 1,
      commit: p.commit,
      branch: "master",
      generated_at: "2026-01-17T12:34:56Z",
      hpc: { cluster: "lr", job_id: "", node: "n0042", julia_version: "1.10.10" },
      coverage: null,
      tests: { status: "failed", duration_seconds: 3600, log_file: "logs/tests.log" },
      benchmarks: {
        status: "skipped",
        duration_seconds: 0,
        tutorials_log: "logs/tutorials.log",
        benchmarks_log: "logs/benchmarks.log",
      },
    };
    writeFileSync(join(dir, "hpc-results.json"), JSON.stringify(mycelia, null, 4));
    const v = await runCli(["validate", join(dir, "hpc-results.json")], { cwd: p.dir });
    expect(v.exitCode).toBe(0);
    const pub = await runCli(["publish"], { cwd: p.dir });
    expect(pub.exitCode, pub.stderr).toBe(0);
    expect(JSON.parse(showFile(p.origin, `${p.commit}/hpc-results.json`))).toEqual(mycelia);
    expect(JSON.parse(showFile(p.origin, "latest-tests.json")).color).toMatch(/red|critical|e05d44/);
  });

  it("validate names the file, the pointer and the reason, and exits 1", async () => {
    const p = makeProject();
    const bad = join(p.dir, "hpc-results.json");
    writeFileSync(
      bad,
      JSON.stringify({ schema_version: 1, commit: "HEAD", coverage: { coverage_percent: 101 } }),
    );
    const v = await runCli(["validate", bad], { cwd: p.dir });
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toMatch(/hpc-results\.json at \/commit: not a commit id/);
    expect(v.stdout).toMatch(/at \/coverage\/coverage_percent: must be <= 100/);
  });

  it("coverage turns .cov files into lcov", async () => {
    const p = makeProject();
    await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], { cwd: p.dir });
    const out = await runCli(["coverage", "src", "ext"], { cwd: p.dir });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/^SF:src\/Example\.jl$/m);
    expect(out.stdout.match(/^DA:/gm)).toHaveLength(24);
  });
});

describe("publishing when many jobs finish together", () => {
  it("lands all of 8 racing publishers, and latest-* describes the newest run", async () => {
    const p = makeProject();
    const runs = Array.from({ length: 8 }, (_, i) => {
      const commit = (i.toString(16) + "0123456789abcdef".repeat(3)).slice(0, 40);
      const dir = join(p.dir, `results-${i}`);
      mkdirSync(dir, { recursive: true });
      const doc = {
        schema_version: 1,
        commit,
        branch: "main",
        generated_at: `2026-03-0${i + 1}T00:00:00Z`,
        hpc: { cluster: "c", job_id: String(i), node: "n" },
        coverage: null,
        tests: { status: "passed", duration_seconds: i, log_file: "logs/tests.log" },
      };
      writeFileSync(join(dir, "hpc-results.json"), JSON.stringify(doc));
      return { commit, input: join(dir, "hpc-results.json") };
    });
    const results = await Promise.all(
      runs.map((r) => runCli(["publish", "--input", r.input], { cwd: p.dir, timeoutMs: 120_000 })),
    );
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const files = lsBranch(p.origin);
    for (const r of runs) expect(files).toContain(`${r.commit}/hpc-results.json`);
    expect(JSON.parse(showFile(p.origin, "latest-hpc-results.json")).commit).toBe(runs[7]!.commit);
    expect(results.some((r) => /rejected \(someone pushed first\)/.test(r.stdout))).toBe(true);
  });
});

describe("publishing onto a long history", () => {
  it("checks out only root files, the commit's folder and branches/, and keeps the rest of the branch", async () => {
    const p = makeProject();
    // A results branch of 300 earlier runs and a folder of something else.
    const seed = join(p.dir, "..", "seed");
    mkdirSync(seed);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=s", "-c", "user.email=s@example.com", ...args], {
        cwd: seed,
        encoding: "utf8",
      });
    git("init", "-q", "-b", "hpc-results");
    const old = Array.from({ length: 300 }, (_, i) => i.toString(16).padStart(4, "0") + "e".repeat(36));
    for (const [i, c] of old.entries()) {
      mkdirSync(join(seed, c));
      const doc = { schema_version: 1, commit: c, branch: "main", generated_at: "2026-01-01T00:00:00Z" };
      writeFileSync(
        join(seed, c, "hpc-results.json"),
        JSON.stringify({ ...doc, hpc: { job_id: String(i) } }),
      );
      writeFileSync(join(seed, c, "tests.json"), JSON.stringify({ schema_version: 1, commit: c }));
    }
    mkdirSync(join(seed, "notes"));
    writeFileSync(join(seed, "notes", "keep.md"), "not ours\n");
    writeFileSync(join(seed, "README.md"), "old\n");
    git("add", "-A");
    git("commit", "-q", "-m", "history");
    git("push", "-q", p.origin, "hpc-results");
    const before = lsBranch(p.origin);

    const input = join(p.dir, "hpc-ci", "hpc-results.json");
    mkdirSync(dirname(input), { recursive: true });
    const doc = {
      schema_version: 1,
      commit: p.commit,
      branch: "main",
      generated_at: "2026-03-01T00:00:00Z",
      hpc: { cluster: "c", job_id: "7", node: "n" },
      coverage: null,
      tests: { status: "passed", duration_seconds: 1, log_file: "logs/tests.log" },
    };
    writeFileSync(input, JSON.stringify(doc));

    // --no-push leaves its checkout for the user to inspect: keep it inside the project's scratch folder
    const prepared = await runCli(["publish", "--no-push"], { cwd: p.dir, env: { TMPDIR: dirname(p.dir) } });
    expect(prepared.exitCode, prepared.stderr).toBe(0);
    const checkout = /the prepared checkout is in (\S+)/.exec(prepared.stdout + prepared.stderr)?.[1];
    expect(checkout).toBeDefined();
    const onDisk = readdirSync(checkout!).filter((f) => f !== ".git");
    expect(onDisk.sort()).toEqual(
      [
        ".nojekyll",
        "README.md",
        "branches",
        p.commit,
        "latest-benchmarks.json",
        "latest-hpc-results.json",
        "latest-tests.json",
      ].sort(),
    );
    const tracked = execFileSync("git", ["ls-files"], { cwd: checkout!, encoding: "utf8" }).split("\n");
    expect(tracked).toEqual(expect.arrayContaining([...before, `${p.commit}/hpc-results.json`]));

    const pushed = await runCli(["publish"], { cwd: p.dir });
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    const after = lsBranch(p.origin);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toContain(`${p.commit}/hpc-results.json`);
    expect(showFile(p.origin, "notes/keep.md")).toBe("not ours\n");
    expect(JSON.parse(showFile(p.origin, `${old[5]}/hpc-results.json`)).hpc.job_id).toBe("5");
    expect(JSON.parse(showFile(p.origin, "branches/main.json")).commit).toBe(p.commit);
  });
});

describe("credentials for an https remote", () => {
  it("pushes with HPC_RESULTS_TOKEN sent as a header, never in a URL, a file or the output", async () => {
    const { startGitHttp } = await import("./harness/git-http.js");
    const p = makeProject();
    const token = "ghp_secret_token_123";
    const server = await startGitHttp(join(p.origin, ".."), token);
    try {
      const url = `${server.url}/origin.git`;
      const env = {
        HPC_RESULTS_REPO_URL: url,
        HPC_RESULTS_TOKEN: token,
        JULIA_STUB_PRINT_ENV: "HPC_RESULTS_TOKEN",
      };
      const run = await runCli(["run", "--tests-only", "--no-codecov"], { cwd: p.dir, env });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(lsBranch(p.origin)).toContain(`${p.commit}/hpc-results.json`);
      expect(server.users).toContain("x-access-token");
      expect(run.stdout + run.stderr).not.toContain(token);
      const found = spawnSync("grep", ["-r", "-l", "-F", token, p.dir, join(p.origin, "..")], {
        encoding: "utf8",
      });
      expect(found.stdout).toBe("");
      const denied = await runCli(["publish"], {
        cwd: p.dir,
        env: { HPC_RESULTS_REPO_URL: url, HPC_RESULTS_TOKEN: "wrong" },
      });
      expect(denied.exitCode).toBe(3);
      expect(denied.stderr).toMatch(/publishing|push|Authentication|401|cannot reach/i);
    } finally {
      await server.close();
    }
  });
});

describe("logs", () => {
  it("starts each run's logs anew, so an earlier run's Test Summary is never counted again", async () => {
    const p = makeProject();
    for (let i = 0; i < 2; i++) {
      const run = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish"], { cwd: p.dir });
      expect(run.exitCode).toBe(0);
    }
    expect(read(join(p.dir, "hpc-ci/hpc-results.json")).tests.totals).toMatchObject({ passed: 7, broken: 1 });
    expect(readFileSync(join(p.dir, "hpc-ci/logs/tests.log"), "utf8").match(/Test Summary:/g)).toHaveLength(
      1,
    );
  });
});

describe("named failures", () => {
  // A Julia 1.10 run on a cluster whose checkout is /global/homes/u/user/Mycelia: a failure in test/io.jl and
  // an error in test/parse/reader.jl, in nested test sets.
  const PREFIX = "/global/homes/u/user/Mycelia";
  const fail = (line: number) => ({
    kind: "fail",
    file: "test/io.jl",
    line,
    expression: "length(records) == 3",
    evaluated: "2 == 3",
  });
  const error = {
    kind: "error",
    file: "test/parse/reader.jl",
    line: 27,
    expression: 'Mycelia.read_fastq("missing.fq")',
    error: ['SystemError: opening file "missing.fq": No such file or directory'],
  };
  const config = (io: object[], reader: object[]) => ({
    pathPrefix: PREFIX,
    testsets: [
      {
        name: "Mycelia",
        children: [
          {
            name: "unit",
            children: [
              { name: "io", pass: 9, failures: io },
              { name: "parse", children: [{ name: "reader", pass: 20, failures: reader }] },
            ],
          },
          { name: "aqua", pass: 8 },
        ],
      },
    ],
  });

  // The example package holds test/io.jl and test/parse/reader.jl, which the cluster paths map onto.
  function failingProject() {
    const p = makeProject();
    const stub = (name: string, value: object) => {
      const file = join(p.dir, "..", name);
      writeFileSync(file, JSON.stringify(value));
      return file;
    };
    return { ...p, stub };
  }

  it("publishes a failure and an error with repository-relative paths in hpc-results.json and tests.json", async () => {
    // The shared failing configuration of the example package (its README says what it prints).
    const p = makeProject();
    const run = await runCli(["run", "--tests-only", "--no-codecov"], {
      cwd: p.dir,
      env: { JULIA_STUB_TEST_CONFIG: "test/failing.stub.json" },
    });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(readFileSync(join(p.dir, "hpc-ci/logs/tests.log"), "utf8")).toContain(
      "io: Test Failed at /global/homes/u/user/Example.jl/test/io.jl:12",
    );
    const expected = [
      {
        kind: "failed",
        testset: ["Example", "unit", "io"],
        file: "test/io.jl",
        line: 12,
        expression: "length(records) == 3",
        evaluated: "2 == 3",
      },
      {
        kind: "errored",
        testset: ["Example", "unit", "parse", "reader"],
        file: "test/parse/reader.jl",
        line: 27,
        expression: 'read_records("missing.txt") == ["a"]',
        message: 'SystemError: opening file "missing.txt": No such file or directory',
      },
    ];
    const published = JSON.parse(showFile(p.origin, `${p.commit}/hpc-results.json`));
    expect(published.tests).toMatchObject({ status: "failed", failures: expected, failures_total: 2 });
    expect(published.tests.totals).toMatchObject({ passed: 20, failed: 1, errored: 1 });
    expect(published.tests.attempts).toBeUndefined();
    const summary = JSON.parse(showFile(p.origin, `${p.commit}/tests.json`));
    expect(summary).toMatchObject({ failures: expected, failures_total: 2 });
    expect(read(join(p.dir, "hpc-ci/artifacts/tests/summary.json")).failures).toEqual(expected);
    // The lines named are the failing tests' own lines in the tested commit.
    expect(readFileSync(join(p.dir, "test/io.jl"), "utf8").split("\n")[11]).toContain(
      "@test length(records) == 3",
    );
    expect(readFileSync(join(p.dir, "test/parse/reader.jl"), "utf8").split("\n")[26]).toContain(
      "read_records",
    );
  });

  it("marks flaky tests when a second run of the commit is published into the first", async () => {
    const p = failingProject();
    const first = await runCli(["run", "--tests-only", "--no-codecov"], {
      cwd: p.dir,
      env: { JULIA_STUB_TEST_CONFIG: p.stub("first.json", config([fail(12)], [error])) },
    });
    expect(first.exitCode, first.stderr).toBe(1);
    // Another job (its own results folder): io.jl:12 fails again, reader.jl:27 passes, io.jl:20 fails anew.
    const second = await runCli(["run", "--tests-only", "--no-codecov"], {
      cwd: p.dir,
      env: {
        JULIA_STUB_TEST_CONFIG: p.stub("second.json", config([fail(12), fail(20)], [])),
        HPC_RESULTS_DIR: join(p.dir, "..", "second-job"),
      },
    });
    expect(second.exitCode, second.stderr).toBe(1);
    for (const file of [`${p.commit}/hpc-results.json`, `${p.commit}/tests.json`]) {
      const doc = JSON.parse(showFile(p.origin, file));
      const tests = file.endsWith("tests.json") ? doc : doc.tests;
      expect(tests.attempts, file).toBe(2);
      expect(
        tests.failures.map((f: { file: string; line: number; flaky?: boolean }) => [f.file, f.line, f.flaky]),
      ).toEqual([
        ["test/io.jl", 12, undefined],
        ["test/io.jl", 20, true],
      ]);
      expect(tests.flaky).toEqual([
        expect.objectContaining({ file: "test/parse/reader.jl", line: 27, flaky: true }),
      ]);
    }
    // A third run in the first job's folder merges with its own earlier run there, then with the branch's.
    const third = await runCli(["run", "--tests-only", "--no-codecov"], {
      cwd: p.dir,
      env: { JULIA_STUB_TEST_CONFIG: p.stub("third.json", config([fail(12)], [error])) },
    });
    expect(third.exitCode, third.stderr).toBe(1);
    const tests = JSON.parse(showFile(p.origin, `${p.commit}/hpc-results.json`)).tests;
    expect(tests.attempts).toBe(3);
    expect(tests.failures.map((f: { line: number; flaky?: boolean }) => [f.line, f.flaky])).toEqual([
      [12, undefined],
      [27, true],
    ]);
    expect(tests.flaky.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual([
      "test/io.jl:20",
    ]);
  });

  it("drops a JUnit time of 1e20 with a warning and still publishes the run", async () => {
    const p = makeProject();
    const junit = join(p.dir, "..", "junit.xml");
    writeFileSync(
      junit,
      '<testsuites><testsuite name="slow" time="1e20"><testcase name="t" file="src/util.jl" line="8"><failure message="no"/></testcase></testsuite></testsuites>',
    );
    writeFileSync(join(p.dir, ".hpc-ci.json"), JSON.stringify({ tests: { junit } }));
    p.git("add", "-A");
    p.git("commit", "-q", "-m", "junit");
    const commit = p.git("rev-parse", "HEAD");
    const run = await runCli(["run", "--tests-only", "--no-codecov"], { cwd: p.dir });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/warning: tests: test set "slow": duration_seconds \d+ is out of range/);
    const published = JSON.parse(showFile(p.origin, `${commit}/hpc-results.json`));
    expect(published.tests.suites.slow.duration_seconds).toBeUndefined();
    expect(published.tests.failures).toEqual([
      { kind: "failed", testset: ["slow"], name: "t", file: "src/util.jl", line: 8, message: "no" },
    ]);
  });
});
