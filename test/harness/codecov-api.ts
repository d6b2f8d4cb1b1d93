// A local stand-in of Codecov's upload API, version 4 of the legacy endpoint, and of the storage its
// pre-signed URLs point at:
//   POST /upload/v4?commit=…&branch=…&flags=…  (token in X-Upload-Token)  -> 200 text/plain, two lines:
//        the commit's page, then a pre-signed PUT URL on this server
//   PUT  /storage/v4/raw/…?X-Amz-Signature=…  (the report, text/plain)   -> 200, report stored
// It follows codecov-api (upload/views/legacy.py, upload/helpers.py parse_params): the same parameter
// patterns, "Invalid request parameters" (400) for a bad value or a malformed token, and a 404 whose
// detail repeats an unknown token, as the real one does (a test of redaction). It is stricter where that
// catches mistakes of ours: commit, branch, flags and service are required, a token in the query is
// refused (ours goes in the header), the PUT must be text/plain, and the report must parse as the worker
// parses it (file list, then "# path=" sections each closed by "<<<<<< EOF").
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export interface CodecovUpload {
  /** Query of the POST, as received. */
  query: Record<string, string>;
  /** How the token came. */
  tokenVia: "header" | "query";
  userAgent: string | undefined;
  /** Headers of the PUT. */
  contentType: string | undefined;
  contentEncoding: string | undefined;
  /** The stored report (uncompressed). */
  body: string;
  /** Its file list (the lines before "<<<<<< network"). */
  network: string[];
  /** Its files: path -> content (each line ending in "\n"). */
  files: Record<string, string>;
  /** The first line the POST answered. */
  reportUrl: string;
}

export interface CodecovRequest {
  method: string;
  /** Path without the query (the query of a PUT carries the signature). */
  path: string;
  status: number;
  /** Why it was refused. */
  error?: string;
}

export type RequestKind = "any" | "post" | "put";

export interface CodecovApi {
  /** Base URL, like https://codecov.io: "http://127.0.0.1:<port>". */
  readonly url: string;
  /** Completed uploads (their PUT arrived), oldest first. */
  readonly uploads: CodecovUpload[];
  /** Every request, in order. */
  readonly requests: CodecovRequest[];
  /** The next n requests of that kind are answered `status` without being handled. */
  failNext(n: number, status: number, kind?: RequestKind): void;
  /** The next n requests of that kind get no answer until close(). */
  stallNext(n: number, kind?: RequestKind): void;
  close(): Promise<void>;
}

export interface CodecovApiOptions {
  /** The repository's upload token. */
  token: string;
  /** The repository the token belongs to (default "octo/example"). */
  slug?: string;
  /** Its git service, as in the commit page's URL (default "github"). */
  gitService?: string;
  /** Base of the commit pages (default https://app.codecov.io, as CODECOV_DASHBOARD_URL). */
  dashboardUrl?: string;
}

// codecov-api upload/constants.py `ci`: the CI service names its upload API accepts.
const CI_SERVICES = new Set([
  "travis",
  "azure_pipelines",
  "docker",
  "buildbot",
  "cirrus-ci",
  "codebuild",
  "codefresh",
  "bitbucket",
  "circleci",
  "buddybuild",
  "buddy",
  "github-actions",
  "solano",
  "teamcity",
  "appveyor",
  "wercker",
  "shippable",
  "codeship",
  "drone.io",
  "jenkins",
  "semaphore",
  "gitlab",
  "bamboo",
  "buildkite",
  "bitrise",
  "greenhouse",
  "heroku",
  "custom",
  "woodpecker",
]);
// codecov-api upload/helpers.py parse_params.
const PARAM_PATTERNS: Record<string, RegExp> = {
  commit: /^(\d+:\w{12}|\w{40})$/,
  slug: /^[\w\-.~/]+\/[\w\-.]{1,255}$/,
  flags: /^[\w.\-,]+$/,
  build_url: /^https?:\/\/(.{0,200})/,
  pr: /^(\d+|false|null|undefined|true)$/,
};
const TOKEN_FORMS = [
  /^[0-9a-f]{8}(-?[0-9a-f]{4}){3}-?[0-9a-f]{12}$/, // UUID
  /^[A-Za-z0-9-_]*\.[A-Za-z0-9-_]*\.[A-Za-z0-9-_]*$/, // JWT
];
const REQUIRED = ["commit", "branch", "flags", "service"];
const MAX_BODY_BYTES = 64 * 1024 * 1024;

interface Pending {
  query: Record<string, string>;
  tokenVia: "header" | "query";
  userAgent: string | undefined;
  reportUrl: string;
  used: boolean;
}

export async function startCodecovApi(options: CodecovApiOptions): Promise<CodecovApi> {
  const slug = options.slug ?? "octo/example";
  const gitService = options.gitService ?? "github";
  const dashboard = (options.dashboardUrl ?? "https://app.codecov.io").replace(/\/+$/, "");
  const uploads: CodecovUpload[] = [];
  const requests: CodecovRequest[] = [];
  const pending = new Map<string, Pending>();
  let failures: { n: number; status: number; kind: RequestKind } = { n: 0, status: 502, kind: "any" };
  let stalls: { n: number; kind: RequestKind } = { n: 0, kind: "any" };
  const stalled: ServerResponse[] = [];
  let base = "";

  const matches = (kind: RequestKind, method: string | undefined) =>
    kind === "any" || kind.toUpperCase() === method;

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: string,
    error?: string,
    headers: Record<string, string> = {},
  ) => {
    const path = new URL(req.url ?? "/", "http://stand-in").pathname;
    requests.push({ method: req.method ?? "", path, status, ...(error && { error }) });
    res.writeHead(status, { "Content-Type": "text/plain", ...headers }).end(body);
  };

  const handlePost = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const query = Object.fromEntries(url.searchParams);
    const header = req.headers["x-upload-token"];
    const headerToken = typeof header === "string" && header ? header : undefined;
    if (query.token) return answer(req, res, 400, "Invalid request parameters", "token in the query");
    const token = headerToken;
    for (const name of REQUIRED)
      if (!query[name]) return answer(req, res, 400, "Invalid request parameters", `missing ${name}`);
    for (const [name, pattern] of Object.entries(PARAM_PATTERNS))
      if (query[name] && !pattern.test(query[name]))
        return answer(req, res, 400, "Invalid request parameters", `bad ${name}`);
    if (!CI_SERVICES.has(query.service!))
      return answer(req, res, 400, "Invalid request parameters", `unknown service ${query.service}`);
    if (!token)
      return answer(
        req,
        res,
        401,
        JSON.stringify({ detail: "Tokenless uploads need a CI service Codecov can verify" }),
        "no token",
        { "Content-Type": "application/json" },
      );
    if (!TOKEN_FORMS.some((form) => form.test(token)))
      return answer(req, res, 400, "Invalid request parameters", "malformed token");
    if (token !== options.token)
      return answer(
        req,
        res,
        404,
        JSON.stringify({ detail: `Could not find a repository associated with upload token ${token}` }),
        "unknown token",
        { "Content-Type": "application/json" },
      );
    const commit = query.commit!.toLowerCase();
    const reportId = randomBytes(16).toString("hex");
    const signature = randomBytes(16).toString("hex");
    const date = new Date().toISOString().slice(0, 10);
    const storagePath = `/storage/v4/raw/${date}/${randomBytes(8).toString("hex")}/${commit}/${reportId}.txt`;
    const reportUrl = `${dashboard}/${gitService}/${slug}/commit/${commit}`;
    pending.set(signature, {
      query,
      tokenVia: "header",
      userAgent: req.headers["user-agent"],
      reportUrl,
      used: false,
    });
    const putUrl = `${base}${storagePath}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=10&X-Amz-Signature=${signature}`;
    return answer(req, res, 200, `${reportUrl}\n${putUrl}`);
  };

  const handlePut = (req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) => {
    const upload = pending.get(url.searchParams.get("X-Amz-Signature") ?? "");
    if (!upload) return answer(req, res, 403, "SignatureDoesNotMatch", "unknown signature");
    if (upload.used) return answer(req, res, 403, "AccessDenied", "signature already used");
    const contentType = req.headers["content-type"];
    if (contentType?.split(";")[0]?.trim() !== "text/plain")
      return answer(req, res, 400, "Content-Type must be text/plain", `content type ${contentType}`);
    const contentEncoding = req.headers["content-encoding"];
    let body: string;
    try {
      body = (contentEncoding === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
    } catch {
      return answer(req, res, 400, "bad gzip body", "bad gzip body");
    }
    const parsed = parseReport(body);
    if ("error" in parsed) return answer(req, res, 400, parsed.error, parsed.error);
    upload.used = true;
    uploads.push({
      query: upload.query,
      tokenVia: upload.tokenVia,
      userAgent: upload.userAgent,
      contentType,
      contentEncoding,
      body,
      network: parsed.network,
      files: parsed.files,
      reportUrl: upload.reportUrl,
    });
    return answer(req, res, 200, "");
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", base);
      if (stalls.n > 0 && matches(stalls.kind, req.method)) {
        stalls.n--;
        stalled.push(res);
        return;
      }
      if (failures.n > 0 && matches(failures.kind, req.method)) {
        failures.n--;
        return answer(req, res, failures.status, "stand-in failure", "injected");
      }
      if (size > MAX_BODY_BYTES) return answer(req, res, 413, "too large", "too large");
      if (url.pathname === "/upload/v4" || url.pathname === "/upload/v4/") {
        if (req.method !== "POST") return answer(req, res, 405, "", "method");
        return handlePost(req, res, url);
      }
      if (url.pathname.startsWith("/storage/") && req.method === "PUT")
        return handlePut(req, res, url, Buffer.concat(chunks));
      return answer(req, res, 404, "Not Found", "no such route");
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    uploads,
    requests,
    failNext(n, status, kind = "any") {
      failures = { n, status, kind };
    },
    stallNext(n, kind = "any") {
      stalls = { n, kind };
    },
    close: () =>
      new Promise<void>((done) => {
        for (const res of stalled.splice(0)) res.destroy();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** Splits a report as Codecov's worker does; an error names what does not fit. */
export function parseReport(
  body: string,
): { network: string[]; files: Record<string, string> } | { error: string } {
  const lines = body.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let network: string[] = [];
  let rest = lines;
  const networkEnd = lines.indexOf("<<<<<< network");
  if (networkEnd >= 0) {
    network = lines.slice(0, networkEnd).filter(Boolean);
    rest = lines.slice(networkEnd + 1);
  }
  const files: Record<string, string> = {};
  let current: { path: string; lines: string[] } | undefined;
  for (const line of rest) {
    if (current === undefined) {
      if (line === "") continue;
      const match = /^# path=(.+)$/.exec(line);
      if (!match) return { error: `report: expected "# path=", got "${line.slice(0, 60)}"` };
      current = { path: match[1]!, lines: [] };
    } else if (line === "<<<<<< EOF") {
      files[current.path] = current.lines.map((l) => `${l}\n`).join("");
      current = undefined;
    } else current.lines.push(line);
  }
  if (current) return { error: `report: "${current.path}" is not closed by "<<<<<< EOF"` };
  if (Object.keys(files).length === 0) return { error: "report: no coverage file" };
  return { network, files };
}
