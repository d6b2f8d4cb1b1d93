// Shields endpoint badges of a run (https://shields.io/badges/endpoint-badge): only the keys Shields
// accepts, a non-empty message. Used for the results branch's latest-*.json and by render-badges.
import type { HpcResults, ShieldsEndpoint } from "../contract/types.js";
import { assessBenchmarks, benchmarksHeadline } from "../render/benchmark-assessment.js";

export interface BadgeOptions {
  /** Coverage at or above `good` is green, at or above `fair` yellow, else red. */
  coverage?: { good: number; fair: number };
  regressionThresholdPct?: number;
  cacheSeconds?: number;
  labelPrefix?: string;
  /** Shields style (flat, flat-square, plastic, for-the-badge, social); omitted when not set. */
  style?: string;
}

export const DEFAULT_COVERAGE_THRESHOLDS = { good: 80, fair: 60 };

function endpoint(label: string, message: string, color: string, options: BadgeOptions): ShieldsEndpoint {
  return {
    schemaVersion: 1,
    label: `${options.labelPrefix ?? "HPC"} ${label}`,
    message: message || "unknown",
    color,
    ...(options.style && { style: options.style }),
    ...(options.cacheSeconds !== undefined && {
      cacheSeconds: Math.max(0, Math.round(options.cacheSeconds)),
    }),
  };
}

const STATUS_COLOR: Record<string, string> = { passed: "brightgreen", failed: "red", skipped: "lightgrey" };

export function signedPercent(pct: number): string {
  const rounded = Math.round(pct * 10) / 10;
  return `${rounded > 0 ? "+" : ""}${rounded.toFixed(1)}%`;
}

export function testsEndpoint(run: HpcResults, options: BadgeOptions = {}): ShieldsEndpoint {
  const tests = run.tests;
  if (!tests) return endpoint("tests", "not run", "lightgrey", options);
  const t = tests.totals;
  let message: string = tests.status;
  if (t && (t.passed !== undefined || t.failed !== undefined)) {
    const parts = [`${t.passed ?? 0} passed`];
    if (t.failed) parts.push(`${t.failed} failed`);
    if (t.errored) parts.push(`${t.errored} errored`);
    message = parts.join(", ");
    if (tests.status === "failed" && !t.failed && !t.errored) message = `failed, ${message}`;
  }
  return endpoint("tests", message, STATUS_COLOR[tests.status] ?? "lightgrey", options);
}

export function benchmarksEndpoint(run: HpcResults, options: BadgeOptions = {}): ShieldsEndpoint {
  const b = assessBenchmarks(run.benchmarks, options);
  if (!b.reported) return endpoint("bench", "not run", "lightgrey", options);
  // A judged run says what the judge found; a run without verdicts keeps its worst change.
  const worst = b.worst?.pct;
  const detail =
    b.judged || b.regressions.length > 0
      ? `, ${benchmarksHeadline(b, true)}`
      : typeof worst === "number"
        ? `, worst ${signedPercent(worst)}`
        : "";
  const color =
    b.verdict === "passed" && b.tentative.length > 0 ? "yellow" : (STATUS_COLOR[b.verdict] ?? "lightgrey");
  return endpoint("bench", `${b.verdict}${detail}`, color, options);
}

export function coverageEndpoint(run: HpcResults, options: BadgeOptions = {}): ShieldsEndpoint {
  const pct = run.coverage?.coverage_percent;
  if (typeof pct !== "number")
    return endpoint("coverage", run.coverage === null ? "not measured" : "unknown", "lightgrey", options);
  const { good, fair } = options.coverage ?? DEFAULT_COVERAGE_THRESHOLDS;
  const color = pct >= good ? "brightgreen" : pct >= fair ? "yellow" : "red";
  return endpoint("coverage", `${(Math.floor(pct * 10) / 10).toFixed(1)}%`, color, options);
}

export function regressionEndpoint(run: HpcResults, options: BadgeOptions = {}): ShieldsEndpoint {
  const b = assessBenchmarks(run.benchmarks, options);
  const worst = b.worstRegressionPct;
  if (typeof worst !== "number") return endpoint("regression", "no baseline", "lightgrey", options);
  // The colour follows the verdict: red for a regression that fails the run, yellow for a tentative one or
  // (without verdicts) any slowdown, green when the judge found the change within the noise band.
  const color =
    b.regressions.length > 0
      ? "red"
      : b.tentative.length > 0 || (!b.judged && worst > 0)
        ? "yellow"
        : "brightgreen";
  return endpoint("regression", signedPercent(worst), color, options);
}

/**
 * When the run was made: a date, since Shields and GitHub's image proxy hold a badge for minutes, so "x hours
 * ago" would be wrong when shown. Only the colour depends on `now`: orange once older than `staleAfterSeconds`.
 */
export function freshnessEndpoint(
  run: Pick<HpcResults, "generated_at">,
  now: Date,
  staleAfterSeconds: number,
  options: BadgeOptions = {},
): ShieldsEndpoint {
  const at = Date.parse(run.generated_at ?? "");
  if (Number.isNaN(at)) return endpoint("results", "date unknown", "lightgrey", options);
  const day = new Date(at).toISOString().slice(0, 10);
  const stale = (now.getTime() - at) / 1000 > staleAfterSeconds;
  return endpoint("results", day, stale ? "orange" : "blue", options);
}

/** The five badges of a pages folder, by file stem. */
export const PAGE_BADGES = ["tests", "benchmarks", "coverage", "regression", "freshness"] as const;
export type PageBadge = (typeof PAGE_BADGES)[number];

/** Every badge of a pages folder for the newest run; only freshness depends on `now`. */
export function pageEndpoints(
  run: HpcResults,
  now: Date,
  staleAfterSeconds: number,
  options: BadgeOptions = {},
): Record<PageBadge, ShieldsEndpoint> {
  return {
    tests: testsEndpoint(run, options),
    benchmarks: benchmarksEndpoint(run, options),
    coverage: coverageEndpoint(run, options),
    regression: regressionEndpoint(run, options),
    freshness: freshnessEndpoint(run, now, staleAfterSeconds, options),
  };
}

/** The two badges Mycelia's README reads from the root of the results branch. */
export function resultsEndpoints(run: HpcResults): { tests: ShieldsEndpoint; benchmarks: ShieldsEndpoint } {
  return { tests: testsEndpoint(run), benchmarks: benchmarksEndpoint(run) };
}

const PAGE_LABELS: Record<PageBadge, string> = {
  tests: "tests",
  benchmarks: "bench",
  coverage: "coverage",
  regression: "regression",
  freshness: "results",
};

/** The five badges while no run of the default branch has arrived: grey, saying which branch they wait for. */
export function awaitingEndpoints(
  branch: string,
  options: BadgeOptions = {},
): Record<PageBadge, ShieldsEndpoint> {
  const message = `no ${branch} run yet`.slice(0, 60);
  return Object.fromEntries(
    PAGE_BADGES.map((stem) => [stem, endpoint(PAGE_LABELS[stem], message, "lightgrey", options)]),
  ) as Record<PageBadge, ShieldsEndpoint>;
}
