// The cluster side: cold start of the bundled CLI against `node -e 0`, and publishing with 16 jobs
// finishing at once, ours (rebuild on the newest tip and retry) against the plain clone-commit-push of
// Mycelia's publish_hpc_results.sh, on the same bare repository setup in the same run.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { commitId, interleaved, median, minimalResults, table, timeCommand } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist/hpc-ci/index.js");
const RACERS = 16;
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "b@example.com",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "b@example.com",
};

/** A bare origin whose hpc-results branch already exists (as Mycelia's publisher needs), and a project clone. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), "bench-publish-"));
  const origin = join(dir, "origin.git");
  execFileSync("git", ["init", "-q", "--bare", "-b", "hpc-results", origin]);
  const seed = join(dir, "seed");
  execFileSync("git", ["init", "-q", "-b", "hpc-results", seed]);
  writeFileSync(join(seed, "README.md"), "results\n");
  execFileSync("git", ["add", "-A"], { cwd: seed });
  execFileSync("git", ["commit", "-q", "-m", "seed"], { cwd: seed, env: gitEnv });
  execFileSync("git", ["push", "-q", origin, "hpc-results"], { cwd: seed });
  // As in a real repository, the default branch is the code's: publish refuses to write to it.
  execFileSync("git", ["--git-dir", origin, "symbolic-ref", "HEAD", "refs/heads/main"]);
  return { dir, origin };
}

function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

async function race(kind) {
  const { dir, origin } = setup();
  const started = process.hrtime.bigint();
  const outcomes = await Promise.all(
    Array.from({ length: RACERS }, (_, i) => {
      const commit = commitId(i, kind === "ours" ? "a" : "b");
      const work = join(dir, `job-${i}`);
      mkdirSync(work, { recursive: true });
      writeFileSync(join(work, "hpc-results.json"), JSON.stringify(minimalResults(commit, i)));
      if (kind === "ours") {
        return run(
          process.execPath,
          [cli, "publish", "--input", join(work, "hpc-results.json"), "--remote", origin],
          { cwd: work, env: gitEnv },
        );
      }
      // publish_hpc_results.sh, less its Julia rendering: clone, write, commit, push once.
      const script = [
        "set -e",
        `git clone -q --single-branch --branch hpc-results ${JSON.stringify(origin)} repo`,
        "cd repo",
        `mkdir -p ${commit} && cp ../hpc-results.json ${commit}/hpc-results.json && cp ../hpc-results.json latest-hpc-results.json`,
        `git add -A && git commit -q -m "update: publish HPC CI results for ${commit}"`,
        "git push -q origin hpc-results",
      ].join("\n");
      return run("sh", ["-c", script], { cwd: work, env: gitEnv });
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const files = execFileSync("git", ["--git-dir", origin, "ls-tree", "-r", "--name-only", "hpc-results"], {
    encoding: "utf8",
  });
  const landed = Array.from({ length: RACERS }, (_, i) => commitId(i, kind === "ours" ? "a" : "b")).filter(
    (c) => files.includes(`${c}/hpc-results.json`),
  ).length;
  const retries = outcomes.reduce(
    (n, o) => n + (o.out.match(/rejected \(someone pushed first\)/g) ?? []).length,
    0,
  );
  rmSync(dir, { recursive: true, force: true });
  return { landed, exit0: outcomes.filter((o) => o.code === 0).length, seconds, retries };
}

const runs = Number(process.env.RUNS ?? 15);
const starts = interleaved(
  {
    "node -e 0": () => timeCommand(process.execPath, ["-e", "0"]),
    "hpc-ci --version": () => timeCommand(process.execPath, [cli, "--version"]),
    "hpc-ci --help": () => timeCommand(process.execPath, [cli, "--help"]),
  },
  runs,
);
const ours = [];
const plain = [];
for (let i = 0; i < Number(process.env.RACE_RUNS ?? 3); i++) {
  ours.push(await race("ours"));
  plain.push(await race("plain"));
}
const figures = {
  runs,
  baseline_node_ms: starts["node -e 0"],
  cli_version_ms: starts["hpc-ci --version"],
  cli_start_ratio: starts["hpc-ci --version"] / starts["node -e 0"],
  publish_16: {
    race_runs: ours.length,
    ours: {
      landed_min: Math.min(...ours.map((o) => o.landed)),
      median_seconds: median(ours.map((o) => o.seconds)),
      median_retries: median(ours.map((o) => o.retries)),
      exit0_min: Math.min(...ours.map((o) => o.exit0)),
    },
    plain_clone_commit_push: {
      landed_median: median(plain.map((o) => o.landed)),
      median_seconds: median(plain.map((o) => o.seconds)),
      exit0_median: median(plain.map((o) => o.exit0)),
    },
  },
};
console.log(
  table([
    ["case", "median", "vs node -e 0"],
    ["node -e 0", `${figures.baseline_node_ms.toFixed(1)} ms`, "1.00"],
    ["hpc-ci --version", `${figures.cli_version_ms.toFixed(1)} ms`, figures.cli_start_ratio.toFixed(2)],
    [
      "hpc-ci --help",
      `${starts["hpc-ci --help"].toFixed(1)} ms`,
      (starts["hpc-ci --help"] / figures.baseline_node_ms).toFixed(2),
    ],
  ]),
);
console.log(
  table([
    ["16 racing publishers", "landed", "exit 0", "total", "retries"],
    [
      "hpc-ci publish",
      `${figures.publish_16.ours.landed_min}/16 (worst of ${ours.length})`,
      `${figures.publish_16.ours.exit0_min}/16`,
      `${figures.publish_16.ours.median_seconds.toFixed(1)} s`,
      String(figures.publish_16.ours.median_retries),
    ],
    [
      "clone-commit-push (Mycelia)",
      `${figures.publish_16.plain_clone_commit_push.landed_median}/16 (median)`,
      `${figures.publish_16.plain_clone_commit_push.exit0_median}/16`,
      `${figures.publish_16.plain_clone_commit_push.median_seconds.toFixed(1)} s`,
      "none",
    ],
  ]),
);
console.log(JSON.stringify(figures));
