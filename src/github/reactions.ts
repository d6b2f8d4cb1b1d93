// A reaction on an issue or pull request comment: the quiet acknowledgement of a command.
import { type GitHubClient, type Repository, describeApiError } from "./client.js";

export type Reaction = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** Adds `content` to the comment; GitHub answers 200 instead of 201 when it is there already. */
export async function reactToComment(
  client: GitHubClient,
  repository: Repository,
  commentId: number,
  content: Reaction,
): Promise<void> {
  try {
    await client.rest.reactions.createForIssueComment({ ...repository, comment_id: commentId, content });
  } catch (error) {
    throw new Error(
      describeApiError(error, `reacting ${content} to comment ${commentId}`, "pull-requests: write"),
      { cause: error },
    );
  }
}
