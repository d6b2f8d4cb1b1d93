// The newest run of a pull request's base branch (from `branches/<base>.json` on a checkout of the
// results branch), validated.
import { kindOfPath as kindOf } from "../../fs/kind.js";
import { join } from "node:path";
import { readValidDocument } from "../../contract/read-valid.js";
import { BRANCH_POINTERS, branchPointer } from "../../results-branch/layout.js";
import type { BaseComparison } from "../../render/assessment.js";

export interface BranchRun {
  comparison: BaseComparison;
  /** Set when the file is there but cannot be used: worth a warning, not a failure. */
  warning?: string;
}

/** The newest run of `branch` published on the results branch checked out at `root`, or why there is none. */
export async function readBranchRun(root: string, branch: string): Promise<BranchRun> {
  const unusable = (note: string): BranchRun => ({ comparison: { branch, note }, warning: note });
  const file = branchPointer(branch);
  const kind = await kindOf(join(root, file));
  if (kind === "missing") {
    const folder = await kindOf(join(root, BRANCH_POINTERS));
    const note =
      folder === "directory"
        ? `the results branch has no run of ${branch} yet (${file})`
        : `there is no ${BRANCH_POINTERS}/ folder in results-path (${root}): is it a checkout of the results branch?`;
    return { comparison: { branch, note } };
  }
  // A symbolic link on the branch could point anywhere on the runner: never follow it.
  if (kind !== "file") return unusable(`${file} is a ${kind}, not a regular file; not read`);
  const read = await readValidDocument(join(root, file), "hpc-results", file);
  if (!read?.value) return unusable(`${file} is not valid: ${read?.problem ?? "it is gone"}`);
  return { comparison: { branch, run: read.value } };
}
