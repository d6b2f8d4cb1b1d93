// Which source branch is the baseline: its runs are the benchmark history (history.ts) that every
// other branch is judged against.
import { git } from "../git/run.js";

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
