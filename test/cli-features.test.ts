// The CLI's features beyond one plain run: Codecov through a codecov CLI on PATH and through the upload
// API, benchmarks judged against the base branch's history, JUnit and lcov inputs, shards and merge.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STUB_BIN, makeProject, runCli, showFile } from "./harness/cli.js";
import { startCodecovApi } from "./harness/codecov-api.js";
import { scratchDir } from "./harness/scratch.js";

function read(path: string) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** A `codecovcli` that records its arguments and whether it got the token, and succeeds. */
function fakeCodecovCli(): { bin: string; record: string } {
  const bin = scratchDir("fake-codecov-");
  const record = join(bin, "calls.jsonl");
  writeFileSync(
    join(bin, "codecovcli"),
    `#!/bin/sh\nprintf '%s\\n' "{\\"args\\": \\"$*\\", \\"token\\": \\"\${CODECOV_TOKEN:+set}\\"}" >> ${JSON.stringify(record)}\necho "Upload complete"\n`,
  );
  chmodSync(join(bin, "codecovcli"), 0o755);
  return { bin, record };
}

describe("Codecov from the cluster", () => {
  it("uses a codecov CLI on PATH with commit, branch, flag and git service, the token only in its environment", async () => {
    const p = makeProject();
    const fake = fakeCodecovCli();
    const token = "cc-token-abcdef123456";
    const run = await runCli(["run", "--tests-only", "--no-publish"], {
      cwd: p.dir,
      env: {
        CODECOV_TOKEN: token,
        PATH: `${fake.bin}:${STUB_BIN}:${process.env.PATH}`,
        HPC_CODECOV_FLAG: "hpc-extended",
      },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const calls = readFileSync(fake.record, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(calls).toHaveLength(1);
    expect(calls[0].token).toBe("set");
    expect(calls[0].args).toContain(`--commit-sha ${p.commit}`);
    expect(calls[0].args).toContain("--branch main");
    expect(calls[0].args).toContain("--flag hpc-extended");
    expect(calls[0].args).toContain("--git-service github");
    expect(calls[0].args).not.toContain(token);
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it("uploads through Codecov's API without a CLI, and --upload-only uploads this commit's coverage again", async () => {
    const p = makeProject();
    const token = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"; // Codecov tokens are UUIDs
    const api = await startCodecovApi({ token });
    try {
      const env = { CODECOV_TOKEN: token, CODECOV_URL: api.url, HPC_RESULTS_REPOSITORY_SLUG: "octo/example" };
      const run = await runCli(["run", "--tests-only", "--no-publish"], { cwd: p.dir, env });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout, run.stderr).toMatch(/codecov: uploaded/);
      expect(api.uploads).toHaveLength(1);
      expect(api.uploads[0]!.query).toMatchObject({
        commit: p.commit,
        branch: "main",
        flags: "hpc-extended",
      });
      const again = await runCli(["run", "--upload-only"], { cwd: p.dir, env });
      expect(again.exitCode).toBe(0);
      expect(api.uploads).toHaveLength(2);
      expect(run.stdout + run.stderr + again.stdout + again.stderr).not.toContain(token);
    } finally {
      await api.close();
    }
  });

  it("records a failed upload and goes on", async () => {
    const p = makeProject();
    const run = await runCli(["run", "--tests-only", "--no-publish"], {
      cwd: p.dir,
      env: { CODECOV_TOKEN: "x-token-999", CODECOV_URL: "http://127.0.0.1:9" },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/codecov: upload failed \(non-fatal\)/);
    expect(run.stderr).not.toContain("x-token-999");
  });
});

describe("benchmarks against the base branch", () => {
  it("judges against the base branch's history: one run is too little to fail, so +50% is a tentative regression", async () => {
    const p = makeProject();
    expect((await runCli(["run", "--no-codecov"], { cwd: p.dir })).exitCode).toBe(0);
    const base = p.commit;
    p.git("checkout", "-q", "-b", "feature/slow");
    writeFileSync(join(p.dir, "NEWS.md"), "slower\n");
    p.git("add", "NEWS.md");
    p.git("commit", "-q", "-m", "slower");
    const run = await runCli(["run", "--benchmarks-only", "--no-codecov"], {
      cwd: p.dir,
      env: { JULIA_STUB_BENCH_SCALE: "1.5" },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const results = read(join(p.dir, "hpc-ci/hpc-results.json"));
    expect(results.branch).toBe("feature/slow");
    expect(results.benchmarks.baseline).toMatchObject({ commit: base, branch: "main" });
    for (const r of Object.values(results.benchmarks.results) as Array<{
      delta_vs_baseline_pct: number;
      regression: boolean;
      verdict: string;
      evidence: { tentative?: boolean; history_points?: number; baseline_commit?: string };
    }>) {
      expect(r.delta_vs_baseline_pct).toBeCloseTo(50, 1);
      expect(r.regression).toBe(true);
      expect(r.verdict).toBe("regression");
      expect(r.evidence).toMatchObject({ tentative: true, history_points: 1, baseline_commit: base });
    }
    // Tentative regressions are shown but do not make the run's verdict (nor its exit code).
    expect(results.benchmarks.verdict).toBe("unchanged");
    expect(results.benchmarks.judge).toMatchObject({
      history_branch: "main",
      history_points: 1,
      min_history: 5,
    });
    expect(results.benchmarks.worst_regression_pct).toBeCloseTo(50, 1);
    // The main run became history; the feature branch's run did not.
    const history = JSON.parse(showFile(p.origin, "history/main.json"));
    expect(history.runs.map((r: { commit: string }) => r.commit)).toEqual([base]);
    expect(() => showFile(p.origin, "history/feature%2Fslow.json")).toThrow();
    expect(JSON.parse(showFile(p.origin, "branches/feature%2Fslow.json")).commit).toBe(
      p.git("rev-parse", "HEAD"),
    );
  });
});

describe("other inputs", () => {
  it("reads suites from a JUnit report and coverage from an lcov file of any language", async () => {
    const p = makeProject();
    writeFileSync(
      join(p.dir, "run-tests.sh"),
      [
        "#!/bin/sh",
        "mkdir -p out",
        `cat > out/junit.xml <<'EOF'`,
        `<testsuites><testsuite name="py.unit" tests="3"><testcase name="a"/><testcase name="b"><failure message="x"/></testcase><testcase name="c"/></testsuite></testsuites>`,
        "EOF",
        `printf 'TN:\\nSF:pkg/mod.py\\nDA:1,1\\nDA:2,0\\nDA:3,4\\nend_of_record\\n' > out/lcov.info`,
        "exit 1",
      ].join("\n"),
    );
    chmodSync(join(p.dir, "run-tests.sh"), 0o755);
    writeFileSync(
      join(p.dir, ".hpc-ci.json"),
      JSON.stringify({
        tests: { command: ["./run-tests.sh"], junit: "out/junit.xml" },
        coverage: { lcov: "out/lcov.info", flag: "hpc-python" },
        benchmarks: { enabled: false },
      }),
    );
    const run = await runCli(["run", "--no-codecov", "--no-publish"], { cwd: p.dir });
    expect(run.exitCode).toBe(1);
    const results = read(join(p.dir, "hpc-ci/hpc-results.json"));
    expect(results.tests).toMatchObject({ status: "failed", totals: { passed: 2, failed: 1 } });
    expect(results.tests.suites["py.unit"]).toMatchObject({ passed: 2, failed: 1 });
    expect(results.coverage).toMatchObject({ flag: "hpc-python", total_lines: 3, covered_lines: 2 });
    expect(results.benchmarks).toBeUndefined();
  });

  it("says in the section why a JUnit report or benchmark results could not be read", async () => {
    const p = makeProject();
    writeFileSync(
      join(p.dir, ".hpc-ci.json"),
      JSON.stringify({
        tests: { junit: "missing.xml" },
        benchmarks: { commands: [`printf '{"not json' > "$HPC_CI_BENCHMARK_RESULTS"`] },
      }),
    );
    const run = await runCli(["run", "--no-codecov", "--no-publish"], { cwd: p.dir });
    const results = read(join(p.dir, "hpc-ci/hpc-results.json"));
    expect(results.tests.reason).toMatch(/JUnit report .*missing\.xml was not written/);
    expect(results.tests.totals.passed).toBe(7); // fell back to the Test Summary tables
    expect(results.benchmarks).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/results could not be read: .*raw\.json/),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("shards", () => {
  it("runs shards with the shard in the environment and merges them: suites united, coverage summed", async () => {
    const p = makeProject();
    for (const shard of ["1/2", "2/2"]) {
      const run = await runCli(["run", "--tests-only", "--no-codecov", "--shard", shard], {
        cwd: p.dir,
        env: { JULIA_STUB_PRINT_ENV: "HPC_CI_SHARD_INDEX,HPC_CI_SHARD_COUNT" },
      });
      expect(run.exitCode, run.stderr).toBe(0);
      const index = shard[0];
      expect(readFileSync(join(p.dir, "hpc-ci/shards", index!, "logs/tests.log"), "utf8")).toContain(
        `julia-stub env: HPC_CI_SHARD_INDEX=${index}`,
      );
    }
    const merged = await runCli(["merge"], { cwd: p.dir });
    expect(merged.exitCode, merged.stderr).toBe(0);
    const results = read(join(p.dir, "hpc-ci/hpc-results.json"));
    expect(results.tests.totals).toMatchObject({ passed: 14, broken: 2 });
    expect(results.coverage).toMatchObject({ total_lines: 24, covered_lines: 18 });
    expect(JSON.parse(showFile(p.origin, `${p.commit}/hpc-results.json`)).tests.totals.passed).toBe(14);
    mkdirSync(join(p.dir, "other"), { recursive: true });
  });

  it("adds up the named failures of shards, which ran different tests", async () => {
    const p = makeProject();
    for (const [shard, env] of [
      ["1/2", { JULIA_STUB_FAIL: "1" }],
      ["2/2", { JULIA_STUB_ERROR: "1" }],
    ] as const) {
      const run = await runCli(["run", "--tests-only", "--no-codecov", "--no-publish", "--shard", shard], {
        cwd: p.dir,
        env,
      });
      expect(run.exitCode, run.stderr).toBe(1);
    }
    await runCli(["merge", "--no-publish"], { cwd: p.dir });
    const tests = read(join(p.dir, "hpc-ci/hpc-results.json")).tests;
    expect(tests.failures_total).toBe(2);
    expect(tests.failures.map((f: { kind: string; file: string }) => [f.kind, f.file])).toEqual([
      ["failed", "test/runtests.jl"],
      ["errored", "test/runtests.jl"],
    ]);
    expect(read(join(p.dir, "hpc-ci/artifacts/tests/summary.json")).failures_total).toBe(2);
  });
});
