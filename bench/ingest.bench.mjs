// Ingest: cold start of the bundled action against `node -e 0`, and a one-folder push on branches
// of 1, 1,000, 5,000 and 10,000 commit folders (the work must follow the push, not the history).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { commitId, interleaved, minimalResults, table, timeCommand } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const main = join(root, "dist/ingest-hpc-results/index.js");

/** A run with coverage and skipped benchmarks, as Mycelia's publisher writes one. */
function results(commit, i) {
  return {
    ...minimalResults(commit, i),
    hpc: { cluster: "lr", job_id: String(1000 + i), node: "n1", julia_version: "1.10.10" },
    coverage: {
      flag: "hpc-extended",
      coverage_percent: 63.2,
      total_lines: 1000,
      covered_lines: 632,
      report_file: "coverage/lcov.info",
      summary_file: null,
    },
    tests: { status: "passed", duration_seconds: 3600, log_file: "logs/tests.log" },
    benchmarks: {
      status: "skipped",
      duration_seconds: 0,
      tutorials_log: "logs/tutorials.log",
      benchmarks_log: "logs/benchmarks.log",
    },
  };
}

/** A results-branch checkout with `folders` commit folders; returns it and a push event for the newest. */
function branch(work, folders) {
  const dir = join(work, `branch-${folders}`);
  mkdirSync(dir);
  for (let i = 0; i < folders; i++) {
    const c = commitId(i);
    mkdirSync(join(dir, c));
    writeFileSync(join(dir, c, "hpc-results.json"), JSON.stringify(results(c, i)));
  }
  const newest = commitId(folders - 1);
  writeFileSync(join(dir, "latest-hpc-results.json"), JSON.stringify(results(newest, folders - 1)));
  const event = join(work, `${folders}-event.json`);
  writeFileSync(
    event,
    JSON.stringify({
      before: "1".repeat(40),
      after: "2".repeat(40),
      commits: [{ added: [`${newest}/hpc-results.json`], modified: [] }],
    }),
  );
  return { dir, event, work };
}

function runIngest({ dir, event, work }) {
  const out = join(work, "out");
  writeFileSync(out, "");
  return timeCommand(process.execPath, [main], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      GITHUB_OUTPUT: out,
      GITHUB_EVENT_PATH: event,
      GITHUB_EVENT_NAME: "push",
      RUNNER_TEMP: join(work, "rt"),
      "INPUT_FAIL-ON-INVALID": "true",
      INPUT_PATH: ".",
    },
  });
}

export function run({ runs = 15, sizes = [1, 1000, 5000, 10000] } = {}) {
  // The branches, the event files and the action's outputs, all in one folder removed at the end.
  const work = mkdtempSync(join(tmpdir(), "bench-ingest-"));
  let medians;
  try {
    const branches = Object.fromEntries(sizes.map((n) => [n, branch(work, n)]));
    const cases = { "node -e 0": () => timeCommand(process.execPath, ["-e", "0"]) };
    for (const n of sizes) cases[`ingest, ${n} folder(s)`] = () => runIngest(branches[n]);
    medians = interleaved(cases, runs);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const base = medians["node -e 0"];
  const one = medians[`ingest, ${sizes[0]} folder(s)`];
  return {
    runs,
    baseline_node_ms: base,
    cold_start_ms: one,
    cold_start_ratio: one / base,
    by_folders: Object.fromEntries(
      sizes.map((n) => [
        n,
        { median_ms: medians[`ingest, ${n} folder(s)`], ratio_vs_1: medians[`ingest, ${n} folder(s)`] / one },
      ]),
    ),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = run({ runs: Number(process.env.RUNS ?? 15) });
  console.log(
    table([
      ["case", "median ms", "vs node -e 0"],
      ["node -e 0", figures.baseline_node_ms.toFixed(1), "1.00"],
      ...Object.entries(figures.by_folders).map(([n, f]) => [
        `ingest, one-folder push, ${n} folder(s) on the branch`,
        f.median_ms.toFixed(1),
        (f.median_ms / figures.baseline_node_ms).toFixed(2),
      ]),
    ]),
  );
  console.log(
    `cold start ${figures.cold_start_ratio.toFixed(2)}x node -e 0 (target <= 3x); ` +
      `10,000 folders ${figures.by_folders[10000].ratio_vs_1.toFixed(2)}x one folder (target <= 1.5x)`,
  );
  console.log(JSON.stringify(figures));
}
