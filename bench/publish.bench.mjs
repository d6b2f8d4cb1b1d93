// The cluster side: `hpc-ci publish` of one run onto a results branch that already holds 1, 1,000 and
// 10,000 runs (four files each). A publish checks out only root files, the run's folder and branches/,
// so its time should follow the run, not the history.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { commitId, median, minimalResults, table, timeCommand } from "./lib.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist/hpc-ci/index.js");
const work = mkdtempSync(join(tmpdir(), "bench-publish-history-"));

/** A bare origin whose hpc-results branch holds `runs` commit folders, written with git fast-import. */
function origin(runs) {
  const dir = join(work, `origin-${runs}.git`);
  // The default branch is the code's (main, unborn here), as in a real repository: publish refuses to write to it.
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", dir]);
  const parts = ["commit refs/heads/hpc-results\ncommitter b <b@example.com> 0 +0000\ndata 7\nhistory\n"];
  const file = (path, value) => {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  };
  for (let i = 0; i < runs; i++) {
    const c = commitId(i);
    file(`${c}/hpc-results.json`, minimalResults(c, i));
    file(`${c}/tests.json`, { schema_version: 1, commit: c, status: "passed" });
    file(`${c}/benchmarks.json`, { schema_version: 1, commit: c, benchmarks: {} });
    file(`${c}/meta.json`, { schema_version: 1, commit: c, cluster: "c" });
  }
  file("branches/main.json", minimalResults(commitId(runs - 1), runs - 1));
  execFileSync("git", ["fast-import", "--quiet"], { cwd: dir, input: parts.join("") });
  return dir;
}

const input = join(work, "hpc-results.json");
const newest = "f".repeat(40);
writeFileSync(input, JSON.stringify(minimalResults(newest, 10_000_000)));

const sizes = (process.env.SIZES ?? "1,1000,10000").split(",").map(Number);
const runs = Number(process.env.RUNS ?? 5);
const figures = { runs, publish_ms: {} };
for (const size of sizes) {
  const remote = origin(size);
  const tip = execFileSync("git", ["rev-parse", "hpc-results"], { cwd: remote, encoding: "utf8" }).trim();
  const times = [];
  for (let r = 0; r < runs; r++) {
    times.push(timeCommand(process.execPath, [cli, "publish", "--input", input, "--remote", remote]));
    // Back to the same history for the next run: every run publishes a new commit folder.
    execFileSync("git", ["update-ref", "refs/heads/hpc-results", tip], { cwd: remote });
  }
  figures.publish_ms[size] = median(times);
}
rmSync(work, { recursive: true, force: true });
const one = figures.publish_ms[sizes[0]];
console.log(
  table([
    ["runs on the branch", "publish one run, median ms", `vs ${sizes[0]}`],
    ...sizes.map((s) => [
      String(s),
      figures.publish_ms[s].toFixed(0),
      (figures.publish_ms[s] / one).toFixed(2),
    ]),
  ]),
);
console.log(JSON.stringify(figures));
