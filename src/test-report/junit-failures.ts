// The failed and errored testcases of a JUnit report, fed by junit.ts's walk over the document:
// `<testcase name classname file line>` with `<failure message type>text</failure>` or `<error ...>`.
// The name is the testcase's, the test set its suite path; the message is the `message` attribute and
// the first lines of the text. file/line come from the testcase's (or its suite's) attributes, or else
// from a Julia `Test Failed at <file>:<line>` line in the text (TestReports.jl writes Julia's own output).
import type { TestFailure } from "../contract/types.js";
import { FailureCollector, MAX_MESSAGE_CHARACTERS, type FailureReport } from "./failures.js";

const JULIA_LOCATION = /(?:Test Failed|Error During Test) at (\S.*?):(\d{1,10})\s*$/m;
/** Text kept per failure before the message is cut to its bounds. */
const MAX_TEXT = MAX_MESSAGE_CHARACTERS * 4;

interface Case {
  name?: string;
  testset: string[];
  file?: string;
  line?: number;
  kind?: TestFailure["kind"];
  message?: string;
  text: string;
  /** Whether text now belongs to the case's first failure or error. */
  reading: boolean;
}

export class JUnitFailures {
  private readonly collector = new FailureCollector();
  private current: Case | undefined;

  openTestcase(
    attributes: ReadonlyMap<string, string>,
    testset: string[],
    suite: ReadonlyMap<string, string>,
  ): void {
    const line = Number(attributes.get("line") ?? suite.get("line"));
    const file = (attributes.get("file") ?? suite.get("file"))?.trim();
    this.current = {
      name: attributes.get("name"),
      testset,
      ...(file && { file }),
      ...(Number.isInteger(line) && line >= 1 && { line }),
      text: "",
      reading: false,
    };
  }

  /** A `<failure>` or `<error>` of the open testcase; its first one gives the message, an error the kind. */
  openOutcome(kind: TestFailure["kind"], attributes: ReadonlyMap<string, string>): void {
    const c = this.current;
    if (!c) return;
    if (c.kind === undefined) {
      c.message = attributes.get("message");
      c.reading = true;
    }
    if (c.kind !== "errored") c.kind = kind;
  }

  text(read: () => string): void {
    const c = this.current;
    if (c?.reading && c.text.length < MAX_TEXT) c.text += read().slice(0, MAX_TEXT - c.text.length);
  }

  closeOutcome(): void {
    if (this.current) this.current.reading = false;
  }

  closeTestcase(): void {
    const c = this.current;
    this.current = undefined;
    if (!c?.kind) return;
    const text = c.text.replace(/\r\n?/g, "\n").trim();
    const location = c.file ? undefined : JULIA_LOCATION.exec(text);
    const message = c.message?.trim();
    const lines = text === "" || text === message ? [] : text.split("\n");
    const body = [...(message ? [message] : []), ...lines].join("\n");
    this.collector.add({
      kind: c.kind,
      ...(c.testset.length > 0 && { testset: c.testset }),
      ...(c.name !== undefined && { name: c.name }),
      ...(c.file
        ? { file: c.file, ...(c.line && { line: c.line }) }
        : location && { file: (location[1] as string).trim(), line: Number(location[2]) }),
      ...(body && { message: body }),
    });
  }

  report(): FailureReport {
    return this.collector.report();
  }
}
