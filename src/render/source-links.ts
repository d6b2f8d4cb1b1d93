// Links into the repository on GitHub: a commit by its short SHA, a file at a line of the tested commit.
import type { TestFailure } from "../contract/types.js";

/** The repository on GitHub (GITHUB_SERVER_URL and GITHUB_REPOSITORY on a runner). */
export interface RepositoryLinks {
  /** e.g. https://github.com (GITHUB_SERVER_URL). */
  serverUrl: string;
  /** owner/repo */
  repository: string;
}

/** Where the tested sources are, so that `file:line` can link to the file at the tested commit. */
export interface SourceLinks extends RepositoryLinks {
  /** The tested commit (full SHA). */
  commit: string;
}

/** A URL that cannot break out of a Markdown link destination. */
export function markdownUrl(url: string): string {
  return new URL(url).href.replace(
    /[()<> "'`\\]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/** A link to `file` at `line` in the tested commit, or undefined when the failure has no file. */
export function sourceUrl(failure: TestFailure, links: SourceLinks): string | undefined {
  if (!failure.file) return undefined;
  const path = failure.file.split("/").map(encodeURIComponent).join("/");
  const anchor = failure.line ? `#L${failure.line}` : "";
  return markdownUrl(`${links.serverUrl}/${links.repository}/blob/${links.commit}/${path}${anchor}`);
}

/** Characters of a short commit id, as GitHub shows them. */
const SHORT_SHA = 7;

/**
 * A commit (validated 40-hex) as its short id in a code span, linked to the commit on GitHub when the
 * repository is known. The code span keeps GitHub from linking the bare id a second time.
 */
export function commitLink(sha: string, repository?: RepositoryLinks): string {
  const short = `\`${sha.slice(0, SHORT_SHA)}\``;
  if (!repository) return short;
  return `[${short}](${markdownUrl(`${repository.serverUrl}/${repository.repository}/commit/${sha}`)})`;
}
