// A real git smart-HTTP server on 127.0.0.1 for tests: `git http-backend` behind a small Node server
// that demands `Authorization: Basic` with a given token, as GitHub does for https pushes.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHttpServer {
  /** Base URL; a repository at <root>/<name>.git is <url>/<name>.git */
  url: string;
  /** Authorization headers seen (decoded user names only). */
  users: string[];
  close(): Promise<void>;
}

export interface GitHttpOptions {
  /** A second token that may read but not push: receive-pack answers 403, as GitHub's does. */
  readOnlyToken?: string;
}

export async function startGitHttp(
  projectRoot: string,
  token: string,
  options: GitHttpOptions = {},
): Promise<GitHttpServer> {
  const users: string[] = [];
  const server = createServer((req, res) => {
    const auth = req.headers.authorization ?? "";
    const decoded = auth.startsWith("Basic ") ? Buffer.from(auth.slice(6), "base64").toString() : "";
    const [user, password] = [
      decoded.slice(0, decoded.indexOf(":")),
      decoded.slice(decoded.indexOf(":") + 1),
    ];
    const readOnly = options.readOnlyToken !== undefined && password === options.readOnlyToken;
    if (password !== token && !readOnly) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="test"' }).end("authentication required\n");
      return;
    }
    users.push(user);
    const url = new URL(req.url ?? "/", "http://localhost");
    if (
      readOnly &&
      (url.searchParams.get("service") === "git-receive-pack" || url.pathname.endsWith("/git-receive-pack"))
    ) {
      res
        .writeHead(403, { "Content-Type": "text/plain" })
        .end(`Permission to ${url.pathname} denied to ${user}.\n`);
      return;
    }
    const cgi = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: "1",
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        REMOTE_USER: user,
        REMOTE_ADDR: "127.0.0.1",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        GIT_HTTP_MAX_REQUEST_BUFFER: "100M",
      },
      stdio: ["pipe", "pipe", "inherit"],
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString().split("\r\n")) {
        const i = line.indexOf(":");
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.on("close", () => res.end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, users, close: () => new Promise((r) => server.close(() => r())) };
}
