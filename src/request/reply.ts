// The short answer to a refused `/hpc` command. Whatever came from the comment is escaped (no Markdown, no
// links, no mentions), and the requester is named without "@", so the answer notifies nobody.
import { escapeGitHubText } from "../render/escape.js";
import { COMMAND_USAGE } from "./command.js";

export const REPLY_MARKER = "<!-- hpc-ci-actions:request-hpc-run -->";

export type Refusal =
  | { why: "not-pull-request" }
  | { why: "unknown-command"; text: string }
  | { why: "no-permission"; permission: string; fork: boolean }
  | { why: "closed" };

/** One sentence saying why; `login` is who asked. */
export function refusalText(refusal: Refusal): string {
  switch (refusal.why) {
    case "not-pull-request":
      return "`/hpc` commands work on pull requests only.";
    case "unknown-command":
      return `${escapeGitHubText(refusal.text, 100)} is not a command I know: use ${COMMAND_USAGE}.`;
    case "no-permission":
      return refusal.fork
        ? "This pull request comes from a fork: only someone with write access to this repository can start a cluster run of it, for the commit they reviewed."
        : `Only users with write access to this repository can start cluster runs (yours: ${escapeGitHubText(refusal.permission, 20)}).`;
    case "closed":
      return "This pull request is closed: nothing to run.";
  }
}

export function replyBody(login: string, refusal: Refusal): string {
  return `${REPLY_MARKER}\nNot started (asked by ${escapeGitHubText(login, 60)}): ${refusalText(refusal)}\n`;
}
