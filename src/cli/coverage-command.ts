// `hpc-ci coverage [DIR...] [--out FILE]`: Julia .cov files under DIRs to lcov, on stdout or FILE.
import { resolve } from "node:path";
import { DEFAULT_COVERAGE_DIRS, readJuliaCoverage, summarize, toLcov } from "../coverage/index.js";
import { writeFileAtomic } from "../fs/atomic.js";
import { consoleLogger } from "../run/log.js";
import { parseCommandLine } from "./parse.js";

export async function coverageCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    { out: { type: "string" }, root: { type: "string" } },
    true,
  );
  const root = resolve(values.root ?? ".");
  const dirs = positionals.length > 0 ? positionals : [...DEFAULT_COVERAGE_DIRS];
  const found = await readJuliaCoverage(root, dirs);
  for (const w of found.warnings) consoleLogger.warn(w);
  const lcov = toLcov(found.files);
  const summary = summarize(found.files);
  if (values.out) {
    await writeFileAtomic(resolve(values.out), lcov);
    consoleLogger.info(
      `wrote ${values.out}: ${summary.coveredLines} of ${summary.totalLines} lines (${summary.percent.toFixed(2)}%)`,
    );
  } else process.stdout.write(lcov);
  if (found.files.length === 0) {
    consoleLogger.error(`no .cov files under ${dirs.join(", ")}`);
    return 1;
  }
  return 0;
}
