// npm run demo [-- --slurm]: compiles the demo and the test harness it drives (scripts/demo/main.ts), then runs it.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildHarness } from "./harness-build.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = buildHarness(root);
const run = spawnSync(process.execPath, [join(built, "scripts/demo/main.js"), ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
process.exit(run.status ?? 1);
