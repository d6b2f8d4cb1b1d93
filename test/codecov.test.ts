import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  codecovCliArgs,
  resolveOptions,
  uploadCoverage,
  type UploadCoverageOptions,
} from "../src/codecov/index.js";
import { startCodecovApi, type CodecovApi } from "./harness/codecov-api.js";

const TOKEN = "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b";
const WRONG_TOKEN = "00000000-1111-4222-8333-444444444444";
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const LCOV =
  "TN:\nSF:src/Example.jl\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\nSF:src/util.jl\nDA:3,4\nend_of_record\n";

const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A checkout with two tracked sources and the run's tracefile where the CLI writes it. */
function checkout(): { root: string; lcov: string } {
  const root = tempDir("codecov-repo-");
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src/Example.jl"), "module Example end\n");
  writeFileSync(join(root, "Project.toml"), 'name = "Example"\n');
  execFileSync("git", ["init", "-q", root]);
  execFileSync("git", ["-C", root, "add", "-A"]);
  const lcov = join(root, "hpc-ci/artifacts/coverage/lcov.info");
  mkdirSync(join(root, "hpc-ci/artifacts/coverage"), { recursive: true });
  writeFileSync(lcov, LCOV);
  return { root, lcov };
}

let api: CodecovApi;
let lines: string[];
beforeEach(async () => {
  api = await startCodecovApi({ token: TOKEN, slug: "octo/example" });
  lines = [];
});
afterEach(() => api.close());

function options(extra: Partial<UploadCoverageOptions> = {}): UploadCoverageOptions {
  return {
    token: TOKEN,
    lcovPath: checkout().lcov,
    commit: COMMIT,
    branch: "main",
    flag: "hpc-extended",
    slug: "octo/example",
    url: api.url,
    useCli: "never",
    backoffMs: 5,
    env: { PATH: "/usr/bin:/bin" },
    log: (line) => lines.push(line),
    ...extra,
  };
}

/** Neither the outcome nor any log line holds the token, in any form. */
function expectNoToken(value: unknown, token = TOKEN) {
  const text = JSON.stringify(value) + lines.join("\n");
  expect(text).not.toContain(token);
  expect(text).not.toContain(token.replace(/-/g, ""));
}

describe("uploadCoverage through Codecov's upload API", () => {
  it("uploads the tracefile under its flag, commit, branch and slug, the token in a header only", async () => {
    const { root, lcov } = checkout();
    const outcome = await uploadCoverage(
      options({ lcovPath: lcov, root, build: "4242", name: "lr-cluster" }),
    );
    expect(outcome).toEqual({
      uploaded: true,
      reportUrl: `https://app.codecov.io/github/octo/example/commit/${COMMIT}`,
      message: `uploaded hpc-ci/artifacts/coverage/lcov.info under flag hpc-extended for commit ${COMMIT.slice(0, 12)}`,
      via: "api",
    });
    expect(api.uploads).toHaveLength(1);
    const upload = api.uploads[0]!;
    expect(upload.query).toEqual({
      package: "hpc-ci-uploader-0.1.0",
      commit: COMMIT,
      branch: "main",
      build: "4242",
      name: "lr-cluster",
      slug: "octo/example",
      service: "custom",
      flags: "hpc-extended",
    });
    // The package matches the pattern Codecov counts uploaders by.
    expect(upload.query.package).toMatch(/^((codecov-cli\/)|((.+-)?uploader-))(\d+.\d+.\d+)$/);
    expect(upload.tokenVia).toBe("header");
    expect(upload.contentType).toBe("text/plain");
    // The network is the checkout's tracked files; the tracefile is under its path in the checkout.
    expect(upload.network).toEqual(["Project.toml", "src/Example.jl"]);
    expect(upload.files).toEqual({ "hpc-ci/artifacts/coverage/lcov.info": LCOV });
    expect(upload.body).toBe(
      `Project.toml\nsrc/Example.jl\n<<<<<< network\n# path=hpc-ci/artifacts/coverage/lcov.info\n${LCOV}<<<<<< EOF\n`,
    );
    expect(api.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["POST 200", "PUT 200"]);
    expect(lines.join("\n")).toContain("uploading hpc-ci/artifacts/coverage/lcov.info");
    expectNoToken(outcome);
  });

  it("takes the server from CODECOV_URL, and without a checkout lists the tracefile's sources", async () => {
    const dir = tempDir("codecov-gz-");
    const lcov = join(dir, "lcov.info.gz");
    writeFileSync(lcov, gzipSync(LCOV.slice(0, -1))); // no final newline
    const outcome = await uploadCoverage(
      options({
        lcovPath: lcov,
        url: undefined,
        env: { CODECOV_URL: `${api.url}/`, PATH: "/usr/bin:/bin" },
        reportName: "coverage/lcov.info",
      }),
    );
    expect(outcome.uploaded).toBe(true);
    const upload = api.uploads[0]!;
    expect(upload.network).toEqual(["src/Example.jl", "src/util.jl"]);
    expect(Object.keys(upload.files)).toEqual(["coverage/lcov.info"]);
    // The report closes the file's last line itself.
    expect(upload.files["coverage/lcov.info"]).toBe(LCOV);
    expect(upload.body.endsWith("end_of_record\n<<<<<< EOF\n")).toBe(true);
  });

  it("is not fatal when Codecov knows no repository for the token, and never repeats the token", async () => {
    const outcome = await uploadCoverage(options({ token: WRONG_TOKEN }));
    expect(outcome).toEqual({
      uploaded: false,
      message: "token rejected (404): Could not find a repository associated with upload token ***",
      via: "api",
    });
    // The stand-in, like Codecov, did echo it: the redaction is what kept it out.
    expect(api.requests).toEqual([
      { method: "POST", path: "/upload/v4", status: 404, error: "unknown token" },
    ]);
    expectNoToken(outcome, WRONG_TOKEN);
  });

  it("says the token was rejected on a 401 and does not retry a 4xx", async () => {
    api.failNext(1, 401, "post");
    const outcome = await uploadCoverage(options());
    expect(outcome.uploaded).toBe(false);
    expect(outcome.message).toMatch(/^token rejected \(401\)/);
    expect(api.requests).toHaveLength(1);
    expectNoToken(outcome);
  });

  it("relays Codecov's reason for a refused request", async () => {
    const outcome = await uploadCoverage(options({ token: "not-a-uuid-token" }));
    expect(outcome).toMatchObject({
      uploaded: false,
      message: "Codecov refused the upload (400): Invalid request parameters",
    });
  });

  it("retries a 502 of the POST and a 503 of the PUT, then succeeds", async () => {
    api.failNext(1, 502, "post");
    let outcome = await uploadCoverage(options());
    expect(outcome.uploaded).toBe(true);
    expect(api.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["POST 502", "POST 200", "PUT 200"]);
    expect(lines.some((l) => /asking for an upload URL: Codecov answered 502.*retrying in/.test(l))).toBe(
      true,
    );

    api.requests.length = 0;
    api.failNext(1, 503, "put");
    outcome = await uploadCoverage(options());
    expect(outcome.uploaded).toBe(true);
    expect(api.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["POST 200", "PUT 503", "PUT 200"]);
    expect(api.uploads).toHaveLength(2);
  });

  it("gives up after its retries with the last answer", async () => {
    api.failNext(10, 503, "post");
    const outcome = await uploadCoverage(options({ retries: 2 }));
    expect(outcome).toMatchObject({
      uploaded: false,
      message: "Codecov answered 503: stand-in failure (after 3 attempts)",
    });
    expect(api.requests).toHaveLength(3);
  });

  it("is not fatal when the server is down (connection refused)", async () => {
    const down = api.url;
    await api.close();
    const outcome = await uploadCoverage(options({ url: down, retries: 1 }));
    expect(outcome.uploaded).toBe(false);
    expect(outcome.message).toBe(`could not reach ${down}: ECONNREFUSED (after 2 attempts)`);
    api = await startCodecovApi({ token: TOKEN });
  });

  it("stops waiting for an answer after timeoutMs", async () => {
    api.stallNext(1, "post");
    const started = Date.now();
    const outcome = await uploadCoverage(options({ timeoutMs: 300, retries: 0 }));
    expect(outcome).toMatchObject({ uploaded: false, message: `no answer from ${api.url} within 0.3s` });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("does not follow a redirect, so the token goes nowhere else", async () => {
    const redirector = createServer((req, res) => {
      res.writeHead(307, { Location: `${api.url}${req.url}` }).end();
    });
    await new Promise<void>((ready) => redirector.listen(0, "127.0.0.1", ready));
    try {
      const url = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
      const outcome = await uploadCoverage(options({ url }));
      expect(outcome.uploaded).toBe(false);
      expect(outcome.message).toBe(
        `${url}/upload/v4 redirects (307) to ${api.url}/upload/v4; set CODECOV_URL to the Codecov server's address`,
      );
      expect(api.requests).toHaveLength(0);
    } finally {
      redirector.closeAllConnections();
      await new Promise((done) => redirector.close(done));
    }
  });

  it("refuses values Codecov would refuse before sending anything", async () => {
    const cases: Array<[Partial<UploadCoverageOptions>, RegExp]> = [
      [{ commit: "abc123" }, /^commit must be a full 40-character SHA \(got "abc123"\)$/],
      [{ flag: "hpc extended" }, /^flag "hpc extended" is not a Codecov flag/],
      [{ slug: "example" }, /^slug must be "owner\/repo"/],
      [{ service: "sourceforge" }, /^git service must be one of github, gitlab/],
      [{ url: "ftp://codecov.example" }, /^Codecov URL must be http\(s\)/],
      [{ lcovPath: "/nonexistent/lcov.info" }, /^cannot read \/nonexistent\/lcov\.info: ENOENT$/],
    ];
    for (const [extra, message] of cases) {
      const outcome = await uploadCoverage(options(extra));
      expect(outcome.uploaded).toBe(false);
      expect(outcome.message).toMatch(message);
    }
    expect(api.requests).toHaveLength(0);
  });
});

describe("uploadCoverage through a Codecov CLI on PATH", () => {
  /** A directory on PATH with a fake CLI that records its argv (one per line) and its CODECOV_TOKEN. */
  function fakeCli(name: string, script: string): { bin: string; record: string } {
    const bin = tempDir("codecov-bin-");
    const record = tempDir("codecov-record-");
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, name), 0o755);
    return { bin, record };
  }
  const RECORDING = [
    'if [ "$1" = "--help" ]; then echo "Commands: create-commit do-upload upload-process"; exit 0; fi',
    'for a in "$@"; do printf "%s\\n" "$a"; done > "$RECORD/argv"',
    'printf "%s" "$CODECOV_TOKEN" > "$RECORD/token"',
  ].join("\n");

  it("prefers codecovcli, with explicit arguments and the token in its environment only", async () => {
    const { bin, record } = fakeCli(
      "codecovcli",
      `${RECORDING}\necho "info - token is $CODECOV_TOKEN"\necho "info - Upload complete: https://app.codecov.io/github/octo/example/commit/${COMMIT}"`,
    );
    const { root, lcov } = checkout();
    const outcome = await uploadCoverage(
      options({
        useCli: "auto",
        lcovPath: lcov,
        root,
        name: "lr",
        env: { PATH: `${bin}:/usr/bin:/bin`, RECORD: record },
      }),
    );
    expect(outcome).toEqual({
      uploaded: true,
      reportUrl: `https://app.codecov.io/github/octo/example/commit/${COMMIT}`,
      message: `uploaded ${lcov} with codecovcli under flag hpc-extended for commit ${COMMIT.slice(0, 12)}`,
      via: "cli",
    });
    const argv = readFileSync(join(record, "argv"), "utf8").trimEnd().split("\n");
    expect(argv).toEqual([
      "--enterprise-url",
      api.url,
      "upload-process",
      "--disable-search",
      "--fail-on-error",
      "--commit-sha",
      COMMIT,
      "--branch",
      "main",
      "--flag",
      "hpc-extended",
      "--file",
      lcov,
      "--git-service",
      "github",
      "--slug",
      "octo/example",
      "--name",
      "lr",
      "--network-root-folder",
      root,
    ]);
    expect(argv.join("\n")).not.toContain(TOKEN);
    expect(readFileSync(join(record, "token"), "utf8")).toBe(TOKEN);
    // The CLI printed the token; what we pass on is redacted.
    expect(lines).toContain("codecovcli: info - token is ***");
    expectNoToken(outcome);
    expect(api.requests).toHaveLength(0);
  });

  it("leaves out --enterprise-url for codecov.io, and takes several flags", () => {
    const o = resolveOptions({ lcovPath: "l.info", commit: COMMIT, branch: "b", flag: "a,b", env: {} });
    expect(codecovCliArgs(o).slice(0, 12)).toEqual([
      "upload-process",
      "--disable-search",
      "--fail-on-error",
      "--commit-sha",
      COMMIT,
      "--branch",
      "b",
      "--flag",
      "a",
      "--flag",
      "b",
      "--file",
    ]);
  });

  it("checks the tracefile before running the CLI", async () => {
    const { bin, record } = fakeCli("codecovcli", RECORDING);
    const env = { PATH: `${bin}:/usr/bin:/bin`, RECORD: record };
    const outcome = await uploadCoverage(
      options({ useCli: "always", lcovPath: "/nonexistent/lcov.info", env }),
    );
    expect(outcome).toMatchObject({ uploaded: false, message: "cannot read /nonexistent/lcov.info: ENOENT" });
    expect(existsSync(join(record, "argv"))).toBe(false);
  });

  it("reports a failing CLI without its token and without throwing", async () => {
    const { bin, record } = fakeCli(
      "codecovcli",
      `${RECORDING}\necho "error - upload failed for token $CODECOV_TOKEN" >&2\nexit 1`,
    );
    const outcome = await uploadCoverage(
      options({ useCli: "auto", env: { PATH: `${bin}:/usr/bin:/bin`, RECORD: record } }),
    );
    expect(outcome).toEqual({
      uploaded: false,
      message: "codecovcli exited with 1: error - upload failed for token ***",
      via: "cli",
    });
    expectNoToken(outcome);
  });

  it("uses a `codecov` that is codecov-cli", async () => {
    const { bin, record } = fakeCli("codecov", RECORDING);
    const outcome = await uploadCoverage(
      options({ useCli: "always", env: { PATH: `${bin}:/usr/bin:/bin`, RECORD: record } }),
    );
    expect(outcome).toMatchObject({ uploaded: true, via: "cli" });
    expect(readFileSync(join(record, "argv"), "utf8")).toContain("upload-process");
  });

  it("does not take the retired Node uploader for the CLI: auto falls back to the API, always fails", async () => {
    const { bin, record } = fakeCli(
      "codecov",
      `${RECORDING.split("\n").slice(1).join("\n")}\necho "Usage: codecov -t TOKEN -f FILE"`,
    );
    const env = { PATH: `${bin}:/usr/bin:/bin`, RECORD: record };
    const auto = await uploadCoverage(options({ useCli: "auto", env }));
    expect(auto).toMatchObject({ uploaded: true, via: "api" });
    expect(api.uploads).toHaveLength(1);
    expect(lines.some((l) => l.includes(`${bin}/codecov is not codecov-cli`))).toBe(true);

    const always = await uploadCoverage(options({ useCli: "always", env }));
    expect(always).toEqual({
      uploaded: false,
      message: `${bin}/codecov is not codecov-cli (its --help lists no upload-process)`,
      via: "cli",
    });
  });

  it("uses the API when told never to use the CLI, and fails clearly when told always and none is there", async () => {
    const { bin, record } = fakeCli("codecovcli", RECORDING);
    const never = await uploadCoverage(
      options({ useCli: "never", env: { PATH: `${bin}:/usr/bin:/bin`, RECORD: record } }),
    );
    expect(never).toMatchObject({ uploaded: true, via: "api" });
    expect(existsSync(join(record, "argv"))).toBe(false);

    const none = await uploadCoverage(
      options({ useCli: "always", env: { PATH: tempDir("codecov-empty-") } }),
    );
    expect(none).toEqual({
      uploaded: false,
      message: "no Codecov CLI (codecovcli or codecov) on PATH",
      via: "cli",
    });
  });
});
