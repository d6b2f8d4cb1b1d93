// The webhook payload of the event that started the workflow, as the runner provides it.
import { readFile } from "node:fs/promises";

export async function readEventPayload(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, unknown> | undefined> {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  try {
    const value: unknown = JSON.parse(await readFile(path, "utf8"));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The repository's default branch as the event says it (repository.default_branch, in the payloads of push,
 * schedule, workflow_dispatch and repository_dispatch); undefined when the payload does not carry it.
 */
export function defaultBranchOf(payload: Record<string, unknown> | undefined): string | undefined {
  const repository = payload?.repository as { default_branch?: unknown } | undefined;
  const branch = repository?.default_branch;
  return typeof branch === "string" && branch !== "" ? branch : undefined;
}
