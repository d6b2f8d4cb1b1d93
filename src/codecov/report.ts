// The body Codecov's upload endpoint stores: the list of the repository's files (the "network"),
// then each report under its path, as Codecov's uploaders have always framed them.
export function uploadBody(network: string[], reports: Array<{ path: string; content: string }>): string {
  const parts = [network.join("\n"), "<<<<<< network"];
  for (const report of reports) {
    parts.push(
      `# path=${report.path}`,
      report.content.endsWith("\n") ? report.content.slice(0, -1) : report.content,
      "<<<<<< EOF",
    );
  }
  return `${parts.join("\n")}\n`;
}
