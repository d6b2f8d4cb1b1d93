// Entry of the comment-hpc-summary action: read inputs, find the pull requests of the run's commit, upsert
// one marked comment on each, set the commit statuses, write the job summary and the outputs.
import * as core from "@actions/core";
import { resolve } from "node:path";
import type { HpcResults } from "../../contract/types.js";
import { createGitHubClient, repositoryFromEnv } from "../../github/client.js";
import { COMMENT_LIMIT, commentMarker, upsertComment } from "../../github/comments.js";
import { commentAuthor } from "../../github/identity.js";
import {
  findPullRequests,
  type PullRequestsFound,
  type PullRequestTarget,
} from "../../github/pull-requests.js";
import { COMMIT_FILES } from "../../results-branch/layout.js";
import { type AssessOptions, type BaseComparison, assessRun } from "../../render/assessment.js";
import { escapeGitHubText, forJobSummary } from "../../render/escape.js";
import { markdownUrl, renderSummaryBody, type SummaryLinks } from "../../render/summary-body.js";
import type { SourceLinks } from "../../render/test-report.js";
import { InputError } from "../inputs.js";
import { type CommentInputs, readInputs } from "./inputs.js";
import { readRunInput } from "../run-input.js";
import { readBranchRun } from "./load-runs.js";
import { reportToCommit } from "./commit-checks.js";

interface Commented {
  pullRequest: PullRequestTarget;
  action: string;
  id?: number;
  url?: string;
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const results = await readRunInput(inputs.results, inputs.resultsFile);
    const repository = repositoryFromEnv();
    const client = createGitHubClient({
      token: inputs.token,
      warn: (message) => core.warning(message),
      timeScale: inputs.timeScale,
    });
    const problems: string[] = [];

    // The statuses belong to the commit: a failed listing still sets them (then fails at the end).
    let found: PullRequestsFound;
    try {
      found = await findPullRequests(client, repository, {
        commit: results.commit,
        includeContaining: inputs.includeContaining,
        explicit: inputs.pullRequests,
      });
    } catch (error) {
      problems.push((error as Error).message);
      found = { pullRequests: [], commitKnown: true, warnings: [] };
    }
    for (const warning of found.warnings) core.warning(warning);
    core.info(
      found.pullRequests.length > 0
        ? `Pull requests of ${results.commit}: ${found.pullRequests.map((p) => p.number).join(", ")}`
        : `No open pull request has ${results.commit} as its head`,
    );

    const bases = await readBases(resolve(inputs.resultsPath), found.pullRequests);
    const links = summaryLinks(inputs, results);
    const assess = (pr: PullRequestTarget | undefined) =>
      assessRun(results, { ...gates(inputs), base: pr ? bases.get(pr.baseRef) : undefined });

    const marker = commentMarker(inputs.key);
    const commented: Commented[] = [];
    let author = "";
    if (inputs.mode === "sticky" && found.pullRequests.length > 0) {
      try {
        author = await commentAuthor(client, inputs.commentAuthor);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    for (const pr of found.pullRequests) {
      // Without knowing our author, a sticky comment could not be told from a planted one: none.
      if (inputs.mode === "off" || (inputs.mode === "sticky" && !author)) break;
      const body = renderSummaryBody({
        run: results,
        assessment: assess(pr),
        links,
        maxCharacters: COMMENT_LIMIT - marker.length - 1,
      });
      try {
        const target = { issueNumber: pr.number, marker, author };
        const outcome = await upsertComment(client, repository, target, body, inputs.mode);
        core.info(`Pull request ${pr.number}: comment ${outcome.id} ${outcome.action}`);
        if (author && outcome.postedAs && outcome.postedAs.toLowerCase() !== author.toLowerCase()) {
          core.warning(
            `comments are posted as ${outcome.postedAs}, not ${author}: set input comment-author to ${outcome.postedAs}, or each run posts a new comment`,
          );
        }
        if (outcome.deleted.length > 0) {
          core.info(`Pull request ${pr.number}: deleted duplicate comments ${outcome.deleted.join(", ")}`);
        }
        commented.push({ pullRequest: pr, action: outcome.action, id: outcome.id, url: outcome.htmlUrl });
      } catch (error) {
        problems.push((error as Error).message);
        commented.push({ pullRequest: pr, action: "failed" });
      }
    }

    // Check runs and statuses belong to the commit, not to one pull request: the first one's base is the
    // comparison.
    const firstBase = found.pullRequests[0] && bases.get(found.pullRequests[0].baseRef);
    const assessment = assess(found.pullRequests[0]);
    const checks = found.commitKnown
      ? await reportToCommit(client, repository, results, assessment, {
          checkRuns: inputs.checkRuns,
          statuses: inputs.statuses,
          prefix: inputs.statusContextPrefix,
          skipped: inputs.skippedStatus,
          detailsUrl: inputs.pagesUrl ?? links.workflowRun,
          appSlug: appSlugOf(inputs.commentAuthor ?? author),
          sources: sourceLinks(results),
          baseTests: firstBase?.run?.tests,
          links: { dashboard: links.dashboard, rawResults: links.rawResults },
        })
      : { checkRuns: [], statuses: [], problems: [] };
    problems.push(...checks.problems);
    const statuses = checks.statuses;

    await writeSummary(renderSummaryBody({ run: results, assessment, links }), commented, inputs.mode);
    core.setOutput("pull-requests", JSON.stringify(found.pullRequests.map((p) => p.number)));
    core.setOutput(
      "comment-ids",
      JSON.stringify(commented.flatMap((c) => (c.id === undefined ? [] : [c.id]))),
    );
    core.setOutput(
      "statuses",
      JSON.stringify(statuses.map(({ context, state, description }) => ({ context, state, description }))),
    );
    core.setOutput("check-runs", JSON.stringify(checks.checkRuns.map((c) => c.id)));
    if (problems.length > 0) core.setFailed(problems.join("\n"));
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : (error as Error).message);
  }
}

function gates(inputs: CommentInputs): AssessOptions {
  return {
    regressionThresholdPct: inputs.regressionThresholdPct,
    coverageMin: inputs.coverageMin,
    coverageMaxDrop: inputs.coverageMaxDrop,
  };
}

async function readBases(
  root: string,
  pullRequests: PullRequestTarget[],
): Promise<Map<string, BaseComparison>> {
  const bases = new Map<string, BaseComparison>();
  for (const pr of pullRequests) {
    if (bases.has(pr.baseRef)) continue;
    const read = await readBranchRun(root, pr.baseRef);
    if (read.warning) core.warning(read.warning);
    bases.set(pr.baseRef, read.comparison);
  }
  return bases;
}

/** An app's bot posts as "<slug>[bot]": its slug tells its check runs from other apps'. */
function appSlugOf(login: string | undefined): string | undefined {
  return login?.endsWith("[bot]") ? login.slice(0, -"[bot]".length) : undefined;
}

function serverUrl(): string {
  return (process.env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
}

function sourceLinks(results: HpcResults): SourceLinks {
  return { serverUrl: serverUrl(), repository: process.env.GITHUB_REPOSITORY ?? "", commit: results.commit };
}

function summaryLinks(inputs: CommentInputs, results: HpcResults): SummaryLinks {
  const server = serverUrl();
  const repository = process.env.GITHUB_REPOSITORY ?? "";
  const runId = process.env.GITHUB_RUN_ID;
  const branchPath = inputs.resultsBranch.split("/").map(encodeURIComponent).join("/");
  return {
    dashboard: inputs.pagesUrl,
    workflowRun: runId ? `${server}/${repository}/actions/runs/${encodeURIComponent(runId)}` : undefined,
    rawResults: `${server}/${repository}/blob/${branchPath}/${results.commit}/${COMMIT_FILES.results}`,
  };
}

async function writeSummary(body: string, commented: Commented[], mode: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const lines = commented.map((c) => {
    const where = c.url
      ? `[pull request ${c.pullRequest.number}](${markdownUrl(c.url)})`
      : `pull request ${c.pullRequest.number}`;
    return `- ${where}: comment ${escapeGitHubText(c.action, 20)}`;
  });
  const note =
    lines.length > 0
      ? `**Pull requests**\n\n${lines.join("\n")}`
      : mode === "off"
        ? "No comment: mode is off."
        : "No comment: no open pull request has this commit as its head.";
  await core.summary.addRaw(forJobSummary(`${body}\n\n${note}\n`), true).write();
}
