// Whether a user may ask for cluster runs: asked of GitHub (the collaborator permission endpoint), never
// guessed from a comment's author_association, which says nothing about write access (an organization member
// may have read only; an outside collaborator may have write).
import { type GitHubClient, type Repository, describeApiError, httpStatus } from "./client.js";

/** GitHub's base permission: maintain counts as write, triage as read; a custom role as the base it extends. */
export type BasePermission = "admin" | "write" | "read" | "none";

export async function repositoryPermission(
  client: GitHubClient,
  repository: Repository,
  username: string,
): Promise<BasePermission> {
  try {
    const { data } = await client.rest.repos.getCollaboratorPermissionLevel({ ...repository, username });
    const permission = data.permission;
    return permission === "admin" || permission === "write" || permission === "read" ? permission : "none";
  } catch (error) {
    // GitHub answers 404 for a user who is no collaborator of a private repository (or no user at all).
    if (httpStatus(error) === 404) return "none";
    throw new Error(
      describeApiError(
        error,
        `reading the permission of ${username}`,
        "metadata: read (a user's token: push access)",
      ),
      {
        cause: error,
      },
    );
  }
}

/** Write, maintain and admin may push, and so may start a run of any commit on the cluster. */
export function canRequestRuns(permission: BasePermission): boolean {
  return permission === "admin" || permission === "write";
}
