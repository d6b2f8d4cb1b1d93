// Coverage after the tests: Julia .cov files (or an lcov file from any language) to lcov.info, a summary,
// and the covered and missed lines by repository-relative path (lines.json, for patch coverage). A failure
// here is a warning and `coverage: null`, never the end of the run.
import { copyFile, mkdir, realpath, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { CoverageSection } from "../contract/types.js";
import { MAX_DOCUMENT_BYTES } from "../contract/json.js";
import { readJuliaCoverage, readLcovFile, summarize, toLcov, type FileCoverage } from "../coverage/index.js";
import { coverageLines, formatCoverageLines } from "../coverage/lines.js";
import { writeFileAtomic, writeJsonAtomic } from "../fs/atomic.js";
import { type ArtifactPaths, RELATIVE } from "./artifacts.js";
import type { RunContext } from "./run.js";

export async function runCoveragePhase(
  ctx: RunContext,
  paths: ArtifactPaths,
  commit: string,
): Promise<CoverageSection | null> {
  const { settings, log } = ctx;
  const started = Date.now();
  // Never leave lines from an earlier run that could be taken for this one's.
  await rm(paths.coverageLines, { force: true });
  try {
    let files: FileCoverage[];
    let summary;
    if (settings.coverage.lcov) {
      const read = await readLcovFile(settings.coverage.lcov);
      files = read.files;
      summary = summarize(files, read.warnings);
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
      files = found.files;
      await writeFileAtomic(paths.lcov, toLcov(files));
      summary = summarize(files);
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
    await writeLines(ctx, paths, commit, files);
    log.info(
      `coverage ${section.coverage_percent}% (${summary.coveredLines} of ${summary.totalLines} lines) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    return section;
  } catch (error) {
    await rm(paths.lcov, { force: true });
    await rm(paths.coverageSummary, { force: true });
    await rm(paths.coverageLines, { force: true });
    log.warn(
      `coverage could not be measured (${error instanceof Error ? error.message : String(error)}); recording coverage: null`,
    );
    return null;
  }
}

/** lines.json, when it fits the results branch's document limit; patch coverage is unavailable otherwise. */
async function writeLines(
  ctx: RunContext,
  paths: ArtifactPaths,
  commit: string,
  files: FileCoverage[],
): Promise<void> {
  const { settings, log } = ctx;
  const roots = [settings.root, await realpath(settings.root).catch(() => settings.root)];
  const { document, outside } = coverageLines(commit, files, roots);
  if (outside.length > 0) {
    const shown = outside.slice(0, 3).join(", ");
    log.info(
      `coverage lines: ${outside.length} file(s) outside ${settings.root} left out (${shown}${outside.length > 3 ? ", ..." : ""})`,
    );
  }
  const text = formatCoverageLines(document);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_DOCUMENT_BYTES) {
    log.warn(
      `coverage lines of ${Object.keys(document.files).length} file(s) take ${bytes} bytes, over the ${MAX_DOCUMENT_BYTES} byte limit of a document on the results branch: ${paths.coverageLines} not written, so patch coverage is unavailable for this commit`,
    );
    return;
  }
  await writeFileAtomic(paths.coverageLines, text);
  log.info(`wrote ${paths.coverageLines} (${Object.keys(document.files).length} files, ${bytes} bytes)`);
}
