// A pull request's files as GitHub lists them (GET /repos/{owner}/{repo}/pulls/{pull_number}/files), made
// from a real `git diff` between two commits of a repository on disk, so that every patch is git's own text:
// GitHub's `patch` is the file's hunks without the `diff --git`/`---`/`+++` header, absent for binary files.
import { execFileSync } from "node:child_process";
import type { PullFileInit } from "./github-api/state.js";

const STATUS: Record<string, PullFileInit["status"]> = {
  A: "added",
  D: "removed",
  M: "modified",
  R: "renamed",
  C: "copied",
  T: "changed",
};

export function pullFilesFromGit(dir: string, base: string, head: string): PullFileInit[] {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });
  const statuses = git("diff", "-M", "--name-status", "-z", base, head).split("\0").filter(Boolean);
  const files: PullFileInit[] = [];
  for (let i = 0; i < statuses.length;) {
    const code = statuses[i++]!;
    const letter = code[0]!;
    const previous = letter === "R" || letter === "C" ? statuses[i++] : undefined;
    const filename = statuses[i++]!;
    const numstat = git(
      "diff",
      "-M",
      "--numstat",
      base,
      head,
      "--",
      ...(previous ? [previous] : []),
      filename,
    )
      .trim()
      .split("\t");
    const binary = numstat[0] === "-";
    const diff = git("diff", "-M", base, head, "--", ...(previous ? [previous] : []), filename);
    const hunks = diff.indexOf("\n@@");
    const side = letter === "D" ? base : head;
    files.push({
      filename,
      status: STATUS[letter] ?? "modified",
      additions: binary ? 0 : Number(numstat[0]),
      deletions: binary ? 0 : Number(numstat[1]),
      ...(hunks >= 0 && { patch: diff.slice(hunks + 1).replace(/\n$/, "") }),
      ...(previous && { previous_filename: previous }),
      sha: git("rev-parse", `${side}:${filename}`).trim(),
    });
  }
  return files;
}
