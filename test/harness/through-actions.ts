// A results-branch push through the three bundled actions as a workflow runs them (ingest-hpc-results, then
// comment-hpc-summary against the GitHub stand-in on the run's pull request, then render-badges into a Pages
// folder), and what each of them shows afterwards.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { HpcResults } from "../../src/contract/types.js";
import type { GitHubApi } from "./github-api/index.js";
import { type ActionRun, runAction } from "./run-action.js";

export interface Shown {
  ingest: ActionRun;
  /** The hpc/benchmarks commit status. */
  status: { state: string; description: string };
  /** The hpc/benchmarks check run. */
  checkRun: { conclusion: string | null; title: string };
  /** The pull request's comment. */
  comment: string;
  badges: { benchmarks: { message: string; color: string }; regression: { message: string; color: string } };
  dashboard: string;
  history: { runs: HpcResults[] };
}

export interface ActionsInput {
  api: GitHubApi;
  token: string;
  /** The checkout of the results branch. */
  checkout: string;
  /** The push event of the results branch. */
  event: unknown;
  /** The run's commit, head of pull request `pr` (added to the stand-in here). */
  commit: string;
  pr: number;
  /** The Pages folder render-badges writes into. */
  site: string;
}

export async function throughTheActions(o: ActionsInput): Promise<Shown> {
  const ingest = await runAction("ingest-hpc-results", { cwd: o.checkout, event: o.event });
  expect(ingest.exitCode, ingest.stdout).toBe(0);
  const resultsFile = ingest.outputs["results-file"]!;

  o.api.state.addPullRequest({ number: o.pr, headSha: o.commit, baseRef: "main" });
  const comment = await runAction("comment-hpc-summary", {
    // Both the check runs (the default) and the statuses, to hold them to the same verdict.
    inputs: { token: o.token, "results-file": resultsFile, "results-path": o.checkout, statuses: "true" },
    env: { GITHUB_API_URL: o.api.url, HPC_CI_GITHUB_TIME_SCALE: "0.01" },
  });
  expect(comment.exitCode, comment.stdout).toBe(0);

  const render = await runAction("render-badges", {
    inputs: { "results-file": resultsFile, "pages-path": o.site, push: "false" },
  });
  expect(render.exitCode, render.stdout).toBe(0);

  const read = (name: string) => readFileSync(join(o.site, "hpc", name), "utf8");
  const status = o.api.state.statuses(o.commit).find((s) => s.context === "hpc/benchmarks")!;
  const checkRun = o.api.state.checkRuns(o.commit).find((r) => r.name === "hpc/benchmarks")!;
  return {
    ingest,
    status: { state: status.state, description: status.description ?? "" },
    checkRun: { conclusion: checkRun.conclusion, title: checkRun.output.title ?? "" },
    comment: o.api.state.comments(o.pr)[0]!.body!,
    badges: {
      benchmarks: JSON.parse(read("benchmarks.json")),
      regression: JSON.parse(read("regression.json")),
    },
    dashboard: read("index.html"),
    history: JSON.parse(read("history.json")),
  };
}
