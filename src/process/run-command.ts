// Runs a phase's command: no stdin (a prompt fails at once instead of hanging a batch job), the
// environment it is given, output streamed to the console and to a log file, and timed.
import { spawn } from "node:child_process";
import { accessSync, constants, createWriteStream, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { shellQuote } from "./shell.js";

/** A command as an argument vector (run directly) or a string (run by /bin/sh -c). */
export type Command = string | string[];

export interface CommandResult {
  exitCode: number;
  signal?: NodeJS.Signals;
  seconds: number;
  /** Set when the command could not be started at all. */
  startError?: string;
}

export interface RunCommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Add to the log instead of starting it anew (later commands of one phase). */
  append?: boolean;
  /** Where to echo output; defaults to this process's stdout. */
  echo?: NodeJS.WritableStream | null;
  timeoutSeconds?: number;
}

export function describeCommand(command: Command): string {
  return typeof command === "string" ? command : command.map(shellQuote).join(" ");
}

export async function runCommand(command: Command, options: RunCommandOptions): Promise<CommandResult> {
  await mkdir(dirname(options.logFile), { recursive: true });
  // A log from an earlier run must not be read as this run's (its Test Summary would be counted again).
  const log = createWriteStream(options.logFile, { flags: options.append ? "a" : "w" });
  const echo = options.echo === undefined ? process.stdout : options.echo;
  const [file, args] =
    typeof command === "string" ? ["/bin/sh", ["-c", command]] : [command[0]!, command.slice(1)];
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  log.write(`$ ${describeCommand(command)}\n`);

  const result = await new Promise<CommandResult>((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let timer: NodeJS.Timeout | undefined;
    if (options.timeoutSeconds) {
      timer = setTimeout(() => {
        log.write(`\n[hpc-ci] timed out after ${options.timeoutSeconds}s; stopping the command\n`);
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }, options.timeoutSeconds * 1000);
    }
    const forward = (chunk: Buffer) => {
      log.write(chunk);
      echo?.write(chunk);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      resolve({ exitCode: 127, seconds: seconds(), startError: error.message });
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ exitCode: code ?? 128, seconds: seconds(), ...(signal && { signal }) });
    });
  });
  if (result.startError) log.write(`[hpc-ci] could not start: ${result.startError}\n`);
  await new Promise<void>((done) => log.end(done));
  return result;
}

/** Whether a command's program can be found (on PATH, or as a path); a shell string is not checked. */
export function canRun(command: Command, env: NodeJS.ProcessEnv): boolean {
  if (typeof command === "string") return true;
  const program = command[0];
  if (!program) return false;
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
  if (program.includes("/")) return executable(program);
  return (env.PATH ?? "").split(delimiter).some((dir) => dir && executable(join(dir, program)));
}
