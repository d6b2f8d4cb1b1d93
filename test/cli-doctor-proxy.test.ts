// `hpc-ci doctor` (the bundle) reaches GitHub's API through the proxy a cluster names in https_proxy or
// http_proxy, as git does: a CONNECT tunnel (TLS still end to end, the certificate checked), and no proxy
// for hosts in no_proxy.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Project, makeProject, removeProject, runCli } from "./harness/cli.js";
import { type GitHubApi, startGitHubApi } from "./harness/github-api/index.js";

const TOKEN = "ghp_doctorProxyToken0123456789ab";

/** The lines of one check: its status line and the indented lines under it. */
function check(stdout: string, name: string): string {
  const lines = stdout.split("\n");
  const start = lines.findIndex((l) => new RegExp(`^  \\S+\\s+${name}\\s`).test(l));
  return start < 0 ? "" : lines[start]!;
}

/** A proxy that opens CONNECT tunnels (as a site's https_proxy does), recording where to. */
function connectProxy(): { proxy: ReturnType<typeof createHttpServer>; tunnels: string[] } {
  const tunnels: string[] = [];
  const proxy = createHttpServer();
  proxy.on("connect", (req: IncomingMessage, client: Socket) => {
    tunnels.push(req.url ?? "");
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection established\r\n\r\n");
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
  });
  return { proxy, tunnels };
}

let project: Project;
let api: GitHubApi;

beforeAll(async () => {
  project = makeProject();
  api = await startGitHubApi({ token: TOKEN });
});

afterAll(async () => {
  await api?.close();
  if (project) removeProject(project);
});

describe("hpc-ci doctor behind a proxy", () => {
  it("reaches the API through the proxy in http_proxy (a CONNECT tunnel), and not for hosts in no_proxy", async () => {
    const { proxy, tunnels } = connectProxy();
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      // The results remote is a path (git needs no proxy for it); the API is reached over http.
      const env = {
        HPC_RESULTS_TOKEN: TOKEN,
        GITHUB_API_URL: api.url,
        HPC_RESULTS_REPOSITORY_SLUG: "octo-org/octo-repo",
        http_proxy: proxyUrl,
      };
      const through = await runCli(["doctor"], { cwd: project.dir, env });
      expect(through.exitCode, through.stdout).toBe(0);
      expect(check(through.stdout, "token")).toMatch(/ok\s+token\s+accepted for octo-org\/octo-repo/);
      expect(tunnels).toEqual([new URL(api.url).host]);
      const bypassed = await runCli(["doctor"], {
        cwd: project.dir,
        env: { ...env, no_proxy: "localhost,127.0.0.1" },
      });
      expect(bypassed.exitCode, bypassed.stdout).toBe(0);
      expect(tunnels).toHaveLength(1);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it("keeps TLS end to end through the tunnel: an https API behind https_proxy, its certificate checked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hpc-ci-doctor-tls-"));
    const { proxy, tunnels } = connectProxy();
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=127.0.0.1",
          "-addext",
          "subjectAltName=IP:127.0.0.1",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "cert.pem"),
        ],
        { stdio: "ignore" },
      );
      const seen: string[] = [];
      const tls = createHttpsServer(
        { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
        (req, res) => {
          seen.push(`${req.method} ${req.url} ${req.headers.authorization?.split(" ")[0]}`);
          res.writeHead(200, { "content-type": "application/json" }).end('{"permissions":{"push":true}}');
        },
      );
      await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
      await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
      const apiUrl = `https://127.0.0.1:${(tls.address() as { port: number }).port}`;
      const env = {
        HPC_RESULTS_TOKEN: TOKEN,
        GITHUB_API_URL: apiUrl,
        HPC_RESULTS_REPOSITORY_SLUG: "octo-org/octo-repo",
        https_proxy: `127.0.0.1:${(proxy.address() as { port: number }).port}`,
      };
      const trusted = await runCli(["doctor"], {
        cwd: project.dir,
        env: { ...env, NODE_EXTRA_CA_CERTS: join(dir, "cert.pem") },
      });
      expect(trusted.exitCode, trusted.stdout).toBe(0);
      expect(tunnels).toEqual([new URL(apiUrl).host]);
      expect(seen).toEqual(["GET /repos/octo-org/octo-repo Bearer"]);
      // Without the certificate trusted, the tunnel is no way around TLS.
      const untrusted = await runCli(["doctor"], { cwd: project.dir, env });
      expect(untrusted.exitCode).toBe(2);
      expect(check(untrusted.stdout, "token")).toMatch(
        /FAIL\s+token\s+the API at https:\/\/127\.0\.0\.1:\d+ did not answer: .*self.signed/i,
      );
      expect(seen).toHaveLength(1);
      tls.close();
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
