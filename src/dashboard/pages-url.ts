// Where a folder of the pages branch is served: GitHub Pages' URL of the repository plus the folder.

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export function isRepositoryName(value: string): boolean {
  return REPOSITORY.test(value) && !value.endsWith("/.") && !value.endsWith("/..");
}

/**
 * A folder inside the pages branch as a relative path without "./" or slashes at the ends ("" is the root).
 * Returns undefined for a path that could leave the checkout or reach .git (absolute, "..", hidden segments).
 */
export function normalizePagesDir(value: string): string | undefined {
  const trimmed = value
    .trim()
    .replace(/^(\.\/)+/, "")
    .replace(/\/+$/, "");
  if (trimmed === "" || trimmed === ".") return "";
  const segments = trimmed.split("/");
  return segments.every((s) => SEGMENT.test(s)) ? segments.join("/") : undefined;
}

/**
 * The GitHub Pages URL of `pagesDir` (normalized) in `repository`, ending in "/": a user or organization
 * site (a repository named <owner>.github.io) is served at the root, any other at /<repository>/.
 * `serverUrl` other than github.com is GitHub Enterprise Server, which serves Pages from pages.<host>.
 */
export function defaultPagesUrl(
  repository: string,
  pagesDir: string,
  serverUrl = "https://github.com",
): string {
  const [owner = "", name = ""] = repository.split("/");
  const server = new URL(serverUrl);
  const dir = pagesDir ? `${pagesDir.split("/").map(encodeURIComponent).join("/")}/` : "";
  if (server.hostname === "github.com") {
    const host = `${owner.toLowerCase()}.github.io`;
    const site = name.toLowerCase() === host ? "" : `${encodeURIComponent(name)}/`;
    return `https://${host}/${site}${dir}`;
  }
  return `${server.protocol}//pages.${server.host}/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/${dir}`;
}
