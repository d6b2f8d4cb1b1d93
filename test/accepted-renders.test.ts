// Property (seeded, so a failure can be replayed): every run ingest accepts is also read by render-badges
// (runs-file) and comment-hpc-summary (results), renders the dashboard and badges, the comment body, the
// statuses and the job summary, without an error. Documents are valid-looking runs with numbers at and past
// the schemas' bounds, sums that leave 2^53, oversized merges, far-future dates and hostile text.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRunsFile } from "../src/actions/render-badges/load-runs.js";
import { readRunInput } from "../src/actions/run-input.js";
import { MAX_DOCUMENT_BYTES } from "../src/contract/json.js";
import type { HpcResults } from "../src/contract/types.js";
import { historyEntry } from "../src/dashboard/history.js";
import { renderSite } from "../src/dashboard/site.js";
import { planStatuses } from "../src/github/statuses.js";
import { assessRun } from "../src/render/assessment.js";
import { forJobSummary } from "../src/render/escape.js";
import { runTable } from "../src/render/run-table.js";
import { renderSummaryBody } from "../src/render/summary-body.js";
import { ingest } from "../src/results-branch/ingest.js";
import { seededRandom } from "./harness/random.js";
import { ourRun, sha, writeOurRun } from "./harness/results-branch.js";
import { scratchDir } from "./harness/scratch.js";

const NUMBERS = [
  0,
  1,
  0.5,
  99.99,
  100,
  101,
  2 ** 31,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 60,
  1e15,
  -1e15,
  1e16,
  315576000,
  315576001,
  315576000000,
  1e300,
  1e308,
  -1,
  -1e308,
  5e-324,
];
const TEXT = ["ok", "\u202eevil\u202c", "@octocat #1 <b>x</b> | `y`", "x".repeat(4096), "é".repeat(300)];
const DATES = [
  "2026-02-01T08:00:00Z",
  "1970-01-01T00:00:00Z",
  "2026-02-02T07:59:59Z",
  "9999-12-31T23:59:59Z",
];
const PUSHED_AT = Date.parse("2026-02-01T12:00:00Z");
const OPTIONS = { badges: {}, badgeStyle: "flat" as const, staleAfterSeconds: 7 * 86400, repository: "o/r" };

type Doc = Record<string, unknown>;

function randomRun(commit: string, rand: () => number): ReturnType<typeof ourRun> {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  // Mostly plausible, sometimes at or past a bound: a run has many numbers, and one bad one refuses it.
  const num = () => (rand() < 0.08 ? pick(NUMBERS) : pick([0, 1, 2, 42]));
  const run = ourRun(commit, { generatedAt: pick(DATES), failed: pick([0, 1]) });
  const results = run.results as Doc;
  const tests = run.tests as Doc;
  const bench = run.benchmarks as Doc;
  const suites: Record<string, Doc> = {};
  const suiteCount = rand() < 0.05 ? 9000 : 1 + Math.floor(rand() * 4);
  for (let i = 0; i < suiteCount; i++) {
    suites[`${pick(TEXT).slice(0, 100)}-${i}-${"s".repeat(suiteCount > 100 ? 40 : 0)}`] = {
      passed: num(),
      failed: pick([0, 0, 1, num()]),
      ...(rand() < 0.3 && { skipped: num() }),
      ...(rand() < 0.3 && { duration_seconds: num() }),
    };
  }
  tests.suites = suites;
  const results2: Record<string, Doc> = {};
  const benchCount = rand() < 0.05 ? 9000 : 1 + Math.floor(rand() * 4);
  for (let i = 0; i < benchCount; i++) {
    results2[`${pick(TEXT).slice(0, 100)}/${i}-${"b".repeat(benchCount > 100 ? 40 : 0)}`] = {
      median_ms: num(),
      ...(rand() < 0.5 && { delta_vs_baseline_pct: num() * pick([1, -1]) }),
      ...(rand() < 0.5 && { memory_bytes: num(), allocs: num() }),
      ...(rand() < 0.3 && { value: num(), unit: pick(TEXT).slice(0, 50) }),
      regression: rand() < 0.3,
    };
  }
  bench.benchmarks = results2;
  const coverage = results.coverage as Doc;
  coverage.coverage_percent = num();
  coverage.total_lines = rand() < 0.1 ? num() : 2 ** 53 - 1;
  coverage.covered_lines = rand() < 0.1 ? num() : pick([0, 42, 2 ** 53 - 1]);
  (results.tests as Doc).duration_seconds = num();
  (results.hpc as Doc).walltime_seconds = num();
  (results.hpc as Doc).cluster = pick(TEXT).slice(0, 200);
  results.branch = pick(["main", "feature/\u2067x", "a".repeat(300)]);
  if (rand() < 0.2) (results.tests as Doc).reason = pick(TEXT);
  if (rand() < 0.2) delete run.tests;
  if (rand() < 0.2) delete run.benchmarks;
  return run;
}

describe("every run ingest accepts renders and comments", () => {
  it("holds for 300 seeded runs at and past the bounds", async () => {
    const rand = seededRandom(20261206);
    const root = scratchDir("accepted-");
    let accepted = 0;
    let refused = 0;
    const all: HpcResults[] = [];
    for (let i = 0; i < 300; i++) {
      const commit = sha(`accepted-${i}`);
      const docs = randomRun(commit, rand);
      mkdirSync(join(root, commit), { recursive: true });
      writeOurRun(root, docs);
      const outcome = await ingest({ root, commit, pushedAt: PUSHED_AT });
      if (outcome.runs.length === 0) {
        expect(outcome.errors.length, `case ${i}`).toBeGreaterThan(0);
        refused++;
        continue;
      }
      accepted++;
      const run = outcome.runs[0]!;
      const label = `case ${i}: ${JSON.stringify(run).slice(0, 300)}`;
      // What render-badges and comment-hpc-summary read: the run as ingest wrote it.
      const text = JSON.stringify(run);
      expect(Buffer.byteLength(text), label).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
      const file = join(root, `runs-${i}.json`);
      writeFileSync(file, JSON.stringify([run]));
      const read = await readRunsFile(file, PUSHED_AT);
      expect(read.problems, label).toEqual([]);
      expect(await readRunInput(text, ""), label).toEqual(run);
      const assessment = assessRun(run);
      const body = renderSummaryBody({ run, assessment, links: {}, maxCharacters: 65000 });
      expect(body.length, label).toBeGreaterThan(0);
      expect(forJobSummary(runTable(run)).length, label).toBeGreaterThan(0);
      for (const s of planStatuses(assessment, { prefix: "hpc", skipped: "success" })) {
        expect(Array.from(s.description).length, label).toBeLessThanOrEqual(140);
      }
      const site = renderSite([historyEntry(run)], OPTIONS, new Date(PUSHED_AT));
      expect(site.get("index.html"), label).toContain("<html");
      for (const [name, content] of site) {
        if (name.endsWith(".json")) expect(() => JSON.parse(content), `${label} ${name}`).not.toThrow();
      }
      all.push(run);
    }
    // The whole push at once, as the render job reads it.
    const file = join(root, "runs.json");
    writeFileSync(file, JSON.stringify(all));
    expect((await readRunsFile(file, PUSHED_AT)).problems).toEqual([]);
    expect(renderSite(all.map(historyEntry), OPTIONS, new Date(PUSHED_AT)).size).toBeGreaterThan(0);
    // Both outcomes are exercised.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(50);
  }, 120_000);
});
