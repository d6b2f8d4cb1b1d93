// Escaping of untrusted text (from cluster documents) before it reaches Markdown or HTML.

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

// Characters that Markdown would read as syntax, tables as cell breaks, or GitHub as a
// mention or issue link; written as numeric entities, which GitHub shows as plain text.
const MARKDOWN_SPECIAL = /[&<>"'|\\`*_[\]~!@#:$]/g;

/** Untrusted text as inline Markdown that renders literally: no HTML, links, mentions or table breaks. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").replace(MARKDOWN_SPECIAL, (c) => `&#${c.charCodeAt(0)};`);
}

/** Cuts `text` to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
