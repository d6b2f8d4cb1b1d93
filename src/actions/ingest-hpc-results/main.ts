// Entry of the ingest-hpc-results action: read inputs, call the library, write outputs.
import * as core from "@actions/core";
import { join, resolve } from "node:path";
import { runText } from "../../contract/accept.js";
import { formatContractError } from "../../contract/errors.js";
import type { HpcResults } from "../../contract/types.js";
import { writeFileAtomic } from "../../fs/atomic.js";
import { uploadFilesArtifact } from "../../github/artifact.js";
import { readEventPayload } from "../../github/event.js";
import { git } from "../../git/run.js";
import { ingest } from "../../results-branch/ingest.js";
import { isCommitId } from "../../results-branch/layout.js";
import { assessBenchmarks } from "../../render/benchmark-assessment.js";
import { escapeGitHubText, forJobSummary, neutralizeInvisible } from "../../render/escape.js";
import { runTable, runsTable } from "../../render/run-table.js";
import { booleanInput, runnerTemp } from "../inputs.js";

export async function run(): Promise<void> {
  try {
    const root = resolve(core.getInput("path") || ".");
    const failOnInvalid = booleanInput("fail-on-invalid", true);
    const uploadArtifact = booleanInput("upload-artifact", false);
    const event = await readEventPayload();
    const since = core.getInput("since").trim() || undefined;
    if (since !== undefined && !isCommitId(since)) {
      throw new Error(
        `input "since" must be a results-branch commit (40 or 64 lowercase hex digits), not ${JSON.stringify(since.slice(0, 80))}`,
      );
    }
    const outcome = await ingest({ root, commit: core.getInput("commit").trim() || undefined, since, event });

    // Annotations are plain text, but a reason can quote the data: no invisible characters there either.
    for (const warning of outcome.warnings) core.warning(neutralizeInvisible(warning));
    for (const error of outcome.errors) {
      core.error(neutralizeInvisible(formatContractError(error)), {
        title: "Invalid HPC results",
        file: neutralizeInvisible(error.file),
      });
    }
    const valid = outcome.errors.length === 0 && outcome.runs.length > 0;
    // Nothing new since the last processed commit is an answer, not a failure.
    const nothingSince = outcome.how === "since" && outcome.runs.length === 0 && outcome.errors.length === 0;
    if (nothingSince) core.info(`No run folder changed on the results branch since ${since}`);
    if (outcome.nothingPublished) core.info("No run has been published on the results branch yet");
    const newest = outcome.runs.at(-1);
    core.info(
      `Ingested ${outcome.runs.length} run(s), chosen by ${outcome.how}${newest ? `; newest ${newest.commit}` : ""}`,
    );

    const outDir = join(runnerTemp(), "hpc-results");
    // Compact, as measured against the one size limit: indented, a run near it would be over it for the readers.
    for (const r of outcome.runs) await writeFileAtomic(join(outDir, `${r.commit}.json`), runText(r));
    if (outcome.runs.length > 0)
      await writeFileAtomic(
        join(outDir, "runs.json"),
        `[${outcome.runs.map((r) => JSON.stringify(r)).join(",\n")}]\n`,
      );

    core.setOutput("valid", String(valid));
    core.setOutput("problems", String(outcome.errors.length));
    core.setOutput("results-commit", await headCommit(root));
    core.setOutput("commits", JSON.stringify(outcome.runs.map((r) => r.commit)));
    core.setOutput("runs-file", outcome.runs.length > 0 ? join(outDir, "runs.json") : "");
    setRunOutputs(newest, outDir);

    if (uploadArtifact) {
      const names: string[] = [];
      for (const r of outcome.runs) {
        const name = artifactName(r.commit);
        const files = [
          ...(r.sources ?? []).map((s) => ({ from: join(root, s), as: `documents/${s}` })),
          { from: join(outDir, `${r.commit}.json`), as: "hpc-results.normalized.json" },
        ];
        await uploadFilesArtifact(name, files, join(runnerTemp(), "hpc-results-artifacts"));
        names.push(name);
      }
      core.setOutput("artifacts", JSON.stringify(names));
    }

    await writeSummary(outcome.runs, outcome.errors.map(formatContractError));
    if (!valid && failOnInvalid && !nothingSince) {
      core.setFailed(
        outcome.errors.length > 0
          ? `${outcome.errors.length} problem(s) in the HPC results; see the annotations`
          : `no HPC results found to ingest${outcome.nothingPublished ? ": no run has been published on the results branch yet" : ""}`,
      );
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Unique within a workflow run, where a second upload of a name fails (409): the full commit id (two commits
 * may share any prefix) and the run attempt (a re-run job uploads again into the same workflow run).
 */
function artifactName(commit: string): string {
  const attempt = process.env.GITHUB_RUN_ATTEMPT ?? "";
  return `hpc-results-${commit}-${/^\d{1,9}$/.test(attempt) ? attempt : "1"}`;
}

/** The results-branch commit read (HEAD of the checkout): what the next run's `since` will be. */
async function headCommit(root: string): Promise<string> {
  try {
    return (await git(root, ["rev-parse", "--verify", "HEAD^{commit}"])).trim();
  } catch {
    return "";
  }
}

function setRunOutputs(run: HpcResults | undefined, outDir: string): void {
  core.setOutput("commit", run?.commit ?? "");
  core.setOutput("branch", run?.branch ?? "");
  core.setOutput("tests-status", run?.tests?.status ?? "");
  core.setOutput(
    "coverage-percent",
    typeof run?.coverage?.coverage_percent === "number" ? String(run.coverage.coverage_percent) : "",
  );
  // The same assessment as the comment, the status, the badges and the dashboard.
  const bench = run ? assessBenchmarks(run.benchmarks) : undefined;
  // As the hpc/benchmarks status says: a regression fails it though the benchmark commands passed.
  core.setOutput("benchmarks-status", bench?.reported ? bench.verdict : "");
  core.setOutput("benchmarks-verdict", bench?.word ?? "");
  const worst = bench?.worstRegressionPct;
  core.setOutput("worst-regression-pct", typeof worst === "number" ? String(worst) : "");
  core.setOutput("results", run ? JSON.stringify(run) : "");
  core.setOutput("results-file", run ? join(outDir, `${run.commit}.json`) : "");
}

async function writeSummary(runs: HpcResults[], problems: string[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const newest = runs.at(-1);
  const parts = ["## HPC results"];
  if (newest) parts.push(runTable(newest));
  if (runs.length > 1) parts.push(`### All ${runs.length} runs in this push`, runsTable([...runs].reverse()));
  if (problems.length > 0) {
    parts.push(
      `### ${problems.length} problem(s)`,
      problems.map((p) => `- ${escapeGitHubText(p, 1000)}`).join("\n"),
    );
  }
  await core.summary.addRaw(forJobSummary(parts.join("\n\n")), true).write();
}
