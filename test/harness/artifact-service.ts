// A local stand-in for GitHub Actions' artifact service (v2, the Twirp "results" service) and for the Azure
// blob storage its signed URLs point at. @actions/artifact reaches it through the runner's own variables
// (ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN), so an action under test uploads exactly as on a runner.
// It is stricter than the real service where that catches mistakes: unknown request fields are refused, and a
// signed upload URL stops working once its artifact is finalized.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { crc32, inflateRawSync } from "node:zlib";

/** A finalized artifact, as the service holds it. */
export interface StoredArtifact {
  id: number;
  name: string;
  /** Bytes of the uploaded blob (the zip, unless the client skipped archiving). */
  size: number;
  bytes: Buffer;
  /** "sha256:<hex>" when the client sent it at finalize (the toolkit does). */
  digest: string | undefined;
  mimeType: string | undefined;
  version: number;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  createdAt: Date;
  expiresAt: Date | undefined;
}

/** One request the service answered; `error` says why when it refused. */
export interface ServiceRequest {
  method: string;
  /** Path without the query (the query carries the blob signature). */
  path: string;
  status: number;
  error?: string;
}

export interface ArtifactService {
  /** ACTIONS_RESULTS_URL: "http://127.0.0.1:<port>/". */
  readonly url: string;
  /** ACTIONS_RUNTIME_TOKEN: a signed JWT whose `scp` names the two backend ids below. */
  readonly token: string;
  readonly workflowRunBackendId: string;
  readonly workflowJobRunBackendId: string;
  /** The variables a hosted runner sets for artifacts: ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN, GITHUB_SERVER_URL. */
  env(): Record<string, string>;
  /** Finalized artifacts, oldest first. */
  artifacts(): StoredArtifact[];
  /** The files in the zip of the finalized artifact `name`, path -> UTF-8 text (directories left out). */
  files(name: string): Record<string, string>;
  /** Every request answered so far, in order. */
  requests(): ServiceRequest[];
  close(): Promise<void>;
}

export interface ArtifactServiceOptions {
  workflowRunBackendId?: string;
  workflowJobRunBackendId?: string;
}

const SERVICE = "github.actions.results.api.v1.ArtifactService";
const TWIRP_PREFIX = `/twirp/${SERVICE}/`;
const ACCOUNT = "artifacts";
const CONTAINER = "actions-results";
const MAX_BODY_BYTES = 256 * 1024 * 1024;
const SAS_LIFETIME_MS = 6 * 60 * 60 * 1000;
const STORAGE_VERSION = "2025-11-05";
/** Characters the real service refuses in artifact names (the toolkit checks the same list first). */
const FORBIDDEN_NAME_CHARACTERS = ['"', ":", "<", ">", "|", "*", "?", "\r", "\n", "\\", "/"];

// ---------------------------------------------------------------------------------------------- the token

/**
 * A runtime token like the runner's: a JWT whose `scp` claim carries "Actions.Results:<runId>:<jobId>", the
 * only claim @actions/artifact reads. Signed HS256 with `key`, so a token minted with another key differs.
 */
export function makeRuntimeToken(
  workflowRunBackendId: string,
  workflowJobRunBackendId: string,
  key: Buffer = randomBytes(32),
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: "JWT", alg: "HS256" };
  const payload = {
    scp: [
      `Actions.GenericRead:${workflowRunBackendId}`,
      `Actions.Results:${workflowRunBackendId}:${workflowJobRunBackendId}`,
      `Actions.UploadArtifacts:${workflowRunBackendId}:${workflowJobRunBackendId}`,
    ].join(" "),
    IdentityTypeClaim: "System:ServiceIdentity",
    iss: "vstoken.actions.githubusercontent.com",
    aud: "vstoken.actions.githubusercontent.com",
    iat: now,
    nbf: now,
    exp: now + 6 * 60 * 60,
  };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
  const unsigned = `${encode(header)}.${encode(payload)}`;
  return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
}

// ----------------------------------------------------------------------------------------- Twirp errors

// Twirp's error codes and the HTTP status each one travels with (twirp spec, "Error codes").
const TWIRP_STATUS = {
  malformed: 400,
  invalid_argument: 400,
  bad_route: 404,
  not_found: 404,
  already_exists: 409,
  failed_precondition: 412,
  permission_denied: 403,
  unauthenticated: 401,
  unimplemented: 501,
} as const;
type TwirpCode = keyof typeof TWIRP_STATUS;

class TwirpError extends Error {
  constructor(
    readonly code: TwirpCode,
    message: string,
    readonly meta?: Record<string, string>,
  ) {
    super(message);
  }
}

const requiredArgument = (field: string) =>
  new TwirpError("invalid_argument", `${field} is required`, { argument: field });
const invalidArgument = (field: string, why: string) =>
  new TwirpError("invalid_argument", `${field} ${why}`, { argument: field });

// ------------------------------------------------------------------------------- protobuf JSON requests

// The request messages of results/api/v1/artifact.proto, field by field, as protojson reads them.
type FieldKind = "string" | "int32" | "int64" | "timestamp" | "stringValue" | "int64Value";
type FieldValue<K extends FieldKind> = K extends "string"
  ? string
  : K extends "int32" | "int64"
    ? number
    : K extends "timestamp"
      ? Date | undefined
      : K extends "stringValue"
        ? string | undefined
        : number | undefined;
type MessageSpec = Record<string, FieldKind>;
type Message<S extends MessageSpec> = { [F in keyof S]: FieldValue<S[F]> };

const BACKEND_IDS = { workflow_run_backend_id: "string", workflow_job_run_backend_id: "string" } as const;
const CREATE_ARTIFACT = {
  ...BACKEND_IDS,
  name: "string",
  expires_at: "timestamp",
  version: "int32",
  mime_type: "stringValue",
} as const;
const FINALIZE_ARTIFACT = { ...BACKEND_IDS, name: "string", size: "int64", hash: "stringValue" } as const;
const LIST_ARTIFACTS = { ...BACKEND_IDS, name_filter: "stringValue", id_filter: "int64Value" } as const;
const BY_NAME = { ...BACKEND_IDS, name: "string" } as const;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function decodeField(kind: FieldKind, value: unknown, field: string): unknown {
  const wrong = () => new Error(`field ${field}: ${JSON.stringify(value)} is not a valid ${kind}`);
  if (value === null) return defaultOf(kind);
  switch (kind) {
    case "string":
    case "stringValue":
      if (typeof value !== "string") throw wrong();
      return value;
    case "int32":
    case "int64":
    case "int64Value": {
      // protojson takes integers as JSON numbers or as decimal strings (how int64 is written).
      const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== "number" || !Number.isSafeInteger(n)) throw wrong();
      if (kind === "int32" && (n < -(2 ** 31) || n >= 2 ** 31)) throw wrong();
      return n;
    }
    case "timestamp": {
      if (typeof value !== "string" || !RFC3339.test(value) || Number.isNaN(Date.parse(value))) throw wrong();
      return new Date(value);
    }
  }
}

function defaultOf(kind: FieldKind): unknown {
  return kind === "string" ? "" : kind === "int32" || kind === "int64" ? 0 : undefined;
}

/** Reads a JSON request body the way protojson does: proto or lowerCamel names, absent or null = default. */
function decodeMessage<S extends MessageSpec>(spec: S, body: Buffer): Message<S> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw malformed((error as Error).message);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw malformed("not a JSON object");
  const byName = new Map<string, string>();
  for (const field of Object.keys(spec)) {
    byName.set(field, field);
    byName.set(
      field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      field,
    );
  }
  const message: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(spec)) message[field] = defaultOf(kind);
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(json)) {
    const field = byName.get(key);
    if (field === undefined) throw malformed(`unknown field ${JSON.stringify(key)}`);
    if (seen.has(field)) throw malformed(`field ${field} given twice`);
    seen.add(field);
    try {
      message[field] = decodeField(spec[field]!, value, field);
    } catch (error) {
      throw malformed((error as Error).message);
    }
  }
  return message as Message<S>;
}

// Twirp's own wording for a body it cannot decode; the reason goes in meta.cause.
const malformed = (cause: string) =>
  new TwirpError("malformed", "the json request could not be decoded", { cause });

// --------------------------------------------------------------------------------------- Azure errors

class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const authenticationFailed = (why: string) =>
  new StorageError(
    403,
    "AuthenticationFailed",
    `Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature. ${why}`,
  );

// ------------------------------------------------------------------------------------------ the state

interface Blob {
  /** Staged with Put Block, not yet committed; keyed by the base64 block id. */
  uncommitted: Map<string, Buffer>;
  committed?: { blocks: Array<{ id: string; data: Buffer }>; data: Buffer; contentType: string | undefined };
  etag?: string;
  lastModified?: Date;
}

interface ArtifactRecord {
  id: number;
  name: string;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  version: number;
  mimeType: string | undefined;
  expiresAt: Date | undefined;
  createdAt: Date;
  blobPath: string;
  blob: Blob;
  finalized?: { bytes: Buffer; digest: string | undefined };
}

export async function startArtifactService(options: ArtifactServiceOptions = {}): Promise<ArtifactService> {
  const workflowRunBackendId = options.workflowRunBackendId ?? randomUUID();
  const workflowJobRunBackendId = options.workflowJobRunBackendId ?? randomUUID();
  const token = makeRuntimeToken(workflowRunBackendId, workflowJobRunBackendId);
  const sasKey = randomBytes(32);
  const records: ArtifactRecord[] = [];
  const log: ServiceRequest[] = [];
  let nextId = 1;
  let origin = "";

  // ----------------------------------------------------------------------------- signed blob URLs

  const signature = (permissions: string, expiry: string, path: string) =>
    createHmac("sha256", sasKey).update(`${permissions}\n${expiry}\n${path}`).digest("base64");

  function signedUrl(path: string, permissions: string): string {
    const expiry = new Date(Date.now() + SAS_LIFETIME_MS).toISOString().replace(/\.\d+Z$/, "Z");
    const query = new URLSearchParams({
      sv: STORAGE_VERSION,
      sr: "b",
      sp: permissions,
      se: expiry,
      sig: signature(permissions, expiry, path),
    });
    return `${origin}${path}?${query}`;
  }

  /** Checks the SAS of a blob request: signed by us for this path, not expired, allowing `needed`. */
  function checkSas(url: URL, needed: string): void {
    const permissions = url.searchParams.get("sp") ?? "";
    const expiry = url.searchParams.get("se") ?? "";
    const sig = Buffer.from(url.searchParams.get("sig") ?? "", "base64");
    const expected = Buffer.from(signature(permissions, expiry, url.pathname), "base64");
    if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) {
      throw authenticationFailed("Signature did not match.");
    }
    if (!(Date.parse(expiry) > Date.now())) throw authenticationFailed("Signed expiry time has passed.");
    if (!permissions.includes(needed)) {
      throw new StorageError(
        403,
        "AuthorizationPermissionMismatch",
        "This request is not authorized to perform this operation using this permission.",
      );
    }
  }

  // ------------------------------------------------------------------------------ Twirp methods

  function checkToken(request: IncomingMessage): void {
    const header = request.headers.authorization ?? "";
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match) throw new TwirpError("unauthenticated", "missing bearer token in Authorization header");
    const given = Buffer.from(match[1]!);
    const issued = Buffer.from(token);
    if (given.length !== issued.length || !timingSafeEqual(given, issued)) {
      throw new TwirpError("unauthenticated", "invalid runtime token");
    }
  }

  /** The backend ids of a request: both required; the run must be the token's, and the job too if `ownJob`. */
  function checkBackendIds(message: Message<typeof BACKEND_IDS>, ownJob: boolean): void {
    if (!message.workflow_run_backend_id) throw requiredArgument("workflow_run_backend_id");
    if (!message.workflow_job_run_backend_id) throw requiredArgument("workflow_job_run_backend_id");
    if (message.workflow_run_backend_id !== workflowRunBackendId) {
      throw new TwirpError("permission_denied", "workflow_run_backend_id does not match the runtime token");
    }
    if (ownJob && message.workflow_job_run_backend_id !== workflowJobRunBackendId) {
      throw new TwirpError(
        "permission_denied",
        "workflow_job_run_backend_id does not match the runtime token",
      );
    }
  }

  const finalizedNamed = (name: string) => records.find((r) => r.finalized && r.name === name);

  function createArtifact(body: Buffer): object {
    const req = decodeMessage(CREATE_ARTIFACT, body);
    checkBackendIds(req, true);
    if (!req.name) throw requiredArgument("name");
    const bad = FORBIDDEN_NAME_CHARACTERS.find((c) => req.name.includes(c));
    if (bad !== undefined)
      throw invalidArgument("name", `contains the forbidden character ${JSON.stringify(bad)}`);
    if (req.version < 1) throw invalidArgument("version", "must be a positive artifact version");
    if (req.expires_at && req.expires_at.getTime() <= Date.now()) {
      throw invalidArgument("expires_at", "must be in the future");
    }
    if (finalizedNamed(req.name)) {
      throw new TwirpError("already_exists", "an artifact with this name already exists on the workflow run");
    }
    const pending = records.findIndex((r) => !r.finalized && r.name === req.name);
    if (pending >= 0) {
      // A retried upload from the same job starts over; another job holding the name is a conflict.
      if (records[pending]!.workflowJobRunBackendId !== req.workflow_job_run_backend_id) {
        throw new TwirpError("already_exists", "an artifact with this name is being uploaded by another job");
      }
      records.splice(pending, 1);
    }
    const nameHash = createHash("sha256").update(req.name).digest("hex");
    const blobPath = `/${ACCOUNT}/${CONTAINER}/${workflowRunBackendId}/workflow-job-run-${req.workflow_job_run_backend_id}/artifacts/${nameHash}.zip`;
    records.push({
      id: nextId++,
      name: req.name,
      workflowRunBackendId,
      workflowJobRunBackendId: req.workflow_job_run_backend_id,
      version: req.version,
      mimeType: req.mime_type,
      expiresAt: req.expires_at,
      createdAt: new Date(),
      blobPath,
      blob: { uncommitted: new Map() },
    });
    return { ok: true, signed_upload_url: signedUrl(blobPath, "cw") };
  }

  function finalizeArtifact(body: Buffer): object {
    const req = decodeMessage(FINALIZE_ARTIFACT, body);
    checkBackendIds(req, true);
    if (!req.name) throw requiredArgument("name");
    const record = records.find(
      (r) => r.name === req.name && r.workflowJobRunBackendId === req.workflow_job_run_backend_id,
    );
    if (!record)
      throw new TwirpError("not_found", `no artifact named ${JSON.stringify(req.name)} was created`);
    if (record.finalized) throw new TwirpError("failed_precondition", "the artifact is already finalized");
    const committed = record.blob.committed;
    if (!committed) {
      throw new TwirpError(
        "failed_precondition",
        "no blob was committed at the artifact's signed upload URL",
      );
    }
    if (req.size !== committed.data.length) {
      throw invalidArgument("size", `${req.size} does not match the ${committed.data.length} bytes uploaded`);
    }
    if (req.hash !== undefined) {
      const actual = `sha256:${createHash("sha256").update(committed.data).digest("hex")}`;
      if (req.hash !== actual)
        throw invalidArgument("hash", `${req.hash} does not match the uploaded ${actual}`);
    }
    record.finalized = { bytes: committed.data, digest: req.hash };
    return { ok: true, artifact_id: String(record.id) };
  }

  function listArtifacts(body: Buffer): object {
    const req = decodeMessage(LIST_ARTIFACTS, body);
    checkBackendIds(req, false);
    const artifacts = records
      .filter((r) => r.finalized)
      .filter((r) => req.name_filter === undefined || r.name === req.name_filter)
      .filter((r) => req.id_filter === undefined || r.id === req.id_filter)
      .map((r) => ({
        workflow_run_backend_id: r.workflowRunBackendId,
        workflow_job_run_backend_id: r.workflowJobRunBackendId,
        database_id: String(r.id),
        name: r.name,
        // protojson leaves out zero values.
        size: r.finalized!.bytes.length ? String(r.finalized!.bytes.length) : undefined,
        created_at: r.createdAt.toISOString(),
        digest: r.finalized!.digest,
      }));
    return { artifacts };
  }

  /** The finalized artifact a by-name request (GetSignedArtifactURL, DeleteArtifact) points at. */
  function namedArtifact(body: Buffer): ArtifactRecord {
    const req = decodeMessage(BY_NAME, body);
    checkBackendIds(req, false);
    if (!req.name) throw requiredArgument("name");
    const record = records.find(
      (r) =>
        r.finalized && r.name === req.name && r.workflowJobRunBackendId === req.workflow_job_run_backend_id,
    );
    if (!record) throw new TwirpError("not_found", `no finalized artifact named ${JSON.stringify(req.name)}`);
    return record;
  }

  const methods: Record<string, (body: Buffer) => object> = {
    CreateArtifact: createArtifact,
    FinalizeArtifact: finalizeArtifact,
    ListArtifacts: listArtifacts,
    GetSignedArtifactURL: (body) => ({ signed_url: signedUrl(namedArtifact(body).blobPath, "r") }),
    DeleteArtifact: (body) => {
      const record = namedArtifact(body);
      records.splice(records.indexOf(record), 1);
      return { ok: true, artifact_id: String(record.id) };
    },
  };

  async function handleTwirp(request: IncomingMessage, path: string): Promise<object> {
    const method = methods[path.slice(TWIRP_PREFIX.length)];
    if (request.method !== "POST") {
      throw new TwirpError("bad_route", `unsupported method ${request.method} (only POST is allowed)`);
    }
    if (!method) throw new TwirpError("bad_route", `no handler for path ${JSON.stringify(path)}`);
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (contentType === "application/protobuf") {
      throw new TwirpError("unimplemented", "this stand-in speaks Twirp JSON only");
    }
    if (contentType !== "application/json") {
      throw new TwirpError("bad_route", `unexpected Content-Type: ${JSON.stringify(contentType)}`);
    }
    checkToken(request);
    return method(await readBody(request));
  }

  // ------------------------------------------------------------------------------- blob requests

  /** The artifact whose blob lives at `path`, for uploads only while it is not finalized. */
  function blobOf(path: string, forUpload: boolean): ArtifactRecord {
    const record = records.find((r) => r.blobPath === path);
    if (!record) throw new StorageError(404, "BlobNotFound", "The specified blob does not exist.");
    if (forUpload && record.finalized) {
      throw new StorageError(
        403,
        "AuthorizationFailure",
        "The upload URL is no longer valid: the artifact is finalized.",
      );
    }
    return record;
  }

  function commit(blob: Blob, blocks: Array<{ id: string; data: Buffer }>, contentType: string | undefined) {
    blob.committed = { blocks, data: Buffer.concat(blocks.map((b) => b.data)), contentType };
    blob.uncommitted.clear();
    blob.etag = `"0x${randomBytes(8).toString("hex").toUpperCase()}"`;
    blob.lastModified = new Date();
  }

  async function handleBlob(
    request: IncomingMessage,
    url: URL,
  ): Promise<{ status: number; body?: Buffer; headers: Record<string, string> }> {
    const comp = url.searchParams.get("comp");
    if (request.method === "GET" || request.method === "HEAD") {
      checkSas(url, "r");
      const committed = blobOf(url.pathname, false).blob.committed;
      if (!committed) throw new StorageError(404, "BlobNotFound", "The specified blob does not exist.");
      return {
        status: 200,
        body: request.method === "GET" ? committed.data : undefined,
        headers: {
          "content-type": committed.contentType ?? "application/octet-stream",
          "content-length": String(committed.data.length),
          "x-ms-blob-type": "BlockBlob",
        },
      };
    }
    if (request.method !== "PUT") {
      throw new StorageError(
        405,
        "UnsupportedHttpVerb",
        "The resource doesn't support the specified HTTP verb.",
      );
    }
    checkSas(url, "w");
    const blob = blobOf(url.pathname, true).blob;
    const data = await readBody(request);
    const md5 = request.headers["content-md5"];
    if (md5 !== undefined && md5 !== createHash("md5").update(data).digest("base64")) {
      throw new StorageError(
        400,
        "Md5Mismatch",
        "The MD5 value specified in the request did not match with the MD5 value calculated by the server.",
      );
    }
    if (request.headers["x-ms-structured-body"] !== undefined) {
      throw new StorageError(
        400,
        "UnsupportedHeader",
        "This stand-in does not read structured (CRC64) bodies.",
      );
    }
    if (comp === "block") {
      blob.uncommitted.set(checkBlockId(url.searchParams.get("blockid"), blob), data);
      return { status: 201, headers: { "x-ms-request-server-encrypted": "true" } };
    }
    let blocks: Array<{ id: string; data: Buffer }>;
    if (comp === "blocklist") {
      blocks = resolveBlockList(data.toString("utf8"), blob);
    } else if (comp === null) {
      // Put Blob: the whole blob in one request, as one block without an id.
      if (request.headers["x-ms-blob-type"] !== "BlockBlob") {
        throw new StorageError(
          400,
          "MissingRequiredHeader",
          "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type.",
        );
      }
      blocks = [{ id: "", data }];
    } else {
      throw new StorageError(
        400,
        "InvalidQueryParameterValue",
        `Value for one of the query parameters specified in the request URI is invalid: comp=${comp}.`,
      );
    }
    const contentType = request.headers["x-ms-blob-content-type"];
    commit(blob, blocks, typeof contentType === "string" ? contentType : undefined);
    return {
      status: 201,
      headers: {
        "x-ms-request-server-encrypted": "true",
        etag: blob.etag!,
        "last-modified": blob.lastModified!.toUTCString(),
      },
    };
  }

  // ------------------------------------------------------------------------------------ the server

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", origin);
    const entry: ServiceRequest = { method: request.method ?? "", path: url.pathname, status: 0 };
    log.push(entry);
    const answer = (status: number, headers: Record<string, string>, body?: Buffer | string) => {
      entry.status = status;
      response.writeHead(status, { "x-ms-request-id": randomUUID(), ...headers });
      response.end(body);
    };
    const fail = (error: unknown) => {
      entry.error = error instanceof Error ? error.message : String(error);
      if (error instanceof TwirpError) {
        answer(
          TWIRP_STATUS[error.code],
          { "content-type": "application/json" },
          JSON.stringify({ code: error.code, msg: error.message, meta: error.meta }),
        );
      } else if (error instanceof StorageError) {
        answer(
          error.status,
          {
            "content-type": "application/xml",
            "x-ms-error-code": error.code,
            "x-ms-version": STORAGE_VERSION,
          },
          storageErrorXml(error),
        );
      } else {
        answer(
          500,
          { "content-type": "application/json" },
          JSON.stringify({ code: "internal", msg: entry.error }),
        );
      }
    };
    if (url.pathname.startsWith("/twirp/")) {
      handleTwirp(request, url.pathname).then(
        (result) => answer(200, { "content-type": "application/json" }, JSON.stringify(result)),
        fail,
      );
    } else if (url.pathname.startsWith(`/${ACCOUNT}/`)) {
      handleBlob(request, url).then(
        ({ status, body, headers }) =>
          answer(
            status,
            { "x-ms-version": STORAGE_VERSION, date: new Date().toUTCString(), ...headers },
            body,
          ),
        fail,
      );
    } else {
      fail(new TwirpError("bad_route", `no handler for path ${JSON.stringify(url.pathname)}`));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const stored = (r: ArtifactRecord): StoredArtifact => ({
    id: r.id,
    name: r.name,
    size: r.finalized!.bytes.length,
    bytes: r.finalized!.bytes,
    digest: r.finalized!.digest,
    mimeType: r.mimeType,
    version: r.version,
    workflowRunBackendId: r.workflowRunBackendId,
    workflowJobRunBackendId: r.workflowJobRunBackendId,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
  });

  return {
    url: `${origin}/`,
    token,
    workflowRunBackendId,
    workflowJobRunBackendId,
    env: () => ({
      ACTIONS_RESULTS_URL: `${origin}/`,
      ACTIONS_RUNTIME_TOKEN: token,
      GITHUB_SERVER_URL: "https://github.com",
    }),
    artifacts: () => records.filter((r) => r.finalized).map(stored),
    files(name) {
      const record = finalizedNamed(name);
      if (!record) {
        const names = records.filter((r) => r.finalized).map((r) => r.name);
        throw new Error(
          `no finalized artifact named ${JSON.stringify(name)} (have: ${JSON.stringify(names)})`,
        );
      }
      const files: Record<string, string> = {};
      for (const entry of readZip(record.finalized!.bytes)) {
        if (!entry.directory) files[entry.name] = entry.data.toString("utf8");
      }
      return files;
    },
    requests: () => log.map((r) => ({ ...r })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function storageErrorXml(error: StorageError): string {
  const escaped = error.message.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<?xml version="1.0" encoding="utf-8"?><Error><Code>${error.code}</Code><Message>${escaped}\nRequestId:${randomUUID()}\nTime:${new Date().toISOString()}</Message></Error>`;
}

/** A Put Block id: base64 of at most 64 bytes, and of one length for every block of a blob (Azure's rules). */
function checkBlockId(blockId: string | null, blob: Blob): string {
  const invalid = (why: string) =>
    new StorageError(
      400,
      "InvalidQueryParameterValue",
      `Value for one of the query parameters specified in the request URI is invalid: blockid (${why}).`,
    );
  if (!blockId) {
    throw new StorageError(
      400,
      "MissingRequiredQueryParameter",
      "A query parameter that's mandatory for this request is not specified: blockid.",
    );
  }
  const decoded = Buffer.from(blockId, "base64");
  if (decoded.toString("base64") !== blockId || decoded.length === 0) throw invalid("not base64");
  if (decoded.length > 64) throw invalid("longer than 64 bytes");
  const other = blob.uncommitted.keys().next().value ?? blob.committed?.blocks[0]?.id;
  if (other !== undefined && other !== "" && Buffer.from(other, "base64").length !== decoded.length) {
    throw new StorageError(
      400,
      "InvalidBlobOrBlock",
      "The specified blob or block content is invalid: block ids differ in length.",
    );
  }
  return blockId;
}

/** Reads a Put Block List body (<BlockList><Latest|Committed|Uncommitted>id</...>...</BlockList>) into blocks. */
function resolveBlockList(xml: string, blob: Blob): Array<{ id: string; data: Buffer }> {
  const invalidXml = () =>
    new StorageError(400, "InvalidXmlDocument", "XML specified is not syntactically valid.");
  const match = /^\s*(<\?xml[^?]*\?>)?\s*<BlockList>([\s\S]*)<\/BlockList>\s*$/.exec(xml);
  if (!match) throw invalidXml();
  const items = match[2]!;
  const element = /\s*<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>\s*/gy;
  const committed = new Map((blob.committed?.blocks ?? []).map((b) => [b.id, b.data]));
  const blocks: Array<{ id: string; data: Buffer }> = [];
  let consumed = 0;
  for (let m = element.exec(items); m; m = element.exec(items)) {
    consumed = element.lastIndex;
    const [, list, id] = m as unknown as [string, string, string];
    const data =
      list === "Committed"
        ? committed.get(id)
        : list === "Uncommitted"
          ? blob.uncommitted.get(id)
          : (blob.uncommitted.get(id) ?? committed.get(id));
    if (data === undefined) {
      throw new StorageError(
        400,
        "InvalidBlockList",
        `The specified block list is invalid: block ${id} is not in the ${list} list.`,
      );
    }
    blocks.push({ id, data });
  }
  if (consumed !== items.length) throw invalidXml();
  return blocks;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        reject(new StorageError(413, "RequestBodyTooLarge", "The request body is too large."));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

// ----------------------------------------------------------------------------------------- zip reading

export interface ZipEntry {
  /** Path inside the archive; directories end in "/". */
  name: string;
  directory: boolean;
  data: Buffer;
}

/**
 * Reads a zip through its central directory: stored and deflated entries, CRC-32 checked. Enough for the
 * archives @actions/artifact writes; refuses zip64, encryption and other methods with a clear error.
 */
export function readZip(zip: Buffer): ZipEntry[] {
  const fail = (why: string): never => {
    throw new Error(`not a zip this reader understands: ${why}`);
  };
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail("no end of central directory record");
  const count = zip.readUInt16LE(eocd + 10);
  const directoryOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) fail("zip64 archives are not supported");
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) fail(`bad central directory entry ${n}`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    // Bit 11: the name is UTF-8; otherwise CP437, read here as latin1 (the same for ASCII names).
    const name = zip.toString(flags & 0x800 ? "utf8" : "latin1", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1) fail(`${name} is encrypted`);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      fail("zip64 entries are not supported");
    }
    if (zip.readUInt32LE(localOffset) !== 0x04034b50) fail(`no local header for ${name}`);
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    if (raw.length !== compressedSize) fail(`${name} runs past the end of the archive`);
    const data =
      method === 0
        ? Buffer.from(raw)
        : method === 8
          ? inflateRawSync(raw)
          : fail(`${name} uses compression method ${method}`);
    if (data.length !== size) fail(`${name} is ${data.length} bytes, the directory says ${size}`);
    if (crc32(data) !== crc) fail(`${name} fails its CRC-32 check`);
    entries.push({ name, directory: name.endsWith("/"), data });
  }
  return entries;
}
