// `hpc-ci submit [run flags] [--print] [--wait]`: a Slurm batch script that runs `run` with the
// given flags from this checkout, with the knobs set now, submitted with sbatch. The job never gets a
// credential: with --wait this process publishes after the job; without, the job reads token files.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveSettings } from "../config/settings.js";
import { TOKEN_FILES } from "../config/token-file.js";
import { headCommit, repositoryRoot } from "../run/context.js";
import { publishAfterJob } from "../run/publish-after-job.js";
import { requireTestCommand, type RunMode } from "../run/run.js";
import { consoleLogger } from "../run/log.js";
import { exportedKnobs, jobEnvironment, renderBatchScript, submitBatch } from "../slurm/index.js";
import { RUN_OPTIONS, runMode } from "./run-options.js";
import { parseCommandLine } from "./parse.js";
import { VERSION } from "./version.js";

export async function submitCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseCommandLine(args, {
    ...RUN_OPTIONS,
    print: { type: "boolean" },
    wait: { type: "boolean" },
  });
  const { print, wait, ...runValues } = values;
  const root = (await repositoryRoot(process.cwd())) ?? process.cwd();
  const settings = await resolveSettings(root, env);
  const mode = runMode(runValues, settings.results.publish); // checks the flags before anything is submitted
  requireTestCommand(settings, mode);
  const publishHere = Boolean(wait) && mode.publish;
  if (!publishHere) warnWithheld(mode, env);
  const exported = exportedKnobs(env);
  const jobOptions = publishHere
    ? [...new Set([...mode.options, "--no-publish", "--no-codecov"])]
    : mode.options;
  const script = renderBatchScript({
    slurm: settings.slurm,
    cliPath: fileURLToPath(import.meta.url),
    cliArgs: ["run", ...jobOptions],
    workdir: root,
    nodePath: process.execPath,
    env: exported,
  });
  if (print) {
    process.stdout.write(script);
    return 0;
  }
  const commit = settings.commit ?? (await headCommit(root).catch(() => undefined));
  const submitted = await submitBatch(script, {
    wait: Boolean(wait),
    env: jobEnvironment(env, !publishHere),
    cwd: root,
    scriptPath: join(settings.resultsDir, "hpc-ci.sbatch"),
  });
  consoleLogger.info(`submitted job ${submitted.jobId}${wait ? `; it exited ${submitted.exitCode}` : ""}`);
  if (submitted.problem) consoleLogger.error(submitted.problem);
  if (!wait) return 0;
  const exitCode = submitted.exitCode ?? 3;
  // 0 and 1 are the ends of a run that wrote its results; 2 and 3 wrote none worth publishing.
  if (publishHere && (exitCode === 0 || exitCode === 1)) {
    consoleLogger.info(`publishing job ${submitted.jobId}'s results from here (the job had no credentials)`);
    // The job's id names the Codecov build, as when the job uploaded itself.
    const ctx = {
      settings,
      mode,
      env: { ...env, SLURM_JOB_ID: submitted.jobId },
      log: consoleLogger,
      version: VERSION,
    };
    if (!(await publishAfterJob(ctx, commit))) return 3;
  }
  return exitCode;
}

/** Without --wait the job publishes itself, and a token in the environment is not given to it. */
function warnWithheld(mode: RunMode, env: NodeJS.ProcessEnv): void {
  const needed = [
    ...(mode.publish ? (["HPC_RESULTS_TOKEN"] as const) : []),
    ...(mode.codecov ? (["CODECOV_TOKEN"] as const) : []),
  ];
  for (const variable of needed)
    if (env[variable])
      consoleLogger.warn(
        `${variable} is not passed to the job, where the code under test could read it: use \`submit --wait\` (this process then publishes after the job) or put the token in a file (chmod 600) named by ${TOKEN_FILES[variable]}`,
      );
}
