// Patch coverage of each pull request: its files and patches from GitHub, the tested commit's
// `<sha>/coverage-lines.json` from the checkout of the results branch. A failure is a warning and a report
// that says why patch coverage is unavailable, never the end of the comment.
import * as core from "@actions/core";
import { formatContractError } from "../../contract/errors.js";
import type { CoverageLines } from "../../contract/types.js";
import { patchCoverage } from "../../coverage/patch.js";
import type { GitHubClient, Repository } from "../../github/client.js";
import { listPullRequestFiles } from "../../github/pull-files.js";
import type { PullRequestTarget } from "../../github/pull-requests.js";
import { COMMIT_FILES, commitFile } from "../../results-branch/layout.js";
import { readBranchDocument } from "../../results-branch/read.js";
import type { PatchReport } from "../../render/patch-coverage.js";

async function readCoverageLines(
  root: string,
  commit: string,
): Promise<{ lines?: CoverageLines; unavailable?: string }> {
  const file = commitFile(commit, COMMIT_FILES.coverageLines);
  const read = await readBranchDocument(root, file, "coverage-lines", commit);
  if (read.value) return { lines: read.value };
  if (read.errors.length > 0) {
    const why = `${file} is not usable: ${read.errors.map(formatContractError).join("; ")}`;
    core.warning(why);
    return { unavailable: why };
  }
  return {
    unavailable: `the results branch has no ${COMMIT_FILES.coverageLines} for this commit (a run older than patch coverage, or one whose coverage lines were over the 1 MiB limit)`,
  };
}

export async function patchReports(
  client: GitHubClient,
  repository: Repository,
  resultsPath: string,
  commit: string,
  pullRequests: readonly PullRequestTarget[],
): Promise<Map<number, PatchReport>> {
  const reports = new Map<number, PatchReport>();
  if (pullRequests.length === 0) return reports;
  const { lines, unavailable } = await readCoverageLines(resultsPath, commit);
  for (const pr of pullRequests) {
    if (!lines) {
      reports.set(pr.number, { pullRequest: pr.number, unavailable });
      continue;
    }
    // The files list describes the pull request's head: its line numbers are not the tested commit's.
    if (pr.headSha.toLowerCase() !== commit.toLowerCase()) {
      const unavailable = `the pull request's head is ${pr.headSha.slice(0, 12)}, not the tested commit, so its changed lines cannot be matched with this run's coverage`;
      reports.set(pr.number, { pullRequest: pr.number, unavailable });
      continue;
    }
    try {
      const listed = await listPullRequestFiles(client, repository, pr.number);
      const coverage = patchCoverage(listed.files, lines);
      reports.set(pr.number, { pullRequest: pr.number, coverage, ...(listed.capped && { capped: true }) });
    } catch (error) {
      const why = (error as Error).message;
      core.warning(`patch coverage of pull request ${pr.number}: ${why}`);
      reports.set(pr.number, { pullRequest: pr.number, unavailable: why });
    }
  }
  return reports;
}
