// The Slurm batch script `hpc-ci submit` writes: #SBATCH lines from the settings, the setup lines,
// the knobs of the submitting shell exported again (so none is lost), then the CLI's `run`.
import type { SlurmSettings } from "../config/types.js";
import { shellQuote } from "./shell.js";

export interface BatchScriptOptions {
  slurm: SlurmSettings;
  /** Absolute path of the bundled CLI. */
  cliPath: string;
  /** Arguments of the CLI, e.g. ["run", "--tests-only"]. */
  cliArgs: string[];
  workdir: string;
  /** The node binary to run it with (default: "node" from the job's PATH). */
  nodePath?: string;
  /** Variables to export in the job. */
  env: Record<string, string>;
}

export class BatchScriptError extends Error {
  override name = "BatchScriptError";
}

/** Names and values that must never be written into a script file. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY/i;
const URL_WITH_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^/\s@]+@/i;

const DIRECTIVES: Array<[keyof SlurmSettings, string]> = [
  ["job_name", "--job-name"],
  ["partition", "--partition"],
  ["account", "--account"],
  ["qos", "--qos"],
  ["time", "--time"],
  ["nodes", "--nodes"],
  ["ntasks", "--ntasks"],
  ["cpus_per_task", "--cpus-per-task"],
  ["mem", "--mem"],
  ["gres", "--gres"],
  ["constraint", "--constraint"],
  ["output", "--output"],
];

function directiveValue(name: string, value: string): string {
  // sbatch reads a directive up to the end of its line, and stops reading directives at the first
  // line that is not one: a newline or a '#' could end or forge directives.
  if (/[\r\n\0]/.test(value)) throw new BatchScriptError(`slurm ${name} must be one line`);
  if (/\s/.test(value) || value.includes("#"))
    throw new BatchScriptError(`slurm ${name} may not contain spaces or '#': ${JSON.stringify(value)}`);
  if (value === "") throw new BatchScriptError(`slurm ${name} is empty`);
  return value;
}

/** Where the job's output goes, relative to the working directory. */
export const DEFAULT_OUTPUT = "hpc-ci/logs/slurm-%j.out";

export function renderBatchScript(options: BatchScriptOptions): string {
  const s = { job_name: "hpc-ci", output: DEFAULT_OUTPUT, ...options.slurm };
  const lines = ["#!/bin/bash"];
  for (const [key, flag] of DIRECTIVES) {
    const value = s[key];
    if (value !== undefined) lines.push(`#SBATCH ${flag}=${directiveValue(key, String(value))}`);
  }
  for (const extra of s.extra ?? []) {
    const m = /^(--[a-z][a-z0-9-]*)(?:=(.*))?$/.exec(extra);
    if (!m)
      throw new BatchScriptError(
        `slurm extra option must look like --name or --name=value: ${JSON.stringify(extra)}`,
      );
    lines.push(`#SBATCH ${m[2] === undefined ? m[1] : `${m[1]}=${directiveValue(m[1]!, m[2])}`}`);
  }
  lines.push(
    "#",
    "# Written by `hpc-ci submit`. Credentials (CODECOV_TOKEN, HPC_RESULTS_REPO_URL with a token) are not written",
    "# here: sbatch's default --export=ALL hands the job the environment of the shell that submitted it.",
    "set -euo pipefail",
    "",
  );
  for (const setup of s.setup ?? []) {
    if (/[\r\n]/.test(setup)) throw new BatchScriptError("slurm setup lines must be one line each");
    lines.push(setup);
  }
  lines.push(`cd ${shellQuote(options.workdir)}`);
  for (const [name, value] of Object.entries(options.env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || SECRET_NAME.test(name) || URL_WITH_CREDENTIALS.test(value))
      continue;
    lines.push(`export ${name}=${shellQuote(value)}`);
  }
  const node = shellQuote(options.nodePath ?? "node");
  lines.push(`exec ${node} ${[options.cliPath, ...options.cliArgs].map(shellQuote).join(" ")}`, "");
  return lines.join("\n");
}
