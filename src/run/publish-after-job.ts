// `submit --wait`: the job ran without credentials (with --no-publish --no-codecov), and this process,
// on the login node and no ancestor of the job's processes, uploads and publishes what the job wrote.
import { existsSync } from "node:fs";
import { artifactPaths } from "./artifacts.js";
import { publishRun } from "./publish.js";
import { readRun } from "./read-run.js";
import type { RunContext } from "./run.js";
import { uploadPhase } from "./upload-phase.js";

/** False (exit 3) when there is nothing of `commit` to publish or the publish failed. */
export async function publishAfterJob(ctx: RunContext, commit: string | undefined): Promise<boolean> {
  const { settings, mode, log } = ctx;
  const paths = artifactPaths(settings.resultsDir);
  if (!existsSync(paths.results)) {
    log.error(`the job wrote no ${paths.results}: nothing to publish`);
    return false;
  }
  const run = await readRun(paths.results, log);
  const { results } = run;
  if (commit && results.commit !== commit) {
    log.error(`${paths.results} is about ${results.commit}, not the submitted ${commit}: not published`);
    return false;
  }
  const branch = results.branch ?? settings.branch; // `run` always writes it
  if (mode.tests && mode.codecov && results.coverage && branch)
    await uploadPhase(ctx, paths, results.commit, branch);
  // --upload-only publishes nothing, in a job or here.
  return mode.uploadOnly || publishRun(ctx, run);
}
