// git as a test developer runs it: a fixed identity, output as text, nothing on the test's console.
import { execFileSync } from "node:child_process";

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
