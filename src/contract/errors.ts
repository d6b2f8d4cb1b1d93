/** One reason a document was refused: the file, where in it (RFC 6901 JSON pointer), and why. */
export interface ContractError {
  file: string;
  pointer: string;
  reason: string;
}

export function formatContractError(e: ContractError): string {
  return `${e.file}${e.pointer ? ` at ${e.pointer}` : ""}: ${e.reason}`;
}

/** Thrown when a document cannot be used at all; carries every reason found. */
export class InvalidDocumentError extends Error {
  constructor(readonly errors: ContractError[]) {
    super(errors.map(formatContractError).join("\n"));
    this.name = "InvalidDocumentError";
  }
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}
