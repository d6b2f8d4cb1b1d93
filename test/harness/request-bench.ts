// What the tests of request-hpc-run share: the GitHub stand-in with the action's token, a results branch
// started on a bare origin, a check that the stand-in saw no request GitHub would refuse, and that the
// token never shows in what the action printed.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { git } from "./git.js";
import { startGitHubApi, type GitHubApi } from "./github-api/index.js";
import { ResultsRepo } from "./results-branch.js";
import type { ActionRun } from "./run-action.js";

export interface RequestBench {
  readonly api: GitHubApi;
  readonly results: ResultsRepo;
  /** The token appears only in the runner's own ::add-mask:: command, which hides it from every later line. */
  expectNoToken(run: ActionRun): void;
}

/** Registers the file's hooks; the fields are set once beforeAll has run. */
export function requestBench(token: string, seed: (api: GitHubApi) => void = () => {}): RequestBench {
  let api: GitHubApi | undefined;
  let results: ResultsRepo | undefined;
  beforeAll(async () => {
    api = await startGitHubApi({ token });
    seed(api);
    results = new ResultsRepo();
    writeFileSync(join(results.work, "README.md"), "HPC results\n");
    results.commit("start the results branch");
    git(results.work, "push", "-q", "origin", "hpc-results");
  });
  afterEach(() => {
    expect(api!.violations).toEqual([]);
  });
  afterAll(async () => {
    await api?.close();
  });
  return {
    get api() {
      return api!;
    },
    get results() {
      return results!;
    },
    expectNoToken(run) {
      const lines = `${run.stdout}\n${run.stderr}`.split("\n").filter((l) => !l.startsWith("::add-mask::"));
      expect(lines.join("\n")).not.toContain(token);
    },
  };
}
