// Tests that need a system package skip with a printed reason when it is missing,
// except under CI=true, where a missing part must fail the run (.ci/run installs them).
import { execFileSync } from "node:child_process";

export function hasCommand(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${JSON.stringify(command)}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Returns a reason to skip, or undefined when every command is present. Throws under CI=true. */
export function missingCommands(...commands: string[]): string | undefined {
  const missing = commands.filter((c) => !hasCommand(c));
  if (missing.length === 0) return undefined;
  const reason = `missing system command(s): ${missing.join(", ")}`;
  if (process.env.CI === "true") throw new Error(`${reason} (CI=true: .ci/run must install them)`);
  console.warn(`skipping: ${reason}`);
  return reason;
}
