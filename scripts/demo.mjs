// npm run demo: the main job end to end on an embedded default, in a temporary folder.
// For now (foundation): the bundled ingest-hpc-results action runs, exactly as GitHub's runner runs it,
// on the example results branch in examples/hpc-results-branch (one run written by Mycelia's ci/hpc
// scripts, one by hpc-ci), for a push that touched both runs, and prints what it produced.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(join(tmpdir(), "hpc-ci-demo-"));
const branch = join(work, "hpc-results");
const git = (...args) => execFileSync("git", args, { cwd: branch, encoding: "utf8" }).trim();

cpSync(join(root, "examples/hpc-results-branch"), branch, { recursive: true });
git("init", "-q", "-b", "hpc-results");
git(
  "-c",
  "user.name=demo",
  "-c",
  "user.email=demo@example.com",
  "commit",
  "-q",
  "--allow-empty",
  "-m",
  "empty",
);
const before = git("rev-parse", "HEAD");
git("add", "-A");
git("-c", "user.name=demo", "-c", "user.email=demo@example.com", "commit", "-q", "-m", "publish two runs");
const after = git("rev-parse", "HEAD");
const added = git("diff", "--name-only", before, after).split("\n");

const runner = join(work, "runner");
mkdirSync(join(runner, "temp"), { recursive: true });
const event = join(runner, "event.json");
writeFileSync(
  event,
  JSON.stringify({
    ref: "refs/heads/hpc-results",
    before,
    after,
    commits: [{ id: after, added, modified: [], removed: [] }],
  }),
);
const files = Object.fromEntries(
  ["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"].map((n) => [n, join(runner, n.toLowerCase())]),
);
for (const f of Object.values(files)) writeFileSync(f, "");

const action = parseYaml(readFileSync(join(root, "actions/ingest-hpc-results/action.yml"), "utf8"));
const inputs = Object.fromEntries(
  Object.entries(action.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v.default ?? ""]),
);
const main = join(root, "actions/ingest-hpc-results", action.runs.main);
console.log(`$ node ${main}   (as the runner runs it, in ${branch})\n`);
const result = spawnSync(process.execPath, [main], {
  cwd: branch,
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    PATH: process.env.PATH,
    ...inputs,
    ...files,
    GITHUB_EVENT_PATH: event,
    GITHUB_EVENT_NAME: "push",
    GITHUB_REPOSITORY: "cjprybol/Mycelia",
    RUNNER_TEMP: join(runner, "temp"),
  },
});

const outputs = readFileSync(files.GITHUB_OUTPUT, "utf8");
const value = (name) =>
  (new RegExp(`^${name}<<(.+)\\n([\\s\\S]*?)\\n\\1$`, "m").exec(outputs) ?? [])[2] ?? "";
console.log("\nOutputs:");
for (const name of [
  "valid",
  "commits",
  "commit",
  "branch",
  "tests-status",
  "benchmarks-status",
  "coverage-percent",
  "worst-regression-pct",
  "results-file",
]) {
  console.log(`  ${name.padEnd(22)} ${value(name)}`);
}
console.log("\nNormalized newest run (results):");
console.log(JSON.stringify(JSON.parse(value("results") || "null"), null, 2));
console.log(`\nJob summary: ${files.GITHUB_STEP_SUMMARY}`);
console.log(`Everything is in ${work} (${readdirSync(work).join(", ")}).`);
console.log("Stand-ins: none here; the results branch is a local git repository instead of GitHub's.");
process.exit(result.status ?? 1);
