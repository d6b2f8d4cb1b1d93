// Which pull requests a run belongs to: the open ones whose head is the tested commit (optionally every open
// one that contains it), or the ones named explicitly.
import { type GitHubClient, type Repository, describeApiError, httpStatus } from "./client.js";

export interface PullRequestTarget {
  number: number;
  headSha: string;
  /** The branch it merges into: its newest run is what coverage is compared with. */
  baseRef: string;
  state: string;
  htmlUrl: string;
}

export interface PullRequestSearch {
  commit: string;
  /** Also the open pull requests that contain the commit without having it as their head. */
  includeContaining?: boolean;
  /** These pull requests, whatever their head or state (the input `pull-request`). */
  explicit?: number[];
}

export interface PullRequestsFound {
  pullRequests: PullRequestTarget[];
  /** false when GitHub does not know the commit (then there is nothing to comment on or set statuses on). */
  commitKnown: boolean;
  warnings: string[];
}

export async function findPullRequests(
  client: GitHubClient,
  repository: Repository,
  search: PullRequestSearch,
): Promise<PullRequestsFound> {
  if (search.explicit && search.explicit.length > 0) {
    const pullRequests: PullRequestTarget[] = [];
    for (const number of search.explicit) {
      try {
        const { data } = await client.rest.pulls.get({ ...repository, pull_number: number });
        pullRequests.push(target(data));
      } catch (error) {
        if (httpStatus(error) === 404) {
          throw new Error(`pull request ${number} does not exist in ${repository.owner}/${repository.repo}`, {
            cause: error,
          });
        }
        throw new Error(describeApiError(error, `reading pull request ${number}`, "pull-requests: read"), {
          cause: error,
        });
      }
    }
    return { pullRequests, commitKnown: true, warnings: [] };
  }

  let listed;
  try {
    listed = await client.paginate(client.rest.repos.listPullRequestsAssociatedWithCommit, {
      ...repository,
      commit_sha: search.commit,
      per_page: 100,
    });
  } catch (error) {
    if (httpStatus(error) === 422) {
      return {
        pullRequests: [],
        commitKnown: false,
        warnings: [
          `GitHub does not know commit ${search.commit} in ${repository.owner}/${repository.repo} ` +
            "(not pushed, or force-pushed away): no comment and no statuses",
        ],
      };
    }
    throw new Error(
      describeApiError(error, `listing the pull requests of ${search.commit}`, "pull-requests: read"),
      {
        cause: error,
      },
    );
  }
  const pullRequests = listed
    .filter((p) => p.state === "open")
    .filter((p) => search.includeContaining || p.head.sha.toLowerCase() === search.commit.toLowerCase())
    .map(target)
    .sort((a, b) => a.number - b.number);
  return { pullRequests, commitKnown: true, warnings: [] };
}

function target(p: {
  number: number;
  state: string;
  html_url: string;
  head: { sha: string };
  base: { ref: string };
}): PullRequestTarget {
  return { number: p.number, headSha: p.head.sha, baseRef: p.base.ref, state: p.state, htmlUrl: p.html_url };
}

export interface PullRequestHead {
  number: number;
  state: string;
  /** The head commit as GitHub has it now. */
  headSha: string;
  /** The head branch lives in another repository (a fork), or its repository was deleted. */
  fromFork: boolean;
  htmlUrl: string;
}

/** The pull request's head as GitHub returns it at this moment. */
export async function readPullRequestHead(
  client: GitHubClient,
  repository: Repository,
  number: number,
): Promise<PullRequestHead> {
  try {
    const { data } = await client.rest.pulls.get({ ...repository, pull_number: number });
    const head = data.head.repo?.full_name?.toLowerCase();
    return {
      number: data.number,
      state: data.state,
      headSha: data.head.sha,
      fromFork: head !== data.base.repo.full_name.toLowerCase(),
      htmlUrl: data.html_url,
    };
  } catch (error) {
    throw new Error(describeApiError(error, `reading pull request ${number}`, "pull-requests: read"), {
      cause: error,
    });
  }
}
