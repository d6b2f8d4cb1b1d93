// npm run bench: runs every bench/*.bench.mjs (each exports `run()` returning its figures), prints
// them and writes bench/results.json. Needs the bundles in dist/ (committed; `npm run bundle`).
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cpus } from "node:os";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const report = { node: process.version, cpus: cpus().length, date: new Date().toISOString(), results: {} };
for (const file of files) {
  const name = file.replace(/\.bench\.mjs$/, "");
  process.stderr.write(`bench: ${name}...\n`);
  const started = Date.now();
  const mod = await import(pathToFileURL(join(here, file)).href);
  report.results[name] = await mod.run();
  process.stderr.write(`bench: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  console.log(`\n## ${name}\n${JSON.stringify(report.results[name], null, 2)}`);
}
if (only.length === 0) writeFileSync(join(here, "results.json"), `${JSON.stringify(report, null, 2)}\n`);
