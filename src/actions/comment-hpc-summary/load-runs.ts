// The newest run of a pull request's base branch (from `branches/<base>.json` on a checkout of the
// results branch), validated.
import { kindOfPath as kindOf } from "../../fs/kind.js";
import { join } from "node:path";
import { formatContractError } from "../../contract/errors.js";
import { readBranchDocument } from "../../results-branch/read.js";
import { BRANCH_POINTERS, branchPointer } from "../../results-branch/layout.js";
import type { BaseComparison } from "../../render/assessment.js";

export interface BranchRun {
  comparison: BaseComparison;
  /** Set when the file is there but cannot be used: worth a warning, not a failure. */
  warning?: string;
}

/** The newest run of `branch` published on the results branch checked out at `root`, or why there is none. */
export async function readBranchRun(root: string, branch: string): Promise<BranchRun> {
  const file = branchPointer(branch);
  const read = await readBranchDocument(root, file, "hpc-results");
  if (read.value) return { comparison: { branch, run: read.value } };
  if (read.errors.length > 0) {
    const note = `not used: ${read.errors.map(formatContractError).join("; ")}`;
    return { comparison: { branch, note }, warning: note };
  }
  const folder = await kindOf(join(root, BRANCH_POINTERS));
  const note =
    folder === "directory"
      ? `the results branch has no run of ${branch} yet (${file})`
      : `there is no ${BRANCH_POINTERS}/ folder in results-path (${root}): is it a checkout of the results branch?`;
  return { comparison: { branch, note } };
}
