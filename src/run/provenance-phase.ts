// Where and how the run happens: scheduler provenance for hpc.* and meta.json, runtime versions,
// the tag of the commit, and the walltime guard that keeps benchmarks from being killed halfway.
import type { HpcProvenance, Meta } from "../contract/types.js";
import { git } from "../git/run.js";
import {
  detectMachine,
  detectProvenance,
  juliaVersion,
  shouldSkipBenchmarks,
  timeLeftSeconds,
} from "../provenance/index.js";
import type { RunContext } from "./run.js";

export interface DescribedProvenance {
  hpc: HpcProvenance;
  meta: Partial<Meta>;
  tag?: string;
  summary: string;
  benchmarkGuard(now: Date, reserveSeconds: number): { skip: boolean; reason?: string };
}

export async function describeProvenance(ctx: RunContext): Promise<DescribedProvenance> {
  const { settings } = ctx;
  const env = { ...ctx.env, ...(settings.cluster && { HPC_CLUSTER_NAME: settings.cluster }) };
  const detected = await detectProvenance(env);
  const julia = await juliaVersion();
  const runtime_versions: Record<string, string> = { node: process.versions.node, ...(julia && { julia }) };
  const { job_end_time: _end, ...where } = detected;
  // The threads the benchmarks get: their environment over the run's over the job's.
  const machine = detectMachine({ ...ctx.env, ...settings.env, ...settings.benchmarks.env });
  const hpc: HpcProvenance = {
    ...where,
    ...machine,
    ...(julia && { julia_version: julia }),
    runtime_versions,
  };
  hpc.cluster ??= "unknown";
  hpc.job_id ??= "";
  const tag =
    (await git(settings.root, ["describe", "--tags", "--exact-match", "HEAD"]).catch(() => "")).trim() ||
    undefined;
  const { runtime_versions: _versions, julia_version: _julia, ...rest } = hpc;
  const meta: Partial<Meta> = { ...rest, runtime_versions };
  const summary = [
    `${hpc.scheduler ?? "local"} on ${hpc.cluster}`,
    hpc.partition && `partition ${hpc.partition}`,
    hpc.job_id && `job ${hpc.job_id}`,
    hpc.node && `node ${hpc.node}`,
    julia && `julia ${julia}`,
  ]
    .filter(Boolean)
    .join(", ");
  return {
    hpc,
    meta,
    tag,
    summary,
    benchmarkGuard: (now, reserveSeconds) =>
      shouldSkipBenchmarks({
        timeLeftSeconds: timeLeftSeconds(detected, now),
        reserveSeconds,
        timeLimitSeconds: detected.time_limit_seconds,
      }),
  };
}
