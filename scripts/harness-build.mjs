// Compiles the demo and the test harness (tsconfig.demo.json) into .build/demo, for scripts that run them
// with plain node: npm run demo, and scripts/openapi-subset.mjs, which reads the stand-in's routes.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** @param {string} root the repository root; returns the folder the compiled files are under */
export function buildHarness(root) {
  try {
    execFileSync(
      process.execPath,
      [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.demo.json"],
      {
        cwd: root,
        stdio: "pipe",
      },
    );
  } catch {
    // Emitted anyway (noEmitOnError: false); npm run build reports type errors.
  }
  return join(root, ".build/demo");
}
