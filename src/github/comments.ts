// One up-to-date comment per pull request, found again by a hidden marker in a comment of our own author
// (anybody can copy the marker). Finding then creating is racy, so after creating, and whenever several are
// found, the oldest is kept and the others deleted.
import { type GitHubClient, type Repository, describeApiError, httpStatus } from "./client.js";
import { sameLogin } from "./identity.js";

export type CommentMode = "sticky" | "new" | "off";
export const COMMENT_MODES: readonly CommentMode[] = ["sticky", "new", "off"];

/** GitHub refuses issue comments longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

const KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

export function isValidCommentKey(key: string): boolean {
  return KEY.test(key);
}

/** The hidden first line that marks our comment; `key` keeps the comments of several clusters apart. */
export function commentMarker(key: string): string {
  if (!isValidCommentKey(key)) throw new Error(`not a valid comment key: ${JSON.stringify(key)}`);
  return `<!-- hpc-ci-actions:comment-hpc-summary key=${key} -->`;
}

export function markedBody(marker: string, body: string): string {
  return `${marker}\n${body}`;
}

export interface MarkedComment {
  id: number;
  body: string;
  htmlUrl: string;
}

export interface CommentOutcome {
  action: "created" | "updated" | "unchanged";
  id: number;
  htmlUrl: string;
  /** Extra marked comments deleted (left by racing runs). */
  deleted: number[];
  /** Who GitHub says posted a comment created now (differs from the author looked for: a wrong guess). */
  postedAs?: string;
}

/** Our comments (by `author`, starting with `marker`) on an issue or pull request, oldest first, through every page. */
export async function findMarkedComments(
  client: GitHubClient,
  repository: Repository,
  issueNumber: number,
  marker: string,
  author: string,
): Promise<MarkedComment[]> {
  const comments = await client.paginate(client.rest.issues.listComments, {
    ...repository,
    issue_number: issueNumber,
    per_page: 100,
  });
  return comments
    .filter((c) => sameLogin(c.user?.login, author) && (c.body ?? "").startsWith(marker))
    .map((c) => ({ id: c.id, body: c.body ?? "", htmlUrl: c.html_url }));
}

/**
 * Posts `body` (marker first) on the pull request: `sticky` updates our comment in place (not at all when
 * unchanged), `new` always posts another. Only comments by `author` (whom the token posts as) count.
 */
export async function upsertComment(
  client: GitHubClient,
  repository: Repository,
  target: { issueNumber: number; marker: string; author: string },
  body: string,
  mode: Exclude<CommentMode, "off">,
): Promise<CommentOutcome> {
  const { issueNumber, marker, author } = target;
  const full = markedBody(marker, body);
  if (Array.from(full).length > COMMENT_LIMIT) {
    throw new Error(`the comment is ${full.length} characters, over GitHub's ${COMMENT_LIMIT}`);
  }
  const doing = (what: string) => `${what} on pull request ${issueNumber}`;
  try {
    if (mode === "new") {
      const { data } = await client.rest.issues.createComment({
        ...repository,
        issue_number: issueNumber,
        body: full,
      });
      return {
        action: "created",
        id: data.id,
        htmlUrl: data.html_url,
        deleted: [],
        postedAs: data.user?.login,
      };
    }
    const ours = await findMarkedComments(client, repository, issueNumber, marker, author);
    if (ours.length === 0) {
      const { data } = await client.rest.issues.createComment({
        ...repository,
        issue_number: issueNumber,
        body: full,
      });
      // A run racing with this one may have created its own in the meantime: settle on the oldest, among
      // the comments of whom GitHub says posted ours.
      const postedAs = data.user?.login ?? author;
      const now = await findMarkedComments(client, repository, issueNumber, marker, postedAs);
      const keep = now[0];
      if (!keep || keep.id === data.id) {
        return {
          action: "created",
          id: data.id,
          htmlUrl: data.html_url,
          deleted: await deleteAll(now.slice(1)),
          postedAs,
        };
      }
      return await settle(keep, now.slice(1));
    }
    return await settle(ours[0]!, ours.slice(1));
  } catch (error) {
    throw new Error(describeApiError(error, doing("commenting"), "pull-requests: write"), { cause: error });
  }

  async function settle(keep: MarkedComment, others: MarkedComment[]): Promise<CommentOutcome> {
    const deleted = await deleteAll(others);
    if (keep.body === full) return { action: "unchanged", id: keep.id, htmlUrl: keep.htmlUrl, deleted };
    const { data } = await client.rest.issues.updateComment({
      ...repository,
      comment_id: keep.id,
      body: full,
    });
    return { action: "updated", id: data.id, htmlUrl: data.html_url, deleted };
  }

  async function deleteAll(comments: MarkedComment[]): Promise<number[]> {
    const deleted: number[] = [];
    for (const c of comments) {
      try {
        await client.rest.issues.deleteComment({ ...repository, comment_id: c.id });
        deleted.push(c.id);
      } catch (error) {
        // Already deleted by a racing run: that is what was wanted.
        if (httpStatus(error) !== 404) throw error;
      }
    }
    return deleted;
  }
}
