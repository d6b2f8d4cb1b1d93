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
import { SLOW_NODE, aaSequence, type GeneratedRun, withScaled } from "./harness/aa-sequence.js";
import { BenchProject } from "./harness/bench-project.js";
import { startGitHubApi, type GitHubApi } from "./harness/github-api/index.js";
import { scratchDir } from "./harness/scratch.js";
import { throughTheActions } from "./harness/through-actions.js";
import { type Places, type View, stored, views } from "./harness/verdict-views.js";

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
      // The injected +30% on top of the run's own noise, not the noise of an I/O benchmark within its band.
      expect(seen.hpcResults.benchmarks!.worst_regression_pct).toBeGreaterThan(20);
      expect(seen.comment).toMatch(/⚠️ 1 regression beyond the noise band: cpu\/kernel&#95;3 \(time \+\d/);
      // The dashboard marks as worse only the regression's change, not an I/O benchmark's noise.
      const change = seen.hpcResults.benchmarks!.results!["cpu/kernel_3"]!.evidence!.time!.change_pct!;
      for (const m of seen.dashboard.matchAll(/worst change <span class="worse">([^<]+)</g))
        expect(m[1]).toBe(`+${change.toFixed(1)}%`);
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
    expected: {
      gate: "passed",
      verdict: "improvement",
      regressed: [],
      improved: ["cpu/kernel_4"],
      worstRegressionPct: 0,
    },
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
