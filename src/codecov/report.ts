// The report Codecov's upload API stores and its worker parses: the repository's file list ending with
// "<<<<<< network", then each coverage file as "# path=<name>", its contents and "<<<<<< EOF" (the
// layout of codecov-cli's legacy sender and of the bash and Node uploaders).
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";

export const NETWORK_END = "<<<<<< network";
export const FILE_END = "<<<<<< EOF";

export interface ReportFile {
  /** The name Codecov shows and path-fixes, relative to the repository root where possible. */
  path: string;
  content: string;
}

export function formatReport(network: string[], files: ReportFile[]): string {
  const parts: string[] = [];
  // An empty network section is left out, as codecov-cli does.
  if (network.length > 0) parts.push(`${network.join("\n")}\n${NETWORK_END}\n`);
  for (const file of files) {
    const content = file.content.endsWith("\n") ? file.content : `${file.content}\n`;
    parts.push(`# path=${file.path}\n${content}${FILE_END}\n`);
  }
  return parts.join("");
}

/** Reads a tracefile as text, uncompressing a gzip file (lcov itself reads `.info.gz`). */
export async function readTracefile(path: string): Promise<string> {
  const bytes = await readFile(path);
  const gzipped = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return (gzipped ? gunzipSync(bytes) : bytes).toString("utf8");
}

/** The report's name for the tracefile: relative to the repository root when inside it. */
export function reportPath(lcovPath: string, root: string | undefined): string {
  const base = resolve(root ?? process.cwd());
  const rel = relative(base, resolve(lcovPath));
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split("\\").join("/") : resolve(lcovPath);
}

/** The source files a tracefile names (its SF: lines), for the file list when there is no checkout. */
export function sourceFiles(lcov: string): string[] {
  const seen = new Set<string>();
  for (const match of lcov.matchAll(/^SF:(.*?)\r?$/gm)) if (match[1]) seen.add(match[1]);
  return [...seen];
}

const execFileAsync = promisify(execFile);

/**
 * The file list: the checkout's tracked files (what Codecov uses to fix paths), else the files the
 * tracefile names. Never fails: a report without the list is still a report.
 */
export async function networkFiles(root: string | undefined, lcov: string): Promise<string[]> {
  if (root) {
    try {
      const { stdout } = await execFileAsync("git", ["-C", root, "ls-files"], {
        timeout: 30_000,
        maxBuffer: 256 * 1024 * 1024,
      });
      const files = stdout.split("\n").filter(Boolean);
      if (files.length > 0) return files;
    } catch {
      // Not a git checkout, or no git: fall back to the tracefile's own names.
    }
  }
  return sourceFiles(lcov);
}
