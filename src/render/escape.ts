// Escaping of untrusted text (from cluster documents) before it reaches Markdown or HTML.

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

// Characters that Markdown would read as syntax, tables as cell breaks, or GitHub as a
// mention or issue link; written as numeric entities, which GitHub shows as plain text.
const MARKDOWN_SPECIAL = /[&<>"'|\\`*_[\]~!@#:$]/g;
const MARKDOWN_SPECIAL_SET = new Set("&<>\"'|\\`*_[]~!@#:$");

/** Untrusted text as inline Markdown that renders literally: no HTML, links, mentions or table breaks. */
export function escapeMarkdown(text: string): string {
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
  return markdown.replaceAll(ZWSP, "").replace(ESCAPED_ENTITY, (entity, code: string) => {
    const c = String.fromCharCode(Number(code));
    return MARKDOWN_SPECIAL_SET.has(c) ? `\\${c}` : entity;
  });
}

/** Cuts `text` to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Cuts `text` to at most `max` characters as GitHub counts them (code points), marking the cut. */
export function truncateCharacters(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** One line of plain text: control characters (newlines included) become spaces, runs of spaces one. */
export function plainLine(text: string): string {
  return (
    text
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
  return escapeMarkdown(broken);
}

/**
 * A value as JSON to embed in an HTML `<script type="application/json">`: "<", ">" and "&" as \u escapes, so
 * that no string in it can close the element or open a comment; U+2028 and U+2029 too, for older parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
