// The knobs of the submitting shell that keep their meaning in a job: written into the batch script, so
// that none is lost whatever the site's export policy. Never credentials; the variables naming token
// files reach the job through sbatch's environment instead (see job-environment.ts).
import { isTokenFileVariable } from "./job-environment.js";

const KNOBS = /^(HPC_CI_|HPC_RESULTS_|HPC_CLUSTER_NAME$|HPC_CODECOV_FLAG$|JULIA_)/;

export function exportedKnobs(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (e): e is [string, string] =>
        KNOBS.test(e[0]) && !isTokenFileVariable(e[0]) && typeof e[1] === "string",
    ),
  );
}
