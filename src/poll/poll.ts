// One poll: look at the results branch and the source repository, write what changed (new requests,
// superseded, stale, ended jobs) as one push, claim queued requests one push each (a claim another
// poller won is lost, never submitted), submit the won ones, record their job ids as one push, and ask
// GitHub to mirror the new states (repository_dispatch; a failure is a warning).
import type { PollPolicy } from "../config/poll-policy.js";
import type { HpcRequest } from "../contract/types.js";
import {
  CLOSED_REQUESTS_FOLDER,
  COMMIT_FILES,
  REQUESTS_FOLDER,
  closedRequestOf,
} from "../results-branch/layout.js";
import { type BranchSnapshot, snapshotBranch } from "../results-branch/snapshot.js";
import { askToProcess } from "../run/publish.js";
import type { Logger } from "../run/log.js";
import { cancelJob, requireSbatch } from "../slurm/index.js";
import { claimChange, claimable, housekeeping, type PollView } from "./plan.js";
import { type BranchWriter, type Change, changeWhile, recordChanges } from "./record.js";
import { archiveChanges } from "./archive.js";
import { isRequestPath, moved, parseRequests } from "./requests.js";
import { listSourceRefs } from "./source-refs.js";
import { type JobTarget, prepareCheckout, submitRequest } from "./submit-request.js";
import { stopCancelled, watchRunning } from "./watch.js";
import { utcSeconds } from "../contract/time.js";

export interface PollContext {
  policy: PollPolicy;
  results: {
    remote: string;
    branch: string;
    env: NodeJS.ProcessEnv;
    token?: string;
    repository?: string;
    apiUrl?: string;
    attempts?: number;
  };
  job: Omit<JobTarget, "policy">;
  /** A folder of this poll's own (the results branch's working checkout). */
  workDir: string;
  dryRun: boolean;
  identity: string;
  now?: () => Date;
  log: Logger;
}

export interface PollOutcome {
  /** One line per action, as printed. */
  actions: string[];
  invalid: string[];
  submitted: string[];
}

export async function poll(ctx: PollContext): Promise<PollOutcome> {
  const now = ctx.now ?? (() => new Date());
  const outcome: PollOutcome = { actions: [], invalid: [], submitted: [] };
  const say = (line: string) => {
    outcome.actions.push(line);
    ctx.log.info(line);
  };
  const fresh: BranchSnapshot[] = [];
  const snapshot = await snapshotBranch(ctx.results.remote, ctx.results.branch, ctx.results.env, [
    REQUESTS_FOLDER,
  ]);
  try {
    const refs = await listSourceRefs(ctx.job.source, ctx.job.sourceEnv);
    const files = await Promise.all(
      [...snapshot.paths]
        .filter(isRequestPath)
        .map(async (path) => ({ path, text: (await snapshot.read(path)) ?? "" })),
    );
    const { requests, invalid } = parseRequests(files);
    for (const line of invalid) {
      outcome.invalid.push(line);
      ctx.log.warn(`invalid request, left alone: ${line}`);
    }
    const tested = new Set(
      [...snapshot.paths].filter((p) => p.endsWith(`/${COMMIT_FILES.results}`)).map((p) => p.split("/")[0]!),
    );
    const closed = new Set([...snapshot.paths].flatMap((p) => closedRequestOf(p)?.id ?? []));
    const view: PollView = {
      policy: ctx.policy,
      requests,
      refs,
      tested,
      closed,
      repository: ctx.results.repository,
      now: now(),
      identity: ctx.identity,
    };
    const reread = async () => {
      const again = await snapshotBranch(ctx.results.remote, ctx.results.branch, ctx.results.env);
      fresh.push(again);
      return again.read;
    };
    const watch = { view, env: ctx.job.env, dryRun: ctx.dryRun, read: snapshot.read, reread, log: say };
    const first = [
      ...housekeeping(view),
      ...(await watchRunning(watch)),
      ...(await stopCancelled(watch)),
      ...archiveChanges(view.requests),
    ];

    const writer: BranchWriter = {
      remote: ctx.results.remote,
      branch: ctx.results.branch,
      dir: ctx.workDir,
      env: ctx.results.env,
      attempts: ctx.results.attempts,
      log: (m) => ctx.log.info(m),
    };
    const touched: string[] = [];
    let resultsCommit: string | undefined;
    // A move to requests-closed/ changes nothing GitHub shows: said as a count, and no reason to dispatch.
    const report = (applied: Change[], prefix: string) => {
      for (const change of applied) if (!change.archive) say(`${prefix}${change.summary}`);
      const archived = applied.filter((c) => c.archive).length;
      if (archived > 0) say(`${prefix}archived ${archived} ended request(s) to ${CLOSED_REQUESTS_FOLDER}/`);
    };
    const record = async (changes: Change[], message: string) => {
      if (ctx.dryRun) {
        const current = new Map(view.requests.map((r) => [r.id, r]));
        report(
          changes.filter((c) => c.when(current.get(c.id), view.requests)),
          "would have ",
        );
        return changes;
      }
      const recorded = await recordChanges(writer, changes, message);
      report(recorded.applied, "");
      touched.push(...recorded.applied.filter((c) => !c.archive).map((c) => c.commit));
      if (recorded.applied.length > 0) resultsCommit = recorded.resultsCommit;
      return recorded.applied;
    };

    await record(first, `hpc-ci poll: ${first.length} request change(s)`);
    const afterFirst = applyLocally(view.requests, first);
    await claimAndSubmit(ctx, { ...view, requests: afterFirst }, record, say, outcome);

    if (resultsCommit && touched.length > 0)
      await askToProcess(
        { ...ctx.results },
        ctx.results.remote,
        resultsCommit,
        [...new Set(touched)],
        ctx.log,
      );
    if (outcome.actions.length === 0) ctx.log.info("nothing to do");
    return outcome;
  } finally {
    for (const s of [snapshot, ...fresh]) await s.close();
  }
}

/** The view after `changes`, as this poller expects the tip to be (what does not hold there is re-decided). */
function applyLocally(requests: HpcRequest[], changes: Change[]): HpcRequest[] {
  const all = [...requests];
  for (const change of changes) {
    const index = all.findIndex((r) => r.id === change.id);
    const next = change.when(all[index], all);
    if (!next) continue;
    if (index >= 0) all[index] = next;
    else all.push(next);
  }
  return all;
}

type Recorder = (changes: Change[], message: string) => Promise<Change[]>;

async function claimAndSubmit(
  ctx: PollContext,
  view: PollView,
  record: Recorder,
  say: (line: string) => void,
  outcome: PollOutcome,
): Promise<void> {
  let slots = ctx.policy.maxJobs - view.requests.filter((r) => r.state === "running").length;
  const at = utcSeconds(view.now);
  const after: Change[] = [];
  const jobs = new Map<string, string>();
  const candidates = claimable(view);
  if (candidates.length > 0 && slots > 0 && !ctx.dryRun) await requireSbatch(ctx.job.env);
  for (const request of candidates) {
    if (slots <= 0) {
      say(`${request.id} waits: ${ctx.policy.maxJobs} job(s) at once (poll.max_jobs) are running`);
      break;
    }
    const claim = claimChange(request, view, at);
    if (ctx.dryRun) {
      say(`would claim ${request.id} and submit a job running ${request.what} for ${request.commit}`);
      slots--;
      continue;
    }
    const won = await record([claim], `hpc-ci poll: claim ${request.id}`);
    if (won.length === 0) {
      say(
        `lost the claim of ${request.id}: another poller changed it first, or ${ctx.policy.maxJobs} job(s) already run`,
      );
      continue;
    }
    slots--;
    const claimed = moved(request, "running", { claimed_by: ctx.identity, claimed_at: at }, at, ctx.identity);
    let step = `could not fetch ${request.commit} from the source repository`;
    try {
      const dir = await prepareCheckout(request, { policy: ctx.policy, ...ctx.job });
      step = "could not submit";
      const jobId = await submitRequest(request, dir, { policy: ctx.policy, ...ctx.job });
      jobs.set(request.id, jobId);
      outcome.submitted.push(jobId);
      after.push(jobRecord(claimed, jobId, at, ctx.identity));
    } catch (error) {
      const reason = `${step}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000);
      const failed = (r: HpcRequest) => moved(r, "failed", { reason }, at, ctx.identity);
      after.push(ownClaim(claimed, `failed ${request.id}: ${reason}`, failed, ctx.identity));
    }
  }
  let applied: Set<string>;
  try {
    applied = new Set((await record(after, `hpc-ci poll: ${jobs.size} job(s) submitted`)).map((c) => c.id));
  } catch (error) {
    // No job runs that no request names: a later poll fails the claims (no job recorded) instead.
    for (const [id, jobId] of jobs) await stopJob(ctx, say, id, jobId, "its job id could not be recorded");
    throw error;
  }
  // A request cancelled between its claim and sbatch keeps no job.
  for (const [id, jobId] of jobs)
    if (!applied.has(id)) await stopJob(ctx, say, id, jobId, "it changed while the job was submitted");
}

async function stopJob(
  ctx: PollContext,
  say: (line: string) => void,
  id: string,
  jobId: string,
  why: string,
): Promise<void> {
  const problem = await cancelJob(jobId, ctx.job.env);
  say(`${problem ? `could not scancel job ${jobId} (${problem})` : `scancel job ${jobId}`} of ${id}: ${why}`);
}

/** A change to a request this poller claimed and still holds, before any job was recorded. */
function ownClaim(
  claimed: HpcRequest,
  summary: string,
  next: (r: HpcRequest) => HpcRequest,
  identity: string,
): Change {
  const held = (c: HpcRequest) =>
    c.state === "running" && c.claimed_by === identity && c.claimed_at === claimed.claimed_at && !c.job_id;
  return changeWhile(claimed, summary, held, next);
}

function jobRecord(claimed: HpcRequest, jobId: string, at: string, identity: string): Change {
  return ownClaim(
    claimed,
    `submitted job ${jobId} for ${claimed.id} (${claimed.what}, ${claimed.commit.slice(0, 12)})`,
    (r) => moved(r, "running", { job_id: jobId }, at, identity),
    identity,
  );
}
