// npm run demo [-- --slurm]: compiles the demo and the test harness it drives (scripts/demo/main.ts), then runs it.
import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
try {
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.demo.json"],
    { cwd: root, stdio: "pipe" },
  );
} catch {
  // Emitted anyway (noEmitOnError: false); npm run build reports type errors.
}
const run = spawnSync(
  process.execPath,
  [join(root, ".build/demo/scripts/demo/main.js"), ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);
process.exit(run.status ?? 1);
