// The `fetch` the REST client uses: one request over node:http(s) through @actions/http-client, which takes
// the runner's proxy settings (https_proxy, no_proxy) as @actions/github's own fetch does. The default,
// undici's fetch, compiles a WebAssembly HTTP parser on first use and makes the process wait for that at
// exit: ~250 ms, half the cold start of comment-hpc-summary (bench/actions.bench.mjs). Octokit reads only
// status, url, headers (iterated, and get), text() and arrayBuffer() of the answer, which this gives.
import type { IncomingMessage } from "node:http";
import { HttpClient } from "@actions/http-client";

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  /** Octokit sends JSON as a string; nothing of ours sends binary bodies. */
  body?: string | null;
  redirect?: "follow" | "manual" | "error";
  signal?: AbortSignal | null;
}

/** The part of a WHATWG Response that Octokit's request reads. */
export interface FetchResponse {
  status: number;
  statusText: string;
  url: string;
  ok: boolean;
  headers: Map<string, string>;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

const clients = new Map<boolean, HttpClient>();

function client(followRedirects: boolean): HttpClient {
  let found = clients.get(followRedirects);
  if (!found) {
    // Octokit retries on its own (plugin-retry); the client must not retry too.
    found = new HttpClient("hpc-ci-actions", [], { allowRedirects: followRedirects, allowRetries: false });
    clients.set(followRedirects, found);
  }
  return found;
}

export async function httpFetch(url: string, init: FetchInit = {}): Promise<FetchResponse> {
  if (init.signal?.aborted) throw abortError();
  // A binary body turned into text would be sent corrupted: refuse it rather than guess.
  if (init.body !== undefined && init.body !== null && typeof init.body !== "string")
    throw new TypeError("httpFetch sends only string bodies");
  const method = (init.method ?? "GET").toUpperCase();
  const headers = { ...init.headers };
  const body = init.body ?? null;
  const follow = init.redirect === undefined || init.redirect === "follow";
  const answer = await client(follow).request(method, url, body, headers);
  const message = answer.message;
  const status = message.statusCode ?? 0;
  if (init.redirect === "error" && status >= 300 && status < 400) {
    message.resume();
    throw new TypeError(`redirected (${status}) where redirect: "error" was asked`);
  }
  const bytes = await readAll(message);
  return {
    status,
    statusText: message.statusMessage ?? "",
    url,
    ok: status >= 200 && status < 300,
    headers: headerMap(message),
    text: async () => bytes.toString("utf8"),
    json: async () => JSON.parse(bytes.toString("utf8")) as unknown,
    arrayBuffer: async () => new Uint8Array(bytes).buffer,
  };
}

/** Header names in lower case, repeated headers joined with ", " (as fetch's Headers gives them). */
function headerMap(message: IncomingMessage): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) map.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return map;
}

/** The whole body; rejects when the connection breaks halfway (where http-client's readBody would hang). */
function readAll(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on("data", (chunk: Buffer) => chunks.push(chunk));
    message.on("error", reject);
    message.on("end", () => resolve(Buffer.concat(chunks)));
    // "close" without a complete message: the connection broke halfway (no-op once "end" resolved).
    message.on("close", () => {
      if (!message.complete) reject(new Error("the connection closed before the whole answer came"));
    });
  });
}

function abortError(): Error {
  const error = new Error("the request was aborted");
  error.name = "AbortError";
  return error;
}
