// Names of the files on the `hpc-results` branch (see DESIGN.md, "The results branch").

export const RESULTS_BRANCH = "hpc-results";

/** Files inside a `<sha>/` folder. */
export const COMMIT_FILES = {
  results: "hpc-results.json",
  tests: "tests.json",
  benchmarks: "benchmarks.json",
  meta: "meta.json",
  /** Covered and missed lines by repository-relative path, for patch coverage (CoverageLines). */
  coverageLines: "coverage-lines.json",
} as const;

/** Files at the root of the branch, describing the newest published run. */
export const LATEST_FILES = {
  results: "latest-hpc-results.json",
  meta: "latest-meta.json",
  tests: "latest-tests.json",
  benchmarks: "latest-benchmarks.json",
} as const;

/** Folder of per-source-branch pointers: `branches/<encoded branch>.json` is that branch's newest run. */
export const BRANCH_POINTERS = "branches";

/** The pointer file of a source branch (encoded so that `feature/x` stays one file name). */
export function branchPointer(branch: string): string {
  return `${BRANCH_POINTERS}/${encodeURIComponent(branch)}.json`;
}

const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function isCommitId(value: string): boolean {
  return COMMIT_ID.test(value);
}

/** The path of a file in a commit's folder, relative to the branch root. */
export function commitFile(commit: string, name: string): string {
  if (!isCommitId(commit)) throw new Error(`not a commit id: ${JSON.stringify(commit)}`);
  return `${commit}/${name}`;
}

const DOCUMENT_NAMES: ReadonlySet<string> = new Set(Object.values(COMMIT_FILES));

/**
 * What a changed path on the branch says about commit folders: the commit it belongs to, a folder
 * that holds our documents but is not named by a commit id, or nothing of interest.
 */
export function classifyChangedPath(path: string): { commit: string } | { badFolder: string } | undefined {
  const slash = path.indexOf("/");
  if (slash <= 0) return undefined;
  const folder = path.slice(0, slash);
  const rest = path.slice(slash + 1);
  if (isCommitId(folder)) return DOCUMENT_NAMES.has(rest) ? { commit: folder } : undefined;
  return DOCUMENT_NAMES.has(rest) ? { badFolder: folder } : undefined;
}

/** Folder of run requests: `requests/<id>.json` (schemas/hpc-request.schema.json). */
export const REQUESTS_FOLDER = "requests";

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Folder of ended requests, `requests-closed/<commit>/<id>.json`: the poller moves a request there once
 * nothing is left to do for it, so that what the poller and the check-run mirror read stays the open few,
 * however many requests a project has had. By commit, because a commit's `hpc` check run shows its newest
 * request: the mirror reads the few of one commit. A sibling, not a subfolder: the poller's sparse checkouts
 * of requests/ leave it out.
 */
export const CLOSED_REQUESTS_FOLDER = "requests-closed";

/** The folder of the ended requests of `commit`. */
export function closedRequestsFolder(commit: string): string {
  if (!isCommitId(commit)) throw new Error(`not a commit id: ${JSON.stringify(commit)}`);
  return `${CLOSED_REQUESTS_FOLDER}/${commit}`;
}

/** The path of a request file, relative to the branch root; the id is checked so it stays one file name. */
export function requestFile(id: string, folder = REQUESTS_FOLDER): string {
  if (!REQUEST_ID.test(id) || id.includes("..")) throw new Error(`not a request id: ${JSON.stringify(id)}`);
  return `${folder}/${id}.json`;
}

/** The id a file name `<id>.json` gives, or undefined. */
function idOfName(name: string | undefined): string | undefined {
  const id = name?.endsWith(".json") ? name.slice(0, -".json".length) : undefined;
  return id !== undefined && REQUEST_ID.test(id) && !id.includes("..") ? id : undefined;
}

/** The commit and id of an ended request's path (`requests-closed/<commit>/<id>.json`), or undefined. */
export function closedRequestOf(path: string): { commit: string; id: string } | undefined {
  const [folder, commit, name, ...rest] = path.split("/");
  if (folder !== CLOSED_REQUESTS_FOLDER || !commit || rest.length > 0 || !isCommitId(commit))
    return undefined;
  const id = idOfName(name);
  return id ? { commit, id } : undefined;
}

/** The id of a request's path, open (`requests/<id>.json`) or ended, or undefined. */
export function requestIdOfPath(path: string): string | undefined {
  const [folder, name, ...rest] = path.split("/");
  if (folder === REQUESTS_FOLDER && rest.length === 0) return idOfName(name);
  return closedRequestOf(path)?.id;
}
