// The proxy a cluster's login node may need, as curl (and so git) reads it: https_proxy / http_proxy
// (lower case first), no_proxy as a list of hosts and domain suffixes or "*". A request through it goes
// in a CONNECT tunnel, so TLS still runs end to end with the server.
import { type Socket } from "node:net";
import { request } from "node:http";

export function proxyFor(target: URL, env: NodeJS.ProcessEnv): URL | undefined {
  if (bypassed(target.hostname, env.no_proxy ?? env.NO_PROXY ?? "")) return undefined;
  const raw =
    target.protocol === "https:"
      ? (env.https_proxy ?? env.HTTPS_PROXY)
      : // curl ignores HTTP_PROXY in upper case (a CGI could set it from a request header).
        env.http_proxy;
  if (!raw) return undefined;
  try {
    return new URL(raw.includes("://") ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

function bypassed(host: string, noProxy: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, "");
  return noProxy
    .split(/[\s,]+/)
    .map((entry) =>
      entry
        .trim()
        .toLowerCase()
        .replace(/:\d+$/, "")
        .replace(/^\*?\./, ""),
    )
    .some((entry) => entry === "*" || (entry !== "" && (name === entry || name.endsWith(`.${entry}`))));
}

/** A socket to `target`'s host and port through `proxy`; rejects with the proxy's answer when it refuses. */
export function openTunnel(proxy: URL, target: URL, timeoutMs: number): Promise<Socket> {
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  const authority = `${target.hostname}:${port}`;
  const auth = proxy.username
    ? {
        "Proxy-Authorization": `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")}`,
      }
    : {};
  return new Promise((resolve, reject) => {
    const req = request({
      host: proxy.hostname,
      port: proxy.port || 80,
      method: "CONNECT",
      path: authority,
      headers: { Host: authority, ...auth },
      agent: false,
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`the proxy ${proxy.host} did not answer`)));
    req.on("connect", (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`the proxy ${proxy.host} refused the tunnel (${res.statusCode})`));
      }
    });
    req.on("error", (e) => reject(new Error(`the proxy ${proxy.host}: ${e.message}`)));
    req.end();
  });
}
