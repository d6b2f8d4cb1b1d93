// Every file of a pages folder, rendered from the history alone: Shields endpoints and SVG badges of the
// newest run, history.json and index.html. Only the freshness badge's colour depends on `now`, so that
// rendering the same history again writes the same bytes (and makes no commit) until the run goes stale.
import { type BadgeOptions, PAGE_BADGES, awaitingEndpoints, pageEndpoints } from "../badges/endpoints.js";
import { type BadgeStyle, badgeSvg } from "../badges/svg.js";
import type { HpcResults } from "../contract/types.js";
import { HISTORY_FILE, headlineRuns, serializeHistory } from "./history.js";
import { renderDashboard } from "./page.js";

export const DASHBOARD_FILE = "index.html";

export interface SiteOptions {
  badges: BadgeOptions;
  badgeStyle: BadgeStyle;
  staleAfterSeconds: number;
  repository?: string;
  serverUrl?: string;
  /** The repository's default branch: only its runs make the headline badges (undefined: every branch). */
  defaultBranch?: string;
}

/** File name -> content, for `history` newest first (at least one run). */
export function renderSite(history: HpcResults[], options: SiteOptions, now: Date): Map<string, string> {
  if (history.length === 0) throw new Error("renderSite needs at least one run");
  const branch = options.defaultBranch;
  const newest = headlineRuns(history, branch)[0];
  const files = new Map<string, string>();
  const headline = (staleAfterSeconds: number) =>
    newest
      ? pageEndpoints(newest, now, staleAfterSeconds, options.badges)
      : awaitingEndpoints(branch!, options.badges);
  const endpoints = headline(options.staleAfterSeconds);
  for (const stem of PAGE_BADGES) {
    files.set(`${stem}.json`, `${JSON.stringify(endpoints[stem], null, 2)}\n`);
    files.set(`${stem}.svg`, badgeSvg(endpoints[stem], options.badgeStyle));
  }
  files.set(HISTORY_FILE, serializeHistory(history));
  files.set(
    DASHBOARD_FILE,
    renderDashboard(history, {
      repository: options.repository,
      serverUrl: options.serverUrl,
      // The page names the badges without their freshness colour, which is the one thing that follows the clock.
      endpoints: headline(Number.POSITIVE_INFINITY),
      staleAfterSeconds: options.staleAfterSeconds,
      regressionThresholdPct: options.badges.regressionThresholdPct,
      defaultBranch: branch,
    }),
  );
  return files;
}
