// A new comment on an issue or pull request: the answer to a command.
import { type GitHubClient, type Repository, describeApiError } from "./client.js";
import { COMMENT_LIMIT } from "./comments.js";
import { truncateCharacters } from "../render/escape.js";

export async function postComment(
  client: GitHubClient,
  repository: Repository,
  issueNumber: number,
  body: string,
): Promise<{ id: number; htmlUrl: string }> {
  try {
    const { data } = await client.rest.issues.createComment({
      ...repository,
      issue_number: issueNumber,
      body: truncateCharacters(body, COMMENT_LIMIT),
    });
    return { id: data.id, htmlUrl: data.html_url };
  } catch (error) {
    throw new Error(describeApiError(error, `commenting on ${issueNumber}`, "pull-requests: write"), {
      cause: error,
    });
  }
}
