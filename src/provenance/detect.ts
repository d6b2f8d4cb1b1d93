// Where a run ran: the batch scheduler's job, read from the variables every scheduler sets in a job's
// environment, plus one cheap query for the time limit where the environment does not carry it.
// Schedulers are tried in order Slurm, PBS/Torque, LSF, Flux: a Flux instance started inside a Slurm
// allocation lives within the Slurm job's limits. GitLab CI (with Jacamar, a job of a batch scheduler
// that also carries the CI_* variables) adds the pipeline; a GitLab job outside any batch job is the
// "gitlab" scheduler, and anything else is "local".
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { hostname as osHostname } from "node:os";
import type { HpcProvenance, Scheduler } from "../contract/types.js";
import { parsePbsTime, parseSlurmTime } from "./durations.js";

/** Runs a command and resolves to its stdout; rejects when it cannot run or exits non-zero. */
export type CommandRunner = (command: string, args: string[]) => Promise<string>;

export interface Provenance extends HpcProvenance {
  scheduler: Scheduler;
  /**
   * When the job's time runs out (ISO 8601, UTC), for the walltime guard; absent when the job has no
   * limit or it is unknown. Not part of the contract's hpc fields: an extra key its readers keep.
   */
  job_end_time?: string;
}

export interface DetectOptions {
  /** The node's name when the scheduler does not say (default: os.hostname()). */
  hostname?: string;
  /** The moment the job's elapsed and remaining times are measured at (default: now). */
  now?: Date;
  /** Reads PBS_NODEFILE (default: fs.readFile as UTF-8). */
  readFile?: (path: string) => Promise<string>;
}

const MAX_TEXT = 4096;
const QUERY_TIMEOUT_MS = 15_000;
// `flux job timeleft` prints UINT_MAX (or more) for a job without a time limit.
const FLUX_UNLIMITED = 4294967295;

/** `execFile` with a timeout, no shell, and stdout as the answer. */
export const defaultRunner: CommandRunner = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { timeout: QUERY_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });

interface JobTimes {
  limit?: number;
  elapsed?: number;
  left?: number;
}

/** The scheduler, job and allocation this process runs in. Queries that fail are left out, never thrown. */
export async function detectProvenance(
  env: NodeJS.ProcessEnv,
  run: CommandRunner = defaultRunner,
  options: DetectOptions = {},
): Promise<Provenance> {
  const now = options.now ?? new Date();
  const get = (name: string) => text(env[name]);
  const ask = async (command: string, args: string[]) => {
    try {
      return await run(command, args);
    } catch {
      return undefined;
    }
  };

  let p: Provenance;
  let times: JobTimes = {};
  if (get("SLURM_JOB_ID") ?? get("SLURM_JOBID")) {
    const jobId = (get("SLURM_JOB_ID") ?? get("SLURM_JOBID")) as string;
    p = {
      scheduler: "slurm",
      job_id: jobId,
      cluster: get("SLURM_CLUSTER_NAME"),
      node: get("SLURMD_NODENAME"),
      partition: get("SLURM_JOB_PARTITION"),
      account: get("SLURM_JOB_ACCOUNT"),
      nodes: count(get("SLURM_JOB_NUM_NODES") ?? get("SLURM_NNODES")),
      cpus: cpusPerNode(get("SLURM_JOB_CPUS_PER_NODE")) ?? count(get("SLURM_CPUS_ON_NODE")),
    };
    times =
      slurmTimesFromEnv(env, now) ?? slurmTimes(await ask("squeue", ["-h", "-j", jobId, "-o", "%l|%L|%M"]));
  } else if (get("PBS_JOBID")) {
    const jobId = get("PBS_JOBID") as string;
    const nodefile = get("PBS_NODEFILE");
    const hosts = nodefile ? await readHosts(nodefile, options.readFile) : undefined;
    p = {
      scheduler: "pbs",
      job_id: jobId,
      cluster: get("PBS_SERVER"),
      partition: get("PBS_QUEUE") ?? get("PBS_O_QUEUE"),
      account: get("PBS_ACCOUNT"),
      nodes: count(get("PBS_NUM_NODES")) ?? (hosts ? new Set(hosts).size : undefined),
      cpus: count(get("PBS_NP")) ?? hosts?.length,
    };
    times = pbsTimes(await ask("qstat", ["-f", jobId]));
  } else if (get("LSB_JOBID")) {
    const hosts = lsfHosts(get("LSB_MCPU_HOSTS"), get("LSB_HOSTS"));
    p = {
      scheduler: "lsf",
      job_id: get("LSB_JOBID"),
      partition: get("LSB_QUEUE"),
      account: get("LSB_PROJECT_NAME"),
      nodes: hosts?.nodes,
      cpus: hosts?.cpus,
    };
  } else if (get("FLUX_JOB_ID") || get("FLUX_URI")) {
    // In a `flux batch` script the instance is the job: FLUX_JOB_ID is unset, the instance knows its id.
    const jobId = get("FLUX_JOB_ID") ?? text(await ask("flux", ["getattr", "jobid"]));
    p = {
      scheduler: "flux",
      job_id: jobId,
      nodes: count(get("FLUX_JOB_NNODES") ?? text(await ask("flux", ["getattr", "size"]))),
    };
    const left = count(text(await ask("flux", ["job", "timeleft"])));
    if (left !== undefined) times = { left: left >= FLUX_UNLIMITED ? Number.POSITIVE_INFINITY : left };
  } else if (get("CI_JOB_ID")) {
    p = { scheduler: "gitlab", job_id: get("CI_JOB_ID"), cluster: get("CI_RUNNER_DESCRIPTION") };
  } else {
    p = { scheduler: "local" };
  }

  p.node ??= text(options.hostname ?? osHostname());
  p.cluster = get("HPC_CLUSTER_NAME") ?? p.cluster;
  if (get("CI_PIPELINE_ID")) p.pipeline_id = get("CI_PIPELINE_ID");
  if (times.limit !== undefined && Number.isFinite(times.limit)) p.time_limit_seconds = times.limit;
  if (times.elapsed !== undefined) p.walltime_seconds = times.elapsed;
  if (times.left !== undefined && Number.isFinite(times.left)) {
    p.job_end_time = new Date(now.getTime() + times.left * 1000).toISOString();
  }
  return dropUndefined(p);
}

// Slurm 23.02 and later put the job's start and end (epoch seconds) in its environment.
function slurmTimesFromEnv(env: NodeJS.ProcessEnv, now: Date): JobTimes | undefined {
  const end = count(text(env.SLURM_JOB_END_TIME));
  if (end === undefined) return undefined;
  const start = count(text(env.SLURM_JOB_START_TIME));
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const times: JobTimes = { left: Math.max(0, end - nowSeconds) };
  if (start !== undefined && end >= start) {
    times.limit = end - start;
    times.elapsed = Math.max(0, nowSeconds - start);
  }
  return times;
}

/** squeue's "%l|%L|%M": time limit, time left, time used. */
function slurmTimes(output: string | undefined): JobTimes {
  const [limitText, leftText, usedText] = (output ?? "").trim().split("\n")[0]?.split("|") ?? [];
  const limit = parseSlurmTime(limitText);
  let left = parseSlurmTime(leftText);
  const elapsed = parseSlurmTime(usedText);
  if (left === undefined && limit === Number.POSITIVE_INFINITY) left = limit;
  if (left === undefined && limit !== undefined && elapsed !== undefined) left = Math.max(0, limit - elapsed);
  return { limit, left, elapsed: elapsed !== undefined && Number.isFinite(elapsed) ? elapsed : undefined };
}

/** `qstat -f`'s Resource_List.walltime (the limit) and resources_used.walltime (used so far). */
function pbsTimes(output: string | undefined): JobTimes {
  const field = (name: string) =>
    new RegExp(`^\\s*${name.replace(/\./g, "\\.")}\\s*=\\s*(\\S+)`, "m").exec(output ?? "")?.[1];
  const limit = parsePbsTime(field("Resource_List.walltime"));
  const elapsed = parsePbsTime(field("resources_used.walltime"));
  const left = limit !== undefined ? Math.max(0, limit - (elapsed ?? 0)) : undefined;
  return { limit, elapsed, left };
}

/** SLURM_JOB_CPUS_PER_NODE, e.g. "72(x2),36": CPUs per node with repeat counts, summed. */
export function cpusPerNode(value: string | undefined): number | undefined {
  if (!value) return undefined;
  let total = 0;
  for (const part of value.split(",")) {
    const m = /^\s*(\d+)(?:\(x(\d+)\))?\s*$/.exec(part);
    if (!m) return undefined;
    total += Number(m[1]) * Number(m[2] ?? 1);
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** LSB_MCPU_HOSTS ("hostA 4 hostB 2") or else LSB_HOSTS ("hostA hostA hostB", one name per slot). */
function lsfHosts(
  mcpu: string | undefined,
  hosts: string | undefined,
): { nodes: number; cpus: number } | undefined {
  const words = (mcpu ?? "").trim().split(/\s+/).filter(Boolean);
  if (words.length >= 2 && words.length % 2 === 0) {
    let cpus = 0;
    for (let i = 1; i < words.length; i += 2) {
      const n = count(words[i]);
      if (n === undefined) return undefined;
      cpus += n;
    }
    return { nodes: new Set(words.filter((_, i) => i % 2 === 0)).size, cpus };
  }
  const slots = (hosts ?? "").trim().split(/\s+/).filter(Boolean);
  return slots.length > 0 ? { nodes: new Set(slots).size, cpus: slots.length } : undefined;
}

/** PBS_NODEFILE: one host name per line, once per slot. */
async function readHosts(
  path: string,
  read?: (path: string) => Promise<string>,
): Promise<string[] | undefined> {
  try {
    const body = read ? await read(path) : await readFile(path, "utf8");
    return body
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
  } catch {
    return undefined;
  }
}

function text(value: string | undefined): string | undefined {
  const t = value?.trim();
  if (!t || t === "(null)") return undefined;
  return t.length > MAX_TEXT ? t.slice(0, MAX_TEXT) : t;
}

function count(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
