// Brings the `hpc` check run of each request's commit to the request's state.
import * as core from "@actions/core";
import { upsertCheckRun } from "../../github/check-runs.js";
import type { GitHubClient, Repository } from "../../github/client.js";
import type { HpcRequest } from "../../contract/types.js";
import { type CheckRunLinks, type RunOutcome, requestCheckRun } from "../../request/check-run.js";
import type { RequestInputs } from "./inputs.js";

export interface Context {
  inputs: RequestInputs;
  client: GitHubClient;
  repository: Repository;
  links: CheckRunLinks;
  /** Failures worth failing the step for, after everything else was done. */
  problems: string[];
}

export interface Shown {
  request: string;
  commit: string;
  status: string;
  conclusion?: string;
  check_run_id?: number;
}

export async function show(
  ctx: Context,
  items: Array<{ request: HpcRequest; outcome?: RunOutcome }>,
): Promise<Shown[]> {
  const shown: Shown[] = [];
  for (const { request, outcome } of items) {
    const spec = requestCheckRun(request, ctx.links, outcome);
    const entry: Shown = {
      request: request.id,
      commit: request.commit,
      status: spec.status,
      ...(spec.conclusion && { conclusion: spec.conclusion }),
    };
    try {
      const written = await upsertCheckRun(ctx.client, ctx.repository, spec);
      core.info(
        `Check run hpc on ${request.commit}: ${written.action}, ${spec.conclusion ?? spec.status} (${request.id})`,
      );
      entry.check_run_id = written.id;
    } catch (error) {
      ctx.problems.push((error as Error).message);
    }
    shown.push(entry);
  }
  return shown;
}
