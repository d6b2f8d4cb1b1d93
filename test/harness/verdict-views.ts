// Reads the benchmarks verdict back from every place that shows it (the CLI's exit code and log,
// <sha>/benchmarks.json and <sha>/hpc-results.json, ingest's outputs and job summary, the hpc/benchmarks
// status and check run, the pull request's comment, the badges, the dashboard page and its history.json), each as a View
// of what that place says, so that a test can ask that they all say what the judge stored.
import { expect } from "vitest";
import type { BenchmarksSummary, HpcResults } from "../../src/contract/types.js";
import type { CliRun } from "./cli.js";
import type { Shown } from "./through-actions.js";

/** A pull request's run as the CLI published it, and what the actions showed of it. */
export interface Places extends Shown {
  commit: string;
  cli: CliRun;
  benchmarksJson: BenchmarksSummary;
  hpcResults: HpcResults;
}

/** What one place says about a run; each place fills in what it shows. */
export interface View {
  gate?: "passed" | "failed";
  verdict?: string;
  regressions?: number;
  improvements?: number;
  regressed?: string[];
  improved?: string[];
  /** Each benchmark's verdict. */
  benchmarks?: Record<string, string>;
  /** The suite-wide shifts, as "suite on node". */
  shifts?: string[];
  /** To one decimal, as the badge shows it. */
  worstRegressionPct?: number | null;
}

interface Section {
  verdict?: string;
  results?: Record<string, { verdict?: string }>;
  benchmarks?: Record<string, { verdict?: string }>;
  shifts?: Array<{ suite?: string; node?: string }>;
  worst_regression_pct?: number | null;
}

const count = (text: string, word: string) => Number(new RegExp(`(\\d+) ${word}s?\\b`).exec(text)?.[1] ?? 0);
const named = (map: Record<string, string>, verdict: string) =>
  Object.keys(map)
    .filter((n) => map[n] === verdict)
    .sort();
const unescapeMd = (s: string) => s.replace(/&#95;/g, "_");
const pct = (x: number | null | undefined) => (typeof x === "number" ? Math.round(x * 10) / 10 : null);
const all = <T>(text: string, re: RegExp, f: (m: RegExpExecArray) => T) => [...text.matchAll(re)].map(f);

/** A benchmarks section as stored (benchmarks.json, hpc-results.json, ingest's run, history.json). */
function fromSection(section: Section): View {
  const results = section.results ?? section.benchmarks ?? {};
  const benchmarks = Object.fromEntries(Object.entries(results).map(([n, r]) => [n, r.verdict ?? "none"]));
  return {
    verdict: section.verdict,
    benchmarks,
    regressed: named(benchmarks, "regression"),
    improved: named(benchmarks, "improvement"),
    shifts: (section.shifts ?? []).map((s) => `${s.suite} on ${s.node}`),
    ...("worst_regression_pct" in section && { worstRegressionPct: pct(section.worst_regression_pct) }),
  };
}

/** From a table of benchmarks: their verdicts, and who regressed or improved. */
function fromRows(rows: Array<[string, string]>): View {
  const benchmarks = Object.fromEntries(rows);
  return {
    benchmarks,
    regressed: named(benchmarks, "regression"),
    improved: named(benchmarks, "improvement"),
  };
}

/** From a headline such as "failed: 1 regression, 1 improvement". */
function fromHeadline(failed: boolean, text: string): View {
  const gate = failed ? "failed" : "passed";
  return { gate, regressions: count(text, "regression"), improvements: count(text, "improvement") };
}

/** A status description or check-run title: the headline, and the regressions it names when failed. */
function fromStatus(failed: boolean, description: string): View {
  return {
    ...fromHeadline(failed, description),
    regressed: failed
      ? description
          .split(": ")[1]!
          .split(", ")
          .map((r) => r.split(" ")[0]!)
      : [],
  };
}

/** Every place's view of the run. */
export function views(seen: Places): Record<string, View> {
  const log = seen.cli.stdout + seen.cli.stderr;
  const listed = (v: string) => all(log, new RegExp(`benchmarks: ${v}: ([^:]+):`, "g"), (m) => m[1]!).sort();
  const ingested = JSON.parse(seen.ingest.outputs.results!) as HpcResults;
  const worst = seen.ingest.outputs["worst-regression-pct"]!;
  const summary = /\| Benchmarks \| (✅ passed|❌ failed) · (.*) \|/.exec(seen.ingest.summary)!;
  const heading = /#### Benchmarks (✅ passed|❌ failed): (.*)/.exec(seen.comment)!;
  const page = /<span class="status (\w+)">\w+<\/span> ([^<]*)/.exec(seen.dashboard)!;
  const entry = seen.history.runs.find((r) => r.commit === seen.commit)!;
  const { state, description } = seen.status;
  const badge = seen.badges.benchmarks.message;
  return {
    "CLI exit code and log": {
      gate: seen.cli.exitCode === 0 ? "passed" : "failed",
      verdict: /benchmarks: (\w+) against \d+ main run/.exec(log)?.[1],
      regressions: listed("regression").length,
      improvements: listed("improvement").length,
      regressed: listed("regression"),
      improved: listed("improvement"),
      shifts: all(log, /suite (\S+) moved x[\d.]+ together on node (\S+)/g, (m) => `${m[1]} on ${m[2]}`),
    },
    "<sha>/benchmarks.json": fromSection(seen.benchmarksJson),
    "<sha>/hpc-results.json": fromSection(seen.hpcResults.benchmarks!),
    "ingest outputs": {
      ...fromSection(ingested.benchmarks!),
      gate: seen.ingest.outputs["benchmarks-status"] as View["gate"],
      verdict: seen.ingest.outputs["benchmarks-verdict"],
      worstRegressionPct: pct(worst === "" ? null : Number(worst)),
    },
    "ingest job summary": fromHeadline(summary[1]!.endsWith("failed"), summary[2]!),
    "hpc/benchmarks status": fromStatus(state === "failure", description),
    "hpc/benchmarks check run": fromStatus(seen.checkRun.conclusion === "failure", seen.checkRun.title),
    comment: {
      ...fromHeadline(heading[1]!.endsWith("failed"), heading[2]!),
      ...fromRows(
        all(
          seen.comment,
          /^\| ((?:cpu|io)\/\S+) \|.* \| \S+ (\w+)(?: \([^)]*\))? \|[^|]*\|[^|]*\|$/gm,
          (m) => [unescapeMd(m[1]!), m[2]!],
        ),
      ),
      shifts: all(
        seen.comment,
        /Suite \*\*(\S+)\*\* moved [\d.]+× together on node \*\*(\S+)\*\*/g,
        (m) => `${unescapeMd(m[1]!)} on ${unescapeMd(m[2]!)}`,
      ),
    },
    "benchmarks badge": fromHeadline(badge.startsWith("failed"), badge),
    "regression badge": {
      gate: seen.badges.regression.color === "red" ? "failed" : "passed",
      worstRegressionPct: pct(Number(seen.badges.regression.message.replace("%", ""))),
    },
    "dashboard index.html": {
      ...fromHeadline(page[1] === "failed", page[2]!),
      ...fromRows(
        all(seen.dashboard, /<tr class="v-(\w+)"><td data-label="Benchmark">([^<]+)<\/td>/g, (m) => [
          m[2]!,
          m[1]!,
        ]),
      ),
    },
    "dashboard history.json": fromSection(entry.benchmarks!),
  };
}

/** What the judge stored, in every field a place can show. */
export function stored(seen: Places): Required<View> {
  const section = seen.hpcResults.benchmarks!;
  for (const r of Object.values(section.results ?? {})) expect(r.evidence?.tentative ?? false).toBe(false);
  const own = fromSection(section) as Required<View>;
  const gate = own.verdict === "regression" ? "failed" : "passed";
  return { ...own, gate, regressions: own.regressed.length, improvements: own.improved.length };
}
