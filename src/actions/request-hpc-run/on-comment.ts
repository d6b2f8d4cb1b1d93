// `/hpc run` and `/hpc cancel` on a pull request: checked against the commenter's permission (asked of
// GitHub), recorded on the results branch pinned to the pull request's head of this moment, acknowledged
// with a reaction, and shown as the `hpc` check run; a refusal gets a reaction and a short reply.
import * as core from "@actions/core";
import { readEventPayload } from "../../github/event.js";
import { canRequestRuns, repositoryPermission } from "../../github/permissions.js";
import { readPullRequestHead } from "../../github/pull-requests.js";
import { type Reaction, reactToComment } from "../../github/reactions.js";
import { postComment } from "../../github/replies.js";
import { formatContractError } from "../../contract/errors.js";
import { parseCommand } from "../../request/command.js";
import { pushRequests } from "../../request/publish.js";
import { cancelRequests, newRequest, recordRequest } from "../../request/record.js";
import { type Refusal, replyBody } from "../../request/reply.js";
import { runnerTemp } from "../inputs.js";
import { type CommentEvent, commentEvent } from "./comment-event.js";
import { type Context, show } from "./show.js";
import { utcSeconds } from "../../contract/time.js";

export async function onComment(ctx: Context): Promise<void> {
  const event = commentEvent(await readEventPayload());
  if (!event) throw new Error("the issue_comment event has no comment id, issue number or author");
  const command = parseCommand(event.body);
  if (event.action !== "created" || !command) {
    core.info(event.action !== "created" ? `comment ${event.action}: nothing to do` : "not an /hpc command");
    core.setOutput("outcome", "ignored");
    return;
  }
  if (!event.onPullRequest) return refuse(ctx, event, { why: "not-pull-request" });
  if (command.kind === "unknown") return refuse(ctx, event, { why: "unknown-command", text: command.text });
  const permission = await repositoryPermission(ctx.client, ctx.repository, event.login);
  const pr = await readPullRequestHead(ctx.client, ctx.repository, event.issueNumber);
  if (!canRequestRuns(permission)) {
    return refuse(ctx, event, { why: "no-permission", permission, fork: pr.fromFork });
  }
  const at = utcSeconds();
  const repository = `${ctx.repository.owner}/${ctx.repository.repo}`;
  if (command.kind === "cancel") {
    const { result } = await pushRequests(
      push(ctx, `Cancel the requests of pull request ${pr.number} (by ${event.login})`),
      (dir) => cancelRequests(dir, { repository, pullRequest: pr.number, by: event.login, at }),
    );
    reportUnreadable(result.errors);
    core.info(
      result.cancelled.length > 0
        ? `Cancelled ${result.cancelled.map((r) => r.id).join(", ")}`
        : `Pull request ${pr.number} has no open request to cancel`,
    );
    await show(
      ctx,
      result.cancelled.map((request) => ({ request })),
    );
    await react(ctx, event, "+1");
    core.setOutput("outcome", "cancelled");
    core.setOutput("requests", JSON.stringify(result.cancelled.map((r) => r.id)));
    return;
  }
  if (pr.state !== "open") return refuse(ctx, event, { why: "closed" });
  const request = newRequest({
    repository,
    pullRequest: pr.number,
    commentId: event.commentId,
    what: command.what,
    commit: pr.headSha,
    requestedBy: event.login,
    at,
  });
  const { result } = await pushRequests(
    push(ctx, `Request ${request.id}: ${request.what} of ${request.commit} (by ${event.login})`),
    (dir) => recordRequest(dir, request),
  );
  reportUnreadable(result.errors);
  core.info(
    `Requested ${result.request.what} of ${result.request.commit} as ${result.request.id}` +
      (pr.fromFork ? " (a fork's pull request, requested by a maintainer)" : ""),
  );
  for (const s of result.superseded) core.info(`Superseded ${s.id} (${s.commit})`);
  await show(
    ctx,
    [result.request, ...result.superseded].map((r) => ({ request: r })),
  );
  await react(ctx, event, "rocket");
  core.setOutput("outcome", "accepted");
  core.setOutput("requests", JSON.stringify([result.request.id]));
  core.setOutput("commit", result.request.commit);
}

async function refuse(ctx: Context, event: CommentEvent, refusal: Refusal): Promise<void> {
  core.notice(`Refused the /hpc command of ${event.login} (${refusal.why}); replied on ${event.issueNumber}`);
  await react(ctx, event, "-1");
  try {
    await postComment(ctx.client, ctx.repository, event.issueNumber, replyBody(event.login, refusal));
  } catch (error) {
    ctx.problems.push((error as Error).message);
  }
  core.setOutput("outcome", "refused");
  core.setOutput("reason", refusal.why);
}

async function react(ctx: Context, event: CommentEvent, reaction: Reaction): Promise<void> {
  try {
    await reactToComment(ctx.client, ctx.repository, event.commentId, reaction);
  } catch (error) {
    ctx.problems.push((error as Error).message);
  }
}

function push(ctx: Context, message: string) {
  return {
    remote: ctx.inputs.resultsRemote,
    branch: ctx.inputs.resultsBranch,
    token: ctx.inputs.token,
    message,
    scratch: runnerTemp(),
    log: (line: string) => core.info(line),
  };
}

function reportUnreadable(errors: Parameters<typeof formatContractError>[0][]): void {
  for (const e of errors) core.warning(`left as it is: ${formatContractError(e)}`);
}
