// What the commit shows for the run: check runs (`<prefix>/tests`, ...), and commit statuses of the same
// names when asked for or when GitHub refuses check runs to the token (not a GitHub App's, or without
// `checks: write`). Branch protection requires checks by name and takes a check run or a status alike, so
// a required `hpc/tests` is served either way.
import * as core from "@actions/core";
import type { HpcResults } from "../../contract/types.js";
import { planCheckRuns, type CheckRunPlanOptions } from "../../github/check-run-plan.js";
import { CheckRunsUnavailable, upsertCheckRun } from "../../github/check-runs.js";
import type { GitHubClient, Repository } from "../../github/client.js";
import { type CommitStatusSpec, planStatuses, postStatuses } from "../../github/statuses.js";
import type { Assessment } from "../../render/assessment.js";

export interface CommitChecksOptions extends CheckRunPlanOptions {
  checkRuns: boolean;
  statuses: boolean;
  /** Our app's slug, when known: only its check runs of a name are ours to update. */
  appSlug?: string;
}

export interface CommitChecks {
  checkRuns: Array<{ name: string; id: number; conclusion?: string }>;
  statuses: CommitStatusSpec[];
  problems: string[];
}

export async function reportToCommit(
  client: GitHubClient,
  repository: Repository,
  run: HpcResults,
  assessment: Assessment,
  options: CommitChecksOptions,
): Promise<CommitChecks> {
  const result: CommitChecks = { checkRuns: [], statuses: [], problems: [] };
  let statuses = options.statuses;
  if (options.checkRuns) {
    for (const spec of planCheckRuns(run, assessment, options)) {
      try {
        const outcome = await upsertCheckRun(client, repository, spec, { appSlug: options.appSlug });
        result.checkRuns.push({ name: spec.name, id: outcome.id, conclusion: spec.conclusion });
        const dropped = outcome.dropped > 0 ? `, ${outcome.dropped} without a file and line left out` : "";
        core.info(
          `Check run ${spec.name}: ${spec.conclusion} (${outcome.action} ${outcome.id}, ` +
            `${outcome.annotationsSent} annotation(s) in ${outcome.requests} request(s)${dropped})`,
        );
      } catch (error) {
        if (!(error instanceof CheckRunsUnavailable)) {
          result.problems.push((error as Error).message);
          continue;
        }
        core.warning(
          `${error.message}. Check runs need a GitHub App's token, such as the workflow's GITHUB_TOKEN with ` +
            `permissions checks: write; setting commit statuses of the same names instead.`,
        );
        statuses = true;
        break;
      }
    }
  }
  if (!statuses) return result;
  const specs = planStatuses(assessment, {
    prefix: options.prefix,
    skipped: options.skipped,
    targetUrl: options.detailsUrl,
  });
  try {
    const posted = await postStatuses(client, repository, run.commit, specs);
    if (posted.warning) core.warning(posted.warning);
    result.statuses = posted.posted;
    for (const s of posted.posted) core.info(`Status ${s.context}: ${s.state} (${s.description})`);
  } catch (error) {
    result.problems.push((error as Error).message);
  }
  return result;
}
