// Where a submitted job stands, asked of Slurm: squeue for a job still queued or running, then sacct
// (the accounting database) for how it ended, or scontrol where the site keeps no accounting (Slurm then
// remembers an ended job for MinJobAge, 300 s by default). A job none of them knows has vanished.
import { parseJobEnd, slurmCommand, type RunResult } from "./submit.js";

export type JobStatus =
  | { kind: "active"; state: string }
  | { kind: "ended"; state: string; exitCode: number; signal: number; reason?: string; elapsed?: string }
  | { kind: "unknown" };

/** Slurm's client commands are not there (not a login node): the poll cannot judge any job. */
export class SlurmUnavailableError extends Error {
  override name = "SlurmUnavailableError";
}

const ACTIVE =
  /^(PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED|REQUEUE|RESIZING|SIGNALING|STAGE_OUT|STOPPED)/;

/** The sacct fields asked for, in order (`-o`). */
export const SACCT_FIELDS = "JobID,State,ExitCode,Reason,End,Elapsed";

/** One line of `sacct -X -n -P -o JobID,State,ExitCode,Reason,End,Elapsed` for the job. */
export function parseSacct(stdout: string, jobId: string): JobStatus | undefined {
  for (const line of stdout.split("\n")) {
    const [id, state, exit, reason, , elapsed] = line.trim().split("|");
    if (id !== jobId || !state) continue;
    if (ACTIVE.test(state)) return { kind: "active", state };
    const code = /^(\d+):(\d+)$/.exec(exit ?? "");
    return {
      kind: "ended",
      state,
      exitCode: Number(code?.[1] ?? 0),
      signal: Number(code?.[2] ?? 0),
      ...(reason && reason !== "None" && { reason }),
      ...(elapsed && { elapsed }),
    };
  }
  return undefined;
}

async function ask(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult | undefined> {
  try {
    return await slurmCommand(command, args, process.cwd(), env);
  } catch {
    return undefined; // not installed: the next source is asked
  }
}

export async function jobStatus(jobId: string, env: NodeJS.ProcessEnv): Promise<JobStatus> {
  let anyCommand = false;
  const queue = await ask("squeue", ["-h", "-t", "all", "-j", jobId, "-o", "%i|%T"], env);
  if (queue) anyCommand = true;
  // "42|RUNNING": the first two of sacct's fields.
  const queued = queue?.code === 0 ? parseSacct(queue.stdout, jobId) : undefined;
  if (queued?.kind === "active") return queued;

  const sacct = await ask("sacct", ["-j", jobId, "-X", "-n", "-P", "-o", SACCT_FIELDS], env);
  if (sacct) anyCommand = true;
  const accounted = sacct?.code === 0 ? parseSacct(sacct.stdout, jobId) : undefined;
  if (accounted) return accounted;

  // No accounting (sacct: "Slurm accounting storage is disabled"), or it has not caught up yet.
  const shown = await ask("scontrol", ["show", "job", "-o", jobId], env);
  if (shown) anyCommand = true;
  const line =
    shown?.code === 0 ? shown.stdout.split("\n").find((l) => l.startsWith(`JobId=${jobId} `)) : undefined;
  const end = line ? parseJobEnd(line) : undefined;
  if (end) {
    if (ACTIVE.test(end.state)) return { kind: "active", state: end.state };
    const elapsed = /(?:^|\s)RunTime=(\S+)/.exec(line!)?.[1];
    return { kind: "ended", ...end, exitCode: end.exitStatus, ...(elapsed && { elapsed }) };
  }
  if (!anyCommand)
    throw new SlurmUnavailableError("squeue, sacct and scontrol not found: is this a Slurm login node?");
  return { kind: "unknown" };
}

/** Why an ended job did not finish its work, in a few words: "job 42 TIMEOUT after 00:10:00". */
export function describeEnd(jobId: string, status: Extract<JobStatus, { kind: "ended" }>): string {
  const details = [
    status.state.startsWith("FAILED") || status.exitCode ? `exit code ${status.exitCode}` : undefined,
    status.signal ? `signal ${status.signal}` : undefined,
    status.reason,
  ].filter(Boolean);
  return `job ${jobId} ${status.state}${details.length ? ` (${details.join(", ")})` : ""}${status.elapsed ? ` after ${status.elapsed}` : ""}`;
}

/** Before a claim: a poller on a node without sbatch would claim requests only to fail them. */
export async function requireSbatch(env: NodeJS.ProcessEnv): Promise<void> {
  const result = await ask("sbatch", ["--version"], env);
  if (!result || result.code !== 0)
    throw new SlurmUnavailableError(
      `sbatch ${result ? `exited ${result.code}: ${result.stderr.trim().slice(0, 300)}` : "not found"}: is this a Slurm login node? Nothing was claimed`,
    );
}

/** Cancels a job (scancel); the reason it could not, or undefined. */
export async function cancelJob(jobId: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const result = await ask("scancel", [jobId], env);
  if (!result) return "scancel not found";
  return result.code === 0 ? undefined : result.stderr.trim() || `scancel exited ${result.code}`;
}
