// Writes lcov tracefiles in geninfo's record order (TN, SF, FN, FNDA, FNF, FNH, BRDA, BRF, BRH, DA, LF,
// LH, end_of_record), files sorted by path and everything else by number, so the same coverage always
// gives the same bytes. Records of one path are summed into one.
import { mergeByPath, type FileCoverage } from "./file-coverage.js";

export interface LcovWriteOptions {
  /** The `TN:` test name; lcov allows only word characters. Default "" (what geninfo writes by default). */
  testName?: string;
}

export function toLcov(files: Iterable<FileCoverage>, options: LcovWriteOptions = {}): string {
  const testName = options.testName ?? "";
  if (/\W/.test(testName))
    throw new Error(`lcov test name may hold only letters, digits and "_": ${testName}`);
  const out: string[] = [];
  for (const file of mergeByPath(files)) {
    if (/[\r\n]/.test(file.path))
      throw new Error(`a file path in lcov cannot hold a line break: ${JSON.stringify(file.path)}`);
    out.push(`TN:${testName}`, `SF:${file.path}`);
    writeFunctions(out, file);
    writeBranches(out, file);
    let hit = 0;
    for (const line of [...file.lines.keys()].sort(byNumber)) {
      const count = file.lines.get(line) as number;
      if (count > 0) hit++;
      out.push(`DA:${line},${count}`);
    }
    out.push(`LF:${file.lines.size}`, `LH:${hit}`, "end_of_record");
  }
  return out.length === 0 ? "" : out.join("\n") + "\n";
}

function writeFunctions(out: string[], file: FileCoverage): void {
  if (!file.functions || file.functions.size === 0) return;
  const functions = [...file.functions].sort(
    ([nameA, a], [nameB, b]) =>
      (a.line ?? Infinity) - (b.line ?? Infinity) || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0),
  );
  for (const [name, fn] of functions) if (fn.line !== undefined) out.push(`FN:${fn.line},${name}`);
  let hit = 0;
  for (const [name, fn] of functions) {
    if (fn.hits > 0) hit++;
    out.push(`FNDA:${fn.hits},${name}`);
  }
  out.push(`FNF:${functions.length}`, `FNH:${hit}`);
}

function writeBranches(out: string[], file: FileCoverage): void {
  if (!file.branches || file.branches.size === 0) return;
  const branches = [...file.branches.values()].sort(
    (a, b) => a.line - b.line || a.block - b.block || a.branch - b.branch,
  );
  let hit = 0;
  for (const br of branches) {
    if (br.taken !== null && br.taken > 0) hit++;
    out.push(`BRDA:${br.line},${br.block},${br.branch},${br.taken ?? "-"}`);
  }
  out.push(`BRF:${branches.length}`, `BRH:${hit}`);
}

function byNumber(a: number, b: number): number {
  return a - b;
}
