// Durations as batch schedulers write them, and as we write them for people.
//
// Slurm (src/common/parse_time.c): time limits are given as "minutes", "minutes:seconds",
// "hours:minutes:seconds", "days-hours", "days-hours:minutes" or "days-hours:minutes:seconds", and squeue
// prints "M:SS" below an hour, "H:MM:SS" below a day, "D-HH:MM:SS" above; "UNLIMITED" (or "INFINITE")
// for no limit, "NOT_SET" and "INVALID" when there is nothing meaningful to print.
// PBS/Torque (qstat -f): "[[hours:]minutes:]seconds", hours unbounded; a bare number is seconds.

/** Seconds, Infinity for an unlimited time, undefined when the text says nothing usable. */
export function parseSlurmTime(text: string | undefined): number | undefined {
  const t = (text ?? "").trim();
  if (/^(?:UNLIMITED|INFINITE)$/i.test(t)) return Number.POSITIVE_INFINITY;
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(t);
  if (!m) return undefined;
  const [, days, a, b, c] = m;
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  let seconds: number;
  if (days !== undefined)
    seconds = n(days) * 86400 + n(a) * 3600 + n(b) * 60 + n(c); // D-H[:M[:S]]
  else if (c !== undefined)
    seconds = n(a) * 3600 + n(b) * 60 + n(c); // H:M:S
  else if (b !== undefined)
    seconds = n(a) * 60 + n(b); // M:S
  else seconds = n(a) * 60; // M
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** PBS's "[[hours:]minutes:]seconds[.fraction]" in whole seconds, or undefined. */
export function parsePbsTime(text: string | undefined): number | undefined {
  const m = /^(?:(?:(\d+):)?(\d+):)?(\d+)(?:\.\d+)?$/.exec((text ?? "").trim());
  if (!m) return undefined;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3]);
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** "45s", "9m", "9m30s", "2h", "1h30m", "3d4h": the two largest units, rounded down. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "unlimited";
  let rest = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (parts.length > 0 && parts.length < 2)) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  // "1h0m" reads worse than "1h".
  const text = parts.filter((p, i) => i === 0 || !p.startsWith("0")).join("");
  return text === "" ? "0s" : text;
}
