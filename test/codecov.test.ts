import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { uploadCoverage } from "../src/codecov/index.js";
import { type CodecovApi, startCodecovApi } from "./harness/codecov-api.js";

const TOKEN = "cc-token-0f9e8d7c";
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
let api: CodecovApi;
let lcov: string;

beforeEach(async () => {
  api = await startCodecovApi({ token: TOKEN });
  lcov = join(mkdtempSync(join(tmpdir(), "codecov-")), "lcov.info");
  writeFileSync(lcov, "TN:\nSF:src/Example.jl\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\n");
});
afterEach(() => api.close());

const base = () => ({
  lcovPath: lcov,
  commit: COMMIT,
  branch: "main",
  flag: "hpc-extended",
  slug: "octo/example",
  url: api.url,
  backoffMs: () => 10,
});

describe("uploadCoverage", () => {
  it("uploads the lcov report under its flag, commit, branch and repository", async () => {
    const outcome = await uploadCoverage({ ...base(), token: TOKEN, build: "4242" });
    expect(outcome).toMatchObject({
      uploaded: true,
      reportUrl: `https://codecov.example/gh/octo/example/commit/${COMMIT}`,
    });
    expect(api.uploads).toHaveLength(1);
    const [upload] = api.uploads;
    expect(upload!.query).toMatchObject({
      commit: COMMIT,
      branch: "main",
      flags: "hpc-extended",
      slug: "octo/example",
      service: "custom",
      build: "4242",
    });
    expect(upload!.body).toContain(
      "<<<<<< network\n# path=hpc-ci/artifacts/coverage/lcov.info\nTN:\nSF:src/Example.jl\nDA:1,1",
    );
    expect(upload!.body.trimEnd().endsWith("<<<<<< EOF")).toBe(true);
  });

  it("is not fatal when the token is refused, and never says the token", async () => {
    const outcome = await uploadCoverage({ ...base(), token: "wrong-token-777" });
    expect(outcome.uploaded).toBe(false);
    expect(outcome.message).toMatch(/token was refused \(401\)/);
    expect(JSON.stringify(outcome)).not.toContain("wrong-token-777");
  });

  it("retries a 502 and then succeeds", async () => {
    api.failNext(2, 502);
    const outcome = await uploadCoverage({ ...base(), token: TOKEN });
    expect(outcome.uploaded).toBe(true);
    expect(api.uploads).toHaveLength(1);
  });

  it("gives up on a server that is down with a message, not an exception", async () => {
    const down = api.url;
    await api.close();
    const outcome = await uploadCoverage({ ...base(), url: down, token: TOKEN, retries: 1 });
    expect(outcome.uploaded).toBe(false);
    expect(outcome.message).toMatch(/fetch failed|ECONNREFUSED/);
    api = await startCodecovApi({ token: TOKEN });
  });

  it("reports a missing coverage file without throwing", async () => {
    const outcome = await uploadCoverage({ ...base(), lcovPath: "/nonexistent/lcov.info", token: TOKEN });
    expect(outcome).toMatchObject({ uploaded: false, message: expect.stringMatching(/ENOENT/) });
  });
});
