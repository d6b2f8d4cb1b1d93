// The permissions of a job's GITHUB_TOKEN, as GitHub computes them: the job's own `permissions:`, else its
// workflow's; in a called (reusable) workflow never more than the calling job grants.
export type Access = "none" | "read" | "write";
export type Permissions = Record<string, Access>;
/** The scopes of GITHUB_TOKEN ("Controlling permissions for GITHUB_TOKEN"). */
const SCOPES = [
  "actions",
  "attestations",
  "checks",
  "contents",
  "deployments",
  "discussions",
  "id-token",
  "issues",
  "models",
  "packages",
  "pages",
  "pull-requests",
  "repository-projects",
  "security-events",
  "statuses",
] as const;
const LEVEL: Record<Access, number> = { none: 0, read: 1, write: 2 };

/**
 * A `permissions:` value as access per scope: "read-all"/"write-all", or a map where the scopes not named
 * get none; undefined (not set) caps nothing.
 */
export function permissionsOf(value: unknown): Permissions | undefined {
  if (value === undefined || value === null) return undefined;
  const all = (access: Access) => Object.fromEntries(SCOPES.map((s) => [s, access])) as Permissions;
  if (value === "read-all") return all("read");
  if (value === "write-all") return all("write");
  return { ...all("none"), ...(value as Permissions) };
}

/** "The GITHUB_TOKEN permissions passed from the caller workflow can be only downgraded by the called workflow." */
export function capped(own: Permissions | undefined, cap: Permissions | undefined): Permissions {
  const full = own ?? cap ?? permissionsOf("write-all")!;
  if (!cap) return full;
  return Object.fromEntries(
    SCOPES.map((s) => [s, LEVEL[full[s] ?? "none"] <= LEVEL[cap[s] ?? "none"] ? full[s] : cap[s]]),
  ) as Permissions;
}
