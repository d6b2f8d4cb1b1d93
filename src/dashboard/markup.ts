// Small pieces of the dashboard's HTML shared by its sections. Every string from the data goes through
// escapeHtml; links are built only from a checked repository name and commit ids (hex digits).
import type { HpcResults, TestFailure } from "../contract/types.js";
import { escapeHtml as h } from "../render/escape.js";
import { sourceUrl } from "../render/test-report.js";
import { formatTimestamp } from "../render/run-table.js";

const STATUS_CLASS = new Set(["passed", "failed", "skipped"]);

export function statusPill(status: string | undefined): string {
  const word = status ?? "not run";
  return `<span class="status ${STATUS_CLASS.has(word) ? word : "unknown"}">${h(word)}</span>`;
}

export class Links {
  constructor(
    private readonly repository: string | undefined,
    private readonly serverUrl: string,
  ) {}

  commit(commit: string, length = 10): string {
    const code = `<code title="${h(commit)}">${h(commit.slice(0, length))}</code>`;
    if (!this.repository || !/^[0-9a-f]+$/.test(commit)) return code;
    return `<a href="${h(`${this.serverUrl}/${this.repository}/commit/${commit}`)}">${code}</a>`;
  }

  /**
   * The failure's file at the tested commit, at its line; none for a path that could leave the repository
   * (absolute, or with "." or ".." segments, which a browser resolves before it asks).
   */
  source(failure: TestFailure, commit: string): string | undefined {
    const file = failure.file ?? "";
    if (!this.repository || !/^[0-9a-f]+$/.test(commit)) return undefined;
    if (file.startsWith("/") || file.split(/[/\\]/).some((s) => s === "." || s === ".." || s === ""))
      return undefined;
    return sourceUrl(failure, { serverUrl: this.serverUrl, repository: this.repository, commit });
  }

  repositoryLink(): string {
    if (!this.repository) return "";
    return ` <a class="repo" href="${h(`${this.serverUrl}/${this.repository}`)}">${h(this.repository)}</a>`;
  }
}

export function day(run: HpcResults): string {
  return (formatTimestamp(run.generated_at) ?? "unknown").slice(0, 10);
}

/** A table; each cell carries its column's name, which narrow screens show beside the value. */
export function table(
  head: readonly string[],
  rows: string[][],
  numeric: boolean[] = [],
  classes?: string[],
): string {
  const cell = (tag: string, i: number, html: string) =>
    `<${tag}${numeric[i] ? ' class="n"' : ""}${tag === "td" ? ` data-label="${h(head[i] ?? "")}"` : ""}>${html}</${tag}>`;
  const row = (r: string[], i: number) =>
    `<tr${classes?.[i] ? ` class="${classes[i]}"` : ""}>${r.map((x, j) => cell("td", j, x)).join("")}</tr>`;
  return (
    `<div class="scroll"><table><thead><tr>${head.map((x, i) => cell("th", i, h(x))).join("")}</tr></thead>` +
    `<tbody>${rows.map(row).join("")}</tbody></table></div>`
  );
}

export function chartCard(title: string, chart: string, extra = ""): string {
  return `<div class="card"><h3>${h(title)}</h3>${extra}${chart}<p class="readout">Point at the chart to see a run.</p></div>`;
}
