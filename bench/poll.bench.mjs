// Request handling against a results branch that already holds 50 and 5,000 request files, all ended but one
// just queued by `/hpc run`. The ended ones are where polls leave them (requests-closed/<commit>/<id>.json;
// the queued one in requests/). Two paths, each run as in production:
// - `hpc-ci poll --dry-run`: one pass of the cluster's poller, which finds and would claim the queued
//   request. A dry run writes and submits nothing, and with no request running or cancelled-with-a-live-job
//   it asks Slurm nothing, so no Slurm is needed.
// - request-hpc-run on its processing path (repository_dispatch): `since` is the commit before the queued
//   request, so one request file changed and one check run is written.
// Our standard is that work grows with what changed, not with the size of history: both should stay flat.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startCheckRunsStandIn } from "./check-runs-stand-in.mjs";
import { commitId, interleaved, table, timeCommand } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist/hpc-ci/index.js");
const action = join(root, "dist/request-hpc-run/index.js");
const work = mkdtempSync(join(tmpdir(), "bench-poll-"));
// The children's TMPDIR: what they leave behind is seen here, and goes with `work`.
const childTmp = join(work, "tmp");
mkdirSync(childTmp);
const REPOSITORY = "octo/repo";
const TOKEN = "ghs_BenchToken0123456789";

const stamp = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
const history = Date.UTC(2025, 0, 1);

/** Old request `i`: closed the three ways a request ends without work left for a poll or a check run. */
function closedRequest(i) {
  const at = (minutes) => stamp(history + i * 3_600_000 + minutes * 60_000);
  const job = String(1000 + i);
  const base = {
    schema_version: 1,
    id: `pr-${i + 1}-${i + 1}`,
    source: "pull_request",
    what: "all",
    commit: commitId(i, "a"),
    repository: REPOSITORY,
    pull_request: i + 1,
    requested_by: "maintainer",
    requested_at: at(0),
    comment_id: i + 1,
  };
  const queued = { state: "queued", at: at(0), by: "maintainer" };
  const running = { state: "running", at: at(1), by: "login1:42", job_id: job };
  const claim = { claimed_by: "login1:42", claimed_at: at(1), job_id: job };
  switch (i % 3) {
    case 0:
      return {
        ...base,
        ...claim,
        state: "completed",
        updated_at: at(30),
        events: [queued, running, { state: "completed", at: at(30), by: "login1:42", job_id: job }],
      };
    case 1:
      // Its job already dealt with (the mark a poll leaves), so a poll does not ask Slurm about it again.
      return {
        ...base,
        ...claim,
        state: "cancelled",
        updated_at: at(6),
        events: [
          queued,
          running,
          { state: "cancelled", at: at(5), by: "maintainer" },
          { state: "cancelled", at: at(6), by: "login1:42", reason: `job ${job} stopped: scancel` },
        ],
      };
    default: {
      const reason = `pull request #${i + 1} moved on to ${commitId(i, "e")}`;
      return {
        ...base,
        state: "superseded",
        updated_at: at(5),
        reason,
        events: [queued, { state: "superseded", at: at(5), by: "login1:42", reason }],
      };
    }
  }
}

/** The request `/hpc run` just wrote: queued a minute ago, so neither stale nor claimed yet. */
function queuedRequest(size) {
  const at = stamp(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  return {
    schema_version: 1,
    id: `pr-${size + 1}-1`,
    source: "pull_request",
    what: "tests",
    commit: commitId(size, "b"),
    repository: REPOSITORY,
    pull_request: size + 1,
    requested_by: "maintainer",
    requested_at: at,
    comment_id: 1,
    state: "queued",
    updated_at: at,
    events: [{ state: "queued", at, by: "maintainer" }],
  };
}

/**
 * A bare origin whose hpc-results branch is two commits (git fast-import): `size - 1` ended requests in
 * requests-closed/, then the queued one in requests/. Returns the origin and the queued request.
 */
function origin(size) {
  const dir = join(work, `origin-${size}.git`);
  // The default branch is the code's (main, unborn here): poll refuses a results branch that is the default.
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", dir]);
  const parts = [];
  const commit = (message) =>
    parts.push(
      `commit refs/heads/hpc-results\ncommitter b <b@example.com> 0 +0000\ndata ${message.length}\n${message}\n`,
    );
  const file = (value, folder = `requests-closed/${value.commit}`) => {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    parts.push(`M 100644 inline ${folder}/${value.id}.json\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  };
  commit("history");
  for (let i = 0; i < size - 1; i++) file(closedRequest(i));
  // The next commit of the same ref continues from the previous one.
  commit("request");
  const queued = queuedRequest(size);
  file(queued, "requests");
  execFileSync("git", ["fast-import", "--quiet"], { cwd: dir, input: parts.join("") });
  return { dir, queued };
}

const { url: apiUrl, server } = await startCheckRunsStandIn(REPOSITORY, TOKEN);

/** The poll as cron starts it, with the operator's config and nothing of this machine's environment. */
function pollCase(remote, queued) {
  const config = join(work, `operator-${queued.id}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      results: { repo_url: remote, branch: "hpc-results", repository: REPOSITORY },
      // No branch heads to run: the pass is about the requests on the branch.
      poll: { branches: [], max_jobs: 1, workdir: join(work, "poll-work") },
    }),
  );
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    TMPDIR: childTmp,
    HPC_CI_OPERATOR_CONFIG: config,
    HPC_CLUSTER_NAME: "",
  };
  const args = [cli, "poll", "--once", "--dry-run"];
  const check = () => {
    const run = spawnSync(process.execPath, args, { cwd: work, env, encoding: "utf8" });
    const out = run.stdout + run.stderr;
    if (
      run.status !== 0 ||
      !out.includes(`would claim ${queued.id}`) ||
      !out.includes(", 0 invalid request(s)")
    )
      throw new Error(`poll did not find the queued request as expected (exit ${run.status}):\n${out}`);
  };
  return { check, time: () => timeCommand(process.execPath, args, { cwd: work, env }) };
}

/** request-hpc-run as the runner runs it on repository_dispatch, over a full clone of the results branch. */
function mirrorCase(remote, size, queued) {
  const checkout = join(work, `checkout-${size}`);
  execFileSync("git", ["clone", "-q", "-b", "hpc-results", remote, checkout]);
  const since = execFileSync("git", ["rev-parse", "HEAD~1"], { cwd: checkout, encoding: "utf8" }).trim();
  const event = join(work, "event.json");
  writeFileSync(event, JSON.stringify({ action: "hpc-results", client_payload: {} }));
  const out = join(work, `mirror-${size}.out`);
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    TMPDIR: childTmp,
    RUNNER_TEMP: childTmp,
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_EVENT_NAME: "repository_dispatch",
    GITHUB_EVENT_PATH: event,
    GITHUB_WORKSPACE: checkout,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: apiUrl,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: join(work, `mirror-${size}.md`),
    // No pacing between writes: the figures are the action's, not GitHub's spacing of them.
    HPC_CI_GITHUB_TIME_SCALE: "0",
    INPUT_TOKEN: TOKEN,
    "INPUT_RESULTS-BRANCH": "hpc-results",
    "INPUT_RESULTS-REMOTE": remote,
    INPUT_PATH: checkout,
    INPUT_SINCE: since,
    "INPUT_MAX-CHECK-RUNS": "50",
    "INPUT_PAGES-URL": "",
    "INPUT_PAGES-DIR": "",
    "INPUT_FAIL-ON-INVALID": "true",
  };
  const reset = () => {
    writeFileSync(out, "");
    writeFileSync(env.GITHUB_STEP_SUMMARY, "");
  };
  const check = () => {
    reset();
    const run = spawnSync(process.execPath, [action], { cwd: checkout, env, encoding: "utf8" });
    const written = readFileSync(out, "utf8");
    const shown = /check-runs<<(\S+)\n([\s\S]*?)\n\1/.exec(written)?.[2];
    const ok =
      run.status === 0 &&
      run.stdout.includes("1 request(s) read (open, or changed since ") &&
      run.stdout.includes("; showing 1") &&
      shown !== undefined &&
      JSON.parse(shown).length === 1 &&
      JSON.parse(shown)[0].request === queued.id;
    if (!ok)
      throw new Error(`request-hpc-run did not show exactly the queued request:\n${run.stdout}${run.stderr}`);
  };
  return {
    check,
    time: () => {
      reset();
      return timeCommand(process.execPath, [action], { cwd: checkout, env });
    },
  };
}

const sizes = (process.env.SIZES ?? "50,5000").split(",").map(Number);
const runs = Number(process.env.RUNS ?? 5);
const figures = { runs, poll_dry_run_ms: {}, request_hpc_run_ms: {} };
try {
  for (const size of sizes) {
    const { dir, queued } = origin(size);
    const poll = pollCase(dir, queued);
    const mirror = mirrorCase(dir, size, queued);
    // One checked run of each, untimed: the figures are of passes that did the expected work.
    poll.check();
    mirror.check();
    const medians = interleaved({ poll: poll.time, mirror: mirror.time }, runs);
    figures.poll_dry_run_ms[size] = medians.poll;
    figures.request_hpc_run_ms[size] = medians.mirror;
  }
  const served = await new Promise((resolve, reject) =>
    get(`${apiUrl}/__bench`, (r) => {
      let text = "";
      r.on("data", (d) => (text += d)).on("end", () => resolve(JSON.parse(text)));
    }).on("error", reject),
  );
  const mirrorRuns = sizes.length * (runs + 1);
  if (
    served.unexpected.length > 0 ||
    served.list !== mirrorRuns ||
    served.create + served.update !== mirrorRuns
  )
    throw new Error(`the stand-in served other than one check run per run: ${JSON.stringify(served)}`);
  figures.github_requests = { list: served.list, create: served.create, update: served.update };
  // The CLI and the action clean up after themselves: anything left in their TMPDIR is a finding.
  const left = readdirSync(childTmp);
  if (left.length > 0) console.error(`left in TMPDIR by the children: ${left.join(", ")}`);
} finally {
  server.kill();
  rmSync(work, { recursive: true, force: true });
}

const first = sizes[0];
const last = sizes.at(-1);
const row = (name, by) => [
  name,
  ...sizes.map((s) => by[s].toFixed(0)),
  (by[last] / by[first]).toFixed(2),
  ((by[last] - by[first]) / (last - first)).toFixed(3),
];
console.log(
  table([
    [
      `request files on the branch:`,
      ...sizes.map(String),
      `${last} vs ${first}`,
      "ms per extra request file",
    ],
    row("hpc-ci poll --dry-run, median ms", figures.poll_dry_run_ms),
    row("request-hpc-run (1 changed), median ms", figures.request_hpc_run_ms),
  ]),
);
console.log(JSON.stringify(figures));
