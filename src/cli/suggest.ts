// "Did you mean ...?" for a mistyped command or flag: the known word nearest by edit distance.

/** Levenshtein distance, counting a swap of two neighbours as one edit (a common typo). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The nearest of `known` to `word`, when it is near enough to be a typo of it (or starts the same). */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(word.toLowerCase(), name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (best && best.distance <= limit) return best.name;
  // A prefix long enough to mean something ("--bench" for "--benchmarks-only").
  const prefixed = known.filter((name) => word.length >= 3 && name.startsWith(word.toLowerCase()));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

export function didYouMean(word: string, known: readonly string[]): string {
  const found = nearest(word, known);
  return found ? `; did you mean \`${found}\`?` : "";
}
