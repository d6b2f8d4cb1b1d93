// What is at a path, without following a symbolic link: files from a results or pages branch are
// untrusted, and a link there could point anywhere on the runner.
import { statSync } from "node:fs";
import { lstat } from "node:fs/promises";
import { join } from "node:path";

export type PathKind = "missing" | "file" | "directory" | "symbolic link" | "special file";

export async function kindOfPath(path: string): Promise<PathKind> {
  try {
    const stat = await lstat(path);
    if (stat.isSymbolicLink()) return "symbolic link";
    if (stat.isDirectory()) return "directory";
    return stat.isFile() ? "file" : "special file";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
}

/**
 * The first part of `relative` (a "/"-separated path under `root`) that is a symbolic link, or undefined.
 * Checks every folder on the way, not only the last part: a linked `branches/` leads a read or a write of
 * `branches/main.json` anywhere. Where a link points is never read, so it is never echoed.
 */
export async function linkOnPath(root: string, relative: string): Promise<string | undefined> {
  const parts = relative.split("/").filter((p) => p !== "" && p !== ".");
  for (let i = 1; i <= parts.length; i++) {
    const part = parts.slice(0, i).join("/");
    const kind = await kindOfPath(join(root, part));
    if (kind === "missing") return undefined;
    if (kind === "symbolic link") return part;
  }
  return undefined;
}

/** Whether `path` is a folder now, following links (for paths the user named, not branch files). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
