// The environment sbatch is given, which --export=ALL hands to the job: the submitting one without any
// credential. In the job it would sit in /proc/<pid>/environ of the batch script and of the CLI, both
// ancestors of the code under test. The variables naming token files may stay: a path is no secret.
import { SECRET_VARIABLES } from "../config/settings.js";
import { TOKEN_FILES } from "../config/token-file.js";
import { isCredential } from "./credentials.js";

const TOKEN_FILE_NAMES: readonly string[] = Object.values(TOKEN_FILES);

export function jobEnvironment(env: NodeJS.ProcessEnv, keepTokenFiles: boolean): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (TOKEN_FILE_NAMES.includes(name)) {
      if (keepTokenFiles) kept[name] = value;
    } else if (name === "HPC_RESULTS_REPO_URL") {
      // Where results go is no secret; a user and password in it are (the job gets the URL without them).
      const bare = withoutUserinfo(value);
      if (!isCredential(name, bare)) kept[name] = bare;
    } else if (!SECRET_VARIABLES.includes(name) && !isCredential(name, value)) kept[name] = value;
  }
  return kept;
}

function withoutUserinfo(value: string): string {
  try {
    const url = new URL(value);
    if (!url.username && !url.password) return value;
    url.username = "";
    url.password = "";
    return url.href;
  } catch {
    return value; // not a URL (a path, git@host:repo): nothing to take out
  }
}

/** Whether a variable names a token file (it reaches the job through sbatch's environment, not the script). */
export function isTokenFileVariable(name: string): boolean {
  return TOKEN_FILE_NAMES.includes(name);
}
