// The one form of every timestamp the kit writes: UTC to the whole second with "Z" (2026-03-01T10:05:00Z),
// as GitHub writes times, so that two of them compare as strings (in a shell, too).
export function utcSeconds(date: Date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
