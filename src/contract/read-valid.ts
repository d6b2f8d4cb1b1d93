// Reading a document that may be absent or unusable (an earlier run's results, a summary beside the
// results, a file on the results branch): callers keep it only when it is a valid document of its kind,
// and may say why not. Files from the results branch go through readBranchDocument
// (results-branch/read.ts), which adds the rules for untrusted files on top of this.
import { type ContractError, InvalidDocumentError } from "./errors.js";
import { readDocument } from "./json.js";
import { checkDocument, type DocumentKind, type DocumentKinds } from "./validate.js";

/** A value when the document is valid, else the reasons it is not. */
export interface DocumentRead<K extends DocumentKind> {
  value?: DocumentKinds[K];
  errors: ContractError[];
}

/**
 * The document of `kind` (or of the kind its value shows) at `path`, named `file` in reasons; undefined
 * when there is no such file. Errors of the file system other than a missing file are thrown.
 */
export async function readValidDocument<K extends DocumentKind>(
  path: string,
  kind: K | ((value: unknown) => K),
  file = path,
): Promise<DocumentRead<K> | undefined> {
  let value: unknown;
  try {
    value = await readDocument(path, file);
  } catch (error) {
    if (error instanceof InvalidDocumentError) return { errors: error.errors };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined; // as existsSync would say
    throw error;
  }
  const errors = checkDocument(typeof kind === "function" ? kind(value) : kind, value, file);
  return errors.length > 0 ? { errors } : { value: value as DocumentKinds[K], errors: [] };
}
