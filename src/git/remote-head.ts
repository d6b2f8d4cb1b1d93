// The branch a remote's HEAD names (its default branch), asked of the server itself.
import { git } from "./run.js";

/** The remote's default branch, or undefined when it cannot be told (unreachable, empty, no symref). */
export async function remoteDefaultBranch(
  url: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<string | undefined> {
  try {
    const listed = await git(process.cwd(), ["ls-remote", "--symref", url, "HEAD"], env, { timeoutMs });
    return /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(listed)?.[1];
  } catch {
    return undefined;
  }
}
