// The processing path (repository_dispatch, schedule, workflow_dispatch): every request whose file changed
// since the processed marker, and every one still open, shown as the `hpc` check run of its commit. A
// request file that cannot be used is reported and skipped; the others go on.
import * as core from "@actions/core";
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { formatContractError } from "../../contract/errors.js";
import type { HpcRequest } from "../../contract/types.js";
import type { RunOutcome } from "../../request/check-run.js";
import { type RequestsRead, readRequests } from "../../request/folder.js";
import { selectForMirror } from "../../request/mirror.js";
import { changedSince } from "../../results-branch/discover.js";
import {
  CLOSED_REQUESTS_FOLDER,
  REQUESTS_FOLDER,
  closedRequestOf,
  closedRequestsFolder,
  isCommitId,
  requestFile,
  requestIdOf,
} from "../../results-branch/layout.js";
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
  const changed =
    paths &&
    new Set([...paths].flatMap((p) => requestIdOf(p, REQUESTS_FOLDER) ?? closedRequestOf(p)?.id ?? []));
  const read = await readAllRequests(root, paths);
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

/**
 * requests/ (the open ones, and those the poller has not moved yet), and the ended requests of the commits
 * that matter: those of the open requests and those with an ended request changed since the marker (every
 * commit without one). A commit's check run shows its newest request, so all of a commit's are read together.
 * A request in both folders (only by hand) is the one in requests/.
 */
async function readAllRequests(
  root: string,
  changed: ReadonlySet<string> | undefined,
): Promise<RequestsRead> {
  const open = await readRequests(root);
  const commits = new Set(open.requests.map((r) => r.commit));
  if (changed) for (const path of changed) commits.add(closedRequestOf(path)?.commit ?? "");
  else for (const commit of await closedCommits(root)) commits.add(commit);
  commits.delete("");
  const ids = new Set(open.requests.map((r) => r.id));
  const read: RequestsRead = { requests: [...open.requests], errors: [...open.errors] };
  for (const commit of [...commits].sort()) {
    const ended = await readRequests(root, undefined, closedRequestsFolder(commit));
    read.errors.push(...ended.errors);
    for (const r of ended.requests) {
      if (ids.has(r.id)) continue;
      if (r.commit !== commit) {
        read.errors.push({
          file: requestFile(r.id, closedRequestsFolder(commit)),
          pointer: "/commit",
          reason: `is ${r.commit}, not the commit of its folder`,
        });
      } else read.requests.push(r);
    }
  }
  return read;
}

/** The commit folders in requests-closed/ (others are left alone: only a commit's folder is read). */
async function closedCommits(root: string): Promise<string[]> {
  const names = await readdir(join(root, CLOSED_REQUESTS_FOLDER)).catch(() => [] as string[]);
  return names.filter(isCommitId);
}
