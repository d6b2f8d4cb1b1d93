// Entry of the request-hpc-run action. On issue_comment: handle an `/hpc` command of a pull request. On any
// other event (the processing path of the reusable workflow): show the requests' states as `hpc` check runs.
import * as core from "@actions/core";
import { createGitHubClient, repositoryFromEnv } from "../../github/client.js";
import { InputError } from "../inputs.js";
import { readInputs } from "./inputs.js";
import { mirrorRequests } from "./mirror.js";
import { onComment } from "./on-comment.js";
import type { Context } from "./show.js";

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const repository = repositoryFromEnv();
    const ctx: Context = {
      inputs,
      repository,
      client: createGitHubClient({
        token: inputs.token,
        warn: (message) => core.warning(message),
        timeScale: inputs.timeScale,
      }),
      links: {
        serverUrl: (process.env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, ""),
        repository: `${repository.owner}/${repository.repo}`,
        resultsBranch: inputs.resultsBranch,
        ...(inputs.pagesUrl && { pagesUrl: inputs.pagesUrl }),
      },
      problems: [],
    };
    if (process.env.GITHUB_EVENT_NAME === "issue_comment") await onComment(ctx);
    else await mirrorRequests(ctx);
    if (ctx.problems.length > 0) core.setFailed(ctx.problems.join("\n"));
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : (error as Error).message);
  }
}
