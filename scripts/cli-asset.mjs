// The CLI as a release asset: dist/hpc-ci/index.js under the name clusters run it by (hpc-ci.mjs), and its
// SHA-256 in the format `sha256sum -c` reads, so a cluster can check what it downloaded.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const CLI_ASSET = "hpc-ci.mjs";

/**
 * Writes <dir>/hpc-ci.mjs and <dir>/hpc-ci.mjs.sha256 from the bundled CLI.
 * @param {string} cliFile dist/hpc-ci/index.js
 * @param {string} dir
 * @returns {{ file: string, checksumFile: string, sha256: string }}
 */
export function writeCliAsset(cliFile, dir) {
  const bytes = readFileSync(cliFile);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, CLI_ASSET);
  const checksumFile = `${file}.sha256`;
  writeFileSync(file, bytes, { mode: 0o644 });
  writeFileSync(checksumFile, `${sha256}  ${CLI_ASSET}\n`);
  return { file, checksumFile, sha256 };
}
