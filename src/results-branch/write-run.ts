// Writes one run into a checkout of the results branch, in our layout (see DESIGN.md): the commit's
// folder, the root latest-* files, the per-branch pointer, README.md and .nojekyll. A later run of the
// same commit merges into what is there and never erases a section it did not run.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InvalidDocumentError } from "../contract/errors.js";
import { readValidDocument } from "../contract/read-valid.js";
import type {
  BenchmarksSummary,
  CoverageLines,
  HpcResults,
  Meta,
  ShieldsEndpoint,
  TestsSummary,
} from "../contract/types.js";
import { checkDocument } from "../contract/validate.js";
import { writeFileAtomic, writeJsonAtomic } from "../fs/atomic.js";
import { linkOnPath } from "../fs/kind.js";
import { PublishError } from "../git/publish.js";
import { mergeAttempts, republished, withFailureLists } from "./attempts.js";
import { formatCoverageLines } from "../coverage/lines.js";
import { HISTORY_FOLDER, historyFile, updateHistory } from "./history.js";
import { BRANCH_POINTERS, COMMIT_FILES, LATEST_FILES, branchPointer } from "./layout.js";

export interface PublishedRun {
  results: HpcResults;
  testsSummary?: TestsSummary;
  benchmarksSummary?: BenchmarksSummary;
  meta?: Meta;
  /** Covered lines for patch coverage; a later run without them keeps the commit's earlier file. */
  coverageLines?: CoverageLines;
}

export interface WriteRunOptions {
  /** Shields endpoints for the root latest-tests.json and latest-benchmarks.json. */
  endpoints: (results: HpcResults) => { tests: ShieldsEndpoint; benchmarks: ShieldsEndpoint };
  /** owner/repo, for links in README.md. */
  repository?: string;
  branch: string;
  /**
   * The source branch whose runs become benchmark history (the default or baseline branch). Runs of
   * other branches (pull requests) never do.
   */
  historyBranch?: string;
}

export interface WriteRunOutcome {
  results: HpcResults;
  /** Whether the root latest-* files now describe this run (false when a newer run is there). */
  latest: boolean;
  /** What happened to the benchmark history, when the run is of the history branch. */
  history?: string;
}

/** A section a run did not actually run (Mycelia writes these as "skipped" with no duration). */
function notRun(
  section: { status: string; duration_seconds?: number; reason?: string } | undefined,
): boolean {
  return !section || (section.status === "skipped" && !section.reason && !section.duration_seconds);
}

/** Merges a new run of a commit into the one already published for it. */
export function mergeRuns(previous: HpcResults | undefined, next: HpcResults): HpcResults {
  if (!previous || previous.commit !== next.commit) return next;
  const merged: HpcResults = { ...previous, ...next };
  if (notRun(next.tests) && previous.tests) merged.tests = previous.tests;
  // A later attempt at the tests (the same document published again is not one).
  else if (next.tests && previous.tests && !notRun(previous.tests) && !republished(previous, next))
    merged.tests = mergeAttempts(previous.tests, next.tests);
  if (notRun(next.benchmarks) && previous.benchmarks) merged.benchmarks = previous.benchmarks;
  if (!next.coverage && previous.coverage) merged.coverage = previous.coverage;
  merged.hpc = { ...previous.hpc, ...next.hpc };
  // A section tested in a dirty tree stays so, whatever a later run of the same commit saw.
  if (previous.dirty || next.dirty) merged.dirty = true;
  return merged;
}

/** The folders writeRun reads and writes besides root files: a checkout needs only these. */
export function runFolders(results: HpcResults): string[] {
  return [results.commit, BRANCH_POINTERS, HISTORY_FOLDER];
}

/**
 * Anyone who can push to the results branch can commit a symbolic link, say `branches` -> ~/.ssh: reading or
 * writing through it would reach the operator's files. Refused, without saying where it points.
 */
async function refuseLinks(dir: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    const link = await linkOnPath(dir, path);
    if (link !== undefined) {
      throw new PublishError(
        `the results branch holds ${link} as a symbolic link; refused (remove it from the branch)`,
      );
    }
  }
}

function newer(a: HpcResults, b: HpcResults | undefined): boolean {
  if (!b) return true;
  const ta = Date.parse(a.generated_at ?? "");
  const tb = Date.parse(b.generated_at ?? "");
  if (Number.isNaN(tb)) return true;
  return Number.isNaN(ta) ? false : ta >= tb;
}

export async function writeRun(
  dir: string,
  run: PublishedRun,
  options: WriteRunOptions,
): Promise<WriteRunOutcome> {
  const commit = run.results.commit;
  const problems = checkDocument("hpc-results", run.results, "hpc-results.json");
  if (problems.length > 0) throw new InvalidDocumentError(problems);
  await refuseLinks(dir, [
    ...Object.values(COMMIT_FILES).map((name) => `${commit}/${name}`),
    ...Object.values(LATEST_FILES),
    "README.md",
    ".nojekyll",
    ...(run.results.branch
      ? [branchPointer(run.results.branch), historyFile(run.results.branch)]
      : [BRANCH_POINTERS, HISTORY_FOLDER]),
  ]);
  const folder = join(dir, commit);
  const previous = (await readValidDocument(join(folder, COMMIT_FILES.results), "hpc-results"))?.value;
  const results = mergeRuns(previous, run.results);
  delete results.sources;

  await writeJsonAtomic(join(folder, COMMIT_FILES.results), results);
  if (run.testsSummary) {
    // The summary of this run's tests carries the merged attempts and flaky tests too.
    const summary =
      notRun(run.results.tests) || !results.tests
        ? run.testsSummary
        : withFailureLists(run.testsSummary, results.tests);
    await writeJsonAtomic(join(folder, COMMIT_FILES.tests), summary);
  }
  if (run.benchmarksSummary)
    await writeJsonAtomic(join(folder, COMMIT_FILES.benchmarks), run.benchmarksSummary);
  if (run.meta) await writeJsonAtomic(join(folder, COMMIT_FILES.meta), run.meta);
  if (run.coverageLines?.commit === commit)
    await writeFileAtomic(join(folder, COMMIT_FILES.coverageLines), formatCoverageLines(run.coverageLines));

  const latest = (await readValidDocument(join(dir, LATEST_FILES.results), "hpc-results"))?.value;
  const isLatest = latest?.commit === commit || newer(results, latest);
  if (isLatest) {
    const endpoints = options.endpoints(results);
    await writeJsonAtomic(join(dir, LATEST_FILES.results), results);
    if (run.meta) await writeJsonAtomic(join(dir, LATEST_FILES.meta), run.meta);
    await writeJsonAtomic(join(dir, LATEST_FILES.tests), endpoints.tests);
    await writeJsonAtomic(join(dir, LATEST_FILES.benchmarks), endpoints.benchmarks);
    await writeFileAtomic(join(dir, "README.md"), readme(results, options));
  }
  if (results.branch) {
    const pointer = join(dir, branchPointer(results.branch));
    const current = (await readValidDocument(pointer, "hpc-results"))?.value;
    if (current?.commit === commit || newer(results, current)) await writeJsonAtomic(pointer, results);
  }
  // The fresh run, not the merge: a later tests-only run of the commit adds no second benchmark entry.
  const history =
    options.historyBranch !== undefined &&
    run.results.branch === options.historyBranch &&
    run.results.benchmarks
      ? await updateHistory(dir, run.results)
      : undefined;
  if (!existsSync(join(dir, ".nojekyll"))) await writeFile(join(dir, ".nojekyll"), "");
  return { results, latest: isLatest, ...(history && { history }) };
}

function readme(results: HpcResults, options: WriteRunOptions): string {
  const raw = options.repository
    ? `https://raw.githubusercontent.com/${options.repository}/${options.branch}`
    : "";
  const badges = raw
    ? [
        `[![HPC tests](https://img.shields.io/endpoint?url=${encodeURIComponent(`${raw}/${LATEST_FILES.tests}`)})](${raw}/${LATEST_FILES.results})`,
        `[![HPC benchmarks](https://img.shields.io/endpoint?url=${encodeURIComponent(`${raw}/${LATEST_FILES.benchmarks}`)})](${raw}/${LATEST_FILES.results})`,
        "",
      ]
    : [];
  return [
    "# HPC CI results",
    "",
    ...badges,
    "Written by hpc-ci. Each run is in a folder named by the tested commit; the root `latest-*` files describe the",
    `newest run, and \`${BRANCH_POINTERS}/\` holds the newest run of each source branch. Logs stay on the cluster.`,
    "",
    `Newest run: \`${results.commit}\` (${results.generated_at ?? "time unknown"}).`,
    "",
    "| File | What it is |",
    "| --- | --- |",
    `| \`${LATEST_FILES.results}\` | The newest run (schema_version 1) |`,
    `| \`${LATEST_FILES.tests}\`, \`${LATEST_FILES.benchmarks}\` | Shields endpoint badges |`,
    `| \`${LATEST_FILES.meta}\` | Provenance of the newest run |`,
    `| \`<sha>/hpc-results.json\`, \`tests.json\`, \`benchmarks.json\`, \`meta.json\` | One run and its summaries |`,
    `| \`<sha>/${COMMIT_FILES.coverageLines}\` | Covered and missed lines by file, for patch coverage |`,
    "",
  ].join("\n");
}
