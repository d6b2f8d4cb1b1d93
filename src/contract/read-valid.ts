// Reading a document that may be absent or unusable (an earlier run's results, a summary beside the
// results, a file on the results branch): callers keep it only when it is a valid document of its kind,
// and may say why not.
import { existsSync } from "node:fs";
import { formatContractError, InvalidDocumentError } from "./errors.js";
import { readDocument } from "./json.js";
import { checkDocument, type DocumentKind, type DocumentKinds } from "./validate.js";

export type ValidRead<K extends DocumentKind> =
  { value: DocumentKinds[K]; problem?: undefined } | { value?: undefined; problem: string };

/** The document of `kind` at `path` (named `file` in reasons); undefined when there is no such file. */
export async function readValidDocument<K extends DocumentKind>(
  path: string,
  kind: K,
  file = path,
): Promise<ValidRead<K> | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const value = await readDocument(path, file);
    const problems = checkDocument(kind, value, file);
    if (problems.length > 0) return { problem: problems.map(formatContractError).join("; ") };
    return { value: value as DocumentKinds[K] };
  } catch (error) {
    if (error instanceof InvalidDocumentError) return { problem: error.message };
    throw error;
  }
}
