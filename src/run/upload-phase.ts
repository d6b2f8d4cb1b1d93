// The Codecov upload: under the run's own flag, with commit and branch given explicitly (off GitHub
// Actions nothing can be guessed), and never fatal: a failed upload is a warning.
import { existsSync } from "node:fs";
import { uploadCoverage } from "../codecov/index.js";
import { codecovToken } from "../config/token-file.js";
import type { ArtifactPaths } from "./artifacts.js";
import type { RunContext } from "./run.js";

export async function uploadPhase(
  ctx: RunContext,
  paths: ArtifactPaths,
  commit: string,
  branch: string,
): Promise<boolean> {
  const { settings, log } = ctx;
  if (!settings.coverage.codecov) {
    log.info("codecov: turned off in .hpc-ci.json");
    return false;
  }
  if (!existsSync(paths.lcov)) {
    log.info(`codecov: no coverage report at ${paths.lcov}; nothing to upload`);
    return false;
  }
  const token = await codecovToken(settings);
  if (!token) {
    // Tokenless uploads are refused for protected branches and off CI: say so instead of failing later.
    log.info("codecov: CODECOV_TOKEN is not set; skipping the upload");
    return false;
  }
  const outcome = await uploadCoverage({
    token,
    lcovPath: paths.lcov,
    commit,
    branch,
    flag: settings.coverage.flag,
    slug: settings.results.repository,
    build: ctx.env.SLURM_JOB_ID || ctx.env.CI_JOB_ID || undefined,
    root: settings.root,
    env: ctx.env,
    log: (line) => log.info(line),
  });
  if (outcome.uploaded)
    log.info(
      `codecov: uploaded under flag ${settings.coverage.flag}${outcome.reportUrl ? ` (${outcome.reportUrl})` : ""}`,
    );
  else log.warn(`codecov: upload failed (non-fatal): ${outcome.message}`);
  return outcome.uploaded;
}
