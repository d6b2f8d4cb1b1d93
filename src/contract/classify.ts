// What kind of contract document a file is, from its name and, where names are shared, its shape.
import { basename, dirname } from "node:path";
import { looksLikeShieldsEndpoint } from "./legacy.js";
import type { DocumentKind } from "./validate.js";

export function kindOfFile(path: string, value: unknown): DocumentKind | undefined {
  const name = basename(path);
  const folder = basename(dirname(path));
  if (name === ".hpc-ci.json") return "config";
  if (looksLikeShieldsEndpoint(value)) return "shields-endpoint";
  if (name === "hpc-results.json" || name === "latest-hpc-results.json" || folder === "branches")
    return "hpc-results";
  if (name === "tests.json" || (folder === "tests" && name === "summary.json")) return "tests-summary";
  if (name === "benchmarks.json" || (folder === "benchmarks" && name === "summary.json"))
    return "benchmarks-summary";
  if (name === "meta.json" || name === "latest-meta.json") return "meta";
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (
      keys.includes("schema_version") &&
      ["tests", "benchmarks", "coverage", "hpc"].some((k) => keys.includes(k))
    ) {
      return "hpc-results";
    }
  }
  return undefined;
}
