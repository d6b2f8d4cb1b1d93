// The HTTP side of the stand-in: records each request, injects faults, checks the token, matches the
// request to GitHub's OpenAPI description and validates it, runs the handler, and checks the response.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, basicError, type Reply } from "./errors.js";
import { Faults } from "./faults.js";
import { loadSpecIndex, type LoadTimings } from "./openapi.js";
import { ROUTES, SERVED_OPERATIONS } from "./routes.js";
import type { TokenIdentity } from "./records.js";
import { GitHubState, type TokenInit, type UserInit } from "./state.js";

export interface GitHubApiOptions {
  /** The token clients must send as "Authorization: token <t>" or "Bearer <t>". Default "ghs_standin_token". */
  token?: string;
  /** The default repository, "owner/name". Default "octo-org/octo-repo". */
  repository?: string;
  /** Whom the token belongs to (author of comments and statuses it creates). Default github-actions[bot]. */
  viewer?: UserInit;
  /**
   * More tokens and whom each acts as (a personal access token of a user, another app's installation
   * token); state.addToken() adds more later.
   */
  tokens?: Record<string, TokenInit>;
  /** Check every response against the OpenAPI response schema too (violations of kind "response"). Default true. */
  validateResponses?: boolean;
  /** The clock for created_at/updated_at and rate-limit resets. Default the real one. */
  now?: () => Date;
  /** Told how the OpenAPI index was loaded and how long it took. */
  onSpecLoaded?: (timings: LoadTimings) => void;
}

export interface RecordedRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  query: Record<string, string | string[]>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** Request headers, lower case; authorization shows only its scheme ("token [redacted]"). */
  headers: Record<string, string>;
  /** The OpenAPI template the path matched, if any. */
  route: string | undefined;
  operationId: string | undefined;
  /** The status answered; 0 when the connection was reset. */
  status: number;
  /** Set when an injected fault answered this request. */
  fault: string | undefined;
}

export type ViolationKind =
  /** No such path (or method on it) in GitHub's OpenAPI description. */
  | "route"
  /** GitHub has the operation but the stand-in does not serve it. */
  | "unserved"
  /** A path or query parameter is missing, unknown or of the wrong type. */
  | "parameters"
  /** The body is not JSON, does not match the schema, or has unknown properties. */
  | "body"
  /** GitHub would refuse it too: comment or status description/context too long, too many statuses. */
  | "limit"
  /** The stand-in's own response does not match the OpenAPI response schema (a harness bug). */
  | "response";

export interface Violation {
  kind: ViolationKind;
  method: string;
  path: string;
  operationId: string | undefined;
  messages: string[];
}

export interface GitHubApi {
  /** Base URL, e.g. http://127.0.0.1:41234 — use as octokit's baseUrl or GITHUB_API_URL. */
  url: string;
  token: string;
  state: GitHubState;
  faults: Faults;
  requests: RecordedRequest[];
  violations: Violation[];
  close(): Promise<void>;
}

const RATE_LIMIT = 5000;

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApi> {
  const token = options.token ?? "ghs_standin_token";
  const now = options.now ?? (() => new Date());
  const validateResponses = options.validateResponses ?? true;
  const spec = loadSpecIndex(SERVED_OPERATIONS, options.onSpecLoaded);
  const requests: RecordedRequest[] = [];
  const violations: Violation[] = [];
  const faults = new Faults();
  // Filled in once the port is known; the state reads it whenever it renders a URL.
  const urls = { api: "", html: "https://github.com" };
  const state = new GitHubState(
    urls,
    options.repository ?? "octo-org/octo-repo",
    options.viewer ?? githubActionsBot(),
    now,
  );
  state.addToken(token, { user: state.viewer });
  for (const [other, init] of Object.entries(options.tokens ?? {})) state.addToken(other, init);
  let used = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the stand-in: answer 500 and say so, rather than hanging the client.
      if (!res.headersSent)
        send(res, { status: 500, body: basicError(500, `stand-in error: ${String(error)}`) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", urls.api);
    const method = (req.method ?? "GET").toUpperCase();
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: queryObject(url.searchParams),
      body: parseLoosely(raw),
      headers: redactedHeaders(req),
      route: undefined,
      operationId: undefined,
      status: 0,
      fault: undefined,
    };
    requests.push(record);
    const violate = (kind: ViolationKind, messages: string[]) =>
      violations.push({ kind, method, path: url.pathname, operationId: record.operationId, messages });
    const answer = (reply: Reply) => {
      record.status = reply.status;
      used = Math.min(used + 1, RATE_LIMIT - 1);
      send(res, {
        ...reply,
        headers: { ...standardHeaders(now(), used), ...reply.headers },
      });
    };

    // Routing first (without consuming anything) so that faults can be filtered by template.
    const aliased = aliasRepositoryId(url.pathname, state);
    const match = spec.match(aliased ?? url.pathname);
    record.route = match?.template;

    const fault = faults.take(method, url.pathname, match?.template, now());
    if (fault) {
      record.fault = fault.description;
      if (fault.kind === "reset") {
        req.socket.destroy();
        return;
      }
      answer(fault.reply);
      return;
    }

    const actor = authenticate(req.headers.authorization, state);
    if ("status" in actor) return answer(actor);

    if (!match || !match.methods.includes(method)) {
      violate("route", [`${method} ${url.pathname} is not an operation in GitHub's OpenAPI description`]);
      return answer({ status: 404, body: basicError(404, "Not Found") });
    }
    const op = spec.operation(method, match.template);
    if (!op) {
      violate("unserved", [
        `${method} ${match.template} exists on GitHub but the stand-in does not serve it`,
      ]);
      return answer({ status: 404, body: basicError(404, "Not Found") });
    }
    record.operationId = op.operationId;

    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        violate("body", ["body: not valid JSON"]);
        return answer({ status: 400, body: basicError(400, "Problems parsing JSON", op.docsUrl) });
      }
    }
    const problems = spec.validateRequest(op, match.params, url.searchParams, body);
    if (problems.length) {
      const bodyProblems = problems.filter((p) => p.startsWith("body"));
      const paramProblems = problems.filter((p) => !p.startsWith("body"));
      if (paramProblems.length) violate("parameters", paramProblems);
      if (bodyProblems.length) violate("body", bodyProblems);
      return answer({
        status: 422,
        body: basicError(422, `Invalid request.\n\n${problems.join("\n")}`, op.docsUrl),
      });
    }

    const repo =
      "owner" in match.params
        ? state.findRepository(match.params.owner ?? "", match.params.repo ?? "")
        : state.defaultRepository;
    let reply: Reply;
    if (!repo) {
      reply = { status: 404, body: basicError(404, "Not Found", op.docsUrl) };
    } else {
      try {
        reply = ROUTES[op.key]!({
          state: state,
          urls,
          repo,
          actor,
          params: match.params,
          query: url.searchParams,
          body: (body ?? {}) as Record<string, unknown>,
          docsUrl: op.docsUrl,
        });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        reply = error.reply;
        if (reply.status === 422 && isLimit(reply.body))
          violate("limit", [error.message, ...limitMessages(reply.body)]);
      }
    }
    if (validateResponses) {
      const responseProblems = spec.validateResponse(op, reply.status, reply.body);
      if (responseProblems.length) violate("response", responseProblems);
    }
    answer(reply);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  urls.api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: urls.api,
    token,
    state,
    faults,
    requests,
    violations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function githubActionsBot(): UserInit {
  return { login: "github-actions[bot]", id: 41898282, type: "Bot" };
}

/** /repositories/<id>/rest -> /repos/<owner>/<name>/rest, the form GitHub's Link headers use. */
function aliasRepositoryId(path: string, state: GitHubState): string | undefined {
  const m = /^\/repositories\/(\d+)(\/.*)?$/.exec(path);
  if (!m) return undefined;
  const repo = state.findRepositoryById(Number(m[1]));
  return repo ? `/repos/${repo.owner.login}/${repo.name}${m[2] ?? ""}` : undefined;
}

function authenticate(header: string | undefined, state: GitHubState): TokenIdentity | Reply {
  if (!header) return { status: 401, body: basicError(401, "Requires authentication") };
  const m = /^(token|bearer)\s+(\S+)\s*$/i.exec(header);
  const identity = m ? state.identity(m[2]!) : undefined;
  return identity ?? { status: 401, body: basicError(401, "Bad credentials") };
}

function isLimit(body: unknown): boolean {
  return limitMessages(body).some((m) => /too long|too large|maximum number/.test(m));
}

function limitMessages(body: unknown): string[] {
  const errors = (body as { errors?: Array<{ message?: string }> } | undefined)?.errors ?? [];
  return errors.map((e) => e.message ?? "");
}

function standardHeaders(now: Date, used: number): Record<string, string> {
  return {
    // From the stand-in's clock, so that a test can put the server's time (and a client's skew) anywhere.
    date: now.toUTCString(),
    "content-type": "application/json; charset=utf-8",
    "x-github-api-version-selected": "2022-11-28",
    "x-github-media-type": "github.v3; format=json",
    "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
    "x-ratelimit-limit": String(RATE_LIMIT),
    "x-ratelimit-remaining": String(RATE_LIMIT - used),
    "x-ratelimit-used": String(used),
    "x-ratelimit-reset": String(Math.floor(now.getTime() / 1000) + 3600),
    "x-ratelimit-resource": "core",
  };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers = { ...reply.headers };
  if (reply.body === undefined) {
    delete headers["content-type"];
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...headers, "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseLoosely(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

function redactedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    out[name] = name === "authorization" ? `${text.split(/\s+/)[0] ?? ""} [redacted]` : text;
  }
  return out;
}
