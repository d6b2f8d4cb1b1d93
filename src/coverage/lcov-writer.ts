// Writes lcov tracefiles in geninfo's record order (TN, SF, FN, FNDA, FNF, FNH, BRDA, BRF, BRH, DA, LF,
// LH, end_of_record), files sorted by path and everything else by number, so the same coverage always
// gives the same bytes. Records of one path are summed into one.
import { ByteWriter } from "./byte-writer.js";
import { mergeByPath, type FileCoverage } from "./file-coverage.js";

export interface LcovWriteOptions {
  /** The `TN:` test name; lcov allows only word characters. Default "" (what geninfo writes by default). */
  testName?: string;
}

const NEWLINE = 10;
const COMMA = 44;

export function toLcov(files: Iterable<FileCoverage>, options: LcovWriteOptions = {}): string {
  const testName = options.testName ?? "";
  if (/\W/.test(testName))
    throw new Error(`lcov test name may hold only letters, digits and "_": ${testName}`);
  const out = new ByteWriter();
  for (const file of mergeByPath(files)) {
    if (/[\r\n]/.test(file.path))
      throw new Error(`a file path in lcov cannot hold a line break: ${JSON.stringify(file.path)}`);
    out.text(`TN:${testName}\nSF:${file.path}\n`);
    writeFunctions(out, file);
    writeBranches(out, file);
    let hit = 0;
    linesInOrder(file.lines).forEach((count, line) => {
      if (count > 0) hit++;
      out.text("DA:").number(line).byte(COMMA).number(count).byte(NEWLINE);
    });
    out.text(`LF:${file.lines.size}\nLH:${hit}\nend_of_record\n`);
  }
  return out.toString();
}

function writeFunctions(out: ByteWriter, file: FileCoverage): void {
  if (!file.functions || file.functions.size === 0) return;
  const functions = [...file.functions].sort(
    ([nameA, a], [nameB, b]) =>
      (a.line ?? Infinity) - (b.line ?? Infinity) || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0),
  );
  for (const [name, fn] of functions) if (fn.line !== undefined) out.text(`FN:${fn.line},${name}\n`);
  let hit = 0;
  for (const [name, fn] of functions) {
    if (fn.hits > 0) hit++;
    out.text(`FNDA:${fn.hits},${name}\n`);
  }
  out.text(`FNF:${functions.length}\nFNH:${hit}\n`);
}

function writeBranches(out: ByteWriter, file: FileCoverage): void {
  if (!file.branches || file.branches.size === 0) return;
  const branches = [...file.branches.values()].sort(
    (a, b) => a.line - b.line || a.block - b.block || a.branch - b.branch,
  );
  let hit = 0;
  for (const br of branches) {
    if (br.taken !== null && br.taken > 0) hit++;
    out.text(`BRDA:${br.line},${br.block},${br.branch},${br.taken ?? "-"}\n`);
  }
  out.text(`BRF:${branches.length}\nBRH:${hit}\n`);
}

/** The readers fill their maps in line order almost always, so sorting is mostly skipped. */
function linesInOrder(lines: Map<number, number>): Map<number, number> {
  let previous = -Infinity;
  let sorted = true;
  lines.forEach((_, line) => {
    if (line < previous) sorted = false;
    previous = line;
  });
  return sorted ? lines : new Map([...lines].sort((a, b) => a[0] - b[0]));
}
