// Issue 14's end-to-end A/A replay: a generated sequence of runs of unchanged code goes through the bundled
// CLI (default-branch runs become the history, pull-request runs are judged and published on the results
// branch), then the bundled actions process the results branch the CLI pushed (ingest-hpc-results,
// comment-hpc-summary against the GitHub stand-in, render-badges). Every place that shows the verdict is
// read back and must say the same thing, per run and per benchmark: unchanged code passes (the slow node's
// 3x is one shift, not regressions), an injected +30%, doubled allocations and a real improvement are each
// reported as what they are.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchmarksSummary, HpcResults } from "../src/contract/types.js";
import { SLOW_NODE, aaSequence, type GeneratedRun, withScaled } from "./harness/aa-sequence.js";
import { BenchProject } from "./harness/bench-project.js";
import type { CliRun } from "./harness/cli.js";
import { startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import { scratchDir } from "./harness/scratch.js";
import { type Shown, throughTheActions } from "./harness/through-actions.js";

const TOKEN = "ghs_AaEndToEndToken0123456789abcdefABCD";
const MAIN = aaSequence(21, 8, (i) => i === 3);
const PRS = aaSequence(2121, 7, (i) => i === 1);

let bench: BenchProject;
let api: GitHubApi;
/** A checkout of the results branch, as the workflow's actions/checkout makes it. */
let results: string;
/** The Pages folder render-badges writes into, kept across runs as the pages branch is. */
let site: string;
let nextPr = 100;

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

beforeAll(async () => {
  api = await startGitHubApi({ token: TOKEN });
  bench = new BenchProject();
  await bench.publishHistory(MAIN);
  results = join(scratchDir("aa-results-"), "checkout");
  execFileSync("git", ["clone", "-q", "-b", "hpc-results", bench.p.origin, results]);
  site = scratchDir("aa-site-");
}, 120_000);

afterAll(async () => {
  expect(api.violations).toEqual([]);
  await api.close();
});

interface Places extends Shown {
  commit: string;
  cli: CliRun;
  benchmarksJson: BenchmarksSummary;
  hpcResults: HpcResults;
}

/** The push event GitHub sends for the results branch moving from `before` to HEAD. */
function pushEvent(before: string): Record<string, unknown> {
  const ids = git(results, "rev-list", "--reverse", `${before}..HEAD`).split("\n").filter(Boolean);
  const commits = ids.map((id) => {
    const changes = git(results, "show", "--name-status", "--format=", "--no-renames", id).split("\n");
    const paths = (s: string) => changes.filter((l) => l.startsWith(s)).map((l) => l.split("\t")[1]!);
    return { id, message: "publish", added: paths("A"), modified: paths("M"), removed: paths("D") };
  });
  return {
    ref: "refs/heads/hpc-results",
    before,
    after: ids.at(-1),
    created: false,
    commits,
    head_commit: commits.at(-1),
    repository: { full_name: "octo-org/octo-repo", name: "octo-repo", owner: { login: "octo-org" } },
  };
}

/** A pull request's run: the CLI on the cluster, then the three actions on what it pushed. */
async function replay(run: GeneratedRun): Promise<Places> {
  const pr = nextPr++;
  const commit = bench.branch(`pr-${pr}`);
  const cli = await bench.run(run);
  const before = git(results, "rev-parse", "HEAD");
  git(results, "pull", "-q", "--ff-only");
  const event = pushEvent(before);
  const shown = await throughTheActions({ api, token: TOKEN, checkout: results, event, commit, pr, site });
  const stored = (path: string) => JSON.parse(readFileSync(join(results, commit, path), "utf8"));
  return {
    ...shown,
    commit,
    cli,
    benchmarksJson: stored("benchmarks.json"),
    hpcResults: stored("hpc-results.json"),
  };
}

/** What one place says about a run; each place fills in what it shows. */
interface View {
  gate?: "passed" | "failed";
  verdict?: string;
  regressions?: number;
  improvements?: number;
  regressed?: string[];
  improved?: string[];
  /** Each benchmark's verdict. */
  benchmarks?: Record<string, string>;
  /** The suite-wide shifts, as "suite on node". */
  shifts?: string[];
  /** To one decimal, as the badge shows it. */
  worstRegressionPct?: number | null;
}

interface Section {
  verdict?: string;
  results?: Record<string, { verdict?: string }>;
  benchmarks?: Record<string, { verdict?: string }>;
  shifts?: Array<{ suite?: string; node?: string }>;
  worst_regression_pct?: number | null;
}

const count = (text: string, word: string) => Number(new RegExp(`(\\d+) ${word}s?\\b`).exec(text)?.[1] ?? 0);
const named = (map: Record<string, string>, verdict: string) =>
  Object.keys(map)
    .filter((n) => map[n] === verdict)
    .sort();
const unescapeMd = (s: string) => s.replace(/&#95;/g, "_");
const pct = (x: number | null | undefined) => (typeof x === "number" ? Math.round(x * 10) / 10 : null);
const all = <T>(text: string, re: RegExp, f: (m: RegExpExecArray) => T) => [...text.matchAll(re)].map(f);

/** A benchmarks section as stored (benchmarks.json, hpc-results.json, ingest's run, history.json). */
function fromSection(section: Section): View {
  const results = section.results ?? section.benchmarks ?? {};
  const benchmarks = Object.fromEntries(Object.entries(results).map(([n, r]) => [n, r.verdict ?? "none"]));
  return {
    verdict: section.verdict,
    benchmarks,
    regressed: named(benchmarks, "regression"),
    improved: named(benchmarks, "improvement"),
    shifts: (section.shifts ?? []).map((s) => `${s.suite} on ${s.node}`),
    ...("worst_regression_pct" in section && { worstRegressionPct: pct(section.worst_regression_pct) }),
  };
}

/** From a table of benchmarks: their verdicts, and who regressed or improved. */
function fromRows(rows: Array<[string, string]>): View {
  const benchmarks = Object.fromEntries(rows);
  return {
    benchmarks,
    regressed: named(benchmarks, "regression"),
    improved: named(benchmarks, "improvement"),
  };
}

/** From a headline such as "failed: 1 regression, 1 improvement". */
function fromHeadline(failed: boolean, text: string): View {
  const gate = failed ? "failed" : "passed";
  return { gate, regressions: count(text, "regression"), improvements: count(text, "improvement") };
}

/** Every place's view of the run. */
function views(seen: Places): Record<string, View> {
  const log = seen.cli.stdout + seen.cli.stderr;
  const listed = (v: string) => all(log, new RegExp(`benchmarks: ${v}: ([^:]+):`, "g"), (m) => m[1]!).sort();
  const ingested = JSON.parse(seen.ingest.outputs.results!) as HpcResults;
  const worst = seen.ingest.outputs["worst-regression-pct"]!;
  const summary = /\| Benchmarks \| (✅ passed|❌ failed) · (.*) \|/.exec(seen.ingest.summary)!;
  const heading = /#### Benchmarks (✅ passed|❌ failed): (.*)/.exec(seen.comment)!;
  const page = /<span class="status (\w+)">\w+<\/span> ([^<]*)/.exec(seen.dashboard)!;
  const entry = seen.history.runs.find((r) => r.commit === seen.commit)!;
  const { state, description } = seen.status;
  const badge = seen.badges.benchmarks.message;
  return {
    "CLI exit code and log": {
      gate: seen.cli.exitCode === 0 ? "passed" : "failed",
      verdict: /benchmarks: (\w+) against \d+ main run/.exec(log)?.[1],
      regressions: listed("regression").length,
      improvements: listed("improvement").length,
      regressed: listed("regression"),
      improved: listed("improvement"),
      shifts: all(log, /suite (\S+) moved x[\d.]+ together on node (\S+)/g, (m) => `${m[1]} on ${m[2]}`),
    },
    "<sha>/benchmarks.json": fromSection(seen.benchmarksJson),
    "<sha>/hpc-results.json": fromSection(seen.hpcResults.benchmarks!),
    "ingest outputs": {
      ...fromSection(ingested.benchmarks!),
      verdict: seen.ingest.outputs["benchmarks-verdict"],
      worstRegressionPct: pct(worst === "" ? null : Number(worst)),
    },
    "ingest job summary": fromHeadline(summary[1]!.endsWith("failed"), summary[2]!),
    "hpc/benchmarks status": {
      ...fromHeadline(state === "failure", description),
      regressed:
        state === "failure"
          ? description
              .split(": ")[1]!
              .split(", ")
              .map((r) => r.split(" ")[0]!)
          : [],
    },
    comment: {
      ...fromHeadline(heading[1]!.endsWith("failed"), heading[2]!),
      ...fromRows(
        all(
          seen.comment,
          /^\| ((?:cpu|io)\/\S+) \|.* \| \S+ (\w+)(?: \([^)]*\))? \|[^|]*\|[^|]*\|$/gm,
          (m) => [unescapeMd(m[1]!), m[2]!],
        ),
      ),
      shifts: all(
        seen.comment,
        /Suite \*\*(\S+)\*\* moved [\d.]+× together on node \*\*(\S+)\*\*/g,
        (m) => `${unescapeMd(m[1]!)} on ${unescapeMd(m[2]!)}`,
      ),
    },
    "benchmarks badge": fromHeadline(badge.startsWith("failed"), badge),
    "regression badge": {
      gate: seen.badges.regression.color === "red" ? "failed" : "passed",
      worstRegressionPct: pct(Number(seen.badges.regression.message.replace("%", ""))),
    },
    "dashboard index.html": {
      ...fromHeadline(page[1] === "failed", page[2]!),
      ...fromRows(
        all(seen.dashboard, /<tr class="v-(\w+)"><td data-label="Benchmark">([^<]+)<\/td>/g, (m) => [
          m[2]!,
          m[1]!,
        ]),
      ),
    },
    "dashboard history.json": fromSection(entry.benchmarks!),
  };
}

/** What the judge stored, in every field a place can show. */
function stored(seen: Places): Required<View> {
  const section = seen.hpcResults.benchmarks!;
  for (const r of Object.values(section.results ?? {})) expect(r.evidence?.tentative ?? false).toBe(false);
  const own = fromSection(section) as Required<View>;
  const gate = own.verdict === "regression" ? "failed" : "passed";
  return { ...own, gate, regressions: own.regressed.length, improvements: own.improved.length };
}

const KERNEL_2_ALLOCS = (run: GeneratedRun): GeneratedRun => ({
  ...run,
  results: { ...run.results, "cpu/kernel_2": { ...run.results["cpu/kernel_2"], allocs: 400 } },
});

const UNCHANGED: View = {
  gate: "passed",
  verdict: "unchanged",
  regressed: [],
  improved: [],
  worstRegressionPct: 0,
};
const CASES: Array<{ name: string; run: GeneratedRun; expected: View; check?: (seen: Places) => void }> = [
  { name: "unchanged code passes", run: PRS[0]!, expected: { ...UNCHANGED, shifts: [] } },
  {
    name: "unchanged code on the slow node passes, its 3x said once as a shift of the I/O suite",
    run: PRS[1]!,
    expected: { ...UNCHANGED, shifts: [`io on ${SLOW_NODE}`] },
    check: (seen) => expect(seen.comment.match(/moved [\d.]+× together/g)).toHaveLength(1),
  },
  { name: "unchanged code passes again", run: PRS[2]!, expected: { ...UNCHANGED, shifts: [] } },
  { name: "unchanged code passes a third time", run: PRS[3]!, expected: { ...UNCHANGED, shifts: [] } },
  {
    name: "+30% on one stable benchmark fails, naming it",
    run: withScaled(PRS[4]!, "cpu/kernel_3", 1.3),
    expected: { gate: "failed", verdict: "regression", regressed: ["cpu/kernel_3"], improved: [] },
    check: (seen) => {
      expect(seen.cli.exitCode).toBe(1);
      expect(seen.status.state).toBe("failure");
      expect(seen.comment).toMatch(/⚠️ 1 regression beyond the noise band: cpu\/kernel&#95;3 \(time \+\d/);
    },
  },
  {
    name: "doubled allocations with unchanged time fail, on allocations",
    run: KERNEL_2_ALLOCS(PRS[5]!),
    expected: {
      gate: "failed",
      verdict: "regression",
      regressed: ["cpu/kernel_2"],
      improved: [],
      worstRegressionPct: 100,
    },
    check: (seen) => {
      const r = seen.hpcResults.benchmarks!.results!["cpu/kernel_2"]!;
      expect(r.evidence).toMatchObject({
        time: { verdict: "unchanged" },
        allocs: { baseline: 200, current: 400 },
      });
      expect(seen.status.description).toContain("cpu/kernel_2 allocs +100.0%");
    },
  },
  {
    name: "a real improvement is shown, and passes",
    run: withScaled(PRS[6]!, "cpu/kernel_4", 0.7),
    expected: { gate: "passed", verdict: "improvement", regressed: [], improved: ["cpu/kernel_4"] },
  },
];

describe("an A/A sequence replayed through the CLI and the actions: one verdict everywhere", () => {
  for (const c of CASES)
    it(c.name, async () => {
      const seen = await replay(c.run);
      const judged = stored(seen);
      expect(judged).toMatchObject(c.expected);
      const seenBy = views(seen);
      const agree = Object.fromEntries(
        Object.entries(seenBy).map(([place, view]) => [
          place,
          Object.fromEntries(Object.keys(view).map((k) => [k, judged[k as keyof View]])),
        ]),
      );
      expect(seenBy).toEqual(agree);
      c.check?.(seen);
    });

  it("never made the pull requests' runs history", () => {
    const history = JSON.parse(git(results, "show", "HEAD:history/main.json")) as { runs: unknown[] };
    expect(history.runs).toHaveLength(MAIN.length);
  });
});
