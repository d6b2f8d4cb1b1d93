/**
 * One bash word for any string: bare when it only has characters the shell never interprets,
 * otherwise in single quotes, where nothing is special but the quote itself (closed, escaped, reopened).
 * Bash cannot hold a NUL byte in a word, so one is refused rather than silently cut.
 */
export function shellQuote(value: string): string {
  if (value.includes("\0")) throw new Error("a shell word cannot contain a NUL character");
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
