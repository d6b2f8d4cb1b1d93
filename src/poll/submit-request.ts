// Submitting a claimed request: a checkout of exactly its commit, fetched by SHA from the source
// repository (for a fork's pull request the base repository holds it under refs/pull/N/head, so the SHA
// is enough), then a batch job running `run` pinned to it. Nothing of the request but the SHA and the
// scope reaches git or the script, and the job's resources are the operator's (policy.slurm).
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { PollPolicy } from "../config/poll-policy.js";
import type { HpcRequest, RequestScope } from "../contract/types.js";
import { git } from "../git/run.js";
import { isCommitId, requestFile } from "../results-branch/layout.js";
import { exportedKnobs, jobEnvironment, renderBatchScript, submitBatch } from "../slurm/index.js";

/** The `run` flags of each scope. */
const SCOPE_FLAGS: Record<RequestScope, string[]> = {
  tests: ["--tests-only"],
  benchmarks: ["--benchmarks-only"],
  all: [],
};

export interface JobTarget {
  policy: PollPolicy;
  /** The source repository (URL or path) and git's environment for it (a token header, if any). */
  source: string;
  sourceEnv: NodeJS.ProcessEnv;
  /** The poller's own environment; the job gets it without credentials. */
  env: NodeJS.ProcessEnv;
  /** The bundled CLI the job runs. */
  cliPath: string;
}

/** What `run` calls the branch of the request's commit (never a ref fetched from). */
function branchOf(request: HpcRequest): string {
  if (request.source === "pull_request") return `pull/${request.pull_request}/head`;
  return request.branch ?? request.tag ?? "detached";
}

/** `<workdir>/<id>` holding the commit, detached; made again from nothing each time. */
export async function prepareCheckout(request: HpcRequest, target: JobTarget): Promise<string> {
  if (!isCommitId(request.commit)) throw new Error(`not a commit id: ${request.commit}`);
  requestFile(request.id); // the id is one file name
  const dir = join(target.policy.workdir, request.id);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await git(dir, ["init", "-q"]);
  await git(dir, ["fetch", "-q", "--no-tags", "--depth=1", target.source, request.commit], target.sourceEnv);
  await git(dir, ["checkout", "-q", "--detach", request.commit]);
  return dir;
}

export async function submitRequest(request: HpcRequest, dir: string, target: JobTarget): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...target.env,
    HPC_CI_COMMIT: request.commit,
    // The job checks that the tree is that commit (it is: no fetch happens in the job).
    HPC_CI_CHECKOUT: "1",
    HPC_CI_BRANCH: branchOf(request),
  };
  delete env.HPC_RESULTS_DIR; // the artifacts stay in the request's checkout
  const script = renderBatchScript({
    slurm: { job_name: `hpc-ci-${request.id}`.slice(0, 64), ...target.policy.slurm },
    cliPath: target.cliPath,
    cliArgs: ["run", ...SCOPE_FLAGS[request.what]],
    workdir: dir,
    nodePath: process.execPath,
    env: exportedKnobs(env),
  });
  const submitted = await submitBatch(script, {
    wait: false,
    env: jobEnvironment(env, true),
    cwd: dir,
    scriptPath: join(dir, "hpc-ci", "hpc-ci.sbatch"),
  });
  return submitted.jobId;
}
