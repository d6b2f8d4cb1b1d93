#!/usr/bin/env node
// Fetches GitHub's published REST OpenAPI description (npm @octokit/openapi) into .cache/openapi/.
// The package is ~400 MB unpacked, so it is never a dependency: `npm pack` fetches the tarball (or takes it
// from the npm cache) and only the one dereferenced JSON file we validate against is extracted.
// Usage: node scripts/fetch-openapi.mjs   (also exported as ensureOpenApi() for tests)
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The pinned @octokit/openapi release (`npm view @octokit/openapi version`); bump deliberately. */
export const OPENAPI_PACKAGE_VERSION = "23.0.2";
const MEMBER = "package/generated/api.github.com.deref.json";

// The repository root: the nearest folder up with our package.json (this file also runs compiled,
// from .build/, for npm run demo).
function findRoot(from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "hpc-ci-actions") return dir;
    if (dirname(dir) === dir) return resolve(from, "..");
  }
}
export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
// HPC_CI_OPENAPI_DIR moves the cache (the offline demo test starts from an empty one, as a fresh clone does).
export const OPENAPI_DIR = process.env.HPC_CI_OPENAPI_DIR || join(REPO_ROOT, ".cache", "openapi");
export const OPENAPI_FILE = join(OPENAPI_DIR, "api.github.com.deref.json");
// Records which package version the cached file came from, so bumping the pin fetches again.
const STAMP_FILE = join(OPENAPI_DIR, "VERSION");

function cachedVersion() {
  if (!existsSync(OPENAPI_FILE) || !existsSync(STAMP_FILE)) return undefined;
  return readFileSync(STAMP_FILE, "utf8").trim();
}

function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * Makes sure .cache/openapi/api.github.com.deref.json holds the pinned version; returns its path.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {string}
 */
export function ensureOpenApi(options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  if (cachedVersion() === OPENAPI_PACKAGE_VERSION) {
    log(
      `fetch-openapi: ${OPENAPI_FILE} already present (@octokit/openapi@${OPENAPI_PACKAGE_VERSION}, ${megabytes(statSync(OPENAPI_FILE).size)}); skipped`,
    );
    return OPENAPI_FILE;
  }
  const started = Date.now();
  // Work beside the target, not in os.tmpdir(): the final rename must not cross file systems.
  mkdirSync(OPENAPI_DIR, { recursive: true });
  const work = mkdtempSync(join(OPENAPI_DIR, ".fetch-"));
  try {
    const spec = `@octokit/openapi@${OPENAPI_PACKAGE_VERSION}`;
    // --prefer-offline: a tarball already in the npm cache is used without asking the registry again.
    const packed = JSON.parse(
      execFileSync("npm", ["pack", spec, "--json", "--prefer-offline", "--pack-destination", work], {
        cwd: work,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 64 * 1024 * 1024,
      }),
    );
    const tarball = join(work, packed[0].filename);
    execFileSync("tar", ["-xzf", tarball, "-C", work, MEMBER], { stdio: ["ignore", "ignore", "pipe"] });
    // Rename into place so a concurrent reader never sees a half-written file.
    const partial = `${OPENAPI_FILE}.${process.pid}.partial`;
    renameSync(join(work, MEMBER), partial);
    renameSync(partial, OPENAPI_FILE);
    writeFileSync(STAMP_FILE, `${OPENAPI_PACKAGE_VERSION}\n`);
    log(
      `fetch-openapi: wrote ${OPENAPI_FILE} from ${spec} (tarball ${megabytes(statSync(tarball).size)}, ` +
        `file ${megabytes(statSync(OPENAPI_FILE).size)}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return OPENAPI_FILE;
  } catch (error) {
    const stderr = error && typeof error === "object" && "stderr" in error ? String(error.stderr).trim() : "";
    throw new Error(
      `fetch-openapi: could not fetch @octokit/openapi@${OPENAPI_PACKAGE_VERSION}: ${stderr || String(error)}`,
      { cause: error },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureOpenApi();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
