import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAction } from "./harness/run-action.js";
import {
  ResultsRepo,
  myceliaResults,
  ourRun,
  sha,
  writeMyceliaPublish,
  writeOurRun,
} from "./harness/results-branch.js";

const ZERO = "0".repeat(40);

describe("ingest-hpc-results on a branch Mycelia's scripts wrote", () => {
  it("reads the newest run: null coverage, empty job id, failed tests, legacy endpoint files", async () => {
    const repo = new ResultsRepo();
    const c1 = sha("mycelia-1");
    writeMyceliaPublish(repo.work, myceliaResults(c1, { generatedAt: "2026-01-10T00:00:00Z" }));
    const first = repo.commit("update: publish HPC CI results for c1");
    const c2 = sha("mycelia-2");
    writeMyceliaPublish(
      repo.work,
      myceliaResults(c2, {
        coverage: null,
        jobId: "",
        tests: "failed",
        testsSeconds: 4000,
        generatedAt: "2026-01-17T12:34:56Z",
      }),
    );
    const second = repo.commit("update: publish HPC CI results for c2");

    const run = await runAction("ingest-hpc-results", {
      cwd: repo.work,
      event: repo.pushEvent(first.id, [second]),
    });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.outputs.valid).toBe("true");
    expect(run.outputs.commit).toBe(c2);
    expect(run.outputs.branch).toBe("master");
    expect(run.outputs["tests-status"]).toBe("failed");
    expect(run.outputs["benchmarks-status"]).toBe("skipped");
    expect(run.outputs["coverage-percent"]).toBe("");
    expect(run.outputs["worst-regression-pct"]).toBe("");
    expect(JSON.parse(run.outputs.commits!)).toEqual([c2]);
    const normalized = JSON.parse(run.outputs.results!);
    expect(normalized.coverage).toBeNull();
    expect(normalized.hpc.job_id).toBe("");
    expect(normalized.tests).toEqual({
      status: "failed",
      duration_seconds: 4000,
      log_file: "logs/tests.log",
    });
    expect(normalized.sources).toEqual([
      `${c2}/hpc-results.json`,
      `${c2}/tests.json`,
      `${c2}/benchmarks.json`,
      `${c2}/meta.json`,
    ]);
    expect(JSON.parse(readFileSync(run.outputs["results-file"]!, "utf8"))).toEqual(normalized);
    expect(run.outputs["results-file"]!.startsWith(run.runnerTemp)).toBe(true);
    expect(run.summary).toContain(`\`${c2}\``);
    expect(run.summary).toContain("❌ failed");
  });

  it("falls back to latest-hpc-results.json when there is no push event", async () => {
    const repo = new ResultsRepo();
    const c1 = sha("latest-1");
    writeMyceliaPublish(
      repo.work,
      myceliaResults(c1, { tests: "passed", benchmarks: "passed", benchSeconds: 77 }),
    );
    repo.commit("publish");
    const run = await runAction("ingest-hpc-results", {
      cwd: repo.work,
      eventName: "workflow_dispatch",
      event: {},
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.commit).toBe(c1);
    expect(run.outputs["coverage-percent"]).toBe("63.21");
    expect(JSON.parse(run.outputs.results!).benchmarks.duration_seconds).toBe(77);
  });

  it("finds no run, and no problem, on a branch that holds only requests (before the first run)", async () => {
    const repo = new ResultsRepo();
    mkdirSync(join(repo.work, "requests"), { recursive: true });
    writeFileSync(join(repo.work, "requests", "pr-7-1.json"), "{}\n");
    repo.commit("request pr-7-1");
    const event = { action: "hpc-results", client_payload: {} };
    // The reusable workflow's way: the first processing has no marker, and nothing is wrong.
    const quiet = await runAction("ingest-hpc-results", {
      cwd: repo.work,
      eventName: "repository_dispatch",
      event,
      inputs: { "fail-on-invalid": "false" },
    });
    expect(quiet.exitCode).toBe(0);
    expect(quiet.outputs.problems).toBe("0");
    expect(quiet.outputs.commits).toBe("[]");
    expect(quiet.annotations).toEqual([]);
    expect(quiet.stdout).toContain("No run has been published on the results branch yet");
    // Alone, asked for results by default, the step says why it has none.
    const strict = await runAction("ingest-hpc-results", {
      cwd: repo.work,
      eventName: "repository_dispatch",
      event,
    });
    expect(strict.exitCode).not.toBe(0);
    expect(strict.annotations.map((a) => a.message)).toEqual([
      "no HPC results found to ingest: no run has been published on the results branch yet",
    ]);
  });

  it("reads a run from Mycelia's endpoint files alone, taking status and duration from the badge message", async () => {
    const repo = new ResultsRepo();
    const c = sha("legacy-only");
    writeMyceliaPublish(repo.work, myceliaResults(c, { tests: "failed", testsSeconds: 12 }));
    rmSync(join(repo.work, c, "hpc-results.json"));
    const run = await runAction("ingest-hpc-results", { cwd: repo.work, inputs: { commit: c } });
    expect(run.exitCode).toBe(0);
    const normalized = JSON.parse(run.outputs.results!);
    expect(normalized.tests).toEqual({ status: "failed", duration_seconds: 12 });
    expect(normalized.coverage).toEqual({ coverage_percent: 63.21 });
    expect(normalized.hpc).toEqual({ cluster: "lr", job_id: "", node: "n0042.lr6" });
  });
});

describe("ingest-hpc-results on a branch in our layout", () => {
  it("merges hpc-results, summaries and meta into one run and ingests every commit a push touched", async () => {
    const repo = new ResultsRepo();
    const a = sha("ours-a");
    const b = sha("ours-b");
    writeOurRun(repo.work, ourRun(a, { generatedAt: "2026-02-01T08:00:00Z", slower: 14.5 }));
    const ca = repo.commit("a");
    writeOurRun(repo.work, ourRun(b, { generatedAt: "2026-02-02T08:00:00Z", failed: 3 }));
    const cb = repo.commit("b");

    const run = await runAction("ingest-hpc-results", {
      cwd: repo.work,
      event: repo.pushEvent(ZERO.replace(/0$/, "1"), [ca, cb]),
    });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.commits!)).toEqual([a, b]);
    expect(run.outputs.commit).toBe(b);
    expect(run.outputs["tests-status"]).toBe("failed");
    expect(run.outputs["worst-regression-pct"]).toBe("1.5");
    const newest = JSON.parse(run.outputs.results!);
    expect(newest.tests.suites["Example/unit"]).toEqual({ passed: 120, failed: 3 });
    expect(newest.tests.totals).toEqual({ passed: 150, failed: 3, errored: 0, broken: 2, total: 155 });
    expect(newest.benchmarks.results["solver/3d"].median_ms).toBe(123.4);
    expect(newest.hpc).toMatchObject({
      scheduler: "slurm",
      partition: "regular",
      cpus: 128,
      time_limit_seconds: 7200,
    });
    const all = JSON.parse(readFileSync(run.outputs["runs-file"]!, "utf8"));
    expect(all.map((r: { commit: string }) => r.commit)).toEqual([a, b]);
    expect(all[0].benchmarks.worst_regression_pct).toBe(14.5);
    expect(run.summary).toContain("All 2 runs in this push");
  });

  it("lists the changed folders with git diff when the payload is cut at 20 commits", async () => {
    const repo = new ResultsRepo();
    writeOurRun(repo.work, ourRun(sha("base")));
    const base = repo.commit("base");
    const pushed = [];
    for (let i = 0; i < 21; i++) {
      writeOurRun(
        repo.work,
        ourRun(sha(`many-${i}`), { generatedAt: `2026-03-01T00:00:${String(i).padStart(2, "0")}Z` }),
      );
      pushed.push(repo.commit(`run ${i}`));
    }
    // GitHub stops listing at 20 commits; `after` is still the real head.
    const event = { ...repo.pushEvent(base.id, pushed.slice(0, 20)), after: pushed.at(-1)!.id };
    const run = await runAction("ingest-hpc-results", { cwd: repo.work, event });
    expect(run.exitCode).toBe(0);
    const commits = JSON.parse(run.outputs.commits!);
    expect(commits).toHaveLength(21);
    expect(commits).not.toContain(sha("base"));
    expect(run.outputs.commit).toBe(sha("many-20"));
  });

  it("uses the git tree when the branch is new (before is all zeros)", async () => {
    const repo = new ResultsRepo();
    writeOurRun(repo.work, ourRun(sha("first")));
    const first = repo.commit("first");
    const run = await runAction("ingest-hpc-results", {
      cwd: repo.work,
      event: repo.pushEvent(ZERO, [first]),
    });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.commits!)).toEqual([sha("first")]);
  });

  it("never erases a section a later run did not write", async () => {
    const repo = new ResultsRepo();
    const c = sha("partial");
    const r = ourRun(c);
    delete (r.results as Record<string, unknown>).benchmarks;
    writeOurRun(repo.work, { ...r, benchmarks: undefined });
    const run = await runAction("ingest-hpc-results", { cwd: repo.work, inputs: { commit: c } });
    const normalized = JSON.parse(run.outputs.results!);
    expect(normalized.benchmarks).toBeUndefined();
    expect(run.outputs["benchmarks-status"]).toBe("");
  });
});

describe("bad input gets a clear error and loses nothing", () => {
  const c = sha("bad");
  async function ingestDocument(name: string, content: string | Buffer, inputs: Record<string, string> = {}) {
    const repo = new ResultsRepo();
    writeOurRun(repo.work, ourRun(c));
    writeFileSync(join(repo.work, c, name), content);
    return runAction("ingest-hpc-results", { cwd: repo.work, inputs: { commit: c, ...inputs } });
  }
  function base(): Record<string, unknown> {
    return ourRun(c).results;
  }
  const cases: Array<[string, string, string | Buffer, string, RegExp]> = [
    [
      "unknown schema_version",
      "hpc-results.json",
      JSON.stringify({ ...base(), schema_version: 2 }),
      "/schema_version",
      /unknown schema version 2/,
    ],
    [
      "a commit that is not hex",
      "hpc-results.json",
      JSON.stringify({ ...base(), commit: "HEAD" }),
      "/commit",
      /not a commit id/,
    ],
    [
      "a wrong type",
      "hpc-results.json",
      JSON.stringify({ ...base(), tests: { status: "passed", duration_seconds: "long" } }),
      "/tests/duration_seconds",
      /must be number/,
    ],
    [
      "coverage over 100%",
      "hpc-results.json",
      JSON.stringify({ ...base(), coverage: { coverage_percent: 120.5 } }),
      "/coverage/coverage_percent",
      /must be <= 100/,
    ],
    [
      "an unknown status word",
      "tests.json",
      JSON.stringify({ commit: c, status: "green" }),
      "/status",
      /must be one of passed, failed, skipped/,
    ],
    ["truncated JSON", "meta.json", '{"commit": "' + c + '", "branch": "ma', "", /truncated/],
    [
      "a document over 1 MiB",
      "benchmarks.json",
      JSON.stringify({ commit: c, benchmarks: {}, pad: "x".repeat(1024 * 1024) }),
      "",
      /over the 1048576 byte limit/,
    ],
    [
      "arrays nested 100,000 levels deep",
      "meta.json",
      `{"commit":"${c}","x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
      `/x${"/0".repeat(64)}`,
      /nested deeper than 64 levels/,
    ],
    [
      "a __proto__ key",
      "meta.json",
      `{"commit":"${c}","__proto__":{"polluted":true}}`,
      "/__proto__",
      /not allowed/,
    ],
    [
      "a document for another commit",
      "tests.json",
      JSON.stringify({ commit: sha("other"), status: "passed" }),
      "/commit",
      /published for/,
    ],
    [
      "a Shields file with an unknown key",
      "tests.json",
      JSON.stringify({ schemaVersion: 1, label: "t", message: "passed", link: "x" }),
      "/link",
      /not a key Shields accepts/,
    ],
  ];
  it.each(cases)(
    "rejects %s with the file, the pointer and the reason",
    async (_what, file, content, pointer, reason) => {
      const run = await ingestDocument(file, content);
      expect(run.exitCode).toBe(1);
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
      const errors = run.annotations.filter((a) => a.level === "error");
      const match = errors.find((a) => a.properties.file === `${c}/${file}` && a.message.match(reason));
      expect(match, JSON.stringify(errors)).toBeDefined();
      if (pointer) expect(match!.message).toContain(` at ${pointer}:`);
      expect(run.outputs.valid).toBe("false");
      expect(run.outputs.results).toBe("");
    },
  );

  it("accepts a document with a byte-order mark", async () => {
    const run = await ingestDocument(
      "tests.json",
      `\uFEFF${JSON.stringify({ commit: c, status: "passed" })}`,
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.valid).toBe("true");
  });

  it("keeps unknown keys", async () => {
    const run = await ingestDocument(
      "hpc-results.json",
      JSON.stringify({ ...base(), site_notes: { gpu: "a100" } }),
    );
    expect(JSON.parse(run.outputs.results!).site_notes).toEqual({ gpu: "a100" });
  });

  it("succeeds with valid=false when fail-on-invalid is false", async () => {
    const run = await ingestDocument("hpc-results.json", "{", { "fail-on-invalid": "false" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.valid).toBe("false");
    expect(run.annotations.some((a) => a.level === "error" && /truncated/.test(a.message))).toBe(true);
  });

  it("refuses a commit input or a folder that is not a commit id, so no path leaves the checkout", async () => {
    const repo = new ResultsRepo();
    writeOurRun(repo.work, ourRun(c));
    const run = await runAction("ingest-hpc-results", { cwd: repo.work, inputs: { commit: "../../etc" } });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]!.message).toMatch(/not a commit id/);

    mkdirSync(join(repo.work, "..", "escape"), { recursive: true });
    mkdirSync(join(repo.work, "NOT-A-SHA"), { recursive: true });
    writeFileSync(join(repo.work, "NOT-A-SHA", "hpc-results.json"), JSON.stringify(base()));
    const pushed = repo.commit("bad folder");
    const run2 = await runAction("ingest-hpc-results", {
      cwd: repo.work,
      event: repo.pushEvent(sha("x"), [pushed]),
    });
    expect(run2.exitCode).toBe(1);
    expect(run2.annotations.some((a) => /folder "NOT-A-SHA" is not a commit id/.test(a.message))).toBe(true);
  });

  it("never follows a symbolic link on the branch", async () => {
    const repo = new ResultsRepo();
    writeOurRun(repo.work, ourRun(c));
    rmSync(join(repo.work, c, "meta.json"));
    symlinkSync("/etc/hostname", join(repo.work, c, "meta.json"));
    const run = await runAction("ingest-hpc-results", { cwd: repo.work, inputs: { commit: c } });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.some((a) => /symbolic link/.test(a.message))).toBe(true);
  });
});

describe("workflow artifact", () => {
  it("uploads the ingested documents and the normalized run as hpc-results-<sha>-<attempt>", async () => {
    const { startArtifactService } = await import("./harness/artifact-service.js");
    const service = await startArtifactService();
    try {
      const repo = new ResultsRepo();
      const c = sha("artifact");
      writeOurRun(repo.work, ourRun(c));
      const run = await runAction("ingest-hpc-results", {
        cwd: repo.work,
        inputs: { commit: c, "upload-artifact": "true" },
        env: service.env(),
      });
      expect(run.annotations.filter((a) => a.level !== "notice")).toEqual([]);
      expect(run.exitCode).toBe(0);
      const name = `hpc-results-${c}-1`;
      expect(JSON.parse(run.outputs.artifacts!)).toEqual([name]);
      expect(service.artifacts().map((a) => a.name)).toEqual([name]);
      const files = service.files(name);
      expect(Object.keys(files).sort()).toEqual(
        [
          `documents/${c}/benchmarks.json`,
          `documents/${c}/hpc-results.json`,
          `documents/${c}/meta.json`,
          `documents/${c}/tests.json`,
          "hpc-results.normalized.json",
        ].sort(),
      );
      expect(JSON.parse(files["hpc-results.normalized.json"]!)).toEqual(JSON.parse(run.outputs.results!));
      expect(files[`documents/${c}/hpc-results.json`]).toBe(
        readFileSync(join(repo.work, c, "hpc-results.json"), "utf8"),
      );
      expect(run.stdout + run.stderr).not.toContain(service.token);
    } finally {
      await service.close();
    }
  });
});

describe("job summary", () => {
  it("shows strings from the data as text: no HTML, link or broken table, no invisible space or entity", async () => {
    const repo = new ResultsRepo();
    const c = sha("hostile");
    const r = ourRun(c);
    const hostile = "@octocat <img src=x onerror=alert(1)> #12 | `x` [a](http://e.vil) </details>";
    Object.assign(r.results, { branch: hostile });
    (r.results.hpc as Record<string, unknown>).cluster = hostile;
    writeOurRun(repo.work, r);
    const run = await runAction("ingest-hpc-results", { cwd: repo.work, inputs: { commit: c } });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.results!).branch).toBe(hostile);
    // Rendered Markdown that notifies no one: backslash escapes, which CommonMark shows as the bare character.
    expect(run.summary).not.toContain("\u200b");
    expect(run.summary).not.toMatch(/&(#\d+|[a-z]+);/);
    expect(run.summary).not.toMatch(/(^|[^\\])(<img|<\/details>|\]\(http)/m);
    const shown = run.summary.replace(/\\([&<>"'|\\`*_[\]~!@#:$])/g, "$1");
    expect(shown).toContain(`| Branch | ${hostile} |`);
    for (const line of run.summary
      .split("\n")
      .filter((l) => l.startsWith("| Branch") || l.startsWith("| Cluster"))) {
      expect(line.split(/(?<!\\)\|/)).toHaveLength(4); // the cell did not split the table
    }
  });
});
