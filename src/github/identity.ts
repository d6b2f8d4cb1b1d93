// Whom the action's token posts as: only comments by that login are ours, so a marker planted in anybody
// else's comment is never edited, deleted or taken for ours.
import { type GitHubClient, describeApiError, httpStatus } from "./client.js";

/** The workflow token's comments are by this bot (an installation token of the GitHub Actions app). */
export const WORKFLOW_TOKEN_LOGIN = "github-actions[bot]";

/**
 * The login comments made with the client's token carry: `override` when given; else GET /user (a personal
 * access token's user); else, when GitHub answers 403 as it does to installation tokens (GITHUB_TOKEN, a
 * GitHub App's), the workflow token's bot. An app token's bot ("<slug>[bot]") cannot be read with the token
 * itself: give it as `override`.
 */
export async function commentAuthor(client: GitHubClient, override?: string): Promise<string> {
  if (override) return override;
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    // Not a rate limit's 403: GitHub's own words for a token that has no user.
    if (
      httpStatus(error) === 403 &&
      /not accessible by integration/i.test(String((error as Error).message))
    ) {
      return WORKFLOW_TOKEN_LOGIN;
    }
    throw new Error(
      describeApiError(error, "reading whom the token acts as (GET /user)", "read access to its own user"),
      { cause: error },
    );
  }
}

export function sameLogin(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
