import { DefaultArtifactClient } from "@actions/artifact";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  makeRuntimeToken,
  readZip,
  startArtifactService,
  type ArtifactService,
} from "./harness/artifact-service.js";

const TWIRP = "twirp/github.actions.results.api.v1.ArtifactService";

/** Runs `fn` with `vars` set in process.env, as a runner would set them, and puts the old values back. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

let service: ArtifactService;
let work: string;
beforeEach(async () => {
  service = await startArtifactService();
  work = mkdtempSync(join(tmpdir(), "artifact-service-"));
});
afterEach(async () => {
  await service.close();
  rmSync(work, { recursive: true, force: true });
});

/** Writes `files` (path -> content) under `root` and returns their absolute paths. */
function writeTree(root: string, files: Record<string, string | Buffer>): string[] {
  return Object.entries(files).map(([path, content]) => {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    return target;
  });
}

describe("@actions/artifact against the stand-in", () => {
  it("uploads: the artifact is finalized under its name and its zip holds exactly the files", async () => {
    const binary = randomBytes(200_000);
    const root = join(work, "upload");
    const files = writeTree(root, {
      "hpc-results.json": JSON.stringify({ schema_version: 1, commit: "a".repeat(40) }),
      "logs/tests.log": "Test Summary: | Pass  Total\nunit         |  123    123\n",
      "empty.txt": "",
      "data/blob.bin": binary,
    });

    const result = await withEnv(service.env(), () =>
      new DefaultArtifactClient().uploadArtifact("hpc-results-abc", files, root),
    );

    const [artifact, ...others] = service.artifacts();
    expect(others).toEqual([]);
    expect(artifact!.name).toBe("hpc-results-abc");
    expect(artifact!.id).toBe(result.id);
    expect(artifact!.size).toBe(result.size);
    expect(artifact!.size).toBe(artifact!.bytes.length);
    expect(artifact!.digest).toBe(`sha256:${result.digest}`);
    expect(artifact!.digest).toBe(`sha256:${sha256(artifact!.bytes)}`);
    expect(artifact!.mimeType).toBe("application/zip");
    expect(artifact!.workflowJobRunBackendId).toBe(service.workflowJobRunBackendId);

    const entries = readZip(artifact!.bytes).filter((e) => !e.directory);
    expect(entries.map((e) => e.name).sort()).toEqual([
      "data/blob.bin",
      "empty.txt",
      "hpc-results.json",
      "logs/tests.log",
    ]);
    expect(entries.find((e) => e.name === "data/blob.bin")!.data.equals(binary)).toBe(true);
    const texts = service.files("hpc-results-abc");
    expect(texts["logs/tests.log"]).toBe("Test Summary: | Pass  Total\nunit         |  123    123\n");
    expect(JSON.parse(texts["hpc-results.json"]!)).toEqual({ schema_version: 1, commit: "a".repeat(40) });
    expect(texts["empty.txt"]).toBe("");

    // One CreateArtifact, blocks and a block list, one FinalizeArtifact: nothing refused, nothing retried.
    const requests = service.requests();
    expect(requests.filter((r) => r.status >= 300)).toEqual([]);
    expect(requests.filter((r) => r.method === "POST").map((r) => r.path.split("/").pop())).toEqual([
      "CreateArtifact",
      "FinalizeArtifact",
    ]);
  });

  it("puts a zip larger than one 8 MiB block together in block-list order", async () => {
    const root = join(work, "upload");
    // Three blocks, staged concurrently; level 0 makes archiver store entries, so readZip reads stored data too.
    const big = randomBytes(18 * 1024 * 1024);
    const files = writeTree(root, { "big.bin": big, "small.txt": "small" });
    await withEnv(service.env(), () =>
      new DefaultArtifactClient().uploadArtifact("big", files, root, { compressionLevel: 0 }),
    );
    const blocks = service.requests().filter((r) => r.method === "PUT");
    expect(blocks.length).toBe(4); // 3 x Put Block + Put Block List
    const entries = readZip(service.artifacts()[0]!.bytes);
    expect(entries.find((e) => e.name === "big.bin")!.data.equals(big)).toBe(true);
    expect(service.files("big")["small.txt"]).toBe("small");
  });

  it("lists and downloads back what was uploaded (ListArtifacts, GetSignedArtifactURL, blob GET)", async () => {
    const root = join(work, "upload");
    const files = writeTree(root, { "a.json": '{"a":1}', "nested/dir/b.txt": "bee" });
    const client = new DefaultArtifactClient();
    const into = join(work, "download");
    const { listed, downloaded, id } = await withEnv(service.env(), async () => {
      const { id } = await client.uploadArtifact("round-trip", files, root);
      const listed = await client.listArtifacts();
      const downloaded = await client.downloadArtifact(id!, {
        path: into,
        expectedHash: service.artifacts()[0]!.digest,
      });
      return { listed, downloaded, id };
    });
    expect(listed.artifacts).toEqual([
      expect.objectContaining({ name: "round-trip", id, size: service.artifacts()[0]!.size }),
    ]);
    expect(downloaded.digestMismatch).toBe(false);
    expect(readFileSync(join(into, "a.json"), "utf8")).toBe('{"a":1}');
    expect(readFileSync(join(into, "nested/dir/b.txt"), "utf8")).toBe("bee");
    expect(service.files("round-trip")).toEqual({ "a.json": '{"a":1}', "nested/dir/b.txt": "bee" });
  });

  it("refuses a token it did not issue: the upload fails at once and nothing is stored", async () => {
    const root = join(work, "upload");
    const files = writeTree(root, { "a.txt": "a" });
    const forged = makeRuntimeToken(service.workflowRunBackendId, service.workflowJobRunBackendId);
    const started = Date.now();
    await expect(
      withEnv({ ...service.env(), ACTIONS_RUNTIME_TOKEN: forged }, () =>
        new DefaultArtifactClient().uploadArtifact("refused", files, root),
      ),
    ).rejects.toThrow(/CreateArtifact.*\(401\).*invalid runtime token/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(service.artifacts()).toEqual([]);
    expect(service.requests()).toEqual([
      expect.objectContaining({ status: 401, error: "invalid runtime token" }),
    ]);
  });

  it("refuses a second artifact of the same name in the run, as GitHub does (409)", async () => {
    const root = join(work, "upload");
    const files = writeTree(root, { "a.txt": "a" });
    await withEnv(service.env(), async () => {
      await new DefaultArtifactClient().uploadArtifact("once", files, root);
      await expect(new DefaultArtifactClient().uploadArtifact("once", files, root)).rejects.toThrow(
        /\(409\).*already exists/,
      );
    });
    expect(service.artifacts().map((a) => a.name)).toEqual(["once"]);
  });

  it("env() gives the runner's variables, with github.com so the toolkit does not take it for GHES", () => {
    expect(service.env()).toEqual({
      ACTIONS_RESULTS_URL: service.url,
      ACTIONS_RUNTIME_TOKEN: service.token,
      GITHUB_SERVER_URL: "https://github.com",
    });
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const claims = JSON.parse(Buffer.from(service.token.split(".")[1]!, "base64url").toString());
    expect(claims.scp.split(" ")).toContain(
      `Actions.Results:${service.workflowRunBackendId}:${service.workflowJobRunBackendId}`,
    );
  });
});

describe("the protocol, spoken directly", () => {
  let ids: { workflow_run_backend_id: string; workflow_job_run_backend_id: string };
  beforeEach(() => {
    ids = {
      workflow_run_backend_id: service.workflowRunBackendId,
      workflow_job_run_backend_id: service.workflowJobRunBackendId,
    };
  });

  const twirp = (method: string, body: string | object, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${TWIRP}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${service.token}`, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it("answers bad requests with Twirp's error codes and statuses", async () => {
    const get = await fetch(`${service.url}${TWIRP}/CreateArtifact`);
    expect([get.status, ((await get.json()) as { code: string }).code]).toEqual([404, "bad_route"]);
    expect(await twirp("NoSuchMethod", {})).toMatchObject({ status: 404, body: { code: "bad_route" } });
    expect(
      await twirp("CreateArtifact", { ...ids, name: "x", version: 7 }, { authorization: "" }),
    ).toMatchObject({
      status: 401,
      body: { code: "unauthenticated" },
    });
    expect(await twirp("CreateArtifact", "{not json")).toMatchObject({
      status: 400,
      body: { code: "malformed" },
    });
    expect(await twirp("CreateArtifact", { ...ids, name: "x", version: 7, colour: "red" })).toMatchObject({
      status: 400,
      body: { code: "malformed", meta: { cause: 'unknown field "colour"' } },
    });
    expect(await twirp("CreateArtifact", { ...ids, name: "x", version: "seven" })).toMatchObject({
      status: 400,
      body: { code: "malformed" },
    });
    expect(await twirp("CreateArtifact", { ...ids, version: 7 })).toMatchObject({
      status: 400,
      body: { code: "invalid_argument", msg: "name is required", meta: { argument: "name" } },
    });
    expect(
      await twirp("CreateArtifact", {
        ...ids,
        workflow_run_backend_id: "another-run",
        name: "x",
        version: 7,
      }),
    ).toMatchObject({ status: 403, body: { code: "permission_denied" } });
    expect(await twirp("FinalizeArtifact", { ...ids, name: "never-created", size: "1" })).toMatchObject({
      status: 404,
      body: { code: "not_found" },
    });
    expect(service.artifacts()).toEqual([]);
  });

  it("takes a Put Blob upload and checks the size and hash at finalize; the upload URL dies with finalize", async () => {
    const created = await twirp("CreateArtifact", {
      ...ids,
      name: "manual",
      version: 7,
      mime_type: "application/zip",
    });
    expect(created).toMatchObject({ status: 200, body: { ok: true } });
    const uploadUrl = String(created.body.signed_upload_url);
    const zip = readFileSync(new URL("./harness/artifact-service.ts", import.meta.url)); // any bytes will do
    const put = (url: string) =>
      fetch(url, { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob" }, body: zip });

    const tampered = uploadUrl.replace(/sig=[^&]+/, "sig=AAAA");
    const forged = await put(tampered);
    expect([forged.status, forged.headers.get("x-ms-error-code")]).toEqual([403, "AuthenticationFailed"]);
    expect((await put(uploadUrl)).status).toBe(201);

    const finalize = (extra: object) => twirp("FinalizeArtifact", { ...ids, name: "manual", ...extra });
    expect(await finalize({ size: String(zip.length + 1) })).toMatchObject({
      status: 400,
      body: { code: "invalid_argument", meta: { argument: "size" } },
    });
    expect(await finalize({ size: String(zip.length), hash: `sha256:${"0".repeat(64)}` })).toMatchObject({
      status: 400,
      body: { code: "invalid_argument", meta: { argument: "hash" } },
    });
    expect(await finalize({ size: String(zip.length), hash: `sha256:${sha256(zip)}` })).toEqual({
      status: 200,
      body: { ok: true, artifact_id: "1" },
    });
    expect(service.artifacts()[0]!.bytes.equals(zip)).toBe(true);

    const late = await put(uploadUrl);
    expect([late.status, late.headers.get("x-ms-error-code")]).toEqual([403, "AuthorizationFailure"]);
    expect(await finalize({ size: String(zip.length) })).toMatchObject({ status: 412 });
  });
});

describe("readZip", () => {
  it("refuses what is not a zip, and an entry whose CRC-32 does not match", async () => {
    expect(() => readZip(Buffer.from("plain text, no zip here at all"))).toThrow(
      /no end of central directory/,
    );
    const root = join(work, "upload");
    const files = writeTree(root, { "a.txt": "some content" });
    await withEnv(service.env(), () => new DefaultArtifactClient().uploadArtifact("crc", files, root));
    const zip = Buffer.from(service.artifacts()[0]!.bytes);
    expect(readZip(zip).map((e) => e.name)).toEqual(["a.txt"]);
    const directory = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE((zip.readUInt32LE(directory + 16) ^ 1) >>> 0, directory + 16);
    expect(() => readZip(zip)).toThrow(/a\.txt fails its CRC-32 check/);
  });
});
