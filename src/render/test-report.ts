// The tests of a run as Markdown: the named failures and the test-set table. Shared by the pull-request
// comment, the job summary and the `hpc/tests` check run, so that all three say the same. Names,
// expressions and errors from the run sit in code spans and blocks: shown literally, and never a mention,
// a reference or a link, in a comment or a job summary alike.
import type { TestCounts, TestFailure, TestsSection } from "../contract/types.js";
import { type Block, type Table, NAME_CHARACTERS, fit } from "./blocks.js";
import { codeBlock, codeSpan } from "./escape.js";
import { formatInteger } from "./run-table.js";
import { type SourceLinks, sourceUrl } from "./source-links.js";

export { type SourceLinks, sourceUrl };

/** Priorities in the budget of a comment (blocks.ts): failures before anything, passing sets after all. */
const FAILURES_PRIORITY = 2;
const FAILING_SETS_PRIORITY = 1;
const PASSING_SETS_PRIORITY = -1;

// --- failures ----------------------------------------------------------------------------------------------

const KIND_WORDS: Record<TestFailure["kind"], string> = {
  failed: "❌ **Test failed**",
  errored: "💥 **Error during test**",
};

const EARLIER_WORDS: Record<TestFailure["kind"], string> = {
  failed: "🔁 **Failed in an earlier run**",
  errored: "🔁 **Errored in an earlier run**",
};

/** An expression longer than this, or of several lines, gets a code block of its own. */
const INLINE_CHARACTERS = 160;
const BRIEF_CHARACTERS = 120;
const SET_CHARACTERS = 300;
const FLAKY_MARK = " · ⚠️ **flaky**";

function where(f: TestFailure, links: SourceLinks | undefined, label = KIND_WORDS[f.kind]): string {
  const set = f.testset?.length ? codeSpan(f.testset.join("/"), SET_CHARACTERS) : "the top level";
  const name = f.name ? ` › ${codeSpan(f.name, NAME_CHARACTERS)}` : "";
  let place = "";
  if (f.file) {
    const label = codeSpan(`${f.file}${f.line ? `:${f.line}` : ""}`, 200);
    const url = links && sourceUrl(f, links);
    place = ` at ${url ? `[${label}](${url})` : label}`;
  }
  return `${label} in ${set}${name}${place}${f.flaky ? FLAKY_MARK : ""}`;
}

/** `label: value` as a nested list item: inline when short, else a code block under it. */
function detail(label: string, value: string | undefined, maxLines: number): string[] {
  if (value === undefined || value.trim() === "") return [];
  const trimmed = value.replace(/\s+$/, "");
  if (!trimmed.includes("\n") && Array.from(trimmed).length <= INLINE_CHARACTERS) {
    return [`  - ${label}: ${codeSpan(trimmed, INLINE_CHARACTERS)}`];
  }
  return [`  - ${label}:`, codeBlock(trimmed, maxLines, 200, "    ")];
}

/** One failure in full: where, the expression, what it evaluated to, the first lines of the error. */
function failureItem(f: TestFailure, links?: SourceLinks): string {
  return [
    `- ${where(f, links)}`,
    ...detail("Expression", f.expression, 12),
    ...detail("Evaluated", f.evaluated, 12),
    ...detail(f.kind === "errored" ? "Error" : "Message", f.message, 8),
  ].join("\n");
}

/** One failure on one line: where, and the expression or the error's first line. */
function briefFailureItem(f: TestFailure, links?: SourceLinks, label?: string): string {
  const what = f.expression ?? f.message?.split("\n").find((line) => line.trim() !== "");
  return `- ${where(f, links, label)}${what ? `: ${codeSpan(what, BRIEF_CHARACTERS)}` : ""}`;
}

/**
 * The failures of a run: a list with each failure's test set, linked `file:line`, expression and error
 * (brief when the comment's budget is short), how many more the run counted, and the flaky ones explained.
 */
export function failureBlocks(tests: TestsSection, links?: SourceLinks): Block[] {
  const failures = tests.failures ?? [];
  const flakyNow = tests.flaky ?? [];
  const blocks: Block[] = [];
  const total = Math.max(tests.failures_total ?? 0, failures.length);
  const plural = (n: number, word: string) => `${formatInteger(n)} ${word}${n === 1 ? "" : "s"}`;
  if (failures.length > 0) {
    const shown = failures.length === total ? "" : `the first ${formatInteger(failures.length)} of `;
    blocks.push(
      `**What failed**: ${shown}${plural(total, "test")} that failed or errored, in the order the run ` +
        `reported them${links ? "; each `file:line` links to that line in the tested commit." : "."}`,
    );
    blocks.push({
      header: [],
      rows: failures.map((f) => failureItem(f, links)),
      briefRows: failures.map((f) => briefFailureItem(f, links)),
      noun: "failures",
      priority: FAILURES_PRIORITY,
    });
  }
  if (total > failures.length) {
    const log = tests.log_file
      ? `: the test log (${codeSpan(tests.log_file, 200)} on the cluster) has them all`
      : "";
    blocks.push(
      failures.length > 0
        ? `… and ${plural(total - failures.length, "more failure")}: a run keeps only its first ` +
            `${formatInteger(failures.length)} in full${log}.`
        : `${plural(total, "test")} failed or errored; the run kept none of them in full${log}.`,
    );
  }
  if (flakyNow.length > 0) {
    blocks.push(
      `**Passed now, failed before**: ${formatInteger(flakyNow.length)} test${flakyNow.length === 1 ? "" : "s"} ` +
        `that failed in an earlier run of this commit passed in this one.`,
    );
    blocks.push({
      header: [],
      rows: flakyNow.map((f) => briefFailureItem({ ...f, flaky: true }, links, EARLIER_WORDS[f.kind])),
      noun: "flaky tests",
      priority: FAILING_SETS_PRIORITY,
    });
  }
  if (failures.some((f) => f.flaky) || flakyNow.length > 0) blocks.push(flakyNote(tests.attempts));
  return blocks;
}

function flakyNote(attempts: number | undefined): string {
  const tested = attempts && attempts > 1 ? ` (this commit was tested ${formatInteger(attempts)} times)` : "";
  return (
    `⚠️ **flaky**: the test failed in one run and passed in another run of the same commit${tested}, ` +
    "so its result does not depend on the code alone."
  );
}

/** The failures as Markdown (the check run's summary uses this), within `maxCharacters`. */
export function failureList(tests: TestsSection, links: SourceLinks, maxCharacters = 30_000): string {
  return fit(failureBlocks(tests, links), maxCharacters);
}

// --- test sets ---------------------------------------------------------------------------------------------

const KINDS = ["passed", "failed", "errored", "broken", "skipped"] as const;
const HEADERS: Record<(typeof KINDS)[number] | "total", string> = {
  passed: "Passed",
  failed: "Failed",
  errored: "Errored",
  broken: "Broken",
  skipped: "Skipped",
  total: "Total",
};

function totalOf(c: TestCounts): number {
  return c.total ?? KINDS.reduce((sum, k) => sum + (c[k] ?? 0), 0);
}

const failing = (c: TestCounts) => (c.failed ?? 0) + (c.errored ?? 0) > 0;

/** A count with its change against the base, "12 (+2)"; failures and errors in bold. */
function cell(kind: (typeof KINDS)[number] | "total", now: number, before: number | undefined): string {
  const value =
    (kind === "failed" || kind === "errored") && now > 0 ? `**${formatInteger(now)}**` : formatInteger(now);
  const change = before === undefined ? 0 : now - before;
  return change === 0 ? value : `${value} (${change > 0 ? "+" : ""}${formatInteger(change)})`;
}

/**
 * The test sets as tables: those with failures or errors first, open; the others folded in <details>. With
 * `base`, each count shows its change against the base run's same set ("12 (+2)"), and sets the base did
 * not have are marked new. Rows in the run's order, which is the report's: parents before their children.
 */
export function testSetBlocks(tests: TestsSection, base?: TestsSection): Table[] {
  const suites = Object.entries(tests.suites ?? {});
  if (suites.length === 0) return [];
  const baseSuites = base?.suites;
  const columns = KINDS.filter((k) => k !== "skipped" || suites.some(([, c]) => (c.skipped ?? 0) > 0));
  const row = ([name, counts]: [string, TestCounts]) => {
    const before = baseSuites?.[name];
    const isNew = baseSuites !== undefined && before === undefined;
    const cells = columns.map((k) => cell(k, counts[k] ?? 0, before && (before[k] ?? 0)));
    cells.push(cell("total", totalOf(counts), before && totalOf(before)));
    return `| ${codeSpan(name, NAME_CHARACTERS, true)}${isNew ? " (new)" : ""} | ${cells.join(" | ")} |`;
  };
  const header = (first: string) => [
    `| ${first} | ${[...columns, "total" as const].map((k) => HEADERS[k]).join(" | ")} |`,
    `| --- | ${[...columns, "total"].map(() => "---:").join(" | ")} |`,
  ];
  const bad = suites.filter(([, c]) => failing(c));
  const good = suites.filter(([, c]) => !failing(c));
  const tables: Table[] = [];
  if (bad.length > 0) {
    tables.push({
      header: header("Test set with failures"),
      rows: bad.map(row),
      noun: "test sets with failures",
      priority: FAILING_SETS_PRIORITY,
    });
  }
  if (good.length > 0) {
    const n = formatInteger(good.length);
    tables.push({
      header: header("Test set"),
      rows: good.map(row),
      noun: "test sets",
      priority: PASSING_SETS_PRIORITY,
      fold:
        bad.length > 0
          ? `${n} test set${good.length === 1 ? "" : "s"} without failures`
          : `All ${n} test set${good.length === 1 ? "" : "s"}: no failures`,
    });
  }
  return tables;
}

/** The test sets as Markdown tables, within `maxCharacters`; `base` adds the change against the base run. */
export function testSetTable(tests: TestsSection, base?: TestsSection, maxCharacters = 30_000): string {
  return fit(testSetBlocks(tests, base), maxCharacters);
}
