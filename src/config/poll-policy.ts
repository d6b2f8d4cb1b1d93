// The poller's policy (`hpc-ci poll`): the `poll` section of the operator's file, outside any checkout.
// What runs, when, and how it is submitted is the operator's alone: a request on the results branch only
// names a commit and a scope, and the tested commit's .hpc-ci.json does not choose the job's resources.
import { homedir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { RequestScope } from "../contract/types.js";
import { checkDocument } from "../contract/validate.js";
import { isObject, operatorProblem, readOperatorFile } from "./operator.js";
import type { SlurmSettings } from "./types.js";

export interface PollPolicy {
  /** Branches whose head is run when it has no results; undefined: the source repository's default branch. */
  branches?: string[];
  /** Release tags to run once (a glob such as `v*`); undefined: none. */
  tags?: string;
  /** Whether `/hpc run` requests of pull requests are served. */
  pullRequests: boolean;
  /** Jobs at once: requests in state running. */
  maxJobs: number;
  /** The job's Slurm settings (the tested commit's slurm section is not used). */
  slurm: SlurmSettings;
  /** A queued request older than this turns stale. */
  staleAfterSeconds: number;
  /** What branch and tag runs do. */
  scope: RequestScope;
  /** The source repository (URL or path); undefined: the results remote, which is the same repository. */
  source?: string;
  /** Where each request's checkout is made, `<workdir>/<request id>`, on a filesystem the nodes share. */
  workdir: string;
  /** How long a job Slurm does not know (or a claim without a job) may last before it is failed. */
  vanishedAfterSeconds: number;
  /** The operator's file, for messages. */
  file?: string;
}

const KEYS = [
  "branches",
  "tags",
  "pull_requests",
  "max_jobs",
  "slurm",
  "stale_after_hours",
  "scope",
  "source",
  "workdir",
  "vanished_after_minutes",
] as const;
const SCOPES: readonly RequestScope[] = ["tests", "benchmarks", "all"];

export function defaultWorkdir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache");
  return join(base, "hpc-ci", "poll");
}

export async function loadPollPolicy(env: NodeJS.ProcessEnv): Promise<PollPolicy> {
  const file = await readOperatorFile(undefined, env);
  const raw = file?.value.poll ?? {};
  const path = file?.path ?? "the operator's config";
  const problem = (key: string, reason: string) => operatorProblem(path, `/poll${key && `/${key}`}`, reason);
  if (!isObject(raw)) throw problem("", "must be an object");
  for (const key of Object.keys(raw))
    if (!(KEYS as readonly string[]).includes(key))
      throw problem(key, `is not a known setting (${KEYS.join(", ")})`);

  const number = (key: string, fallback: number, min: number, max: number, whole: boolean) => {
    const v = raw[key];
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max || (whole && !Number.isInteger(v)))
      throw problem(key, `must be a ${whole ? "whole " : ""}number from ${min} to ${max}`);
    return v;
  };
  const text = (key: string) => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v.trim() === "") throw problem(key, "must be a non-empty string");
    return v;
  };

  const branches = raw.branches;
  if (
    branches !== undefined &&
    (!Array.isArray(branches) ||
      branches.some((b) => typeof b !== "string" || !/^[^-\s~^:?*[\\]\S*$/.test(b)))
  )
    throw problem("branches", "must be a list of branch names");
  if (raw.pull_requests !== undefined && typeof raw.pull_requests !== "boolean")
    throw problem("pull_requests", "must be true or false");
  const scope = raw.scope ?? "all";
  if (!SCOPES.includes(scope as RequestScope)) throw problem("scope", `must be one of ${SCOPES.join(", ")}`);
  const slurm = raw.slurm ?? {};
  // The same rules as .hpc-ci.json's slurm section, told at /poll/slurm.
  const errors = checkDocument("config", { slurm }, path);
  if (errors.length > 0) {
    const [first] = errors;
    throw operatorProblem(path, `/poll${first!.pointer}`, first!.reason);
  }
  const workdir = resolve(text("workdir") ?? defaultWorkdir(env));
  if (file && within(workdir, file.path))
    throw problem(
      "workdir",
      `must not hold the operator's config ${file.path}: checkouts of tested commits go there`,
    );

  return {
    ...(branches !== undefined && { branches: branches as string[] }),
    ...(text("tags") !== undefined && { tags: text("tags") }),
    pullRequests: (raw.pull_requests as boolean | undefined) ?? true,
    maxJobs: number("max_jobs", 1, 1, 1000, true),
    slurm: slurm as SlurmSettings,
    staleAfterSeconds: Math.round(number("stale_after_hours", 24, 0.01, 24 * 365, false) * 3600),
    scope: scope as RequestScope,
    ...(text("source") !== undefined && { source: text("source") }),
    workdir,
    vanishedAfterSeconds: Math.round(number("vanished_after_minutes", 10, 0.01, 7 * 24 * 60, false) * 60),
    ...(file && { file: file.path }),
  };
}

function within(folder: string, path: string): boolean {
  const r = relative(folder, path);
  return r === "" || (!r.startsWith("..") && !isAbsolute(r));
}
