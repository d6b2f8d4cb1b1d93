// Commit statuses `<prefix>/tests`, `<prefix>/benchmarks`, `<prefix>/coverage`, which branch protection can
// require. States come from the assessment of the run; descriptions are plain text within GitHub's 140.
import type {
  Assessment,
  BenchmarksAssessment,
  CoverageAssessment,
  TestsAssessment,
} from "../render/assessment.js";
import { benchmarksHeadline, worstChangeText } from "../render/benchmark-assessment.js";
import { plainLine, truncateCharacters } from "../render/escape.js";
import { patchStatusText } from "../render/patch-coverage.js";
import { formatCounts, formatDuration, formatInteger, signed } from "../render/run-table.js";
import { type GitHubClient, type Repository, describeApiError, httpStatus } from "./client.js";

export type StatusState = "success" | "failure" | "error" | "pending";

export interface CommitStatusSpec {
  context: string;
  state: StatusState;
  description: string;
  target_url?: string;
}

/** GitHub's limits for a status, in characters. */
export const STATUS_DESCRIPTION_LIMIT = 140;
export const STATUS_CONTEXT_LIMIT = 255;

export interface StatusPlanOptions {
  /** Contexts are `<prefix>/tests` and so on. */
  prefix: string;
  /** A section that did not run: `success` saying so, or `off` (no status at all). */
  skipped: "success" | "off";
  targetUrl?: string;
}

/** What a section of the run says to the commit: a state with a one-line description, or that it was skipped. */
export type SectionStatus = { state: StatusState; description: string } | { skipped: string };
export type SectionName = "tests" | "benchmarks" | "coverage";

/** The verdict of each section as commit statuses and check runs both show it (one source for both). */
export function sectionStatuses(assessment: Assessment): Array<[SectionName, SectionStatus]> {
  return [
    ["tests", testsStatus(assessment.tests)],
    ["benchmarks", benchmarksStatus(assessment.benchmarks)],
    ["coverage", coverageStatus(assessment.coverage)],
  ];
}

export function planStatuses(assessment: Assessment, options: StatusPlanOptions): CommitStatusSpec[] {
  const specs: CommitStatusSpec[] = [];
  for (const [name, status] of sectionStatuses(assessment)) {
    if ("skipped" in status && options.skipped === "off") continue;
    const { state, description } =
      "skipped" in status ? { state: "success" as const, description: `Skipped: ${status.skipped}` } : status;
    specs.push({
      context: `${options.prefix}/${name}`,
      state,
      description: truncateCharacters(plainLine(description), STATUS_DESCRIPTION_LIMIT),
      ...(options.targetUrl ? { target_url: options.targetUrl } : {}),
    });
  }
  return specs;
}

function skipped(reported: boolean, reason: string | undefined): { skipped: string } {
  return { skipped: reason ?? (reported ? "not run in this HPC run" : "not reported by this HPC run") };
}

function testsStatus(t: TestsAssessment): SectionStatus {
  if (t.verdict === "skipped") return skipped(t.reported, t.reason);
  const counts = t.totals ? formatCounts(t.totals) : `tests ${t.verdict}`;
  // Julia's word, as in the comment's table.
  const suites =
    t.suiteCount > 0 ? ` in ${formatInteger(t.suiteCount)} test set${t.suiteCount === 1 ? "" : "s"}` : "";
  const duration = t.durationSeconds !== undefined ? ` · ${formatDuration(t.durationSeconds)}` : "";
  return {
    state: t.verdict === "failed" ? "failure" : "success",
    description: `${t.verdict === "failed" ? "Failed" : "Passed"}: ${counts}${suites}${duration}`,
  };
}

function benchmarksStatus(b: BenchmarksAssessment): SectionStatus {
  if (b.verdict === "skipped") return skipped(b.reported, b.reason);
  if (b.regressions.length > 0) {
    const why = b.judged ? "beyond the noise band" : `past ${signed(b.thresholdPct)}`;
    const listed = b.regressions
      .slice(0, 3)
      .map((r) => {
        const metric = r.metric && r.metric !== "time" ? `${r.metric} ` : "";
        return `${r.name} ${metric}${r.pct === null ? "flagged" : signed(r.pct)}`;
      })
      .join(", ");
    return { state: "failure", description: `${benchmarksHeadline(b)} ${why}: ${listed}` };
  }
  if (b.verdict === "failed")
    return { state: "failure", description: `Failed${b.reason ? `: ${b.reason}` : ""}` };
  const change = worstChangeText(b);
  const worst = change ? `, ${change}` : "";
  const count = `${formatInteger(b.count)} benchmark${b.count === 1 ? "" : "s"}`;
  const found = b.judged ? `, ${benchmarksHeadline(b)}` : "";
  return { state: "success", description: `Passed: ${count}${found}${worst}` };
}

function coverageStatus(c: CoverageAssessment): SectionStatus {
  if (typeof c.percent !== "number")
    return skipped(c.percent === null, c.percent === null ? "coverage not measured" : undefined);
  if (c.gateFailure) return { state: "failure", description: `${c.percent.toFixed(2)}%: ${c.gateFailure}` };
  const delta =
    c.deltaPoints !== undefined && c.base
      ? ` (${c.deltaPoints > 0 ? "+" : ""}${c.deltaPoints.toFixed(2)} vs ${c.base.branch})`
      : "";
  // Patch coverage when there is some, or the gate's reason for not applying; silence for runs without it.
  const patch = c.patch?.coverage
    ? `; ${patchStatusText(c.patch.coverage)}`
    : c.patchGateNote
      ? `; ${c.patchGateNote}`
      : "";
  return { state: "success", description: `${c.percent.toFixed(2)}% of lines${delta}${patch}` };
}

export interface PostedStatuses {
  posted: CommitStatusSpec[];
  /** Set when GitHub does not know the commit: nothing was posted. */
  warning?: string;
}

export async function postStatuses(
  client: GitHubClient,
  repository: Repository,
  sha: string,
  specs: CommitStatusSpec[],
): Promise<PostedStatuses> {
  const posted: CommitStatusSpec[] = [];
  for (const spec of specs) {
    try {
      await client.rest.repos.createCommitStatus({ ...repository, sha, ...spec });
      posted.push(spec);
    } catch (error) {
      if (httpStatus(error) === 422 && posted.length === 0 && /no commit found/i.test(String(error))) {
        return { posted, warning: `GitHub does not know commit ${sha}: no statuses set` };
      }
      throw new Error(
        describeApiError(error, `setting the status ${spec.context} on ${sha}`, "statuses: write"),
        {
          cause: error,
        },
      );
    }
  }
  return { posted };
}
