// The inputs of comment-hpc-summary, read and checked up front so that a mistake in the workflow is one
// clear line before anything is sent to GitHub.
import * as core from "@actions/core";
import { COMMENT_MODES, type CommentMode, isValidCommentKey } from "../../github/comments.js";
import { STATUS_CONTEXT_LIMIT } from "../../github/statuses.js";
import { booleanInput, dashboardUrlInput, githubTimeScale, InputError, optionalNumber } from "../inputs.js";

export interface CommentInputs {
  token: string;
  results: string;
  resultsFile: string;
  resultsPath: string;
  resultsBranch: string;
  mode: CommentMode;
  key: string;
  /** Whom the token posts as, when GitHub cannot tell (a GitHub App's token: "<slug>[bot]"). */
  commentAuthor?: string;
  /** Check runs `<prefix>/tests`, ... (falling back to statuses when GitHub refuses them). */
  checkRuns: boolean;
  statuses: boolean;
  statusContextPrefix: string;
  skippedStatus: "success" | "off";
  pagesUrl?: string;
  regressionThresholdPct?: number;
  coverageMin?: number;
  coverageMaxDrop?: number;
  /** Patch coverage gate: the coverage status fails when the pull request's changed lines are covered less. */
  coveragePatchMin?: number;
  pullRequests: number[];
  includeContaining: boolean;
  /** HPC_CI_GITHUB_TIME_SCALE: scales every wait of the GitHub client (tests set it below 1). */
  timeScale: number;
}

export function readInputs(env: NodeJS.ProcessEnv = process.env): CommentInputs {
  const token = core.getInput("token").trim();
  // Masked before anything else can print it.
  if (token) core.setSecret(token);
  if (!token) throw new InputError('input "token" is empty: give a token (default: the workflow token)');
  const prefix = core.getInput("status-context-prefix").trim() || "hpc";
  // The longest context is <prefix>/benchmarks.
  if (Array.from(`${prefix}/benchmarks`).length > STATUS_CONTEXT_LIMIT || /[\r\n]/.test(prefix)) {
    throw new InputError(`input "status-context-prefix" is too long or not one line`);
  }
  const key = core.getInput("key").trim() || "hpc";
  if (!isValidCommentKey(key)) {
    throw new InputError(
      `input "key" must be letters, digits, ".", "_", "/" or "-" (at most 100), not ${JSON.stringify(key)}`,
    );
  }
  return {
    token,
    results: core.getInput("results"),
    resultsFile: core.getInput("results-file").trim(),
    resultsPath: core.getInput("results-path").trim() || ".",
    resultsBranch: core.getInput("results-branch").trim() || "hpc-results",
    mode: choice("mode", COMMENT_MODES, "sticky"),
    key,
    commentAuthor: loginInput("comment-author"),
    checkRuns: booleanInput("check-runs", true),
    statuses: booleanInput("statuses", false),
    statusContextPrefix: prefix,
    skippedStatus: choice("skipped-status", ["success", "off"] as const, "success"),
    pagesUrl: dashboardUrlInput(env),
    regressionThresholdPct: optionalNumber("regression-threshold-pct", (n) => n >= 0),
    coverageMin: optionalNumber("coverage-min", (n) => n >= 0 && n <= 100),
    coverageMaxDrop: optionalNumber("coverage-max-drop", (n) => n >= 0),
    coveragePatchMin: optionalNumber("coverage-patch-min", (n) => n >= 0 && n <= 100),
    pullRequests: pullRequestNumbers(),
    includeContaining: booleanInput("include-containing", false),
    timeScale: githubTimeScale(env),
  };
}

// GitHub logins: letters, digits and single hyphens; an app's bot ends in "[bot]".
function loginInput(name: string): string | undefined {
  const raw = core.getInput(name).trim();
  if (raw === "") return undefined;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(raw)) {
    throw new InputError(
      `input "${name}" must be a GitHub login (an app's ends in [bot]), not ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}

function choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const raw = core.getInput(name).trim().toLowerCase();
  if (raw === "") return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new InputError(`input "${name}" must be one of ${allowed.join(", ")}, not ${JSON.stringify(raw)}`);
}

/** `pull-request`: one number, or several separated by commas or spaces; "#" in front is accepted. */
function pullRequestNumbers(): number[] {
  const raw = core.getInput("pull-request").trim();
  if (raw === "") return [];
  const numbers = raw.split(/[\s,]+/).map((part) => {
    const n = Number(part.replace(/^#/, ""));
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new InputError(`input "pull-request" must be pull request numbers, not ${JSON.stringify(raw)}`);
    }
    return n;
  });
  return [...new Set(numbers)];
}
