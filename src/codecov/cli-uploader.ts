// Uploading through Codecov's own CLI (codecov-cli, whose `upload-process` creates the commit and the
// report and uploads), when one is on PATH. codecov-cli installs itself as both `codecovcli` and
// `codecov`; the retired Node uploader was also called `codecov` and takes other flags, so a `codecov`
// is used only when its help lists `upload-process`. The token goes in the environment (CODECOV_TOKEN,
// which the CLI reads), never in argv, where `ps` on a shared login node would show it.
import { spawn } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, join, resolve } from "node:path";
import { DEFAULT_CODECOV_URL, type ResolvedOptions } from "./options.js";

export interface CodecovCli {
  /** Absolute path of the executable. */
  path: string;
  name: "codecovcli" | "codecov";
}

export interface CliSearch {
  cli?: CodecovCli;
  /** Why a `codecov` that was found is not used. */
  note?: string;
}

/** Finds codecov-cli on PATH: `codecovcli` first, then a `codecov` that is codecov-cli. */
export async function findCodecovCli(env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<CliSearch> {
  const dirs = (env.PATH ?? "").split(delimiter).filter(Boolean);
  const codecovcli = await which("codecovcli", dirs);
  if (codecovcli) return { cli: { path: codecovcli, name: "codecovcli" } };
  const codecov = await which("codecov", dirs);
  if (!codecov) return {};
  const help = await runCapture(codecov, ["--help"], { env, timeoutMs });
  if (help.exitCode === 0 && /\bupload-process\b/.test(help.output))
    return { cli: { path: codecov, name: "codecov" } };
  return { note: `${codecov} is not codecov-cli (its --help lists no upload-process)` };
}

async function which(name: string, dirs: string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** codecov-cli's arguments for one explicit file: nothing is searched for or guessed from a CI. */
export function codecovCliArgs(o: ResolvedOptions): string[] {
  const args: string[] = [];
  // A group option: it goes before the command.
  if (o.url !== DEFAULT_CODECOV_URL) args.push("--enterprise-url", o.url);
  args.push("upload-process", "--disable-search", "--fail-on-error");
  args.push("--commit-sha", o.commit, "--branch", o.branch);
  for (const flag of o.flags) args.push("--flag", flag);
  // Absolute: the CLI runs in `root`, which need not be our working directory.
  args.push("--file", resolve(o.lcovPath), "--git-service", o.service);
  if (o.slug) args.push("--slug", o.slug);
  if (o.name) args.push("--name", o.name);
  if (o.build) args.push("--build", o.build);
  if (o.buildUrl) args.push("--build-url", o.buildUrl);
  if (o.root) args.push("--network-root-folder", resolve(o.root));
  return args;
}

/** The CLI's environment: the caller's, with the token of these options and no other. */
export function codecovCliEnv(o: ResolvedOptions): NodeJS.ProcessEnv {
  const env = { ...o.env };
  delete env.CODECOV_TOKEN;
  if (o.token) env.CODECOV_TOKEN = o.token;
  return env;
}

export interface CliRun {
  exitCode: number;
  /** stdout and stderr as they came, the last 256 KiB. */
  output: string;
  /** Set when it could not start or was stopped. */
  problem?: string;
}

const MAX_OUTPUT = 256 * 1024;

export function runCapture(
  file: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number; onLine?: (line: string) => void },
): Promise<CliRun> {
  return new Promise((resolve) => {
    let output = "";
    let pending = "";
    let problem: string | undefined;
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const timer = setTimeout(() => {
      problem = `stopped after ${Math.round(options.timeoutMs / 1000)}s`;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    }, options.timeoutMs);
    const take = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output = (output + text).slice(-MAX_OUTPUT);
      if (!options.onLine) return;
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) options.onLine(line);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ exitCode: 127, output, problem: `could not start ${file}: ${error.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (pending && options.onLine) options.onLine(pending);
      const exitCode = code ?? 128;
      resolve({
        exitCode,
        output,
        ...((problem ?? signal) && { problem: problem ?? `killed by ${signal}` }),
      });
    });
  });
}

/** A commit page the CLI printed, if any. */
export function reportUrlIn(output: string, commit: string): string | undefined {
  const match = output.match(new RegExp(`https?://[^\\s'"]+/commit/${commit}[^\\s'"]*`));
  return match?.[0];
}

/** The last lines worth showing of a failed run. */
export function lastLines(output: string, count = 3): string {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.slice(-count).join(" | ");
}
