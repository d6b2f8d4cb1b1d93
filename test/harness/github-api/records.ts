// What the stand-in remembers. Records are internal; the API and the state helpers hand out the
// GitHub-shaped representations built from them (representations.ts).

export interface UserRecord {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

/**
 * Who a token acts as. An installation token (the workflow's GITHUB_TOKEN, a GitHub App's) acts as the
 * app's bot user and may not read GET /user; a personal access token acts as its user.
 */
export interface TokenIdentity {
  user: UserRecord;
  kind: "installation" | "user";
  /** The GitHub App of an installation token: the author of the check runs it creates. */
  app?: AppRecord;
  /**
   * An installation token's permissions as a job's `permissions:` grants them ("read", "write", "none");
   * undefined: everything the app may (the stand-in does not check).
   */
  permissions?: Record<string, "read" | "write" | "none">;
}

/** A GitHub App (the workflow token's is "github-actions", id 15368). */
export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  owner: UserRecord;
}

export interface RepositoryRecord {
  id: number;
  owner: UserRecord;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  viewerCanPush: boolean;
  createdAt: Date;
  /** Commits that exist (full 40-hex shas, lower case). */
  commits: Set<string>;
  /** Branch name -> sha of its tip. */
  branches: Map<string, string>;
}

export interface PullRequestRecord {
  id: number;
  repo: RepositoryRecord;
  number: number;
  state: "open" | "closed";
  draft: boolean;
  title: string;
  body: string | null;
  user: UserRecord;
  /** The fork the head branch lives in; undefined: the base repository. */
  headRepo?: RepositoryRecord;
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  /** Every commit of the pull request, the head last. */
  commits: string[];
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  mergedAt: Date | null;
  mergeCommitSha: string | null;
  /** What GET .../pulls/{pull_number}/files lists (state.setPullRequestFiles); none until a test sets them. */
  files: PullFileRecord[];
}

/** One file of a pull request's diff. */
export interface PullFileRecord {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions: number;
  deletions: number;
  /** The file's hunks; absent for binary files and diffs too large for GitHub to show. */
  patch?: string;
  previous_filename?: string;
  /** Blob sha of the file (of its old version when removed). */
  sha: string;
}

export interface CommentRecord {
  id: number;
  repo: RepositoryRecord;
  issueNumber: number;
  body: string;
  user: UserRecord;
  createdAt: Date;
  updatedAt: Date;
}

export type StatusState = "error" | "failure" | "pending" | "success";

export interface StatusRecord {
  id: number;
  repo: RepositoryRecord;
  sha: string;
  state: StatusState;
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: UserRecord;
  createdAt: Date;
}

/** A repository_dispatch event GitHub would deliver: what starts the default branch's workflows. */
export interface DispatchRecord {
  repo: RepositoryRecord;
  eventType: string;
  clientPayload: Record<string, unknown>;
  sender: UserRecord;
  createdAt: Date;
}

export type CheckRunStatus = "queued" | "in_progress" | "completed";

/** A check run; annotations accumulate over its create and update requests, as GitHub's do. */
export interface CheckRunRecord {
  id: number;
  repo: RepositoryRecord;
  headSha: string;
  name: string;
  app: AppRecord;
  checkSuiteId: number;
  status: CheckRunStatus;
  conclusion: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: Date;
  completedAt: Date | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: AnnotationRecord[];
}

export interface AnnotationRecord {
  path: string;
  start_line: number;
  end_line: number;
  start_column: number | null;
  end_column: number | null;
  annotation_level: "notice" | "warning" | "failure";
  title: string | null;
  message: string;
  raw_details: string | null;
}
