// A local stand-in for GitHub's REST API, for tests of the actions: see server.ts for startGitHubApi().
export { startGitHubApi } from "./server.js";
export type { GitHubApi, GitHubApiOptions, RecordedRequest, Violation, ViolationKind } from "./server.js";
export { GitHubState, createFakeSha } from "./state.js";
export type {
  CommentInit,
  PullRequestInit,
  RepositoryInit,
  StatusInit,
  TokenInit,
  UserInit,
} from "./state.js";
export { Faults } from "./faults.js";
export type { FaultOptions } from "./faults.js";
export { LIMITS, SERVED_OPERATIONS } from "./routes.js";
export { CHECK_RUN_LIMITS, GITHUB_ACTIONS_APP } from "./check-runs.js";
export type {
  CombinedCommitStatus,
  CommitStatus,
  FullRepository,
  IssueComment,
  PullRequest,
  PullRequestSimple,
  SimpleUser,
} from "./representations.js";
export type { LoadTimings } from "./openapi.js";
export { loadSpecIndex, SpecIndex } from "./openapi.js";
export type { OperationSpec } from "./openapi.js";
