// What is at a path, without following a symbolic link: files from a results or pages branch are
// untrusted, and a link there could point anywhere on the runner.
import { statSync } from "node:fs";
import { lstat } from "node:fs/promises";

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

/** Whether `path` is a folder now, following links (for paths the user named, not branch files). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
