// What a route handler gets: the request, already matched to GitHub's OpenAPI description and validated.
import type { Reply } from "./errors.js";
import type { RepositoryRecord, TokenIdentity } from "./records.js";
import type { Urls } from "./representations.js";
import type { GitHubState } from "./state.js";

export interface RouteContext {
  state: GitHubState;
  urls: Urls;
  /** The repository of the path; the default repository for paths without one (GET /user). */
  repo: RepositoryRecord;
  /** Who the request's token acts as: the author of what it creates. */
  actor: TokenIdentity;
  /** Decoded path parameters (owner, repo, pull_number, ...). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, already checked against the operation's schema. */
  body: Record<string, unknown>;
  docsUrl: string | undefined;
}

export type Handler = (ctx: RouteContext) => Reply;
