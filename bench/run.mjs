// npm run bench: runs every bench/*.bench.mjs in its own process (each prints its table and, as the
// last line of its output, its figures as JSON), then writes them all to bench/results.json.
// Needs the bundles in dist/ (committed; `npm run bundle` rebuilds them). `npm run bench -- ingest`
// runs only the benchmarks whose names start with "ingest".
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const report = { node: process.version, cpus: cpus().length, date: new Date().toISOString(), results: {} };
let failed = false;
for (const file of files) {
  const name = file.replace(/\.bench\.mjs$/, "");
  console.log(`\n## ${name}`);
  const started = Date.now();
  // Each bench gets a temporary folder of its own: what it leaves there is said, and removed.
  const tmp = mkdtempSync(join(tmpdir(), `hpc-ci-bench-${name}-`));
  const child = spawnSync(process.execPath, [join(here, file)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TMPDIR: tmp },
  });
  const left = readdirSync(tmp);
  rmSync(tmp, { recursive: true, force: true });
  if (left.length > 0) {
    failed = true;
    console.error(`bench ${name} left ${left.length} entries in its TMPDIR: ${left.slice(0, 10).join(", ")}`);
  }
  const lines = child.stdout.trimEnd().split("\n");
  console.log(lines.slice(0, -1).join("\n"));
  try {
    report.results[name] = JSON.parse(lines.at(-1));
  } catch {
    failed = true;
    console.error(`bench ${name}: exit ${child.status}, no JSON figures on its last line`);
  }
  console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
if (only.length === 0) writeFileSync(join(here, "results.json"), `${JSON.stringify(report, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
