// Runs a results-branch writer can publish that passed ingest and broke later (issue 15): numbers whose sums
// overflow, a merged run over the one size limit, a run dated in the far future, artifact names that collide.
// Each is refused on its own, and the good runs of the same push still go through.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRuns, readRunsFile } from "../src/actions/render-badges/load-runs.js";
import { readRunInput } from "../src/actions/run-input.js";
import { CLOCK_SKEW_MS } from "../src/contract/accept.js";
import { MAX_DOCUMENT_BYTES } from "../src/contract/json.js";
import type { HpcResults } from "../src/contract/types.js";
import { checkDocument } from "../src/contract/validate.js";
import { historyEntry, parseHistory } from "../src/dashboard/history.js";
import { ingest } from "../src/results-branch/ingest.js";
import { runAction } from "./harness/run-action.js";
import { ResultsRepo, ourRun, sha, writeOurRun } from "./harness/results-branch.js";
import { scratchDir } from "./harness/scratch.js";

const ZERO = "0".repeat(40);
const MAX = Number.MAX_SAFE_INTEGER;

/** Suites of about `bytes` bytes in a tests summary. */
function manySuites(bytes: number): Record<string, { passed: number; failed: number }> {
  const suites: Record<string, { passed: number; failed: number }> = {};
  for (let i = 0; i * 80 < bytes; i++) suites[`suite-${i}-${"x".repeat(40)}`] = { passed: 1, failed: 0 };
  return suites;
}

/** A push carrying a good run and the bad one `spoil` makes, as two results commits. */
function pushWithOneBadRun(spoil: (run: ReturnType<typeof ourRun>) => void) {
  const repo = new ResultsRepo();
  const good = sha("good-run");
  const bad = sha("bad-run");
  writeOurRun(repo.work, ourRun(good));
  const first = repo.commit("good");
  const badRun = ourRun(bad, { generatedAt: "2026-02-01T09:00:00Z" });
  spoil(badRun);
  writeOurRun(repo.work, badRun);
  const second = repo.commit("bad");
  return { repo, good, bad, event: repo.pushEvent(ZERO.replace(/0$/, "1"), [first, second]) };
}

async function ingestPush(spoil: (run: ReturnType<typeof ourRun>) => void) {
  const { repo, good, bad, event } = pushWithOneBadRun(spoil);
  const run = await runAction("ingest-hpc-results", { cwd: repo.work, event });
  const errors = run.annotations.filter((a) => a.level === "error").map((a) => a.message);
  return { run, good, bad, errors };
}

describe("numbers and sizes: refused at ingest, never later", () => {
  it("refuses counts whose sum leaves 2^53, and keeps the good run of the same push", async () => {
    const { run, good, bad, errors } = await ingestPush((r) => {
      r.tests = { ...r.tests, suites: { a: { passed: MAX, failed: 0 }, b: { passed: MAX, failed: 0 } } };
    });
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.commits!)).toEqual([good]);
    expect(errors.join("\n")).toContain(`${bad}/ (normalized run) at /tests/totals/passed`);
    expect(errors.join("\n")).toMatch(/must be <= 9007199254740991/);
    const runs = JSON.parse(readFileSync(run.outputs["runs-file"]!, "utf8")) as HpcResults[];
    expect(runs.map((r) => r.commit)).toEqual([good]);
  });

  it("refuses a count of 1e308 in a document (the sum became Infinity, then null)", async () => {
    const { run, good, errors } = await ingestPush((r) => {
      r.tests = { ...r.tests, suites: { a: { passed: 1e308, failed: 0 }, b: { passed: 1e308 } } };
    });
    expect(JSON.parse(run.outputs.commits!)).toEqual([good]);
    expect(errors.join("\n")).toMatch(/tests\.json at \/suites\/a\/passed: must be <= 9007199254740991/);
  });

  it("refuses a run whose documents merge to more than the one size limit, naming the limit", async () => {
    const { run, good, bad, errors } = await ingestPush((r) => {
      // Each document is under 1 MiB; together they are not.
      r.tests = { ...r.tests, suites: manySuites(0.6 * MAX_DOCUMENT_BYTES) };
      r.benchmarks = {
        ...r.benchmarks,
        benchmarks: Object.fromEntries(
          Object.keys(manySuites(0.6 * MAX_DOCUMENT_BYTES)).map((n) => [n, { median_ms: 1 }]),
        ),
      };
    });
    expect(JSON.parse(run.outputs.commits!)).toEqual([good]);
    expect(errors.join("\n")).toMatch(
      new RegExp(`${bad}/: the run is \\d+ bytes once its documents are merged, over the 1048576 byte limit`),
    );
  });

  it("a run just under the limit, accepted by ingest, is read by render-badges and comment-hpc-summary", async () => {
    const repo = new ResultsRepo();
    const c = sha("near-limit");
    const r = ourRun(c);
    // Each document well under 1 MiB, the merged run near it: indented, it would be over.
    r.tests = { ...r.tests, suites: manySuites(0.45 * MAX_DOCUMENT_BYTES) };
    r.benchmarks = {
      ...r.benchmarks,
      benchmarks: Object.fromEntries(
        Object.keys(manySuites(0.45 * MAX_DOCUMENT_BYTES)).map((n) => [n, { median_ms: 1 }]),
      ),
    };
    writeOurRun(repo.work, r);
    repo.commit("near the limit");
    const run = await runAction("ingest-hpc-results", { cwd: repo.work, inputs: { commit: c } });
    expect(run.annotations.filter((a) => a.level === "error")).toEqual([]);
    expect(run.outputs.valid).toBe("true");
    // What comment-hpc-summary reads (results-file) and what render-badges reads (runs-file).
    const accepted = await readRunInput("", run.outputs["results-file"]!);
    expect(accepted.commit).toBe(c);
    expect(Buffer.byteLength(JSON.stringify(accepted))).toBeGreaterThan(0.8 * MAX_DOCUMENT_BYTES);
    const read = await readRunsFile(run.outputs["runs-file"]!);
    expect(read).toEqual({ runs: [accepted], problems: [] });
  });

  it("leaves a bad run of a runs file out, reports it, and renders the others", async () => {
    const dir = scratchDir("runs-file-");
    const good = ourRun(sha("rf-good")).results as unknown as HpcResults;
    const big = {
      ...(ourRun(sha("rf-big")).results as unknown as HpcResults),
      junk: "x".repeat(MAX_DOCUMENT_BYTES),
    };
    const future = { ...good, commit: sha("rf-future"), generated_at: "9999-12-31T23:59:59Z" };
    const file = join(dir, "runs.json");
    writeFileSync(file, JSON.stringify([big, good, future]));
    const now = Date.now();
    const read = await readRunsFile(file, now);
    expect(read.runs.map((r) => r.commit)).toEqual([good.commit]);
    expect(read.problems).toHaveLength(2);
    expect(read.problems[0]).toMatch(/\[0\]: document is over the 1048576 byte limit/);
    expect(read.problems[1]).toMatch(/\[2\] at \/generated_at: 9999-12-31T23:59:59Z is after/);
    const reported: string[] = [];
    const runs = await loadRuns(
      { results: "", resultsFile: "", runsFile: file },
      (p) => reported.push(p),
      now,
    );
    expect(runs.map((r) => r.commit)).toEqual([good.commit]);
    expect(reported).toEqual(read.problems);
  });
});

describe("runs dated in the future", () => {
  it("ingest refuses a run dated after the push plus a day, and keeps the good run", async () => {
    const { run, good, bad, errors } = await ingestPush((r) => {
      r.results.generated_at = "9999-12-31T23:59:59Z";
      r.meta!.generated_at = "9999-12-31T23:59:59Z";
    });
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.commits!)).toEqual([good]);
    expect(errors.join("\n")).toMatch(
      new RegExp(`${bad}/ at /generated_at: 9999-12-31T23:59:59Z is after .*refused`),
    );
  });

  it("measures from the results commit's date, never later than now, with one day of skew", async () => {
    const root = scratchDir("future-");
    const pushedAt = Date.parse("2026-03-01T00:00:00Z");
    const at = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
    const c1 = sha("skew-ok");
    const c2 = sha("skew-late");
    writeOurRun(root, ourRun(c1, { generatedAt: at(pushedAt + CLOCK_SKEW_MS - 1000) }));
    writeOurRun(root, ourRun(c2, { generatedAt: at(pushedAt + CLOCK_SKEW_MS + 1000) }));
    const ok = await ingest({ root, commit: c1, pushedAt });
    expect(ok.errors).toEqual([]);
    const late = await ingest({ root, commit: c2, pushedAt });
    expect(late.runs).toEqual([]);
    expect(late.errors[0]).toMatchObject({ file: `${c2}/`, pointer: "/generated_at" });
    // A results commit dated in the future does not move the limit past now.
    const forged = await ingest({ root, commit: c2, pushedAt: Date.parse("9999-01-01T00:00:00Z") });
    expect(forged.errors).toEqual([]); // 2026-03-02 is before now (plus a day)
    const tomorrow = sha("skew-now");
    writeOurRun(root, ourRun(tomorrow, { generatedAt: at(Date.now() + CLOCK_SKEW_MS + 60_000) }));
    const now = await ingest({ root, commit: tomorrow, pushedAt: Date.parse("9999-01-01T00:00:00Z") });
    expect(now.runs).toEqual([]);
  });

  it("the dashboard history drops an entry from the future written before the rule", () => {
    const old = { ...historyEntry(ourRun(sha("h-old")).results as unknown as HpcResults) };
    const pinned = { ...old, commit: sha("h-pinned"), generated_at: "9999-12-31T23:59:59Z" };
    expect(checkDocument("hpc-results", pinned, "x")).toEqual([]);
    const parsed = parseHistory(JSON.stringify({ schema_version: 1, runs: [pinned, old] }), "history.json");
    expect(parsed.runs.map((r) => r.commit)).toEqual([old.commit]);
    expect(parsed.dropped[0]).toMatch(/entry 0 left out: history\.json at \/runs\/0\/generated_at/);
  });
});

describe("workflow artifact names", () => {
  it("two commits sharing a 7-character prefix both upload, and a re-run attempt uploads again", async () => {
    const { startArtifactService } = await import("./harness/artifact-service.js");
    const service = await startArtifactService();
    try {
      const repo = new ResultsRepo();
      const a = `abcdef1${"0".repeat(33)}`;
      const b = `abcdef1${"1".repeat(33)}`;
      writeOurRun(repo.work, ourRun(a));
      const first = repo.commit("a");
      writeOurRun(repo.work, ourRun(b, { generatedAt: "2026-02-01T09:00:00Z" }));
      const second = repo.commit("b");
      const event = repo.pushEvent(ZERO.replace(/0$/, "1"), [first, second]);
      const attempt = async (n: string) =>
        runAction("ingest-hpc-results", {
          cwd: repo.work,
          event,
          inputs: { "upload-artifact": "true" },
          env: { ...service.env(), GITHUB_RUN_ATTEMPT: n },
        });
      const one = await attempt("1");
      expect(one.annotations.filter((x) => x.level === "error")).toEqual([]);
      expect(one.exitCode).toBe(0);
      expect(JSON.parse(one.outputs.artifacts!)).toEqual([`hpc-results-${a}-1`, `hpc-results-${b}-1`]);
      const two = await attempt("2");
      expect(two.exitCode).toBe(0);
      expect(service.artifacts().map((x) => x.name)).toEqual([
        `hpc-results-${a}-1`,
        `hpc-results-${b}-1`,
        `hpc-results-${a}-2`,
        `hpc-results-${b}-2`,
      ]);
    } finally {
      await service.close();
    }
  });
});
