// vitest globalSetup: the run gets its own TMPDIR folder, so whatever a test leaves behind is seen. At the
// end it lists what is left (a test that does not clean up), fails under CI=true, and removes the folder.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const outer = process.env.TMPDIR;
  const folder = mkdtempSync(join(tmpdir(), "hpc-ci-tests-"));
  // munged (the Slurm harness) wants every folder above its socket searchable by all.
  chmodSync(folder, 0o755);
  process.env.TMPDIR = folder; // the test workers start after this and inherit it
  return () => {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    const left = readdirSync(folder);
    rmSync(folder, { recursive: true, force: true });
    if (left.length === 0) return;
    const message = `tests left ${left.length} entr${left.length === 1 ? "y" : "ies"} in TMPDIR: ${left.join(", ")}`;
    if (process.env.CI !== "true") {
      console.warn(`warning: ${message}`);
      return;
    }
    // vitest reports an error thrown here but still exits 0, so the exit code is set as well.
    console.error(`error: ${message}`);
    process.exitCode = 1;
  };
}
