// Execution counts by line number for the lcov and Julia .cov readers. A tracefile of 50 MB holds millions of DA lines;
// a Float64Array indexed by line number fills several times faster than a Map, and its memory lives
// outside the JavaScript heap, so the garbage collector never copies it. Line numbers far past the others
// (DA:999999999) go to a Map so that the array stays at most a few times the number of lines.

const ABSENT = -1;
const DENSE_LIMIT = 1 << 22;
const DENSE_SLACK = 64;

export class LineCounts {
  /** Index = line number; ABSENT where the line is not code. Counts are >= 0 (negatives read as 0). */
  private dense = new Float64Array(0);
  /** One past the highest line number held in `dense`. */
  private denseEnd = 0;
  private sparse: Map<number, number> | undefined;
  size = 0;

  /** `expectedLines`: room for lines 1..n from the start (a .cov file's source length is known). */
  constructor(expectedLines = 0) {
    if (expectedLines > 0)
      this.dense = new Float64Array(Math.min(expectedLines + 1, DENSE_LIMIT)).fill(ABSENT);
  }

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
        this.setDense(line, count);
        return;
      }
    } else if (line < DENSE_LIMIT && line <= this.size * 4 + DENSE_SLACK && !this.sparse?.has(line)) {
      const bigger = new Float64Array(Math.max(line + 1, dense.length * 2, 64)).fill(ABSENT);
      bigger.set(dense);
      this.dense = bigger;
      this.setDense(line, count);
      return;
    }
    const sparse = (this.sparse ??= new Map());
    const old = sparse.get(line);
    if (old === undefined) this.size++;
    sparse.set(line, (old ?? 0) + count);
  }

  private setDense(line: number, count: number): void {
    this.dense[line] = count;
    this.size++;
    if (line >= this.denseEnd) this.denseEnd = line + 1;
  }

  /** Visits every code line: the dense part by line number, then the rare far-off lines. */
  forEach(fn: (count: number, line: number) => void): void {
    const dense = this.dense;
    for (let line = 0; line < this.denseEnd; line++) {
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
