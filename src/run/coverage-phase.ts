// Coverage after the tests: Julia .cov files (or an lcov file from any language) to lcov.info and a
// summary. A failure here is a warning and `coverage: null`, never the end of the run.
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { CoverageSection } from "../contract/types.js";
import { readJuliaCoverage, summarize, summarizeLcovFile, toLcov } from "../coverage/index.js";
import { writeFileAtomic, writeJsonAtomic } from "../fs/atomic.js";
import { type ArtifactPaths, RELATIVE } from "./artifacts.js";
import type { RunContext } from "./run.js";

export async function runCoveragePhase(
  ctx: RunContext,
  paths: ArtifactPaths,
): Promise<CoverageSection | null> {
  const { settings, log } = ctx;
  const started = Date.now();
  try {
    let summary;
    if (settings.coverage.lcov) {
      summary = await summarizeLcovFile(settings.coverage.lcov);
      await mkdir(dirname(paths.lcov), { recursive: true });
      await copyFile(settings.coverage.lcov, paths.lcov);
    } else {
      const found = await readJuliaCoverage(settings.root, settings.coverage.dirs);
      for (const w of found.warnings.slice(0, 20)) log.warn(`coverage: ${w}`);
      if (found.files.length === 0) {
        throw new Error(
          `no .cov files under ${settings.coverage.dirs.join(", ")}: did the tests run with coverage=true?`,
        );
      }
      await writeFileAtomic(paths.lcov, toLcov(found.files));
      summary = summarize(found.files);
    }
    for (const w of summary.warnings.slice(0, 20)) log.warn(`coverage: ${w}`);
    const section: CoverageSection = {
      flag: settings.coverage.flag,
      coverage_percent: Math.round(summary.percent * 100) / 100,
      total_lines: summary.totalLines,
      covered_lines: summary.coveredLines,
      report_file: RELATIVE.lcov,
      summary_file: RELATIVE.coverageSummary,
    };
    await writeJsonAtomic(paths.coverageSummary, {
      total_lines: section.total_lines,
      covered_lines: section.covered_lines,
      coverage_percent: section.coverage_percent,
    });
    log.info(
      `coverage ${section.coverage_percent}% (${summary.coveredLines} of ${summary.totalLines} lines) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    return section;
  } catch (error) {
    // Never leave a report from an earlier run that could be taken for this one's.
    await rm(paths.lcov, { force: true });
    await rm(paths.coverageSummary, { force: true });
    log.warn(
      `coverage could not be measured (${error instanceof Error ? error.message : String(error)}); recording coverage: null`,
    );
    return null;
  }
}
