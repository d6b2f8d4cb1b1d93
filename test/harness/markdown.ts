// Markdown rendered as GitHub renders it: cmark-gfm (GitHub's fork of cmark, Debian package cmark-gfm) with
// the extensions github.com enables. GitHub's own filters after it (mentions, references, autolinked commit
// ids) skip code and links; visibleText shows what is left for them.
import { execFileSync } from "node:child_process";

export function renderGfm(markdown: string): string {
  return execFileSync(
    "cmark-gfm",
    ["--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "tasklist"],
    { input: markdown, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };

/** HTML text with its character references decoded: what a reader sees. */
export function decodeHtml(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return ENTITIES[name] ?? String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? entity;
  });
}

/** The contents of every <code> element, decoded. */
export function codeTexts(html: string): string[] {
  return [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => decodeHtml(m[1]!));
}

/**
 * The text GitHub's mention, reference and autolink filters would see: the rendered HTML without code,
 * without the text of links (already links) and without tags, decoded.
 */
export function visibleText(html: string): string {
  return decodeHtml(
    html
      .replace(/<pre>[\s\S]*?<\/pre>/g, " ")
      .replace(/<code>[\s\S]*?<\/code>/g, " ")
      .replace(/<a [^>]*>[\s\S]*?<\/a>/g, " ")
      .replace(/<[^>]+>/g, " "),
  );
}

/** The href of every link, decoded. */
export function linkTargets(html: string): string[] {
  return [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => decodeHtml(m[1]!));
}
