// The Slurm batch script `hpc-ci submit` writes: #SBATCH lines from the settings, the site's setup
// lines, the knobs of the submitting shell exported again (so none is lost, whatever the site's
// export policy), then the CLI's `run`, whose exit code becomes the job's.
import { isAbsolute } from "node:path";
import type { SlurmSettings } from "../config/types.js";
import { isCredential } from "./credentials.js";
import { DirectiveError, sbatchWord } from "./directives.js";
import { shellQuote } from "../process/shell.js";

export interface BatchScriptOptions {
  slurm: SlurmSettings;
  /** Absolute path of the bundled CLI file. */
  cliPath: string;
  /** Arguments of the CLI, e.g. ["run", "--tests-only"]. */
  cliArgs: string[];
  /** Absolute path the job runs in (the checkout); relative output paths are relative to it. */
  workdir: string;
  /** The node binary, a path or a name looked up on the job's PATH (default: this process's node). */
  nodePath?: string;
  /** Variables to export in the job; credentials among them are left out (see isCredential). */
  env: Record<string, string>;
}

/** A setting or option that cannot go into a batch script; the message says which and why. */
export class BatchScriptError extends Error {
  override name = "BatchScriptError";
}

/** Where the job's output goes, relative to the working directory. Slurm does not create its folder. */
export const DEFAULT_OUTPUT = "hpc-ci/logs/slurm-%j.out";
export const DEFAULT_JOB_NAME = "hpc-ci";

/** Exit codes of the CLI that the script itself uses for problems found before the CLI starts. */
const CONFIG_ERROR = 2;

const TEXT_DIRECTIVES = [
  ["job_name", "job-name"],
  ["partition", "partition"],
  ["account", "account"],
  ["qos", "qos"],
  ["time", "time"],
  ["mem", "mem"],
  ["gres", "gres"],
  ["constraint", "constraint"],
  ["output", "output"],
] as const;
const COUNT_DIRECTIVES = [
  ["nodes", "nodes"],
  ["ntasks", "ntasks"],
  ["cpus_per_task", "cpus-per-task"],
] as const;

/** Options hpc-ci sets itself, or that would take the job's environment away from it. */
const RESERVED_EXTRA: Record<string, string> = {
  "--chdir": "the job runs in the checkout it was submitted from",
  "--wrap": "the script is the job",
  "--export":
    "the job needs the submitting environment (module paths, token file names); use --export=ALL,NAME=value",
};

export function renderBatchScript(options: BatchScriptOptions): string {
  try {
    return render(options);
  } catch (error) {
    if (error instanceof DirectiveError) throw new BatchScriptError(error.message);
    throw error;
  }
}

function render(options: BatchScriptOptions): string {
  const { slurm, workdir, cliPath } = options;
  if (!isAbsolute(workdir)) throw new BatchScriptError(`workdir must be an absolute path: ${workdir}`);
  if (!isAbsolute(cliPath)) throw new BatchScriptError(`cliPath must be an absolute path: ${cliPath}`);
  const node = options.nodePath ?? process.execPath;

  const settings = { job_name: DEFAULT_JOB_NAME, output: DEFAULT_OUTPUT, ...slurm };
  const directives: string[] = [];
  for (const [key, flag] of TEXT_DIRECTIVES) {
    const value = settings[key];
    if (value !== undefined) directives.push(`--${flag}=${sbatchWord(key, value)}`);
  }
  for (const [key, flag] of COUNT_DIRECTIVES) {
    const value = settings[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1)
      throw new BatchScriptError(`slurm ${key} must be a whole number of at least 1, not ${value}`);
    directives.push(`--${flag}=${value}`);
  }
  // Relative output paths then mean the checkout, wherever sbatch is run from (`submit --print`).
  directives.push(`--chdir=${sbatchWord("workdir", workdir)}`);
  for (const extra of settings.extra ?? []) directives.push(extraDirective(extra));

  const exported: string[] = [];
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(options.env).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new BatchScriptError(`not a variable name that bash can export: ${JSON.stringify(name)}`);
    if (isCredential(name, value)) withheld.push(name);
    else exported.push(`export ${name}=${shellQuote(value)}`);
  }

  const setup = settings.setup ?? [];
  for (const line of setup)
    if (/[\r\n\0]/.test(line))
      throw new BatchScriptError(`slurm setup lines must be one line each: ${JSON.stringify(line)}`);

  const run = [node, cliPath, ...options.cliArgs].map(shellQuote).join(" ");
  return [
    "#!/bin/bash",
    ...directives.map((d) => `#SBATCH ${d}`),
    "#",
    // Only fixed text in comments: a value with a line break would end the comment and become a command.
    "# Written by `hpc-ci submit`: runs the CLI (the last line) in the checkout. The job's exit code is the",
    "# CLI's: 0 passed, 1 tests or benchmarks failed, 2 configuration error, 3 infrastructure failure.",
    "# No credential is written here, nor given to the job: `hpc-ci submit` hands sbatch its environment",
    "# without them (--export=ALL). With --wait it publishes after the job; without, the job reads the",
    "# tokens from the files named by HPC_RESULTS_TOKEN_FILE and CODECOV_TOKEN_FILE (see docs/security.md).",
    ...(withheld.length ? [`# Left out for that reason: ${withheld.join(", ")}.`] : []),
    "set -euo pipefail",
    "",
    ...setupBlock(setup),
    `cd -- ${shellQuote(workdir)} || ${fail(`cannot enter ${workdir}; is it on a filesystem the compute nodes share? Node:`, '"$HOSTNAME"')}`,
    ...exported,
    `command -v -- ${shellQuote(node)} >/dev/null || ${fail(`node not found in the job: ${node} (add a "module load" line to slurm.setup?)`)}`,
    `[ -r ${shellQuote(cliPath)} ] || ${fail(`the CLI file is not readable in the job: ${cliPath}`)}`,
    `exec ${run}`,
    "",
  ].join("\n");
}

function extraDirective(extra: string): string {
  const m = /^(--[A-Za-z][A-Za-z0-9-]*)(?:=([^]*))?$/.exec(extra);
  if (!m)
    throw new BatchScriptError(
      `slurm extra option must look like --name or --name=value: ${JSON.stringify(extra)}`,
    );
  const [, flag, value] = m;
  const reserved = RESERVED_EXTRA[flag!];
  if (reserved && !(flag === "--export" && /^ALL(,|$)/.test(value ?? "")))
    throw new BatchScriptError(`slurm extra option ${flag} is not allowed: ${reserved}`);
  return value === undefined ? flag! : `${flag}=${sbatchWord(`extra ${flag}`, value)}`;
}

/**
 * The site's setup lines. One that fails ends the job with exit 2 (a configuration error) rather than
 * 1, which would read as failed tests. They run without `set -u`: module and conda scripts often read
 * variables that are not set. -E lets the trap see failures inside shell functions such as `module`.
 */
function setupBlock(setup: string[]): string[] {
  if (setup.length === 0) return [];
  return [
    "# Site setup (slurm.setup in .hpc-ci.json).",
    "set +u -E",
    `trap 'echo "hpc-ci: a slurm.setup line failed (exit $?): $BASH_COMMAND" >&2; exit ${CONFIG_ERROR}' ERR`,
    ...setup,
    "trap - ERR",
    "set -u +E",
    "",
  ];
}

/**
 * A shell command that explains a problem on stderr and exits with the configuration-error code.
 * `shellWords` is appended unquoted (for "$HOSTNAME"); the message itself is data.
 */
function fail(message: string, shellWords = ""): string {
  const words = shellWords ? ` ${shellWords}` : "";
  return `{ echo ${shellQuote(`hpc-ci: ${message}`)}${words} >&2; exit ${CONFIG_ERROR}; }`;
}
