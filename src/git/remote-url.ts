// What a git remote's address says about itself: its kind (http(s), SSH, a local path), its host, and the
// owner/repo of a GitHub-style path. git's own rules: `scheme://` is a URL; `[user@]host:path` with no
// slash before the colon is SSH's scp-like form; anything else is a path.

export type RemoteKind = "http" | "ssh" | "local";

const URL_FORM = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?(\/.*)?$/i;
const SCP_FORM = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.*)$/;

export function remoteKind(url: string): RemoteKind {
  const scheme = URL_FORM.exec(url)?.[1]?.toLowerCase();
  if (scheme) return scheme === "http" || scheme === "https" ? "http" : scheme === "file" ? "local" : "ssh";
  return SCP_FORM.test(url) ? "ssh" : "local";
}

export function isHttpRemote(url: string): boolean {
  return remoteKind(url) === "http";
}

/** The server's host name; undefined for a local path. */
export function remoteHost(url: string): string | undefined {
  if (remoteKind(url) === "local") return undefined;
  return (URL_FORM.exec(url) ?? SCP_FORM.exec(url))?.[URL_FORM.test(url) ? 2 : 1];
}

/** "owner/repo" of a remote whose path is /owner/repo(.git), as on GitHub. */
export function repositoryOfRemote(url: string): string | undefined {
  if (remoteKind(url) === "local") return undefined;
  const path = URL_FORM.exec(url)?.[3] ?? SCP_FORM.exec(url)?.[2] ?? "";
  const m = /^\/?([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(path);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/**
 * The REST API of the server a remote lives on: api.github.com for github.com, https://HOST/api/v3 for a
 * GitHub Enterprise Server host, so that a token only goes to the server it belongs to. Undefined for a
 * local path.
 */
export function apiUrlForRemote(url: string): string | undefined {
  const host = remoteHost(url)?.toLowerCase();
  if (!host) return undefined;
  return host === "github.com" ? "https://api.github.com" : `https://${host}/api/v3`;
}
