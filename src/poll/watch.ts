// Nothing hangs: each running request's job is asked of Slurm. A job that published its results ends
// the request completed; one that ended without them (failed, timed out, cancelled, its node lost), or
// that Slurm no longer knows after a grace period, ends it failed with the reason. A cancelled
// request's job that still runs is stopped with scancel.
import type { HpcRequest } from "../contract/types.js";
import { COMMIT_FILES, commitFile } from "../results-branch/layout.js";
import { cancelJob, describeEnd, jobStatus, type JobStatus } from "../slurm/index.js";
import { describeSeconds, type PollView } from "./plan.js";
import { type Change, changeWhile } from "./record.js";
import { moved } from "./requests.js";
import { utcSeconds } from "../contract/time.js";

export interface WatchContext {
  view: PollView;
  env: NodeJS.ProcessEnv;
  dryRun: boolean;
  /** A file's text on the results branch's tip, as read at the start of the poll. */
  read: (path: string) => Promise<string | undefined>;
  /** The results branch read again now: the reader of its newest tip. */
  reread: () => Promise<(path: string) => Promise<string | undefined>>;
  log: (line: string) => void;
}

/** A change that holds only while the request is still running the same job. */
function fromRunning(request: HpcRequest, summary: string, next: (r: HpcRequest) => HpcRequest): Change {
  const same = (c: HpcRequest) =>
    c.state === "running" && c.job_id === request.job_id && c.claimed_at === request.claimed_at;
  return changeWhile(request, summary, same, next);
}

/** Whether `<sha>/hpc-results.json` is this job's: its job id, else written after the claim. */
async function published(request: HpcRequest, read: WatchContext["read"]): Promise<boolean> {
  const text = await read(commitFile(request.commit, COMMIT_FILES.results)).catch(() => undefined);
  if (!text) return false;
  try {
    const results = JSON.parse(text) as { generated_at?: unknown; hpc?: { job_id?: unknown } };
    const jobId = results.hpc?.job_id;
    if (typeof jobId === "string" && jobId !== "") return jobId === request.job_id;
    const written = Date.parse(String(results.generated_at));
    return !Number.isNaN(written) && written >= Date.parse(request.claimed_at ?? request.requested_at);
  } catch {
    return false;
  }
}

export async function watchRunning(ctx: WatchContext): Promise<Change[]> {
  const { view } = ctx;
  const at = utcSeconds(view.now);
  const changes: Change[] = [];
  const complete = (request: HpcRequest, job: string) =>
    changes.push(
      fromRunning(
        request,
        `completed ${request.id}: job ${job} published results for ${request.commit.slice(0, 12)}`,
        (r) => moved(r, "completed", { job_id: job }, at, view.identity),
      ),
    );
  const fail = (request: HpcRequest, reason: string) =>
    changes.push(
      fromRunning(request, `failed ${request.id}: ${reason}`, (r) =>
        moved(r, "failed", { reason, ...(r.job_id && { job_id: r.job_id }) }, at, view.identity),
      ),
    );
  const ended: [HpcRequest, string, Extract<JobStatus, { kind: "ended" }>][] = [];
  for (const request of view.requests.filter((r) => r.state === "running")) {
    const since = (view.now.getTime() - Date.parse(request.claimed_at ?? request.updated_at)) / 1000;
    const grace = view.policy.vanishedAfterSeconds;
    const job = request.job_id;
    if (!job) {
      // Claimed, but the claimant never recorded a job (it died between the claim and sbatch).
      if (since > grace)
        fail(
          request,
          `claimed by ${request.claimed_by ?? "a poller"} but no job was recorded within ${describeSeconds(grace)}`,
        );
    } else if (await published(request, ctx.read)) complete(request, job);
    else {
      const status = await jobStatus(job, ctx.env);
      if (status.kind === "ended") ended.push([request, job, status]);
      else if (status.kind === "unknown" && since > grace)
        fail(request, `job ${job} vanished: Slurm does not know it`);
    }
  }
  if (ended.length === 0) return changes;
  // A job pushes its results before it ends: the branch read now, after Slurm said it ended, has them
  // if the job published at all (the first read may have come just before the push).
  const read = await ctx.reread();
  for (const [request, job, status] of ended) {
    if (await published(request, read)) complete(request, job);
    else if (status.state === "COMPLETED")
      fail(request, `job ${job} COMPLETED but published no results for ${request.commit}`);
    else fail(request, describeEnd(job, status));
  }
  return changes;
}

/** Marks in a cancelled request's events that its job was dealt with, so that it is asked about once. */
export function stoppedMark(job: string): string {
  return `job ${job} stopped`;
}

export async function stopCancelled(ctx: WatchContext): Promise<Change[]> {
  const { view } = ctx;
  const at = utcSeconds(view.now);
  const changes: Change[] = [];
  for (const request of view.requests) {
    const job = request.job_id;
    if (request.state !== "cancelled" || !job) continue;
    if ((request.events ?? []).some((e) => e.reason?.startsWith(stoppedMark(job)))) continue;
    const status = await jobStatus(job, ctx.env);
    let reason = `${stoppedMark(job)}: it had ended`;
    if (status.kind === "active") {
      if (ctx.dryRun) {
        ctx.log(`would scancel job ${job} (${request.id} was cancelled)`);
        continue;
      }
      const problem = await cancelJob(job, ctx.env);
      if (problem) {
        ctx.log(`could not scancel job ${job} of cancelled ${request.id}: ${problem}`);
        continue;
      }
      reason = `${stoppedMark(job)}: scancel`;
      ctx.log(`scancel job ${job}: ${request.id} was cancelled`);
    }
    changes.push(
      changeWhile(
        request,
        `noted on ${request.id}: ${reason}`,
        (c) => c.state === "cancelled" && c.job_id === job,
        (c) => moved(c, "cancelled", { reason }, at, view.identity),
      ),
    );
  }
  return changes;
}
