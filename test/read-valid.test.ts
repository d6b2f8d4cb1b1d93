// readValidDocument: the one reader for documents that may be absent or unusable (an earlier run, a
// summary beside the results, a file on the results branch).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatContractError } from "../src/contract/errors.js";
import { type DocumentRead, readValidDocument } from "../src/contract/read-valid.js";
import type { DocumentKind } from "../src/contract/validate.js";
import { ourRun, sha } from "./harness/results-branch.js";
import { scratchDir } from "./harness/scratch.js";

const dir = scratchDir("read-valid-");
const run = ourRun(sha("read-valid"));
/** The reasons of a read, as one line the way callers show them. */
function reasons(read: DocumentRead<DocumentKind> | undefined): string {
  return (read?.errors ?? []).map(formatContractError).join("; ");
}
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe("readValidDocument", () => {
  it("answers undefined for a file that is not there", async () => {
    expect(await readValidDocument(join(dir, "missing.json"), "hpc-results")).toBeUndefined();
  });

  it("gives a valid document as its value", async () => {
    const path = file("valid.json", JSON.stringify(run.tests));
    expect(await readValidDocument(path, "tests-summary")).toEqual({ value: run.tests, errors: [] });
  });

  it("says why a document is not valid, naming the file it was given and the pointer", async () => {
    const path = file("wrong.json", JSON.stringify({ ...run.results, schema_version: 2 }));
    const read = await readValidDocument(path, "hpc-results", "abc/hpc-results.json");
    expect(read?.value).toBeUndefined();
    expect(reasons(read)).toMatch(/^abc\/hpc-results\.json at \/schema_version: /);
  });

  it("says why text is not JSON, and refuses a document of another kind", async () => {
    const broken = await readValidDocument(file("broken.json", '{"commit": "ab'), "meta");
    expect(reasons(broken)).toMatch(/broken\.json: not valid JSON \(it ends early: truncated\?\)/);
    const endpoint = { schemaVersion: 1, label: "tests", message: "passed" };
    const other = await readValidDocument(file("other.json", JSON.stringify(endpoint)), "hpc-results");
    expect(reasons(other)).toMatch(/other\.json at \/commit: /);
    expect(other?.value).toBeUndefined();
  });
});
