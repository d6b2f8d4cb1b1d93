// GitHub's documented rules for which workflow files an event runs, applied to a real bare repository
// (the stand-in's "GitHub" side of a repository):
// - push: the workflow files of the pushed commit's own tree, filtered by `on.push.branches`
//   (docs: "Events that trigger workflows", push: "GITHUB_SHA: the tip commit pushed to the ref").
// - schedule, workflow_dispatch, repository_dispatch: the workflow files of the default branch's tip
//   ("This event will only trigger a workflow run if the workflow file exists on the default branch").
// - repository_dispatch: only workflows whose `types` list the event type (or that list none).
// - issue_comment: the workflow files of the default branch's tip too ("This event will only trigger a
//   workflow run if the workflow file exists on the default branch"; GITHUB_SHA: the last commit on the
//   default branch), filtered by `types` (created, edited, deleted), for comments on issues and pull
//   requests alike.
// - An event made with the workflow's own GITHUB_TOKEN starts no workflow run, except workflow_dispatch and
//   repository_dispatch ("Triggering a workflow from a workflow"): our reply to a comment starts nothing.
import { execFileSync } from "node:child_process";
import { parse as parseYaml } from "yaml";

/** Who made the event: a workflow's GITHUB_TOKEN, or anything else (a deploy key, a person, a fine-grained token). */
export type Actor = "workflow-token" | "cluster" | "maintainer";

export type Trigger =
  | { event: "push"; branch: string; sha: string; actor: Actor }
  | { event: "schedule"; cron?: string }
  | { event: "workflow_dispatch"; actor: Actor }
  | { event: "repository_dispatch"; type: string; payload: Record<string, unknown>; actor: Actor }
  | {
      event: "issue_comment";
      action: "created" | "edited" | "deleted";
      actor: Actor;
      /** The webhook's issue and comment (issue.pull_request set on a pull request's). */
      issue: Record<string, unknown>;
      comment: Record<string, unknown>;
    };

export interface Started {
  /** Path of the workflow file in the tree it was read from. */
  file: string;
  /** The commit whose tree held it (GITHUB_SHA). */
  sha: string;
  workflow: Workflow;
  text: string;
}

export interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  concurrency?: unknown;
  jobs: Record<string, Record<string, unknown>>;
}

function git(origin: string, ...args: string[]): string {
  return execFileSync("git", ["--git-dir", origin, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

export function defaultBranch(origin: string): string {
  return git(origin, "symbolic-ref", "--short", "HEAD");
}

function triggerMap(on: unknown): Record<string, unknown> {
  if (typeof on === "string") return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e: string) => [e, null]));
  return (on ?? {}) as Record<string, unknown>;
}

// A branch filter's glob: * matches within a segment, ** across segments.
function globMatch(pattern: string, name: string): boolean {
  const re = pattern
    .split("**")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
    .join(".*");
  return new RegExp(`^${re}$`).test(name);
}

function listens(on: Record<string, unknown>, trigger: Trigger): boolean {
  if (!(trigger.event in on)) return false;
  const spec = (on[trigger.event] ?? {}) as { branches?: string[]; types?: string[] };
  if (trigger.event === "push" && spec.branches)
    return spec.branches.some((p) => globMatch(p, trigger.branch));
  if (trigger.event === "repository_dispatch" && spec.types) return spec.types.includes(trigger.type);
  if (trigger.event === "issue_comment" && spec.types) return spec.types.includes(trigger.action);
  return true;
}

/** The workflow runs GitHub starts for `trigger` on the repository `origin`, one per listening workflow file. */
export function workflowsFor(origin: string, trigger: Trigger): Started[] {
  if ((trigger.event === "push" || trigger.event === "issue_comment") && trigger.actor === "workflow-token")
    return [];
  const sha =
    trigger.event === "push" ? trigger.sha : git(origin, "rev-parse", `refs/heads/${defaultBranch(origin)}`);
  let files: string[];
  try {
    files = git(origin, "ls-tree", "--name-only", `${sha}:.github/workflows`)
      .split("\n")
      .filter((f) => /\.ya?ml$/.test(f));
  } catch {
    return []; // no .github/workflows in that tree
  }
  const started: Started[] = [];
  for (const name of files) {
    const file = `.github/workflows/${name}`;
    const text = git(origin, "show", `${sha}:${file}`);
    const workflow = parseYaml(text) as Workflow;
    if (listens(triggerMap(workflow.on), trigger)) started.push({ file, sha, workflow, text });
  }
  return started;
}

/** The webhook payload GitHub gives such a run (github.event): the parts our workflows read. */
export function eventPayload(
  trigger: Trigger,
  repository: { full_name: string; default_branch: string },
): Record<string, unknown> {
  const repo = { ...repository, name: repository.full_name.split("/")[1] };
  switch (trigger.event) {
    case "push":
      return { ref: `refs/heads/${trigger.branch}`, after: trigger.sha, repository: repo };
    case "schedule":
      return { schedule: trigger.cron ?? "17 * * * *", repository: repo };
    case "workflow_dispatch":
      return { inputs: {}, ref: `refs/heads/${repository.default_branch}`, repository: repo };
    case "repository_dispatch":
      return {
        action: trigger.type,
        branch: repository.default_branch,
        client_payload: trigger.payload,
        repository: repo,
      };
    case "issue_comment":
      return {
        action: trigger.action,
        issue: trigger.issue,
        comment: trigger.comment,
        repository: repo,
        sender: trigger.comment.user,
      };
  }
}
