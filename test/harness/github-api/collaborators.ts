// Who may do what in a repository, and reactions to comments: the stand-in's side of `/hpc run`. GitHub's
// rules that the OpenAPI description leaves out:
// - GET .../collaborators/{username}/permission answers `permission` with the legacy base roles (maintain
//   as write, triage as read) and `role_name` with the role itself. On a public repository every user can
//   read, so a user who is no collaborator gets 200 `read`; on a private one, 404. A login that is no user:
//   404. A user's token without push access gets 403 "Must have push access to view collaborator
//   permission." (yegor256/rultor#1407).
// - POST .../issues/comments/{comment_id}/reactions answers 201 with the new reaction, or 200 with the same
//   one when this user already reacted so to that comment.
import { ApiError, basicError, notFound } from "./errors.js";
import type { RepositoryRecord, UserRecord } from "./records.js";
import { nodeId, timestamp, user, type Urls } from "./representations.js";
import type { Handler, RouteContext } from "./route-context.js";

export type RepositoryRole = "admin" | "maintain" | "write" | "triage" | "read";

const BASE: Record<RepositoryRole, "admin" | "write" | "read"> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
};

export interface ReactionRecord {
  id: number;
  commentId: number;
  user: UserRecord;
  content: string;
  createdAt: Date;
}

export class CollaboratorStore {
  private readonly roles = new Map<string, RepositoryRole>();
  private readonly reactionList: ReactionRecord[] = [];
  private nextReactionId = 250_000_001;

  setRole(repo: RepositoryRecord, login: string, role: RepositoryRole | undefined): void {
    const key = `${repo.id}:${login.toLowerCase()}`;
    if (role) this.roles.set(key, role);
    else this.roles.delete(key);
  }

  role(repo: RepositoryRecord, login: string): RepositoryRole | undefined {
    return this.roles.get(`${repo.id}:${login.toLowerCase()}`);
  }

  /** The reaction, and whether it is new (201) or was there already (200). */
  react(
    commentId: number,
    by: UserRecord,
    content: string,
    now: Date,
  ): { record: ReactionRecord; created: boolean } {
    const same = this.reactionList.find(
      (r) => r.commentId === commentId && r.user === by && r.content === content,
    );
    if (same) return { record: same, created: false };
    const record = { id: this.nextReactionId++, commentId, user: by, content, createdAt: now };
    this.reactionList.push(record);
    return { record, created: true };
  }

  reactions(commentId: number): ReactionRecord[] {
    return this.reactionList.filter((r) => r.commentId === commentId);
  }
}

export function reactionJson(r: ReactionRecord, urls: Urls) {
  return {
    id: r.id,
    node_id: nodeId("REA", r.id),
    user: user(r.user, urls),
    content: r.content,
    created_at: timestamp(r.createdAt),
  };
}

function permissionFor(ctx: RouteContext, login: string) {
  const found = ctx.state.knownUser(login);
  if (!found) throw notFound(ctx.docsUrl);
  const role = ctx.state.collaborators.role(ctx.repo, login);
  if (!role && ctx.repo.private) throw notFound(ctx.docsUrl);
  const name: RepositoryRole = role ?? "read";
  const base = BASE[name];
  return {
    permission: base,
    role_name: name,
    user: {
      ...user(found, ctx.urls),
      permissions: {
        admin: base === "admin",
        maintain: name === "admin" || name === "maintain",
        push: base !== "read",
        triage: name !== "read",
        pull: true,
      },
      role_name: name,
    },
  };
}

export const COLLABORATOR_ROUTES: Record<string, Handler> = {
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission": (ctx) => {
    if (ctx.actor.kind === "user" && !ctx.repo.viewerCanPush) {
      throw new ApiError({
        status: 403,
        body: basicError(403, "Must have push access to view collaborator permission.", ctx.docsUrl),
      });
    }
    return { status: 200, body: permissionFor(ctx, ctx.params.username!) };
  },

  "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": (ctx) => {
    const comment = ctx.state.commentRecord(ctx.repo, Number(ctx.params.comment_id));
    if (!comment) throw notFound(ctx.docsUrl);
    const { record, created } = ctx.state.collaborators.react(
      comment.id,
      ctx.actor.user,
      ctx.body.content as string,
      ctx.state.now(),
    );
    return { status: created ? 201 : 200, body: reactionJson(record, ctx.urls) };
  },
};
