// The GitHub stand-in checks requests against a committed subset of GitHub's OpenAPI description, so tests
// and `npm run demo` need no network: the subset must be exactly what the pinned full description yields.
import { existsSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { OPENAPI_FILE } from "../scripts/fetch-openapi.mjs";
import { extractSubset, OPENAPI_SUBSET_FILE, subsetText } from "../scripts/openapi-subset.mjs";
import { loadSpecIndex, SERVED_OPERATIONS, type LoadTimings } from "./harness/github-api/index.js";

function fullDescriptionSkipReason(): string | undefined {
  if (existsSync(OPENAPI_FILE)) return undefined;
  const reason = `${OPENAPI_FILE} is absent (node scripts/fetch-openapi.mjs fetches it)`;
  if (process.env.CI === "true") throw new Error(`${reason}; CI=true: .ci/run must fetch it`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

describe("the committed OpenAPI subset", () => {
  it.skipIf(fullDescriptionSkipReason())(
    "equals a fresh extraction from the pinned full description, byte for byte",
    () => {
      const full = JSON.parse(readFileSync(OPENAPI_FILE, "utf8"));
      const fresh = subsetText(extractSubset(full, SERVED_OPERATIONS));
      // A mismatch means the served operations or the pinned package changed: node scripts/openapi-subset.mjs
      expect(readFileSync(OPENAPI_SUBSET_FILE, "utf8") === fresh).toBe(true);
    },
  );

  it("holds every served operation whole and every other path by its methods, in under 2 MB", () => {
    const subset = JSON.parse(readFileSync(OPENAPI_SUBSET_FILE, "utf8"));
    expect(subset["x-hpc-ci-subset"].served).toEqual([...SERVED_OPERATIONS].sort());
    expect(Object.keys(subset.paths).length).toBeGreaterThan(500);
    const pulls = subset.paths["/repos/{owner}/{repo}/pulls/{pull_number}"];
    expect(pulls.get.responses["200"].content["application/json"].schema.properties.head).toBeDefined();
    expect(pulls.patch).toEqual({ operationId: "pulls/update", responses: {} });
    // A multi-segment ref keeps its marker, so /git/ref/heads/main still matches the right template.
    expect(subset.paths["/repos/{owner}/{repo}/git/ref/{ref}"].get.parameters).toEqual([
      { name: "ref", in: "path", "x-multi-segment": true },
    ]);
    expect(statSync(OPENAPI_SUBSET_FILE).size).toBeLessThan(2_000_000);
  });

  it("is what the stand-in loads: the full description is not read", () => {
    let timings: LoadTimings | undefined;
    const index = loadSpecIndex(SERVED_OPERATIONS, (t) => (timings = t));
    expect(timings?.file).toBe(OPENAPI_SUBSET_FILE);
    expect(index.match("/repos/o/r/git/ref/heads/main")?.template).toBe(
      "/repos/{owner}/{repo}/git/ref/{ref}",
    );
    expect(index.operation("GET", "/repos/{owner}/{repo}/pulls")?.operationId).toBe("pulls/list");
  });

  it.skipIf(fullDescriptionSkipReason())(
    "gives way to the full description, saying how to regenerate it, when a served operation is missing",
    () => {
      const added = "GET /repos/{owner}/{repo}/releases"; // an operation a new route would serve
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      let timings: LoadTimings | undefined;
      let warned: string | undefined;
      try {
        const index = loadSpecIndex([...SERVED_OPERATIONS, added], (t) => (timings = t));
        expect(index.operation("GET", "/repos/{owner}/{repo}/releases")?.operationId).toBe(
          "repos/list-releases",
        );
        warned = warn.mock.calls.flat().join("\n");
      } finally {
        warn.mockRestore();
      }
      expect(timings?.file).toBe(OPENAPI_FILE);
      expect(warned).toContain(`lacks ${added}`);
      expect(warned).toContain("node scripts/openapi-subset.mjs");
    },
  );
});
