// File-system errors in words for messages that name the file themselves ("cannot read X: no such file").

export function describeError(error: unknown): string {
  if (error && typeof error === "object" && "code" in error) {
    const code = String((error as { code: unknown }).code);
    const reasons: Record<string, string> = {
      ENOENT: "no such file",
      ENOTDIR: "not a directory",
      EISDIR: "is a directory",
      EACCES: "permission denied",
    };
    return reasons[code] ?? (error instanceof Error ? error.message : code);
  }
  return error instanceof Error ? error.message : String(error);
}
