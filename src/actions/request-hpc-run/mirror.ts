// The processing path (repository_dispatch, schedule, workflow_dispatch): every request whose file changed
// since the processed marker, and every one still open, shown as the `hpc` check run of its commit. A
// request file that cannot be used is reported and skipped; the others go on.
import * as core from "@actions/core";
import { resolve } from "node:path";
import { formatContractError } from "../../contract/errors.js";
import type { HpcRequest } from "../../contract/types.js";
import type { RunOutcome } from "../../request/check-run.js";
import { readRequestsToShow } from "../../request/folder.js";
import { selectForMirror } from "../../request/mirror.js";
import { changedSince } from "../../results-branch/discover.js";
import { CLOSED_REQUESTS_FOLDER, REQUESTS_FOLDER, requestIdOfPath } from "../../results-branch/layout.js";
import { readCommitRun } from "../../results-branch/read.js";
import { type Context, show } from "./show.js";

export async function mirrorRequests(ctx: Context): Promise<void> {
  const root = resolve(ctx.inputs.path);
  let paths: Set<string> | undefined;
  if (ctx.inputs.since) {
    const listed = await changedSince(ctx.inputs.since, root, [REQUESTS_FOLDER, CLOSED_REQUESTS_FOLDER]);
    if ("warning" in listed) core.warning(`${listed.warning}; every request counts as changed`);
    else paths = new Set(listed.paths);
  }
  const changed = paths && new Set([...paths].flatMap((p) => requestIdOfPath(p) ?? []));
  const read = await readRequestsToShow(root, paths);
  // One annotation per file, with every reason.
  const unusable = new Map<string, string[]>();
  for (const e of read.errors)
    unusable.set(e.file, [...(unusable.get(e.file) ?? []), formatContractError(e)]);
  for (const [file, reasons] of unusable) core.error(reasons.join("\n"), { file, title: "Unusable request" });
  const here = `${ctx.repository.owner}/${ctx.repository.repo}`.toLowerCase();
  const own = read.requests.filter((r) => {
    if (!r.repository || r.repository.toLowerCase() === here) return true;
    core.warning(`${r.id} is a request for ${r.repository}, not ${here}: no check run here`);
    return false;
  });
  const selection = selectForMirror(own, changed, ctx.inputs.maxCheckRuns);
  if (selection.leftOut.length > 0) {
    core.warning(
      `${selection.leftOut.length} more commit(s) have requests to show than max-check-runs (${ctx.inputs.maxCheckRuns}); the open ones are shown on a later run`,
    );
  }
  core.info(
    `${read.requests.length} request(s) read` +
      (changed ? ` (open, or changed since ${ctx.inputs.since.slice(0, 12)})` : " (every one: no marker)") +
      `; showing ${selection.chosen.length}`,
  );
  const items: Array<{ request: HpcRequest; outcome?: RunOutcome }> = [];
  for (const request of selection.chosen) {
    items.push({
      request,
      ...(request.state === "completed" && { outcome: await runOutcome(root, request.commit) }),
    });
  }
  const shown = await show(ctx, items);
  core.setOutput("check-runs", JSON.stringify(shown));
  core.setOutput("problems", String(unusable.size));
  if (unusable.size > 0 && ctx.inputs.failOnInvalid) {
    ctx.problems.push(`${unusable.size} request file(s) could not be used; see the annotations`);
  }
}

/** What the published run of `commit` says, when it is on the branch and valid. */
async function runOutcome(root: string, commit: string): Promise<RunOutcome | undefined> {
  const read = await readCommitRun(root, commit);
  for (const e of read.errors) core.warning(`the run of ${commit}: ${formatContractError(e)}`);
  if (!read.run) return undefined;
  return {
    ...(read.run.tests && { tests: read.run.tests.status }),
    ...(read.run.benchmarks && { benchmarks: read.run.benchmarks.status }),
  };
}
