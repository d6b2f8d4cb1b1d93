// The parts of an issue_comment event payload that `/hpc` reads, checked: the payload is GitHub's, but the
// comment's text is whatever the commenter wrote.
export interface CommentEvent {
  action: string;
  commentId: number;
  body: string;
  login: string;
  issueNumber: number;
  /** The issue is a pull request (GitHub sets issue.pull_request on those). */
  onPullRequest: boolean;
}

/** The comment of the payload, or undefined when it is not shaped like an issue_comment event. */
export function commentEvent(payload: Record<string, unknown> | undefined): CommentEvent | undefined {
  const comment = payload?.comment as Record<string, unknown> | undefined;
  const issue = payload?.issue as Record<string, unknown> | undefined;
  const user = comment?.user as Record<string, unknown> | undefined;
  const id = comment?.id;
  const number = issue?.number;
  if (
    typeof id !== "number" ||
    !Number.isSafeInteger(id) ||
    typeof number !== "number" ||
    !Number.isSafeInteger(number) ||
    typeof user?.login !== "string" ||
    !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(user.login)
  ) {
    return undefined;
  }
  return {
    action: typeof payload?.action === "string" ? payload.action : "",
    commentId: id,
    body: typeof comment?.body === "string" ? comment.body : "",
    login: user.login,
    issueNumber: number,
    onPullRequest: typeof issue?.pull_request === "object" && issue.pull_request !== null,
  };
}
