// httpFetch, the REST client's fetch over node:http(s), against real local servers: what Octokit reads of
// an answer, a connection that breaks halfway, redirects, and the runner's proxy settings.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { httpFetch } from "../src/github/http-fetch.js";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler = (_req, _body, res) => res.end();
let server: Server;
let base: string;

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handler(req, Buffer.concat(chunks).toString("utf8"), res));
  });
  base = `http://127.0.0.1:${await listen(server)}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe("httpFetch", () => {
  it("sends method, headers and body, and gives status, headers, text, json and bytes", async () => {
    let seen: { method?: string; auth?: string; body?: string } = {};
    handler = (req, body, res) => {
      seen = { method: req.method, auth: req.headers.authorization, body };
      res.setHeader("X-RateLimit-Remaining", "4999");
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.writeHead(201, "Created", { "content-type": "application/json" }).end('{"id":7,"name":"ü"}');
    };
    const answer = await httpFetch(`${base}/repos/o/r/issues/1/comments`, {
      method: "post",
      headers: { authorization: "token abc", "content-type": "application/json" },
      body: '{"body":"hi"}',
    });
    expect(seen).toEqual({ method: "POST", auth: "token abc", body: '{"body":"hi"}' });
    expect([answer.status, answer.statusText, answer.ok]).toEqual([201, "Created", true]);
    expect(answer.url).toBe(`${base}/repos/o/r/issues/1/comments`);
    expect(answer.headers.get("x-ratelimit-remaining")).toBe("4999");
    expect(answer.headers.get("set-cookie")).toBe("a=1, b=2");
    expect(Object.fromEntries(answer.headers)).toMatchObject({ "content-type": "application/json" });
    expect(await answer.json()).toEqual({ id: 7, name: "ü" });
    expect(await answer.text()).toBe('{"id":7,"name":"ü"}');
    expect(Buffer.from(await answer.arrayBuffer()).toString("utf8")).toBe('{"id":7,"name":"ü"}');
  });

  it("answers an error status as an answer, not a rejection (Octokit decides)", async () => {
    handler = (_req, _body, res) => res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway");
    const answer = await httpFetch(`${base}/x`);
    expect([answer.status, answer.ok, await answer.text()]).toEqual([502, false, "bad gateway"]);
  });

  it("rejects, and does not hang, when the connection breaks halfway through the answer", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    await expect(httpFetch(`${base}/x`)).rejects.toThrow(/closed|aborted|reset/i);
  });

  it("rejects when the server closes the connection before answering", async () => {
    handler = (req) => req.socket.destroy();
    await expect(httpFetch(`${base}/x`)).rejects.toThrow(/hang up|reset|closed/i);
  });

  it("follows redirects by default, and leaves them to the caller with redirect: manual", async () => {
    handler = (req, _body, res) => {
      if (req.url === "/old") res.writeHead(301, { location: `${base}/new` }).end();
      else res.writeHead(200, { "content-type": "text/plain" }).end(`at ${req.url}`);
    };
    expect(await (await httpFetch(`${base}/old`)).text()).toBe("at /new");
    const manual = await httpFetch(`${base}/old`, { redirect: "manual" });
    expect([manual.status, manual.headers.get("location")]).toEqual([301, `${base}/new`]);
    await expect(httpFetch(`${base}/old`, { redirect: "error" })).rejects.toThrow(/redirected \(301\)/);
  });

  it("refuses an aborted signal and a body it cannot send", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(httpFetch(`${base}/x`, { signal: controller.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
    await expect(
      httpFetch(`${base}/x`, { method: "POST", body: { a: 1 } as unknown as string }),
    ).rejects.toThrow(/only string bodies/);
    await expect(
      httpFetch(`${base}/x`, { method: "POST", body: Buffer.from([0xff, 0xfe]) as unknown as string }),
    ).rejects.toThrow(/only string bodies/);
  });
});

describe("httpFetch through the runner's proxy", () => {
  let proxy: Server;
  const tunnels: string[] = [];
  const saved = { http_proxy: process.env.http_proxy, no_proxy: process.env.no_proxy };

  beforeAll(async () => {
    // An HTTP proxy that tunnels every CONNECT to the test server, whatever host was asked for.
    proxy = createServer();
    proxy.on("connect", (req: IncomingMessage, socket, head: Buffer) => {
      tunnels.push(req.url ?? "");
      const upstream = connect(Number(new URL(base).port), "127.0.0.1", () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on("error", () => socket.destroy());
      socket.on("error", () => upstream.destroy());
    });
    process.env.http_proxy = `http://127.0.0.1:${await listen(proxy)}`;
    delete process.env.no_proxy;
  });
  afterEach(() => {
    tunnels.length = 0;
  });
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    proxy.closeAllConnections();
    await new Promise<void>((done) => proxy.close(() => done()));
  });

  it("goes through http_proxy, as the runner configures it for self-hosted machines", async () => {
    handler = (req, _body, res) => res.writeHead(200).end(`host ${req.headers.host}`);
    const answer = await httpFetch("http://ghes.example.test/api/v3/x");
    expect(await answer.text()).toMatch(/^host ghes\.example\.test(:80)?$/);
    expect(tunnels).toEqual(["ghes.example.test:80"]);
  });

  it("skips the proxy for hosts in no_proxy", async () => {
    process.env.no_proxy = "ghes.example.test";
    try {
      await expect(httpFetch("http://ghes.example.test:1/x")).rejects.toThrow();
      expect(tunnels).toEqual([]);
    } finally {
      delete process.env.no_proxy;
    }
  });
});
