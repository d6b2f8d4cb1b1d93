// Submitting a batch script with sbatch; with --wait, the job's exit code comes back.
import { execFile } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface SubmitOptions {
  wait: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where the script is written (mode 0700) before it is submitted. */
  scriptPath: string;
  /** The folder of the job's output file, which Slurm does not create. */
  outputDir?: string;
}

export interface Submitted {
  jobId: string;
  exitCode?: number;
  stdout: string;
  stderr: string;
}

export class SubmitError extends Error {
  override name = "SubmitError";
}

export async function submitBatch(script: string, options: SubmitOptions): Promise<Submitted> {
  await mkdir(dirname(options.scriptPath), { recursive: true });
  if (options.outputDir) await mkdir(options.outputDir, { recursive: true });
  await writeFile(options.scriptPath, script, { mode: 0o700 });
  await chmod(options.scriptPath, 0o700);
  const args = ["--parsable", ...(options.wait ? ["--wait"] : []), options.scriptPath];
  return new Promise((resolve, reject) => {
    const child = execFile(
      "sbatch",
      args,
      { cwd: options.cwd, env: options.env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const jobId = /^(\d+)/.exec(stdout.trim())?.[1];
        const code =
          error && typeof (error as { code?: unknown }).code === "number"
            ? (error as { code: number }).code
            : error
              ? undefined
              : 0;
        if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT") {
          reject(new SubmitError("sbatch not found: is this a Slurm login node?"));
          return;
        }
        if (!jobId) {
          reject(
            new SubmitError(
              `sbatch refused the job: ${(stderr || stdout || String(error?.message)).trim().split("\n").slice(-3).join(" / ")}`,
            ),
          );
          return;
        }
        resolve({ jobId, stdout, stderr, ...(options.wait && { exitCode: code ?? 1 }) });
      },
    );
    child.stdin?.end();
  });
}
