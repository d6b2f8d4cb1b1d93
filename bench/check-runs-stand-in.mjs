// A GitHub stand-in for the benchmarks of check runs (a bench harness, never shipped), in its own process so
// that the timed runs, which block the bench's event loop, are answered: the three check-run operations the
// processing path uses, answered as GitHub does (a run is listed once created, updated in place), anything
// else 404 and counted. GET /__bench tells what it served.
import { spawn } from "node:child_process";

/** Starts it for `repository` and `token`; resolves to its URL and the child process to kill at the end. */
export async function startCheckRunsStandIn(repository, token) {
  const server = spawn(
    process.execPath,
    [
      "-e",
      `(${standIn})(require("node:http").createServer, ${JSON.stringify(repository)}, ${JSON.stringify(token)})`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(String(d).trim())));
  return { url: `http://127.0.0.1:${port}`, server };
}

// Serialized into the child with its source text: written as a function here so that it is linted.
function standIn(createServer, repository, token) {
  const runs = new Map();
  const served = { list: 0, create: 0, update: 0, unexpected: [] };
  const send = (r, status, body) =>
    r.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const view = (c) => ({
    ...c,
    html_url: `https://github.com/${repository}/runs/${c.id}`,
    app: { id: 15368, slug: "github-actions" },
    output: { ...c.output, annotations_count: 0 },
  });
  // GitHub's rules the action could break: a conclusion exactly when completed, a summary within 65,535 bytes.
  const valid = (b) =>
    ["queued", "in_progress", "completed"].includes(b.status) &&
    (b.status === "completed") === Boolean(b.conclusion) &&
    (!b.output || (typeof b.output.title === "string" && Buffer.byteLength(b.output.summary) <= 65535));
  const base = `/repos/${repository}`;
  const server = createServer((q, r) => {
    let body = "";
    q.on("data", (d) => (body += d));
    q.on("end", () => {
      const url = new URL(q.url, "http://localhost");
      if (url.pathname === "/__bench") return send(r, 200, served);
      if (q.headers.authorization !== `token ${token}` && q.headers.authorization !== `Bearer ${token}`)
        return send(r, 401, { message: "Bad credentials" });
      const path = url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : "";
      const list = /^\/commits\/([0-9a-f]{40})\/check-runs$/.exec(path);
      const one = /^\/check-runs\/(\d+)$/.exec(path);
      const b = body ? JSON.parse(body) : {};
      if (q.method === "GET" && list) {
        served.list++;
        const name = url.searchParams.get("check_name");
        const found = [...runs.values()].filter((c) => c.head_sha === list[1] && (!name || c.name === name));
        return send(r, 200, { total_count: found.length, check_runs: found.reverse().map(view) });
      }
      if (q.method === "POST" && path === "/check-runs") {
        if (!/^[0-9a-f]{40}$/.test(b.head_sha ?? "") || !b.name || !valid(b))
          return send(r, 422, { message: "Validation Failed" });
        served.create++;
        const c = { ...b, id: runs.size + 1, conclusion: b.conclusion ?? null };
        runs.set(c.id, c);
        return send(r, 201, view(c));
      }
      if (q.method === "PATCH" && one && runs.has(Number(one[1]))) {
        const c = { ...runs.get(Number(one[1])), ...b };
        if (!valid(c)) return send(r, 422, { message: "Validation Failed" });
        served.update++;
        runs.set(c.id, c);
        return send(r, 200, view(c));
      }
      served.unexpected.push(`${q.method} ${q.url}`);
      send(r, 404, { message: "Not Found" });
    });
  });
  server.listen(0, "127.0.0.1", () => console.log(server.address().port));
}
