// The newest published run of a source branch, read from the results branch without checking it out:
// one shallow fetch of its tip and one file, however long the history is.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidDocumentError } from "../contract/errors.js";
import { parseDocument } from "../contract/json.js";
import type { HpcResults } from "../contract/types.js";
import { checkDocument } from "../contract/validate.js";
import { git } from "../git/run.js";
import { LATEST_FILES, branchPointer } from "./layout.js";

export interface BranchRun {
  run?: HpcResults;
  /** Why there is no run, for the log. */
  reason?: string;
}

export async function fetchBranchRun(
  remote: string,
  resultsBranch: string,
  sourceBranch: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BranchRun> {
  const dir = await mkdtemp(join(tmpdir(), "hpc-ci-baseline-"));
  try {
    await git(dir, ["init", "-q"]);
    try {
      await git(dir, ["fetch", "-q", "--no-tags", "--depth=1", remote, `refs/heads/${resultsBranch}`], env);
    } catch (error) {
      return { reason: `cannot fetch ${resultsBranch}: ${(error as Error).message}` };
    }
    for (const file of [branchPointer(sourceBranch), LATEST_FILES.results]) {
      const text = await git(dir, ["show", `FETCH_HEAD:${file}`]).catch(() => undefined);
      if (text === undefined) continue;
      try {
        const value = parseDocument(text, file);
        if (checkDocument("hpc-results", value, file).length > 0) continue;
        const run = value as HpcResults;
        // The root latest file is only a baseline when it is a run of the branch asked for.
        if (file === LATEST_FILES.results && run.branch !== sourceBranch) continue;
        return { run };
      } catch (error) {
        if (!(error instanceof InvalidDocumentError)) throw error;
      }
    }
    return { reason: `no published run of ${sourceBranch} on ${resultsBranch}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The repository's default branch as its remote says (origin/HEAD), else "main". */
export async function defaultBranch(root: string, remote: string): Promise<string> {
  const ref = await git(root, ["symbolic-ref", "--quiet", `refs/remotes/${remote}/HEAD`]).catch(() => "");
  const name = ref.trim().replace(`refs/remotes/${remote}/`, "");
  return name || "main";
}

/** The branch whose runs are the benchmark history: benchmarks.baseline_branch, else the default branch. */
export async function baselineBranch(settings: {
  root: string;
  results: { remote: string };
  benchmarks: { baselineBranch?: string };
}): Promise<string> {
  return settings.benchmarks.baselineBranch ?? (await defaultBranch(settings.root, settings.results.remote));
}
