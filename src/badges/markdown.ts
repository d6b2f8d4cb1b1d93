// README lines for the badges of a pages folder: Shields endpoint badges that link to the dashboard.
import { PAGE_BADGES, type PageBadge } from "./endpoints.js";

const ALT: Record<PageBadge, string> = {
  tests: "tests",
  benchmarks: "benchmarks",
  coverage: "coverage",
  regression: "worst regression",
  freshness: "results date",
};

/** One Markdown line per badge; `pagesUrl` is the folder's URL, ending in "/". */
export function badgesMarkdown(pagesUrl: string, labelPrefix = "HPC"): string {
  return PAGE_BADGES.map((stem) => {
    const endpoint = `https://img.shields.io/endpoint?url=${encodeURIComponent(`${pagesUrl}${stem}.json`)}`;
    const alt = `${labelPrefix} ${ALT[stem]}`.trim().replace(/[[\]\\]/g, "");
    return `[![${alt}](${endpoint})](${pagesUrl})`;
  }).join("\n");
}
