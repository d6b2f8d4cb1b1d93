// A local stand-in of Codecov's upload endpoint for tests: POST /upload/v4 answers with the report URL
// and a one-time storage URL on the same server; PUT there stores the body.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface StoredUpload {
  query: Record<string, string>;
  body: string;
}

export interface CodecovApi {
  url: string;
  uploads: StoredUpload[];
  /** The next n requests (either kind) answer with `status`. */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

export async function startCodecovApi(options: { token: string }): Promise<CodecovApi> {
  const pending = new Map<string, Record<string, string>>();
  const uploads: StoredUpload[] = [];
  let failures = 0;
  let failStatus = 502;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (failures > 0) {
        failures--;
        res.writeHead(failStatus).end("try again later");
        return;
      }
      if (req.method === "POST" && url.pathname === "/upload/v4") {
        if (req.headers["x-upload-token"] !== options.token) {
          res.writeHead(401).end("Unauthorized: token not found or wrong");
          return;
        }
        const query = Object.fromEntries(url.searchParams);
        for (const required of ["commit", "branch", "flags", "service"]) {
          if (!query[required]) {
            res.writeHead(400).end(`missing ${required}`);
            return;
          }
        }
        if ("token" in query) {
          res.writeHead(400).end("token must not be in the URL");
          return;
        }
        const id = randomBytes(8).toString("hex");
        pending.set(id, query);
        const { port } = server.address() as AddressInfo;
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.end(
          `https://codecov.example/gh/${query.slug ?? "unknown"}/commit/${query.commit}\nhttp://127.0.0.1:${port}/storage/${id}`,
        );
        return;
      }
      const store = /^\/storage\/([0-9a-f]+)$/.exec(url.pathname);
      if (req.method === "PUT" && store && pending.has(store[1]!)) {
        uploads.push({ query: pending.get(store[1]!)!, body: Buffer.concat(chunks).toString("utf8") });
        pending.delete(store[1]!);
        res.writeHead(200).end();
        return;
      }
      res.writeHead(404).end("not found");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    uploads,
    failNext(n, status) {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
