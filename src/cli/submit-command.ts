// `hpc-ci submit [run flags] [--print] [--wait]`: a Slurm batch script that runs `run` with the
// given flags from this checkout, with the knobs set now, submitted with sbatch.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveSettings } from "../config/settings.js";
import { repositoryRoot } from "../run/context.js";
import { requireTestCommand } from "../run/run.js";
import { consoleLogger } from "../run/log.js";
import { renderBatchScript, submitBatch } from "../slurm/index.js";
import { RUN_OPTIONS, runMode } from "./run-options.js";
import { parseCommandLine } from "./parse.js";

/** The knobs that keep their meaning in the job (never credentials: sbatch exports those itself). */
const KNOBS = /^(HPC_CI_|HPC_RESULTS_|HPC_CLUSTER_NAME$|HPC_CODECOV_FLAG$|JULIA_)/;

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
  const exported = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => KNOBS.test(e[0]) && typeof e[1] === "string"),
  );
  const script = renderBatchScript({
    slurm: settings.slurm,
    cliPath: fileURLToPath(import.meta.url),
    cliArgs: ["run", ...mode.options],
    workdir: root,
    nodePath: process.execPath,
    env: exported,
  });
  if (print) {
    process.stdout.write(script);
    return 0;
  }
  const submitted = await submitBatch(script, {
    wait: Boolean(wait),
    env,
    cwd: root,
    scriptPath: join(settings.resultsDir, "hpc-ci.sbatch"),
  });
  consoleLogger.info(`submitted job ${submitted.jobId}${wait ? `; it exited ${submitted.exitCode}` : ""}`);
  if (submitted.problem) consoleLogger.error(submitted.problem);
  return wait ? (submitted.exitCode ?? 3) : 0;
}
