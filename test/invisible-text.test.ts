// Bidirectional and invisible characters from cluster documents ("Trojan Source": U+202E turns text around,
// U+200B hides inside a name) are shown as U+FFFD in every sink: comment Markdown, job summary, HTML, the
// dashboard's JSON, commit status descriptions.
import { describe, expect, it } from "vitest";
import type { HpcResults } from "../src/contract/types.js";
import { planStatuses } from "../src/github/statuses.js";
import { assessRun } from "../src/render/assessment.js";
import {
  escapeGitHubText,
  escapeHtml,
  escapeMarkdown,
  forJobSummary,
  plainLine,
} from "../src/render/escape.js";
import { runTable } from "../src/render/run-table.js";
import { renderSummaryBody } from "../src/render/summary-body.js";
import { runAction } from "./harness/run-action.js";
import { ourRun, sha, writeOurRun } from "./harness/results-branch.js";
import { scratchDir } from "./harness/scratch.js";

const INVISIBLE = [
  ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e],
  ...[0x2066, 0x2067, 0x2068, 0x2069],
  ...[0x200b, 0x200c, 0x200d, 0x200e, 0x200f],
  0x061c,
  0xfeff,
].map((c) => String.fromCodePoint(c));
const ALL = INVISIBLE.join("");
const HIDDEN = new RegExp(`[${ALL}]`, "u");
// Our own zero-width spaces that break mentions are allowed in comments; nothing else is.
const HIDDEN_BUT_OURS = new RegExp(`[${INVISIBLE.filter((c) => c !== "\u200b").join("")}]`, "u");

const run: HpcResults = {
  schema_version: 1,
  commit: "b1d1".padEnd(40, "0"),
  branch: `main\u202e\u2066txt.exe`,
  generated_at: "2026-02-01T08:00:00Z",
  hpc: { cluster: `lr\u200b6`, node: "n\u061c1" },
  tests: {
    status: "failed",
    reason: `access\u202e denied ${ALL}`,
    suites: { [`unit\u2067/${ALL}`]: { passed: 1, failed: 1 } },
  },
  benchmarks: {
    status: "failed",
    reason: `slow\u202dbench ${ALL}`,
    results: { [`solve\u200f${ALL}`]: { median_ms: 5, delta_vs_baseline_pct: 50, regression: true } },
  },
};

describe("invisible and bidirectional characters", () => {
  it.each(INVISIBLE.map((c) => [`U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, c]))(
    "%s becomes U+FFFD in each escaper",
    (_name, c) => {
      const text = `a${c}b`;
      expect(escapeHtml(text)).toBe("a\ufffdb");
      expect(escapeMarkdown(text)).toBe("a\ufffdb");
      expect(plainLine(text)).toBe("a\ufffdb");
      expect(escapeGitHubText(text)).toBe("a\ufffdb");
      // The job summary drops zero-width spaces (those of escapeGitHubText) and shows the others.
      expect(forJobSummary(text)).toBe(c === "\u200b" ? "ab" : "a\ufffdb");
    },
  );

  it("the comment body shows them as U+FFFD and keeps only its own zero-width spaces", () => {
    const body = renderSummaryBody({ run, assessment: assessRun(run), links: {}, maxCharacters: 60000 });
    expect(body).not.toMatch(HIDDEN_BUT_OURS);
    expect(body).toContain("\ufffd");
    expect(forJobSummary(body)).not.toMatch(HIDDEN);
    expect(forJobSummary(runTable(run))).not.toMatch(HIDDEN);
  });

  it("commit status descriptions show them as U+FFFD", () => {
    const statuses = planStatuses(assessRun(run), { prefix: "hpc", skipped: "success" });
    expect(statuses.length).toBeGreaterThan(0);
    for (const s of statuses) expect(s.description).not.toMatch(HIDDEN);
    expect(statuses.map((s) => s.description).join(" ")).toContain("\ufffd");
  });

  it("ingest's annotations quote the data with U+FFFD in their place", async () => {
    const root = scratchDir("invisible-");
    const c = sha("invisible");
    const r = ourRun(c);
    r.tests = { ...r.tests, status: `pass\u202eed${ALL}` };
    writeOurRun(root, r);
    const run = await runAction("ingest-hpc-results", { cwd: root, inputs: { commit: c } });
    const errors = run.annotations.filter((a) => a.level === "error");
    expect(errors.map((a) => a.message).join("\n")).toMatch(/tests\.json at \/status: .*pass\ufffded/);
    for (const a of run.annotations) expect(a.message).not.toMatch(HIDDEN);
  });
});
