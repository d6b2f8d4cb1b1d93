// Runs git as a child process with no stdin and a clear error when it fails.
import { execFile } from "node:child_process";
import { redactUrls } from "./redact.js";

export class GitError extends Error {
  /** What git printed, with credentials in URLs hidden. */
  readonly stderr: string;
  constructor(
    readonly args: string[],
    readonly exitCode: number | null,
    stderr: string,
  ) {
    super(
      redactUrls(
        `git ${args[0] ?? ""} failed${exitCode === null ? "" : ` (exit ${exitCode})`}: ${stderr.trim().split("\n").slice(-3).join(" / ")}`,
      ),
    );
    this.name = "GitError";
    this.stderr = redactUrls(stderr);
  }
}

export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { cwd, env: { ...env, GIT_TERMINAL_PROMPT: "0" }, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === "number" ? error.code : null;
          reject(new GitError(args, code, stderr || error.message));
        } else resolve(stdout);
      },
    ).stdin?.end();
  });
}
