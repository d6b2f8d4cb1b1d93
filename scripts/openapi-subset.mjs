#!/usr/bin/env node
// The part of GitHub's REST OpenAPI description the GitHub stand-in needs, committed so that tests and
// `npm run demo` need no network after `npm ci`: every path with its methods (so an unknown route is told
// apart from an unserved one) and, whole, the operations the stand-in serves. Generated from the pinned
// @octokit/openapi release; test/openapi-subset.test.ts checks it equals a fresh extraction.
// Usage: node scripts/openapi-subset.mjs   (fetches the full description first when it is missing)
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildHarness } from "./harness-build.mjs";
import { ensureOpenApi, OPENAPI_PACKAGE_VERSION, REPO_ROOT as root } from "./fetch-openapi.mjs";

export const OPENAPI_SUBSET_FILE = join(root, "test/harness/github-api/openapi-subset.json");
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * The subset of a dereferenced OpenAPI document: served operations whole, every other operation reduced to
 * its operationId and its multi-segment path parameters (a ref such as "heads/main" spans segments).
 * @param {{ openapi: string, info: object, paths: Record<string, Record<string, any>> }} doc
 * @param {readonly string[]} served keys such as "GET /repos/{owner}/{repo}/pulls"
 */
export function extractSubset(doc, served) {
  const wanted = new Set(served);
  const paths = {};
  for (const [template, item] of Object.entries(doc.paths)) {
    const reduced = {};
    for (const method of Object.keys(item).filter((m) => HTTP_METHODS.includes(m))) {
      const op = item[method];
      if (wanted.has(`${method.toUpperCase()} ${template}`)) {
        reduced[method] = op;
        continue;
      }
      const multi = (op.parameters ?? [])
        .filter((p) => p["x-multi-segment"] === true)
        .map((p) => ({ name: p.name, in: p.in, "x-multi-segment": true }));
      reduced[method] = {
        operationId: op.operationId,
        ...(multi.length ? { parameters: multi } : {}),
        responses: {},
      };
    }
    paths[template] = reduced;
  }
  return {
    openapi: doc.openapi,
    info: doc.info,
    "x-hpc-ci-subset": { package: `@octokit/openapi@${OPENAPI_PACKAGE_VERSION}`, served: [...served].sort() },
    paths,
  };
}

/** The text committed: one key per line at the top levels, so a regenerated file diffs readably. */
export function subsetText(subset) {
  return `${JSON.stringify(subset, null, 1)}\n`;
}

async function main() {
  const full = ensureOpenApi();
  // The served operations are the keys of the stand-in's routes (TypeScript): compiled as for the demo.
  const built = buildHarness(root);
  const routes = await import(pathToFileURL(join(built, "test/harness/github-api/routes.js")).href);
  const subset = extractSubset(JSON.parse(readFileSync(full, "utf8")), routes.SERVED_OPERATIONS);
  const partial = `${OPENAPI_SUBSET_FILE}.${process.pid}.partial`;
  writeFileSync(partial, subsetText(subset));
  renameSync(partial, OPENAPI_SUBSET_FILE);
  console.log(
    `openapi-subset: wrote ${OPENAPI_SUBSET_FILE} (${routes.SERVED_OPERATIONS.length} operations served)`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await main();
  } catch (error) {
    console.error(`openapi-subset: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
