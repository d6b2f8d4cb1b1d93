// `hpc-ci validate`: checks files, a results directory or a checkout of the results branch.
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { kindOfFile } from "./classify.js";
import { type ContractError, InvalidDocumentError } from "./errors.js";
import { readDocument } from "./json.js";
import { checkDocument } from "./validate.js";

export interface FileCheck {
  file: string;
  kind?: string;
  errors: ContractError[];
}

const KNOWN = new Set([
  "hpc-results.json",
  "latest-hpc-results.json",
  "latest-meta.json",
  "latest-tests.json",
  "latest-benchmarks.json",
  "tests.json",
  "benchmarks.json",
  "meta.json",
  "summary.json",
  ".hpc-ci.json",
]);

export async function checkFile(path: string, shown = path): Promise<FileCheck> {
  let value: unknown;
  try {
    value = await readDocument(path, shown);
  } catch (error) {
    if (error instanceof InvalidDocumentError) return { file: shown, errors: error.errors };
    return {
      file: shown,
      errors: [{ file: shown, pointer: "", reason: `cannot be read: ${(error as Error).message}` }],
    };
  }
  const kind = kindOfFile(path, value);
  if (!kind)
    return {
      file: shown,
      errors: [
        { file: shown, pointer: "", reason: "not a document of the v1 contract (cannot tell its kind)" },
      ],
    };
  return { file: shown, kind, errors: checkDocument(kind, value, shown) };
}

/** Every contract document under `dir` (a results directory or a results-branch checkout). */
export async function checkTree(dir: string): Promise<FileCheck[]> {
  const found: string[] = [];
  const walk = async (folder: string, depth: number) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (entry.name === ".git" || entry.name === "node_modules" || entry.name === "logs") continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory() && depth < 3) await walk(path, depth + 1);
      else if (
        entry.isFile() &&
        (KNOWN.has(entry.name) || (entry.name.endsWith(".json") && relative(dir, folder) === "branches"))
      ) {
        found.push(path);
      }
    }
  };
  await walk(dir, 0);
  found.sort();
  return Promise.all(found.map((f) => checkFile(f, relative(process.cwd(), f) || f)));
}

export async function checkPaths(paths: string[]): Promise<FileCheck[]> {
  const checks: FileCheck[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      checks.push({ file: path, errors: [{ file: path, pointer: "", reason: "no such file or folder" }] });
    } else if ((await stat(path)).isDirectory()) {
      checks.push(...(await checkTree(path)));
    } else checks.push(await checkFile(path));
  }
  return checks;
}
