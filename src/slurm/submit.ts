// Submitting a batch script with sbatch. With `wait`, sbatch stays until the job ends and the job's
// exit code comes back: the CLI's own (0-3) when the script ran to its end, 3 when Slurm ended the
// job (time limit, cancel, node failure, a signal), which sbatch alone would report as a plain 1.
import { spawn } from "node:child_process";
import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import { constants } from "node:os";
import { dirname, resolve } from "node:path";
import { optionValue, readDirectives } from "./directives.js";
import { jobEnvironment } from "./job-environment.js";

export interface SubmitOptions {
  /** Wait for the job to end (`sbatch --wait`) and return its exit code. */
  wait: boolean;
  /** The environment of sbatch, and so of the job: no credentials (see jobEnvironment). */
  env: NodeJS.ProcessEnv;
  /** Where sbatch runs; relative paths of the script (without --chdir) are relative to it. */
  cwd: string;
  /** Where the script is written (mode 0700) before it is submitted. */
  scriptPath: string;
  /** Another folder to create first. The folders of the script's --output/--error are created anyway. */
  outputDir?: string;
}

export interface Submitted {
  jobId: string;
  /** The cluster, when sbatch names one (`--parsable` prints `jobid;cluster` on multi-cluster sites). */
  cluster?: string;
  /** With `wait`: the job's exit code (see the top of this file). */
  exitCode?: number;
  /** With `wait`, when Slurm still knew the job: its final state, e.g. COMPLETED, FAILED, TIMEOUT. */
  state?: string;
  /** With `wait`, when Slurm ended the job rather than the CLI: what happened, for the user. */
  problem?: string;
  stdout: string;
  stderr: string;
}

/** sbatch is missing or refused the job; the message is for the user as it is. */
export class SubmitError extends Error {
  override name = "SubmitError";
}

/** The exit code given when Slurm, not the CLI, ended the job. */
const INFRASTRUCTURE_FAILURE = 3;

export async function submitBatch(script: string, options: SubmitOptions): Promise<Submitted> {
  const cwd = resolve(options.cwd);
  if (!(await stat(cwd).catch(() => undefined))?.isDirectory())
    throw new SubmitError(`cannot submit from ${cwd}: no such directory`);
  await mkdir(dirname(options.scriptPath), { recursive: true });
  for (const folder of [...outputFolders(script, cwd), ...(options.outputDir ? [options.outputDir] : [])])
    await mkdir(resolve(cwd, folder), { recursive: true });
  await writeFile(options.scriptPath, script, { mode: 0o700 });
  await chmod(options.scriptPath, 0o700); // an existing file keeps its mode through writeFile

  // --export=ALL on the command line wins over a site's SBATCH_EXPORT=NONE, which would keep the
  // environment (module paths, token file names) from the job. A script that names its own
  // --export (only ALL,... is allowed by renderBatchScript) keeps it.
  const exportAll = optionValue(readDirectives(script), "export") === undefined ? ["--export=ALL"] : [];
  const args = ["--parsable", ...exportAll, ...(options.wait ? ["--wait"] : []), options.scriptPath];
  const result = await slurmCommand("sbatch", args, cwd, jobEnvironment(options.env, true));
  const submitted = parseParsable(result.stdout);
  if (!submitted) {
    const said = sbatchMessage(result.stderr || result.stdout) || `exit code ${result.code}`;
    throw new SubmitError(`sbatch refused the job: ${said}`);
  }
  const base = { ...submitted, stdout: result.stdout, stderr: result.stderr };
  if (!options.wait) return base;
  const ended = await finalJobEnd(submitted.jobId, submitted.cluster, cwd, options.env);
  return { ...base, ...judgeEnd(result.code, ended, submitted.jobId) };
}

/** `jobid` or `jobid;cluster`, the one line `sbatch --parsable` prints (other lines are ignored). */
export function parseParsable(stdout: string): { jobId: string; cluster?: string } | undefined {
  for (const line of stdout.split("\n")) {
    const m = /^(\d+)(?:;(\S+))?$/.exec(line.trim());
    if (m) return { jobId: m[1]!, ...(m[2] && { cluster: m[2] }) };
  }
  return undefined;
}

/** The folders of the script's --output and --error files, which Slurm would not create. */
export function outputFolders(script: string, cwd: string): string[] {
  const words = readDirectives(script);
  const workdir = resolve(cwd, optionValue(words, "chdir", "D") ?? ".");
  const folders = new Set<string>();
  for (const file of [optionValue(words, "output", "o"), optionValue(words, "error", "e")]) {
    if (!file || file.toLowerCase() === "none") continue;
    const folder = dirname(file);
    // A folder named by a pattern (%j, %u...) is only known to Slurm; a backslash turns patterns off.
    if (folder.includes("%") && !file.includes("\\")) continue;
    folders.add(resolve(workdir, folder));
  }
  return [...folders];
}

/** What Slurm recorded about a finished job, read with scontrol (undefined once it forgot the job). */
export interface JobEnd {
  state: string;
  reason?: string;
  /** The script's exit status, and the signal that ended it (0 when none). */
  exitStatus: number;
  signal: number;
}

/** Parses the one line of `scontrol show job -o`. */
export function parseJobEnd(line: string): JobEnd | undefined {
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\S*)`).exec(line)?.[1];
  const state = field("JobState");
  const exit = /^(\d+):(\d+)$/.exec(field("ExitCode") ?? "");
  if (!state || !exit) return undefined;
  const reason = field("Reason");
  return {
    state,
    ...(reason && reason !== "None" && { reason }),
    exitStatus: Number(exit[1]),
    signal: Number(exit[2]),
  };
}

/** States in which Slurm, not the script, decided how the job ended. */
const ENDED_BY_SLURM = /^(TIMEOUT|CANCELLED|NODE_FAIL|BOOT_FAIL|DEADLINE|PREEMPTED|REVOKED)/;

function judgeEnd(sbatchCode: number, ended: JobEnd | undefined, jobId: string) {
  if (!ended) return { exitCode: sbatchCode };
  const { state, reason, exitStatus, signal } = ended;
  if (signal === 0 && !ENDED_BY_SLURM.test(state) && reason !== "JobLaunchFailure")
    return { exitCode: exitStatus, state };
  const how = [reason, signal ? `signal ${signal}` : undefined].filter(Boolean).join(", ");
  return {
    exitCode: INFRASTRUCTURE_FAILURE,
    state,
    problem: `job ${jobId} was ended by Slurm: ${state}${how ? ` (${how})` : ""}; see its output file`,
  };
}

// sbatch --wait returns when the script ends; Slurm may still be COMPLETING (epilog, step cleanup) for a
// moment. The final state is what users are told, so it is asked again briefly until Slurm has settled.
const SETTLE_MS = 10_000;
const SETTLE_POLL_MS = 250;

async function finalJobEnd(
  jobId: string,
  cluster: string | undefined,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<JobEnd | undefined> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const ended = await jobEnd(jobId, cluster, cwd, env);
    if (!ended || !ended.state.startsWith("COMPLETING") || Date.now() >= deadline) return ended;
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
  }
}

async function jobEnd(
  jobId: string,
  cluster: string | undefined,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<JobEnd | undefined> {
  const args = ["show", "job", "-o", ...(cluster ? ["-M", cluster] : []), jobId];
  const result = await slurmCommand("scontrol", args, cwd, env).catch(() => undefined);
  if (!result || result.code !== 0) return undefined;
  const line = result.stdout.split("\n").find((l) => l.startsWith(`JobId=${jobId} `));
  return line ? parseJobEnd(line) : undefined;
}

/** sbatch's own words, without its "sbatch: error:" prefixes, on one line. */
function sbatchMessage(text: string): string {
  return text
    .split("\n")
    .map((l) => l.replace(/^sbatch:\s*(error:\s*)?/, "").trim())
    .filter(Boolean)
    .join("; ");
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Slurm command with no standard input (a prompt must fail, not hang a batch submission). */
export function slurmCommand(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new SubmitError(`${command} not found: is this a Slurm login node?`)
          : new SubmitError(`cannot run ${command}: ${error.message}`),
      );
    });
    child.on("close", (code, signal) =>
      resolvePromise({
        code: code ?? 128 + (signal ? constants.signals[signal] : 0),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}
