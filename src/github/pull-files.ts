// The files a pull request changes, with their patches (GET /repos/{owner}/{repo}/pulls/{pull_number}/files),
// for patch coverage. GitHub lists at most 3,000 files.
import type { PullRequestFile } from "../coverage/patch.js";
import { type GitHubClient, type Repository, describeApiError } from "./client.js";

/** GitHub's documented maximum of files the listing returns. */
export const MAX_LISTED_FILES = 3_000;

export interface PullRequestFiles {
  files: PullRequestFile[];
  /** The listing stopped at GitHub's 3,000 files: the pull request may change more. */
  capped: boolean;
}

export async function listPullRequestFiles(
  client: GitHubClient,
  repository: Repository,
  pullNumber: number,
): Promise<PullRequestFiles> {
  try {
    const listed = await client.paginate(client.rest.pulls.listFiles, {
      ...repository,
      pull_number: pullNumber,
      per_page: 100,
    });
    const files = listed.map((f): PullRequestFile => ({
      filename: f.filename,
      status: f.status,
      changes: f.changes,
      ...(typeof f.patch === "string" && { patch: f.patch }),
      ...(f.previous_filename !== undefined && { previous_filename: f.previous_filename }),
    }));
    return { files, capped: files.length >= MAX_LISTED_FILES };
  } catch (error) {
    throw new Error(
      describeApiError(error, `listing the files of pull request ${pullNumber}`, "pull-requests: read"),
      {
        cause: error,
      },
    );
  }
}
