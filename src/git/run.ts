// Runs git as a child process with no stdin and a clear error when it fails.
import { execFile } from "node:child_process";
import { redactUrls } from "./redact.js";

/** How much of git's error output a message keeps: the cause is often lines before the last. */
const MAX_LINES = 40;
const MAX_CHARS = 4096;

/** The end of git's output, bounded, each line indented under the message's first line. */
export function boundedOutput(text: string): string {
  const lines = text.replace(/\r/g, "").trimEnd().split("\n");
  let kept = lines.slice(-MAX_LINES);
  while (kept.length > 1 && kept.join("\n").length > MAX_CHARS) kept = kept.slice(1);
  const body = kept.join("\n");
  const clipped = body.length > MAX_CHARS ? body.slice(-MAX_CHARS) : body;
  const omitted = lines.length - kept.length;
  return [
    ...(omitted > 0 ? [`(${omitted} earlier line(s) left out)`] : []),
    ...clipped.split("\n").filter((l) => l.trim() !== ""),
  ]
    .map((l) => `  ${l}`)
    .join("\n");
}

export class GitError extends Error {
  /** What git printed, with credentials in URLs hidden. */
  readonly stderr: string;
  constructor(
    readonly args: string[],
    readonly exitCode: number | null,
    stderr: string,
  ) {
    const said = boundedOutput(stderr);
    super(
      redactUrls(
        `git ${args[0] ?? ""} failed${exitCode === null ? "" : ` (exit ${exitCode})`}${said ? `:\n${said}` : ""}`,
      ),
    );
    this.name = "GitError";
    this.stderr = redactUrls(stderr);
  }
}

export interface GitOptions {
  /** Stop git after this long (a remote that drops packets would hang it for minutes). */
  timeoutMs?: number;
  /** Text for git's standard input (plumbing that reads paths or index lines from it). */
  input?: string;
}

export function git(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  options: GitOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      {
        cwd,
        env: { ...env, GIT_TERMINAL_PROMPT: "0" },
        maxBuffer: 256 * 1024 * 1024,
        encoding: "utf8",
        ...(options.timeoutMs && { timeout: options.timeoutMs, killSignal: "SIGKILL" as const }),
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === "number" ? error.code : null;
          const timedOut = error.killed && options.timeoutMs;
          const said = timedOut
            ? `${stderr}\nno answer within ${Math.round(options.timeoutMs! / 100) / 10}s; stopped`
            : stderr || error.message;
          reject(new GitError(args, code, said));
        } else resolve(stdout);
      },
    ).stdin?.end(options.input);
  });
}
