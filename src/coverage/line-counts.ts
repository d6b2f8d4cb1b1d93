// Execution counts by line number for the lcov reader. A tracefile of 50 MB holds millions of DA lines,
// and a plain array indexed by line number fills about twice as fast as a Map (less to allocate and
// collect); line numbers far past the others (DA:999999999) go to a Map so that the array stays small.

const ABSENT = -1;
const DENSE_LIMIT = 1 << 22;
const DENSE_SLACK = 64;

export class LineCounts {
  /** Index = line number; ABSENT where the line is not code. Counts are >= 0 (negatives read as 0). */
  private readonly dense: number[] = [];
  private sparse: Map<number, number> | undefined;
  size = 0;

  /** Adds a count (>= 0) to a line, making the line code if it was not. A line lives in one place only. */
  add(line: number, count: number): void {
    const dense = this.dense;
    if (line < dense.length) {
      const old = dense[line] as number;
      if (old !== ABSENT) {
        dense[line] = old + count;
        return;
      }
      if (!this.sparse?.has(line)) {
        dense[line] = count;
        this.size++;
        return;
      }
    } else if (line < DENSE_LIMIT && line <= this.size * 4 + DENSE_SLACK && !this.sparse?.has(line)) {
      while (dense.length < line) dense.push(ABSENT);
      dense.push(count);
      this.size++;
      return;
    }
    const sparse = (this.sparse ??= new Map());
    const old = sparse.get(line);
    if (old === undefined) this.size++;
    sparse.set(line, (old ?? 0) + count);
  }

  /** Visits every code line: the dense part by line number, then the rare far-off lines. */
  forEach(fn: (count: number, line: number) => void): void {
    const dense = this.dense;
    for (let line = 0; line < dense.length; line++) {
      const count = dense[line] as number;
      if (count !== ABSENT) fn(count, line);
    }
    this.sparse?.forEach(fn);
  }

  toMap(): Map<number, number> {
    const map = new Map<number, number>();
    this.forEach((count, line) => map.set(line, count));
    return map;
  }
}
