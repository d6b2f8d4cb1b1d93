// How the stand-in's records look on the wire: the JSON shapes api.github.com returns, typed with
// @octokit/openapi-types so the compiler checks the required fields, and checked at run time against the
// OpenAPI response schemas by the server. API URLs point at the stand-in; html_url fields at github.com.
import type { components } from "@octokit/openapi-types";
import type {
  CommentRecord,
  PullFileRecord,
  PullRequestRecord,
  RepositoryRecord,
  StatusRecord,
  UserRecord,
} from "./records.js";

export type SimpleUser = components["schemas"]["simple-user"];
export type PublicUser = components["schemas"]["public-user"];
export type FullRepository = components["schemas"]["full-repository"];
export type PullRequest = components["schemas"]["pull-request"];
export type PullRequestSimple = components["schemas"]["pull-request-simple"];
export type IssueComment = components["schemas"]["issue-comment"];
export type CommitStatus = components["schemas"]["status"];
export type CombinedCommitStatus = components["schemas"]["combined-commit-status"];
export type DiffEntry = components["schemas"]["diff-entry"];

export interface Urls {
  /** The stand-in's base URL, e.g. http://127.0.0.1:43123 (no trailing slash). */
  api: string;
  /** The web UI, https://github.com. */
  html: string;
}

/** GitHub time stamps have whole seconds: 2011-04-14T16:00:49Z. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A GraphQL-style global id such as "IC_kwDOABCD" (the exact encoding is GitHub's business). */
export function nodeId(prefix: string, ...ids: number[]): string {
  return `${prefix}_kwDO${Buffer.from(ids.join(":")).toString("base64url")}`;
}

export function user(u: UserRecord, urls: Urls): SimpleUser {
  const api = `${urls.api}/users/${encodeURIComponent(u.login)}`;
  const isBot = u.type === "Bot";
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(isBot ? "BOT" : u.type === "Organization" ? "O" : "U", u.id),
    avatar_url: isBot
      ? `https://avatars.githubusercontent.com/in/${u.id}?v=4`
      : `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: isBot
      ? `${urls.html}/apps/${encodeURIComponent(u.login.replace(/\[bot\]$/, ""))}`
      : `${urls.html}/${encodeURIComponent(u.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** GET /user for a user's token: the public profile (the private fields are optional). */
export function authenticatedUser(u: UserRecord, urls: Urls): PublicUser {
  const created = timestamp(new Date(Date.UTC(2015, 0, 1)));
  return {
    ...user(u, urls),
    name: null,
    company: null,
    blog: "",
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: created,
    updated_at: created,
  };
}

export function repository(r: RepositoryRecord, urls: Urls): FullRepository {
  const fullName = `${r.owner.login}/${r.name}`;
  const api = `${urls.api}/repos/${fullName}`;
  const html = `${urls.html}/${fullName}`;
  const created = timestamp(r.createdAt);
  return {
    id: r.id,
    node_id: nodeId("R", r.id),
    name: r.name,
    full_name: fullName,
    private: r.private,
    owner: user(r.owner, urls),
    html_url: html,
    description: r.description,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: created,
    updated_at: created,
    pushed_at: created,
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 1024,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: 0,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: r.private ? "private" : "public",
    forks: 0,
    open_issues: 0,
    watchers: 0,
    default_branch: r.defaultBranch,
    permissions: { admin: false, maintain: false, push: r.viewerCanPush, triage: true, pull: true },
    network_count: 0,
    subscribers_count: 0,
  };
}

function authorAssociation(author: UserRecord, repo: RepositoryRecord): IssueComment["author_association"] {
  if (author.login.toLowerCase() === repo.owner.login.toLowerCase()) return "OWNER";
  return author.type === "Bot" ? "NONE" : "CONTRIBUTOR";
}

export function pullRequest(pr: PullRequestRecord, commentCount: number, urls: Urls): PullRequest {
  const repo = repository(pr.repo, urls);
  const api = `${repo.url}/pulls/${pr.number}`;
  const issue = `${repo.url}/issues/${pr.number}`;
  const html = `${repo.html_url}/pull/${pr.number}`;
  const owner = user(pr.repo.owner, urls);
  // A fork's pull request names the fork as its head's repository.
  const headRepo = pr.headRepo ? repository(pr.headRepo, urls) : repo;
  const headOwner = pr.headRepo ? user(pr.headRepo.owner, urls) : owner;
  return {
    url: api,
    id: pr.id,
    node_id: nodeId("PR", pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repo.url}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${repo.url}/statuses/${pr.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: user(pr.user, urls),
    body: pr.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: timestamp(pr.createdAt),
    updated_at: timestamp(pr.updatedAt),
    closed_at: pr.closedAt ? timestamp(pr.closedAt) : null,
    merged_at: pr.mergedAt ? timestamp(pr.mergedAt) : null,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    // The OpenAPI types of a pull request's nested repositories differ in optionality from the full
    // repository's; the response validator checks the real shape against the schema.
    head: {
      label: `${headOwner.login}:${pr.headRef}`,
      ref: pr.headRef,
      sha: pr.headSha,
      user: headOwner,
      repo: headRepo as never,
    },
    base: {
      label: `${owner.login}:${pr.baseRef}`,
      ref: pr.baseRef,
      sha: pr.baseSha,
      user: owner,
      repo: repo as never,
    },
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${repo.url}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${repo.url}/statuses/${pr.headSha}` },
    },
    author_association: authorAssociation(pr.user, pr.repo) as PullRequest["author_association"],
    auto_merge: null,
    draft: pr.draft,
    merged: pr.mergedAt !== null,
    mergeable: pr.state === "open" ? true : null,
    rebaseable: pr.state === "open" ? true : null,
    mergeable_state: pr.state === "open" ? "clean" : "unknown",
    merged_by: pr.mergedAt ? owner : null,
    comments: commentCount,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commits.length,
    additions: 10,
    deletions: 2,
    changed_files: 1,
  };
}

/** The list form leaves out the merge state and the counts, as GitHub's list endpoints do. */
export function pullRequestSimple(pr: PullRequestRecord, urls: Urls): PullRequestSimple {
  const {
    merged: _merged,
    mergeable: _mergeable,
    rebaseable: _rebaseable,
    mergeable_state: _mergeableState,
    merged_by: _mergedBy,
    comments: _comments,
    review_comments: _reviewComments,
    maintainer_can_modify: _maintainerCanModify,
    commits: _commits,
    additions: _additions,
    deletions: _deletions,
    changed_files: _changedFiles,
    ...simple
  } = pullRequest(pr, 0, urls);
  return simple as never;
}

/** A file of a pull request: its links name the file at the head (a removed file: at the base). */
export function diffEntry(pr: PullRequestRecord, f: PullFileRecord, urls: Urls): DiffEntry {
  const fullName = `${pr.repo.owner.login}/${pr.repo.name}`;
  const ref = f.status === "removed" ? pr.baseSha : pr.headSha;
  const path = f.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${urls.html}/${fullName}/blob/${ref}/${path}`,
    raw_url: `${urls.html}/${fullName}/raw/${ref}/${path}`,
    contents_url: `${urls.api}/repos/${fullName}/contents/${path}?ref=${ref}`,
    ...(f.patch !== undefined && { patch: f.patch }),
    ...(f.previous_filename !== undefined && { previous_filename: f.previous_filename }),
  };
}

export function issueComment(c: CommentRecord, urls: Urls): IssueComment {
  const fullName = `${c.repo.owner.login}/${c.repo.name}`;
  const api = `${urls.api}/repos/${fullName}`;
  return {
    id: c.id,
    node_id: nodeId("IC", c.id),
    url: `${api}/issues/comments/${c.id}`,
    html_url: `${urls.html}/${fullName}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: user(c.user, urls),
    created_at: timestamp(c.createdAt),
    updated_at: timestamp(c.updatedAt),
    issue_url: `${api}/issues/${c.issueNumber}`,
    author_association: authorAssociation(c.user, c.repo),
    performed_via_github_app: null,
    reactions: {
      url: `${api}/issues/comments/${c.id}/reactions`,
      total_count: 0,
      "+1": 0,
      "-1": 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
  };
}

export function commitStatus(s: StatusRecord, urls: Urls): CommitStatus {
  const creator = user(s.creator, urls);
  return {
    url: `${urls.api}/repos/${s.repo.owner.login}/${s.repo.name}/statuses/${s.sha}`,
    avatar_url: creator.avatar_url,
    id: s.id,
    node_id: nodeId("SC", s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: timestamp(s.createdAt),
    updated_at: timestamp(s.createdAt),
    creator,
  };
}

/** GitHub's rule: failure if any latest status is error or failure, pending if any is pending or none exist. */
export function combinedState(latest: readonly StatusRecord[]): "failure" | "pending" | "success" {
  if (latest.some((s) => s.state === "error" || s.state === "failure")) return "failure";
  if (latest.length === 0 || latest.some((s) => s.state === "pending")) return "pending";
  return "success";
}

export function combinedStatus(
  repo: RepositoryRecord,
  sha: string,
  latest: readonly StatusRecord[],
  page: readonly StatusRecord[],
  urls: Urls,
): CombinedCommitStatus {
  const api = `${urls.api}/repos/${repo.owner.login}/${repo.name}`;
  return {
    state: combinedState(latest),
    statuses: page.map((s) => {
      const { creator: _creator, ...simple } = commitStatus(s, urls);
      return simple;
    }),
    sha,
    total_count: latest.length,
    repository: repository(repo, urls) as never,
    commit_url: `${api}/commits/${sha}`,
    url: `${api}/commits/${sha}/status`,
  };
}
