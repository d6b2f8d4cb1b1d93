// Versions of the runtimes a run used, for the contract's runtime_versions and julia_version.
import { type CommandRunner, defaultRunner } from "./detect.js";

/** "julia version 1.10.10" → "1.10.10" (pre-releases and builds kept: "1.12.0-rc1", "1.11.0-DEV.123"). */
export function parseJuliaVersion(output: string): string | undefined {
  return /\bjulia version (\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)/i.exec(output)?.[1];
}

/** The version `julia --version` reports, or undefined when it cannot be run or says something else. */
export async function juliaVersion(
  run: CommandRunner = defaultRunner,
  julia = "julia",
): Promise<string | undefined> {
  try {
    return parseJuliaVersion(await run(julia, ["--version"]));
  } catch {
    return undefined;
  }
}

export function nodeVersion(): string {
  return process.versions.node;
}

/** `{ node, julia? }`: julia only when it answers. */
export async function runtimeVersions(
  run: CommandRunner = defaultRunner,
  julia = "julia",
): Promise<Record<string, string>> {
  const versions: Record<string, string> = { node: nodeVersion() };
  const jl = await juliaVersion(run, julia);
  if (jl) versions.julia = jl;
  return versions;
}
