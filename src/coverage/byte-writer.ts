// Builds a large ASCII-mostly text as bytes. The lcov writer emits one short line per covered source line
// (hundreds of thousands for a big package); formatting those numbers straight into a buffer is several
// times faster than making a string per line (measured with bench/coverage.bench.mjs).

export class ByteWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  /** Appends text (UTF-8). */
  text(value: string): this {
    this.reserve(value.length * 3);
    this.pos += this.buf.write(value, this.pos, "utf8");
    return this;
  }

  /** Appends a number as `String(n)` would write it, fast for the non-negative safe integers of counts. */
  number(n: number): this {
    if (!(Number.isSafeInteger(n) && n >= 0)) return this.text(String(n));
    this.reserve(16);
    const buf = this.buf;
    let end = this.pos;
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    end += digits;
    for (let i = end - 1, rest = n; i >= this.pos; i--, rest = Math.floor(rest / 10))
      buf[i] = 48 + (rest % 10);
    this.pos = end;
    return this;
  }

  /** Appends one byte (an ASCII character code). */
  byte(code: number): this {
    this.reserve(1);
    this.buf[this.pos++] = code;
    return this;
  }

  toString(): string {
    return this.buf.toString("utf8", 0, this.pos);
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}
