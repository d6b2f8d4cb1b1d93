// Escaping of untrusted text (from cluster documents) before it reaches Markdown or HTML.

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Bidirectional overrides and isolates (U+202A-202E, U+2066-2069, U+061C), zero-width and direction marks
 * (U+200B-200F) and U+FEFF: invisible, they can reorder or hide what a reader sees ("Trojan Source").
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Untrusted text with every invisible or direction-changing character shown as U+FFFD. */
export function neutralizeInvisible(text: string): string {
  return text.replace(INVISIBLE, "\ufffd");
}

export function escapeHtml(text: string): string {
  return neutralizeInvisible(text).replace(/[&<>"']/g, (c) => HTML[c]!);
}

// Characters that Markdown would read as syntax, tables as cell breaks, or GitHub as a
// mention or issue link; written as numeric entities, which GitHub shows as plain text.
const MARKDOWN_SPECIAL = /[&<>"'|\\`*_[\]~!@#:$]/g;
const MARKDOWN_SPECIAL_SET = new Set("&<>\"'|\\`*_[]~!@#:$");

/** Untrusted text as inline Markdown that renders literally: no HTML, links, mentions or table breaks. */
export function escapeMarkdown(text: string): string {
  return markdownEntities(neutralizeInvisible(text));
}

function markdownEntities(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").replace(MARKDOWN_SPECIAL, (c) => `&#${c.charCodeAt(0)};`);
}

const ESCAPED_ENTITY = /&#(\d+);/g;

/**
 * Comment Markdown made for the job summary, which is rendered Markdown that notifies and links no one: the
 * invisible spaces that break mentions and references in comments go, and the numeric entities of
 * escapeMarkdown become backslash escapes, which CommonMark shows as the bare character. Data is never
 * inside a code span or an HTML block of ours, where a backslash would show.
 */
export function forJobSummary(markdown: string): string {
  return outsideCode(markdown, (prose) =>
    neutralizeInvisible(prose.replaceAll(ZWSP, "")).replace(ESCAPED_ENTITY, (entity, code: string) => {
      const c = String.fromCharCode(Number(code));
      return MARKDOWN_SPECIAL_SET.has(c) ? `\\${c}` : entity;
    }),
  );
}

/**
 * Applies `change` to the Markdown outside code spans and fences. Only ours hold backticks (escaped data
 * never does), and each is closed by the next run of exactly as many backticks, as CommonMark closes them,
 * because codeSpan and codeBlock choose a fence longer than any run in their content.
 */
function outsideCode(markdown: string, change: (prose: string) => string): string {
  const parts = markdown.split(/(`+)/);
  let out = "";
  let prose = "";
  for (let i = 0; i < parts.length; i++) {
    const fence = parts[i]!;
    const close = i % 2 === 1 ? parts.indexOf(fence, i + 2) : -1;
    if (close === -1) {
      prose += fence;
      continue;
    }
    out += change(prose) + parts.slice(i, close + 1).join("");
    prose = "";
    i = close;
  }
  return out + change(prose);
}

/** Cuts `text` to at most `max` characters as GitHub counts them (code points), marking the cut. */
export function truncateCharacters(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/**
 * Cuts `text` to at most `maxBytes` bytes of UTF-8 (GitHub's measure for check-run output), at a code
 * point, never inside one, ending with `marker` when cut.
 */
export function truncateUtf8Bytes(text: string, maxBytes: number, marker = "…"): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  if (Buffer.byteLength(marker) > maxBytes) marker = "";
  const room = Math.max(0, maxBytes - Buffer.byteLength(marker));
  let used = 0;
  let end = 0;
  for (const point of text) {
    const size = Buffer.byteLength(point);
    if (used + size > room) break;
    used += size;
    end += point.length;
  }
  return `${text.slice(0, end)}${marker}`;
}

/**
 * One line of plain text: control characters (newlines included) become spaces, runs of spaces one,
 * invisible and direction-changing characters U+FFFD.
 */
export function plainLine(text: string): string {
  return (
    neutralizeInvisible(text)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
      .replace(/ {2,}/g, " ")
      .trim()
  );
}

const ZWSP = "\u200b";

/**
 * Untrusted text for a GitHub comment or job summary: truncated, one line, and escaped as escapeMarkdown does.
 * GitHub links mentions, issue references, commit ids, URLs and e-mail addresses in the rendered text, after
 * entities are decoded, so those get an invisible zero-width space that breaks the pattern.
 */
export function escapeGitHubText(text: string, maxCharacters = 200): string {
  const broken = truncateCharacters(plainLine(text), maxCharacters)
    .replace(/[@#]/g, `$&${ZWSP}`)
    .replace(/\b(gh)-/gi, `$1${ZWSP}-`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\b(www)\./gi, `$1${ZWSP}.`)
    // Seven or more hex digits may name a commit: keep every run shorter than that.
    .replace(/\b[0-9a-f]{7,}\b/gi, (run) => run.replace(/[0-9a-f]{6}(?=[0-9a-f])/gi, `$&${ZWSP}`));
  // Not escapeMarkdown: plainLine neutralized the text's own invisible characters, these ZWSPs are ours.
  return markdownEntities(broken);
}

/** Data for inside a code span or block: invisible characters shown, other control characters as spaces. */
function codeText(text: string): string {
  return (
    neutralizeInvisible(text)
      .replace(/\r\n?|[\u2028\u2029]/g, "\n")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, " ")
  );
}

function longestBackticks(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/**
 * Untrusted text as an inline code span, shown literally in comments and job summaries alike: GitHub links
 * no mention, reference, commit or URL inside code, so nothing needs breaking. One line, at most
 * `maxCharacters`; the fence is longer than any run of backticks inside. In a table cell, "|" is escaped
 * as GFM requires there (and only there: elsewhere the backslash would show).
 */
export function codeSpan(text: string, maxCharacters = 200, inTable = false): string {
  let content = truncateCharacters(plainLine(text), maxCharacters);
  if (inTable) content = content.replace(/\|/g, "\\|");
  if (content === "") return "` `";
  const fence = "`".repeat(longestBackticks(content) + 1);
  // CommonMark strips one space from each end when both are there; a backtick at an end needs them.
  const padded = /^[` ]|[` ]$/.test(content) ? ` ${content} ` : content;
  return `${fence}${padded}${fence}`;
}

/**
 * Untrusted text as a fenced code block: at most `maxLines` lines of at most `lineCharacters` each, every
 * line (fences too) indented by `indent` so that the block can sit inside a list item.
 */
export function codeBlock(text: string, maxLines = 8, lineCharacters = 200, indent = ""): string {
  const all = codeText(text).replace(/\s+$/, "").split("\n");
  const lines = all.slice(0, maxLines).map((line) => truncateCharacters(line.trimEnd(), lineCharacters));
  if (all.length > maxLines) lines.push(`… ${all.length - maxLines} more lines`);
  const fence = "`".repeat(Math.max(3, longestBackticks(lines.join("\n")) + 1));
  return [fence, ...lines, fence].map((line) => (line === "" ? line : indent + line)).join("\n");
}
