// The issue_comment event GitHub delivers for a new comment, built from the GitHub stand-in's own pull request
// and comment (the webhook's issue is the pull request as an issue: issue.pull_request is what marks it).
import type { GitHubState, IssueComment } from "./github-api/index.js";

/** The payload of `issue_comment` (created) for `comment` on pull request `number`; `onIssue`: as on an issue. */
export function issueCommentEvent(
  state: GitHubState,
  number: number,
  comment: IssueComment,
  onIssue = false,
) {
  const pr = state.pullRequest(number)!;
  const repository = state.repository();
  return {
    action: "created",
    issue: {
      url: pr.issue_url,
      repository_url: repository.url,
      labels_url: `${pr.issue_url}/labels{/name}`,
      comments_url: pr.comments_url,
      events_url: `${pr.issue_url}/events`,
      html_url: pr.html_url,
      id: Number(pr.id) + 1,
      node_id: "I_kwDOtest",
      number,
      title: pr.title,
      user: pr.user,
      labels: [],
      state: pr.state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: 1,
      created_at: pr.created_at,
      updated_at: pr.updated_at,
      closed_at: pr.closed_at,
      author_association: "CONTRIBUTOR",
      active_lock_reason: null,
      ...(onIssue
        ? {}
        : {
            draft: false,
            pull_request: {
              url: pr.url,
              html_url: pr.html_url,
              diff_url: pr.diff_url,
              patch_url: pr.patch_url,
              merged_at: pr.merged_at,
            },
          }),
      body: pr.body,
      performed_via_github_app: null,
      state_reason: null,
    },
    comment,
    repository,
    sender: comment.user,
  };
}
