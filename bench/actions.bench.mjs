// Cold start of each bundled action against `node -e 0`, measured side by side: the action is run as
// the runner runs it (node <main>, INPUT_*, GITHUB_OUTPUT...) on the smallest real input: ingest on a
// one-commit results branch, render-badges writing one run without git, comment-hpc-summary up to its
// first decision (mode off, no check runs or statuses, an explicit pull request it does not need to look up).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { interleaved, table, timeCommand } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(join(tmpdir(), "bench-actions-"));
const commit = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const results = join(root, "examples/hpc-results-branch");
const resultsFile = join(results, commit, "hpc-results.json");
const pages = join(work, "pages");
mkdirSync(pages);

// comment-hpc-summary reads the pull request it was given: a tiny server in its own process (the timed
// runs block this one) answers that one request the way GitHub does.
const pull = {
  number: 1,
  state: "open",
  head: { sha: commit, ref: "feature" },
  base: { ref: "master", sha: "9f2c6e7a1d3b5c8e0f4a6b2d8c1e3f5a7b9d0c2e" },
  title: "x",
  html_url: "https://github.com/octo/repo/pull/1",
};
const server = spawn(
  process.execPath,
  [
    "-e",
    `
  const s = require("node:http").createServer((q, r) => {
    if (q.url.startsWith("/repos/octo/repo/pulls/1")) r.writeHead(200, { "content-type": "application/json" }).end(${JSON.stringify(JSON.stringify(pull))});
    else r.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
  });
  s.listen(0, "127.0.0.1", () => console.log(s.address().port));`,
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const port = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(String(d).trim())));

function action(name, inputs) {
  const out = join(work, `${name}.out`);
  const env = {
    PATH: process.env.PATH,
    RUNNER_TEMP: join(work, "temp"),
    GITHUB_REPOSITORY: "octo/repo",
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: join(work, `${name}.md`),
    GITHUB_API_URL: `http://127.0.0.1:${port}`,
    HPC_CI_GITHUB_TIME_SCALE: "0",
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return () => {
    writeFileSync(out, "");
    writeFileSync(env.GITHUB_STEP_SUMMARY, "");
    return timeCommand(process.execPath, [join(root, "dist", name, "index.js")], { cwd: results, env });
  };
}

const runs = Number(process.env.RUNS ?? 15);
const medians = interleaved(
  {
    "node -e 0": () => timeCommand(process.execPath, ["-e", "0"]),
    "ingest-hpc-results": action("ingest-hpc-results", {
      path: ".",
      commit,
      "fail-on-invalid": "true",
      "upload-artifact": "false",
    }),
    "render-badges": action("render-badges", {
      "results-file": resultsFile,
      "pages-path": pages,
      "pages-dir": "hpc",
      push: "false",
      "stale-after": "7d",
      "history-size": "200",
      "badge-style": "flat",
      "label-prefix": "HPC",
      "coverage-good": "80",
      "coverage-fair": "60",
      "pages-branch": "gh-pages",
    }),
    "comment-hpc-summary": action("comment-hpc-summary", {
      "results-file": resultsFile,
      token: "x",
      mode: "off",
      statuses: "false",
      "check-runs": "false",
      "pull-request": "1",
      key: "hpc",
      "status-context-prefix": "hpc",
      "skipped-status": "success",
      "results-path": ".",
      "results-branch": "hpc-results",
      "include-containing": "false",
    }),
  },
  runs,
);
const base = medians["node -e 0"];
const figures = {
  runs,
  baseline_node_ms: base,
  actions: Object.fromEntries(
    Object.entries(medians)
      .filter(([k]) => k !== "node -e 0")
      .map(([k, v]) => [k, { median_ms: v, ratio: v / base }]),
  ),
};
console.log(
  table([
    ["case", "median ms", "vs node -e 0"],
    ["node -e 0", base.toFixed(1), "1.00"],
    ...Object.entries(figures.actions).map(([k, v]) => [k, v.median_ms.toFixed(1), v.ratio.toFixed(2)]),
  ]),
);
server.kill();
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify(figures));
