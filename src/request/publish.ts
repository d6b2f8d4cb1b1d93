// Pushes a change of the requests/ folder to the results branch: a sparse checkout of requests/ alone in a
// scratch folder, the change made again on the newest tip after a lost race (publishWithRetry), and the token
// only in git's environment (tokenEnvironment), never in a URL, a file or a command line.
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { tokenEnvironment } from "../git/credentials.js";
import { publishWithRetry } from "../git/publish.js";
import { REQUESTS_FOLDER } from "../results-branch/layout.js";

/** The workflow token's commits: GitHub shows them as github-actions[bot]'s. */
const AUTHOR = {
  name: "github-actions[bot]",
  email: "41898282+github-actions[bot]@users.noreply.github.com",
};

export interface RequestsPush {
  remote: string;
  branch: string;
  token?: string;
  message: string;
  /** A scratch folder is made under this one and removed afterwards. */
  scratch: string;
  log?: (message: string) => void;
  backoffMs?: { base: number; max: number };
}

/** Runs `change` on a checkout of the branch's newest tip and pushes what it wrote; returns its last result. */
export async function pushRequests<T>(
  push: RequestsPush,
  change: (dir: string) => Promise<T>,
): Promise<{
  result: T;
  pushed: boolean;
  commit?: string;
}> {
  const scratch = await mkdtemp(join(push.scratch, "hpc-requests-"));
  try {
    let result: T | undefined;
    const published = await publishWithRetry({
      remote: push.remote,
      branch: push.branch,
      dir: join(scratch, "branch"),
      message: push.message,
      sparse: [REQUESTS_FOLDER],
      author: AUTHOR,
      env: tokenEnvironment(push.remote, push.token),
      ...(push.log && { log: push.log }),
      ...(push.backoffMs && { backoffMs: push.backoffMs }),
      apply: async (dir) => {
        result = await change(dir);
      },
    });
    return {
      result: result as T,
      pushed: published.pushed,
      ...(published.commit && { commit: published.commit }),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
