// Parsing of untrusted JSON documents from the cluster: size-limited, BOM-tolerant, and
// refusing keys that could reach an object's prototype when merged.
import { open } from "node:fs/promises";
import { type ContractError, InvalidDocumentError, escapePointerToken } from "./errors.js";

export const MAX_DOCUMENT_BYTES = 1024 * 1024;
const MAX_DEPTH = 64;
const FORBIDDEN_KEYS = new Set(["__proto__"]);

/**
 * Parses `text` as the JSON document `file`; throws InvalidDocumentError with the reasons. `maxBytes`:
 * a larger limit for a document that is bounded otherwise (the benchmark history).
 */
export function parseDocument(text: string, file: string, maxBytes = MAX_DOCUMENT_BYTES): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (Buffer.byteLength(body, "utf8") > maxBytes) {
    throw new InvalidDocumentError([
      { file, pointer: "", reason: `document is over the ${maxBytes} byte limit` },
    ]);
  }
  if (body.trim() === "")
    throw new InvalidDocumentError([{ file, pointer: "", reason: "document is empty" }]);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidDocumentError([
      { file, pointer: "", reason: `not valid JSON (${jsonErrorReason(error, body)})` },
    ]);
  }
  const problems = checkStructure(value, file);
  if (problems.length > 0) throw new InvalidDocumentError(problems);
  return value;
}

/** Reads and parses a document without ever holding more than the size limit in memory. */
export async function readDocument(
  path: string,
  file: string,
  maxBytes = MAX_DOCUMENT_BYTES,
): Promise<unknown> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size > maxBytes + 3) {
      throw new InvalidDocumentError([
        { file, pointer: "", reason: `document is ${size} bytes, over the ${maxBytes} byte limit` },
      ]);
    }
    const bytes = await handle.readFile();
    return parseDocument(bytes.toString("utf8"), file, maxBytes);
  } finally {
    await handle.close();
  }
}

function jsonErrorReason(error: unknown, body: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /position (\d+)/.exec(message);
  if (!at) return message.includes("end of JSON") ? "it ends early: truncated?" : message.slice(0, 200);
  const offset = Number(at[1]);
  if (offset >= body.trimEnd().length) return "it ends early: truncated?";
  const before = body.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `${message.replace(/ in JSON at position \d+.*$/, "")} at line ${line}, column ${column}`;
}

// Iterative walk: a hostile document may nest deeper than the call stack allows.
function checkStructure(root: unknown, file: string): ContractError[] {
  const problems: ContractError[] = [];
  const stack: Array<{ value: unknown; pointer: string; depth: number }> = [
    { value: root, pointer: "", depth: 0 },
  ];
  while (stack.length > 0 && problems.length < 20) {
    const { value, pointer, depth } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_DEPTH) {
      problems.push({ file, pointer, reason: `nested deeper than ${MAX_DEPTH} levels` });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPointer = `${pointer}/${escapePointerToken(key)}`;
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push({ file, pointer: childPointer, reason: `key "${key}" is not allowed` });
        continue;
      }
      stack.push({ value: child, pointer: childPointer, depth: depth + 1 });
    }
  }
  return problems;
}
