// The failing tests of the newest run, named: test set, `file:line` linked to the file at the tested
// commit, the expression and what it evaluated to, the first lines of the error. The same facts as the
// comment's list (render/test-report), as HTML; every text from the run is escaped.
import type { HpcResults, TestFailure } from "../contract/types.js";
import { escapeHtml as h } from "../render/escape.js";
import { formatInteger } from "../render/run-table.js";
import type { Links } from "./markup.js";

function place(f: TestFailure, commit: string, links: Links): string {
  if (!f.file) return "";
  const where = `<code>${h(f.file)}${f.line ? `:${f.line}` : ""}</code>`;
  const url = links.source(f, commit);
  return ` at ${url ? `<a class="source" href="${h(url)}">${where}</a>` : where}`;
}

function failureItem(f: TestFailure, commit: string, links: Links): string {
  const set = f.testset?.length ? h(f.testset.join(" / ")) : `<span class="muted">(top level)</span>`;
  const name = f.name ? ` <strong>${h(f.name)}</strong>` : "";
  const detail = [
    f.expression !== undefined && `<dt>Expression</dt><dd><code>${h(f.expression)}</code></dd>`,
    f.evaluated !== undefined && `<dt>Evaluated</dt><dd><code>${h(f.evaluated)}</code></dd>`,
    f.message !== undefined && `<dt>Error</dt><dd><pre>${h(f.message)}</pre></dd>`,
  ].filter(Boolean);
  return (
    `<li class="failure"><span class="status failed">${h(f.kind)}</span> ${set}${name}${place(f, commit, links)}` +
    (f.flaky ? ` <span class="flaky">flaky: passed on another run of this commit</span>` : "") +
    (detail.length ? `<dl>${detail.join("")}</dl>` : "") +
    `</li>`
  );
}

/** The list, or "" when the run names no failing test. */
export function failingTests(run: HpcResults, links: Links): string {
  const failures = run.tests?.failures ?? [];
  if (failures.length === 0) return "";
  const total = Math.max(run.tests?.failures_total ?? failures.length, failures.length);
  const shown =
    total > failures.length
      ? `the first ${failures.length} of ${formatInteger(total)}; the run's log has the rest`
      : `${failures.length}`;
  return (
    `<h3 id="failing-tests">Failing tests (${shown})</h3>` +
    `<ul class="failures">${failures.map((f) => failureItem(f, run.commit, links)).join("")}</ul>`
  );
}
