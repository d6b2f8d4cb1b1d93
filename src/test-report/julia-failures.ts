// Failed and errored tests in a Julia test log, as stdlib Test prints them when a DefaultTestSet records
// a Fail or an Error (record(ts::DefaultTestSet, t) prints the innermost set's description, ": ", then the
// result's show method, then for a Fail the backtrace):
//
//   io: Test Failed at /global/homes/u/user/Pkg/test/io.jl:12            show(::Fail)
//     Expression: length(records) == 3
//      Evaluated: 2 == 3                           (a comparison; "    Expected:"/"      Thrown:" for
//      Context: x = 1                              @test_throws; "     Context:" from Julia 1.9)
//                                                  (a blank line from Julia 1.9)
//   Stacktrace:
//    [1] macro expansion ...
//   reader: Error During Test at /global/homes/u/user/Pkg/test/parse/reader.jl:27    show(::Error)
//     Test threw exception                         (or "Got exception outside of a @test",
//     Expression: read_fastq("missing.fq")         " Unexpected Pass", "Expression evaluated to non-Boolean")
//     SystemError: opening file "missing.fq" ...   the error, every line indented by two spaces,
//     Stacktrace:                                  then its own stack trace
//
// Outside any @testset (the fallback test set) the description is missing; custom test sets may print
// "Error in testset <name>:" on the line before. Only the innermost description is printed: the full path
// comes from the `Test Summary:` table that follows (it lists every set with a failure) when the name
// is unambiguous there. The file is the path Julia was given (the cluster's, absolute), mapped later.
import type { TestFailure } from "../contract/types.js";
import { segmentName } from "./counts.js";
import { FailureCollector, MAX_MESSAGE_LINES, type FailureReport } from "./failures.js";
import { type JuliaTestReport, type SummaryRow, logLines } from "./julia-summary.js";

// Test's own, then @test_logs' (Test/src/logging.jl) and JET's @test_call / @test_opt, which print alike.
const HEADERS = [
  { text: "Test Failed at ", kind: "failed" },
  { text: "Error During Test at ", kind: "errored" },
  { text: "Log Test Failed at ", kind: "failed" },
  { text: "JET-test failed at ", kind: "failed" },
] as const;
const LOCATION = /^(.*):(\d{1,10})\s*$/;
const LABELLED = /^\s*(Expected|Thrown|Message|Context|Value): /;
const MAX_EXPRESSION_LINES = 50;
const MAX_BLOCK_LINES = 200;
/** show(::Error) says this before the expression of every test that threw: implied by kind "errored". */
const IMPLIED = "Test threw exception";
const STACKTRACE = "Stacktrace:";
const ERROR_IN_TESTSET = /^Error in testset (.*):\s*$/;
/** What Distributed puts before each line a worker prints: "      From worker 2:\t". */
const WORKER = /^\s*From worker \d+:\t?/;

interface Header {
  kind: TestFailure["kind"];
  /** The worker prefix of the header line, which every line of the block carries too. */
  worker?: string;
  description?: string;
  file: string;
  line: number;
}

/**
 * The failures of a Julia test log, paths as printed. `summary` (parseJuliaTestSummary of the same log)
 * turns each innermost test set name into its full path.
 */
export function parseJuliaFailures(log: string, summary?: JuliaTestReport): FailureReport {
  const lines = logLines(log);
  const collector = new FailureCollector();
  for (let i = 0; i < lines.length; i++) {
    const header = parseHeader(lines[i] as string, lines[i - 1]);
    if (!header) continue;
    if (collector.full) {
      collector.add({ kind: header.kind });
      continue;
    }
    const block = readBlock(lines, i + 1, header);
    const testset = header.description === undefined ? undefined : testsetPath(header, i, summary);
    collector.add({
      kind: header.kind,
      ...(testset && { testset }),
      ...(header.file !== "none" && { file: header.file, line: header.line }),
      ...block.fields,
    });
    i = block.end - 1;
  }
  return collector.report();
}

function parseHeader(line: string, previous: string | undefined): Header | undefined {
  for (const { text, kind } of HEADERS) {
    const at = line.indexOf(text);
    if (at === -1) continue;
    const worker = WORKER.exec(line)?.[0];
    const prefix = line.slice(worker?.length ?? 0, at);
    if (prefix !== "" && !prefix.endsWith(": ")) continue;
    const location = LOCATION.exec(line.slice(at + text.length));
    if (!location) continue;
    let description = prefix === "" ? undefined : prefix.slice(0, -2);
    if (description === undefined && previous !== undefined)
      description = ERROR_IN_TESTSET.exec(previous)?.[1];
    const file = (location[1] as string).trim();
    return { kind, ...(worker && { worker }), description, file, line: Number(location[2]) };
  }
  return undefined;
}

function isHeader(line: string): boolean {
  return parseHeader(line, undefined) !== undefined || line.includes("Test Summary:");
}

interface Block {
  fields: Pick<TestFailure, "expression" | "evaluated" | "message">;
  /** The index of the first line after the block. */
  end: number;
}

function readBlock(all: string[], start: number, { kind, worker }: Header): Block {
  // The lines a block can span at most; a worker's block is those with its prefix, read without it.
  const lines: string[] = [];
  for (let j = start; j < all.length && j < start + MAX_BLOCK_LINES; j++) {
    const line = all[j] as string;
    if (worker === undefined) lines.push(line);
    else if (line.startsWith(worker)) lines.push(line.slice(worker.length));
    else break;
  }
  const fields: Block["fields"] = {};
  const message: string[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (isHeader(line)) break;
    if (line.trim() === "") {
      // An error's text may hold blank lines (printed as two spaces, or trimmed by whoever kept the log).
      const next = lines[i + 1];
      if (kind === "errored" && next?.startsWith("  ") && !isHeader(next)) {
        message.push("");
        continue;
      }
      break;
    }
    if (!/^\s/.test(line)) break;
    const trimmed = line.trim();
    if (trimmed === STACKTRACE) break;
    if (trimmed === IMPLIED) continue;
    if (fields.expression === undefined && trimmed.startsWith("Expression: ")) {
      const expression = readExpression(lines, i, trimmed.slice("Expression: ".length));
      fields.expression = expression.text;
      i = expression.last;
    } else if (kind === "failed" && fields.evaluated === undefined && trimmed.startsWith("Evaluated: ")) {
      fields.evaluated = trimmed.slice("Evaluated: ".length);
    } else if (LABELLED.test(line)) {
      message.push(trimmed);
    } else {
      // The error text keeps its own indentation below the two spaces show(::Error) adds.
      message.push(line.replace(/^ {1,2}/, ""));
    }
    if (message.length > MAX_MESSAGE_LINES) break;
  }
  if (message.length > 0) fields.message = message.join("\n");
  return { fields, end: start + i };
}

/**
 * An expression is printed as Julia prints the code: `@test begin ... end` spans lines, its inner lines
 * indented and its last line an unindented `end`.
 */
function readExpression(lines: string[], at: number, first: string): { text: string; last: number } {
  if (!/^(begin|let\b|quote)/.test(first) || /\bend$/.test(first)) return { text: first, last: at };
  const parts = [first];
  for (let i = at + 1; i < lines.length && i <= at + MAX_EXPRESSION_LINES; i++) {
    const line = lines[i] as string;
    if (isHeader(line)) break;
    parts.push(line);
    if (line.trim() === "end" && !/^\s/.test(line)) return { text: parts.join("\n"), last: i };
  }
  return { text: first, last: at };
}

/**
 * The full path of the printed innermost test set: the rows of the next table named so, narrowed to those
 * that counted a result of this kind; the name alone when that leaves no single row.
 */
function testsetPath(header: Header, lineIndex: number, summary: JuliaTestReport | undefined): string[] {
  const name = segmentName(header.description as string);
  const table = summary?.rows.find((r) => r.headerLine > lineIndex)?.headerLine;
  if (table === undefined) return [name];
  const named = (summary as JuliaTestReport).rows.filter(
    (r) => r.headerLine === table && r.path[r.path.length - 1] === name,
  );
  const unique = (rows: SummaryRow[]) => (rows.length === 1 ? (rows[0] as SummaryRow).path : undefined);
  const field = header.kind === "failed" ? "failed" : "errored";
  return unique(named) ?? unique(named.filter((r) => (r.counts[field] ?? 0) > 0)) ?? [name];
}
