// The operations the stand-in serves, keyed as "<METHOD> <OpenAPI path template>". Requests reach a handler
// only after the server has matched the template and validated parameters and body against the spec.
import { basicError, noCommit, notFound, validationFailed, type Reply } from "./errors.js";
import { paginate } from "./pagination.js";
import { CHECK_RUN_ROUTES } from "./check-runs.js";
import { COLLABORATOR_ROUTES } from "./collaborators.js";
import type { PullRequestRecord, RepositoryRecord, StatusState } from "./records.js";
import {
  authenticatedUser,
  combinedStatus,
  commitStatus,
  diffEntry,
  issueComment,
  pullRequestSimple,
} from "./representations.js";
import type { Handler, RouteContext } from "./route-context.js";

export type { RouteContext } from "./route-context.js";

/** GitHub's limits that the OpenAPI description does not state. */
export const LIMITS = {
  commentBodyCharacters: 65_536,
  statusDescriptionCharacters: 140,
  statusContextCharacters: 255,
  statusesPerShaAndContext: 1_000,
  /** "Responses include a maximum of 3000 files" (list pull request files). */
  pullRequestFiles: 3_000,
  /** "The total size of the JSON payload must be less than 64KB" (client_payload of a dispatch). */
  dispatchPayloadBytes: 64 * 1024,
} as const;

/** Collections link to their next pages through /repositories/<id>/..., as on api.github.com. */
function linkBase(ctx: RouteContext, rest: string): string {
  return `${ctx.urls.api}/repositories/${ctx.repo.id}${rest}`;
}

function paged<T>(ctx: RouteContext, all: readonly T[], rest: string): Reply {
  const page = paginate(all, ctx.query, linkBase(ctx, rest));
  return { status: 200, body: page.items, headers: page.link ? { link: page.link } : {} };
}

// Ruby counts characters, not UTF-16 code units.
function characters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function checkCommentBody(body: string, docsUrl: string | undefined): void {
  if (characters(body) > LIMITS.commentBodyCharacters) {
    throw validationFailed(
      [
        {
          resource: "IssueComment",
          code: "unprocessable",
          field: "data",
          message: `Body is too long (maximum is ${LIMITS.commentBodyCharacters} characters)`,
        },
      ],
      docsUrl,
    );
  }
}

function issueNumber(ctx: RouteContext): number {
  const number = Number(ctx.params.issue_number);
  if (!ctx.state.findPull(ctx.repo, number)) throw notFound(ctx.docsUrl);
  return number;
}

function commentId(ctx: RouteContext) {
  const comment = ctx.state.commentRecord(ctx.repo, Number(ctx.params.comment_id));
  if (!comment) throw notFound(ctx.docsUrl);
  return comment;
}

export const ROUTES: Record<string, Handler> = {
  // An installation token has no user behind it: GitHub answers 403 (seen with GITHUB_TOKEN and app tokens).
  "GET /user": (ctx) =>
    ctx.actor.kind === "installation"
      ? { status: 403, body: basicError(403, "Resource not accessible by integration", ctx.docsUrl) }
      : { status: 200, body: authenticatedUser(ctx.actor.user, ctx.urls) },

  "GET /repos/{owner}/{repo}": (ctx) => ({ status: 200, body: ctx.state.repository(fullName(ctx.repo)) }),

  "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls": (ctx) => {
    const ref = ctx.params.commit_sha!;
    const sha = ctx.state.resolveRef(ctx.repo, ref);
    if (!sha) throw noCommit(ref, ctx.docsUrl);
    const isBranch = sha.toLowerCase() !== ref.toLowerCase();
    const pulls = ctx.state
      .pullRecords(ctx.repo)
      .filter((p) =>
        isBranch ? p.headRef === ref.replace(/^(refs\/)?heads\//, "") : p.commits.includes(sha),
      );
    return paged(
      ctx,
      pulls.map((p) => pullRequestSimple(p, ctx.urls)),
      `/commits/${encodeURIComponent(ref)}/pulls`,
    );
  },

  "GET /repos/{owner}/{repo}/pulls": (ctx) => {
    const state = ctx.query.get("state") ?? "open";
    const head = ctx.query.get("head");
    const base = ctx.query.get("base");
    const sort = ctx.query.get("sort") ?? "created";
    const direction = ctx.query.get("direction") ?? (sort === "created" ? "desc" : "asc");
    const time = (p: PullRequestRecord) => (sort === "updated" ? p.updatedAt : p.createdAt).getTime();
    // Ties (same clock tick) fall back to the number, which grows with creation.
    const order = (a: PullRequestRecord, b: PullRequestRecord) => time(a) - time(b) || a.number - b.number;
    const pulls = ctx.state
      .pullRecords(ctx.repo)
      .filter((p) => state === "all" || p.state === state)
      .filter((p) => !head || `${ctx.repo.owner.login}:${p.headRef}`.toLowerCase() === head.toLowerCase())
      .filter((p) => !base || p.baseRef === base)
      .sort((a, b) => (direction === "asc" ? order(a, b) : order(b, a)));
    return paged(
      ctx,
      pulls.map((p) => pullRequestSimple(p, ctx.urls)),
      "/pulls",
    );
  },

  "GET /repos/{owner}/{repo}/pulls/{pull_number}": (ctx) => {
    const pr = ctx.state.findPull(ctx.repo, Number(ctx.params.pull_number));
    if (!pr) throw notFound(ctx.docsUrl);
    return { status: 200, body: ctx.state.pullRequestJson(pr) };
  },

  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": (ctx) => {
    const pr = ctx.state.findPull(ctx.repo, Number(ctx.params.pull_number));
    if (!pr) throw notFound(ctx.docsUrl);
    const files = pr.files.slice(0, LIMITS.pullRequestFiles).map((f) => diffEntry(pr, f, ctx.urls));
    return paged(ctx, files, `/pulls/${pr.number}/files`);
  },

  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": (ctx) => {
    const number = issueNumber(ctx);
    const since = ctx.query.get("since");
    const sinceMs = since ? Date.parse(since) : -Infinity;
    const comments = ctx.state
      .commentRecords(ctx.repo, number)
      .filter((c) => c.updatedAt.getTime() >= sinceMs)
      .map((c) => issueComment(c, ctx.urls));
    return paged(ctx, comments, `/issues/${number}/comments`);
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": (ctx) => {
    const number = issueNumber(ctx);
    const body = ctx.body.body as string;
    checkCommentBody(body, ctx.docsUrl);
    const comment = issueComment(ctx.state.createComment(ctx.repo, number, body, ctx.actor.user), ctx.urls);
    return { status: 201, body: comment, headers: { location: comment.url } };
  },

  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": (ctx) => {
    const comment = commentId(ctx);
    const body = ctx.body.body as string;
    checkCommentBody(body, ctx.docsUrl);
    comment.body = body;
    comment.updatedAt = ctx.state.now();
    return { status: 200, body: issueComment(comment, ctx.urls) };
  },

  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}": (ctx) => {
    ctx.state.deleteComment(commentId(ctx).id);
    return { status: 204 };
  },

  "POST /repos/{owner}/{repo}/statuses/{sha}": (ctx) => {
    const sha = ctx.params.sha!;
    if (!/^[0-9a-f]{40}$/i.test(sha) || !ctx.state.hasCommit(sha, fullName(ctx.repo)))
      throw noCommit(sha, ctx.docsUrl);
    const context = (ctx.body.context as string | undefined) ?? "default";
    const description = (ctx.body.description as string | null | undefined) ?? null;
    const tooLong = (field: string, max: number) =>
      validationFailed(
        [
          {
            resource: "Status",
            code: "custom",
            field,
            message: `${field} is too long (maximum is ${max} characters)`,
          },
        ],
        ctx.docsUrl,
      );
    if (description !== null && characters(description) > LIMITS.statusDescriptionCharacters) {
      throw tooLong("description", LIMITS.statusDescriptionCharacters);
    }
    if (characters(context) > LIMITS.statusContextCharacters)
      throw tooLong("context", LIMITS.statusContextCharacters);
    const sameContext = ctx.state
      .statusRecords(ctx.repo, sha.toLowerCase())
      .filter((s) => s.context.toLowerCase() === context.toLowerCase()).length;
    if (sameContext >= LIMITS.statusesPerShaAndContext) {
      throw validationFailed(
        [
          {
            resource: "Status",
            code: "custom",
            message: "This SHA and context has reached the maximum number of statuses.",
          },
        ],
        ctx.docsUrl,
      );
    }
    const record = ctx.state.createStatus(ctx.repo, sha.toLowerCase(), {
      state: ctx.body.state as StatusState,
      context,
      description,
      targetUrl: (ctx.body.target_url as string | null | undefined) ?? null,
      creator: ctx.actor.user,
    });
    return { status: 201, body: commitStatus(record, ctx.urls) };
  },

  // The event is delivered to the default branch's workflows; tests read it with state.dispatches().
  "POST /repos/{owner}/{repo}/dispatches": (ctx) => {
    const payload = (ctx.body.client_payload as Record<string, unknown> | undefined) ?? {};
    if (Buffer.byteLength(JSON.stringify(payload)) >= LIMITS.dispatchPayloadBytes) {
      throw validationFailed(
        [
          {
            resource: "Repository",
            code: "custom",
            field: "client_payload",
            message: "client_payload is too large",
          },
        ],
        ctx.docsUrl,
      );
    }
    ctx.state.recordDispatch(ctx.repo, ctx.body.event_type as string, payload, ctx.actor.user);
    return { status: 204 };
  },

  "GET /repos/{owner}/{repo}/commits/{ref}/statuses": (ctx) => {
    const ref = ctx.params.ref!;
    const sha = ctx.state.resolveRef(ctx.repo, ref);
    if (!sha) throw noCommit(ref, ctx.docsUrl);
    const statuses = ctx.state.statusRecords(ctx.repo, sha).map((s) => commitStatus(s, ctx.urls));
    return paged(ctx, statuses, `/commits/${encodeURIComponent(ref)}/statuses`);
  },

  "GET /repos/{owner}/{repo}/commits/{ref}/status": (ctx) => {
    const ref = ctx.params.ref!;
    const sha = ctx.state.resolveRef(ctx.repo, ref);
    if (!sha) throw noCommit(ref, ctx.docsUrl);
    const latest = ctx.state.latestStatuses(ctx.repo, sha);
    const page = paginate(latest, ctx.query, linkBase(ctx, `/commits/${encodeURIComponent(ref)}/status`));
    return {
      status: 200,
      body: combinedStatus(ctx.repo, sha, latest, page.items, ctx.urls),
      headers: page.link ? { link: page.link } : ({} as Record<string, string>),
    };
  },

  ...CHECK_RUN_ROUTES,
  ...COLLABORATOR_ROUTES,
};

export const SERVED_OPERATIONS = Object.keys(ROUTES);

function fullName(repo: RepositoryRecord): string {
  return `${repo.owner.login}/${repo.name}`;
}
