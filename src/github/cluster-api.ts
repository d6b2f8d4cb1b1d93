// GitHub's REST API from the cluster: one request over node:http(s), with a timeout, through the proxy
// the environment names (as git's), no dependency (the CLI is one file that starts fast), the token in a
// header only. Used by `doctor` and by the repository_dispatch after a publish: one way to do it.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { apiUrlForRemote } from "../git/remote-url.js";
import { openTunnel, proxyFor } from "./proxy.js";

export const DEFAULT_API_URL = "https://api.github.com";
const USER_AGENT = "hpc-ci";
const API_VERSION = "2022-11-28";

export interface HttpAnswer {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  /** The server's clock (its Date header), if it sent one. */
  date?: Date;
  /** Our clock halfway between sending and the answer: what `date` is to be compared with. */
  localTime: Date;
}

/** No answer at all: the host is unknown, refused, unreachable, or silent for too long. */
export class UnreachableError extends Error {
  override name = "UnreachableError";
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`could not reach ${new URL(url).origin}: ${reason}`);
  }
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Where https_proxy, http_proxy and no_proxy are read (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
}

export async function httpCall(url: string, init: HttpRequest = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  const https = target.protocol === "https:";
  const timeoutMs = init.timeoutMs ?? 10_000;
  const started = Date.now();
  const proxy = proxyFor(target, init.env ?? process.env);
  let tunnel: Socket | undefined;
  if (proxy) {
    try {
      tunnel = await openTunnel(proxy, target, timeoutMs);
    } catch (error) {
      throw new UnreachableError(url, (error as Error).message);
    }
  }
  const through = tunnel && {
    agent: false as const,
    createConnection: () => (https ? tlsConnect({ socket: tunnel, servername: target.hostname }) : tunnel!),
  };
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      target,
      {
        ...through,
        method: init.method ?? "GET",
        headers: {
          "User-Agent": USER_AGENT,
          ...init.headers,
          ...(init.body !== undefined && { "Content-Length": String(Buffer.byteLength(init.body)) }),
        },
      },
      (res) => {
        const localTime = new Date((started + Date.now()) / 2);
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (e) => reject(new UnreachableError(url, e.message)));
        res.on("end", () => {
          // A tunnel is ours alone: no agent would ever reuse or close it.
          tunnel?.destroy();
          const headers = flatHeaders(res.headers);
          const date = headers.date ? new Date(headers.date) : undefined;
          resolve({
            status: res.statusCode ?? 0,
            headers,
            text: Buffer.concat(chunks).toString("utf8"),
            ...(date && !Number.isNaN(date.getTime()) && { date }),
            localTime,
          });
        });
      },
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(new UnreachableError(url, `no answer within ${Math.round(timeoutMs / 100) / 10}s`)),
    );
    req.on("error", (e: NodeJS.ErrnoException) => {
      tunnel?.destroy();
      reject(e instanceof UnreachableError ? e : new UnreachableError(url, describeNetworkError(e)));
    });
    req.end(init.body);
  });
}

/** A call of GitHub's REST API under `apiUrl` (GITHUB_API_URL: GitHub Enterprise Server works too). */
export function apiCall(
  apiUrl: string,
  path: string,
  token: string | undefined,
  init: Omit<HttpRequest, "headers"> = {},
): Promise<HttpAnswer> {
  return httpCall(`${apiUrl.replace(/\/+$/, "")}${path}`, {
    ...init,
    headers: {
      Accept: "application/vnd.github+json",
      "X-GitHub-Api-Version": API_VERSION,
      ...(token && { Authorization: `Bearer ${token}` }),
      ...(init.body !== undefined && { "Content-Type": "application/json" }),
    },
  });
}

/** GITHUB_API_URL, else the API of the results remote's own server, else api.github.com. */
export function apiUrlOf(env: NodeJS.ProcessEnv, remote?: string): string {
  return (env.GITHUB_API_URL || (remote && apiUrlForRemote(remote)) || DEFAULT_API_URL).replace(/\/+$/, "");
}

/** GitHub's own words in an error answer ({"message": ...}), or the first line of the text. */
export function answerMessage(answer: HttpAnswer): string {
  try {
    const message = (JSON.parse(answer.text) as { message?: unknown }).message;
    if (typeof message === "string") return message.slice(0, 300);
  } catch {
    // Not JSON.
  }
  return answer.text.trim().split("\n")[0]?.slice(0, 300) ?? "";
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function describeNetworkError(e: NodeJS.ErrnoException): string {
  const host = (e as { hostname?: string }).hostname;
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN")
    return `the host ${host ?? ""} is unknown (${e.code})`;
  return e.code ? `${e.code} (${e.message})` : e.message;
}
