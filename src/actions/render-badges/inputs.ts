// The inputs of render-badges, read and checked up front so that a mistake in the workflow is one clear
// line before anything is rendered or pushed.
import * as core from "@actions/core";
import { isRepositoryName, defaultPagesUrl, normalizePagesDir } from "../../dashboard/pages-url.js";
import { DEFAULT_COVERAGE_THRESHOLDS } from "../../badges/endpoints.js";
import { type BadgeStyle, BADGE_STYLES, isBadgeStyle } from "../../badges/svg.js";
import { DEFAULT_HISTORY_SIZE } from "../../dashboard/history.js";
import { defaultBranchOf } from "../../github/event.js";
import { isCommitId } from "../../results-branch/layout.js";
import { booleanInput, InputError, numberInput, optionalNumber, urlInput } from "../inputs.js";

export interface RenderInputs {
  results: string;
  resultsFile: string;
  runsFile: string;
  pagesPath: string;
  pagesDir: string;
  pagesBranch: string;
  push: boolean;
  /** For the push alone (git's environment), never written to the checkout. */
  token?: string;
  coverage: { good: number; fair: number };
  regressionThresholdPct?: number;
  staleAfterSeconds: number;
  cacheSeconds?: number;
  badgeStyle: BadgeStyle;
  labelPrefix: string;
  historySize: number;
  branches: string[];
  repository?: string;
  serverUrl: string;
  pagesUrl: string;
  /** Only its runs make the headline badges and trends; undefined: every branch (no default branch known). */
  defaultBranch?: string;
  processed?: { resultsBranch: string; resultsCommit: string };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** "7d", "36h", "1d12h", "90m", "3600s", "2w" as seconds; undefined for anything else (a bare number has no unit). */
export function parseDuration(text: string): number | undefined {
  const compact = text.trim().toLowerCase().replace(/\s+/g, "");
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(compact)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of compact.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) {
    seconds += Number(amount) * UNIT_SECONDS[unit!]!;
  }
  return seconds > 0 ? seconds : undefined;
}

const BRANCH_NAME = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/;

function branchInput(name: string, fallback: string | undefined): string | undefined {
  const value = core.getInput(name).trim() || fallback;
  if (value !== undefined && (!BRANCH_NAME.test(value) || value.endsWith(".lock"))) {
    throw new InputError(`input "${name}" is not a branch name: ${JSON.stringify(value)}`);
  }
  return value;
}

export function readInputs(
  env: NodeJS.ProcessEnv = process.env,
  event?: Record<string, unknown>,
): RenderInputs {
  const pagesPath = core.getInput("pages-path").trim();
  if (!pagesPath) {
    throw new InputError(
      'input "pages-path" is empty: give a checkout of the pages branch (for example actions/checkout with path: gh-pages)',
    );
  }
  const rawDir = core.getInput("pages-dir");
  const pagesDir = normalizePagesDir(rawDir === "" ? "hpc" : rawDir);
  if (pagesDir === undefined) {
    throw new InputError(
      `input "pages-dir" must be a folder inside the checkout (letters, digits, ".", "_", "-", no "..", no hidden folder), not ${JSON.stringify(rawDir)}`,
    );
  }
  const pagesBranch = branchInput("pages-branch", "gh-pages")!;
  const processedCommit = core.getInput("processed-commit").trim();
  if (processedCommit && !isCommitId(processedCommit)) {
    throw new InputError(
      `input "processed-commit" must be a results-branch commit (40 or 64 lowercase hex digits), not ${JSON.stringify(processedCommit.slice(0, 80))}`,
    );
  }
  const resultsBranch = branchInput("results-branch", "hpc-results")!;

  const good = numberInput("coverage-good", DEFAULT_COVERAGE_THRESHOLDS.good, (n) => n >= 0 && n <= 100);
  const fair = numberInput("coverage-fair", DEFAULT_COVERAGE_THRESHOLDS.fair, (n) => n >= 0 && n <= 100);
  if (fair > good) {
    throw new InputError(`input "coverage-fair" (${fair}) must not be above "coverage-good" (${good})`);
  }

  const staleRaw = core.getInput("stale-after").trim() || "7d";
  const staleAfterSeconds = parseDuration(staleRaw);
  if (staleAfterSeconds === undefined) {
    throw new InputError(
      `input "stale-after" must be a duration such as 7d, 36h or 1d12h (units s, m, h, d, w), not ${JSON.stringify(staleRaw)}`,
    );
  }

  const style = core.getInput("badge-style").trim().toLowerCase() || "flat";
  if (!isBadgeStyle(style)) {
    throw new InputError(
      `input "badge-style" must be one of ${BADGE_STYLES.join(", ")}, not ${JSON.stringify(style)}`,
    );
  }

  const labelPrefix = core.getInput("label-prefix").trim();
  if (/[\r\n]/.test(labelPrefix) || labelPrefix.length > 40) {
    throw new InputError(`input "label-prefix" must be one line of at most 40 characters`);
  }

  const repository = (core.getInput("repository").trim() || env.GITHUB_REPOSITORY || "").trim() || undefined;
  if (repository !== undefined && !isRepositoryName(repository)) {
    throw new InputError(`input "repository" must be owner/name, not ${JSON.stringify(repository)}`);
  }
  const serverUrl = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s"'<>]+$/.test(serverUrl)) {
    throw new InputError(`GITHUB_SERVER_URL is not a URL: ${JSON.stringify(serverUrl)}`);
  }
  const pagesUrl =
    folderUrl(urlInput("pages-url")) ??
    (repository ? defaultPagesUrl(repository, pagesDir, serverUrl) : undefined);
  if (!pagesUrl) {
    throw new InputError('give input "repository" (owner/name) or "pages-url": GITHUB_REPOSITORY is not set');
  }

  return {
    results: core.getInput("results"),
    resultsFile: core.getInput("results-file").trim(),
    runsFile: core.getInput("runs-file").trim(),
    pagesPath,
    pagesDir,
    pagesBranch,
    push: booleanInput("push", true),
    token: secretInput("token"),
    coverage: { good, fair },
    regressionThresholdPct: optionalNumber("regression-threshold-pct", (n) => n >= 0),
    staleAfterSeconds,
    cacheSeconds: optionalNumber("cache-seconds", (n) => Number.isInteger(n) && n >= 0),
    badgeStyle: style,
    labelPrefix: labelPrefix || "HPC",
    historySize: numberInput(
      "history-size",
      DEFAULT_HISTORY_SIZE,
      (n) => Number.isInteger(n) && n >= 1 && n <= 10000,
    ),
    branches: core
      .getInput("branches")
      .split(/[\s,]+/)
      .map((b) => b.trim())
      .filter(Boolean),
    repository,
    serverUrl,
    pagesUrl,
    defaultBranch: branchInput("default-branch", defaultBranchOf(event)),
    ...(processedCommit && { processed: { resultsBranch, resultsCommit: processedCommit } }),
  };
}

function secretInput(name: string): string | undefined {
  const value = core.getInput(name).trim();
  // Masked before anything else can print it.
  if (value) core.setSecret(value);
  return value || undefined;
}

// The folder's URL: the badge files are named relative to it.
function folderUrl(url: string | undefined): string | undefined {
  return url === undefined || url.endsWith("/") ? url : `${url}/`;
}
