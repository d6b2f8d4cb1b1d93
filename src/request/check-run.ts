// The `hpc` check run that shows a request on its commit: what was asked, by whom, and where it stands.
// Built from the request (and, once it completed, the run's results) alone, with no clock of its own, so
// that mirroring the same request again writes the same check run.
import type { HpcRequest, RequestScope, Status } from "../contract/types.js";
import { escapeGitHubText, plainLine, truncateCharacters } from "../render/escape.js";
import { formatTimestamp } from "../render/run-table.js";
import { markdownUrl } from "../render/summary-body.js";
import { COMMIT_FILES, commitFile } from "../results-branch/layout.js";

export const CHECK_RUN_NAME = "hpc";

/** The fields of a check run this sets (the shape of the check-runs client's spec). */
export interface RequestCheckRun {
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion?: "success" | "failure" | "cancelled" | "skipped" | "timed_out" | "neutral";
  detailsUrl?: string;
  externalId: string;
  startedAt?: string;
  completedAt?: string;
  output: { title: string; summary: string };
}

/** The statuses of the published run of the request's commit (`<sha>/hpc-results.json`), when there is one. */
export interface RunOutcome {
  tests?: Status;
  benchmarks?: Status;
}

export interface CheckRunLinks {
  /** https://github.com */
  serverUrl: string;
  /** owner/repo */
  repository: string;
  resultsBranch: string;
  /** The dashboard. */
  pagesUrl?: string;
}

const SCOPE_TEXT: Record<RequestScope, string> = {
  tests: "tests",
  benchmarks: "benchmarks",
  all: "tests and benchmarks",
};

export function requestCheckRun(
  request: HpcRequest,
  links: CheckRunLinks,
  outcome?: RunOutcome,
): RequestCheckRun {
  const asked = `${SCOPE_TEXT[request.what]}${request.requested_by ? ` requested by ${request.requested_by}` : ""}`;
  const started = request.events?.find((e) => e.state === "running")?.at ?? request.claimed_at;
  const base = {
    name: CHECK_RUN_NAME,
    headSha: request.commit,
    externalId: request.id,
    ...(detailsUrl(request, links) && { detailsUrl: detailsUrl(request, links) }),
  };
  const done = (
    conclusion: NonNullable<RequestCheckRun["conclusion"]>,
    title: string,
    lines: string[],
  ): RequestCheckRun => ({
    ...base,
    status: "completed",
    conclusion,
    ...(started && { startedAt: started }),
    completedAt: request.updated_at,
    output: output(title, lines, request, links),
  });
  const reason = request.reason ? escapeGitHubText(request.reason, 500) : undefined;
  switch (request.state) {
    case "queued":
      return {
        ...base,
        status: "queued",
        output: output(
          `Queued: ${asked}`,
          ["Waiting for the cluster's poller to pick it up."],
          request,
          links,
        ),
      };
    case "running":
      return {
        ...base,
        status: "in_progress",
        ...(started && { startedAt: started }),
        output: output(
          `Running${request.job_id ? ` as job ${request.job_id}` : ""}: ${asked}`,
          [
            `Running on the cluster${request.job_id ? ` as job ${request.job_id}` : ""}${started ? ` since ${when(started)}` : ""}.`,
          ],
          request,
          links,
        ),
      };
    case "completed": {
      const failed = failedSections(request.what, outcome);
      if (!outcome) {
        return done("neutral", `Completed: ${asked}`, [
          "The job ended, but its results are not on the results branch (yet): nothing to judge.",
        ]);
      }
      return failed.length > 0
        ? done("failure", `Failed: ${failed.join(" and ")}`, [
            `The cluster run's ${failed.join(" and ")} failed.`,
          ])
        : done("success", `Passed: ${asked}`, ["The cluster run passed."]);
    }
    case "failed":
      return done("failure", `Job failed: ${asked}`, [
        `The job did not finish${reason ? `: ${reason}` : "."}`,
      ]);
    case "cancelled":
      return done("cancelled", `Cancelled: ${asked}`, [reason ? `${reason}.` : "Cancelled."]);
    case "superseded":
      return done("skipped", `Superseded: ${asked}`, [
        `Not run for this commit: ${reason ?? "a newer commit of the pull request was requested"}.`,
      ]);
    case "stale":
      return done("timed_out", `Not picked up: ${asked}`, [
        `No poller picked the request up in time${reason ? `: ${reason}` : "."}`,
      ]);
  }
}

/** The sections the request asked for that the published run says failed. */
function failedSections(what: RequestScope, outcome: RunOutcome | undefined): string[] {
  const failed: string[] = [];
  if (what !== "benchmarks" && outcome?.tests === "failed") failed.push("tests");
  if (what !== "tests" && outcome?.benchmarks === "failed") failed.push("benchmarks");
  return failed;
}

function detailsUrl(request: HpcRequest, links: CheckRunLinks): string | undefined {
  if (links.pagesUrl) return links.pagesUrl;
  return request.pull_request
    ? `${links.serverUrl}/${links.repository}/pull/${request.pull_request}`
    : undefined;
}

function output(
  title: string,
  lines: string[],
  request: HpcRequest,
  links: CheckRunLinks,
): RequestCheckRun["output"] {
  const row = (name: string, value: string | undefined) => (value ? [`| ${name} | ${value} |`] : []);
  const results = `${links.serverUrl}/${links.repository}/blob/${encodeURIComponent(links.resultsBranch)}/${commitFile(request.commit, COMMIT_FILES.results)}`;
  const table = [
    "| | |",
    "| --- | --- |",
    ...row("Request", `\`${request.id}\``),
    ...row("Asked for", SCOPE_TEXT[request.what]),
    ...row("Requested by", request.requested_by && escapeGitHubText(request.requested_by, 60)),
    ...row("Requested at", when(request.requested_at)),
    ...row("Commit", `\`${request.commit}\``),
    ...row("State", `${request.state} since ${when(request.updated_at)}`),
    ...row("Job", request.job_id),
    ...row("Dashboard", links.pagesUrl && `[dashboard](${markdownUrl(links.pagesUrl)})`),
    ...row(
      "Results",
      request.state === "completed" ? `[hpc-results.json](${markdownUrl(results)})` : undefined,
    ),
  ];
  const history = (request.events ?? []).map(
    (e) =>
      `- ${when(e.at)}: ${e.state}${e.by ? ` (${escapeGitHubText(e.by, 100)})` : ""}${e.job_id ? `, job ${e.job_id}` : ""}${e.reason ? `: ${escapeGitHubText(e.reason, 300)}` : ""}`,
  );
  return {
    title: truncateCharacters(plainLine(title), 200),
    summary: [...lines, "", ...table, ...(history.length ? ["", "**History**", "", ...history] : [])].join(
      "\n",
    ),
  };
}

function when(at: string): string {
  return formatTimestamp(at) ?? escapeGitHubText(at, 64);
}
