// The requests/ and requests-closed/<commit>/ folders of a results-branch checkout. Anyone who can push to
// the branch can write there, so each file is read as untrusted (readBranchDocument: no links, bounded,
// schema-checked), and a bad file is a reason beside the good ones, never a reason to stop.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ContractError } from "../contract/errors.js";
import type { HpcRequest } from "../contract/types.js";
import { writeJsonAtomic } from "../fs/atomic.js";
import { kindOfPath, linkOnPath } from "../fs/kind.js";
import { readBranchDocument } from "../results-branch/read.js";
import {
  CLOSED_REQUESTS_FOLDER,
  REQUESTS_FOLDER,
  closedRequestOf,
  closedRequestsFolder,
  isCommitId,
  requestFile,
} from "../results-branch/layout.js";

export interface RequestsRead {
  /** Valid requests, by file name. */
  requests: HpcRequest[];
  errors: ContractError[];
}

/**
 * The request files of the checkout at `root` (all, or those whose path `wanted` accepts), in requests/ or,
 * with `folder`, in requests-closed/.
 */
export async function readRequests(
  root: string,
  wanted: (file: string) => boolean = () => true,
  folder = REQUESTS_FOLDER,
): Promise<RequestsRead> {
  const kind = await kindOfPath(join(root, folder));
  if (kind === "missing") return { requests: [], errors: [] };
  if (kind !== "directory") {
    return {
      requests: [],
      errors: [{ file: `${folder}/`, pointer: "", reason: `is a ${kind}, not a folder; refused` }],
    };
  }
  const names = (await readdir(join(root, folder)))
    .filter((name) => name.endsWith(".json"))
    .map((name) => `${folder}/${name}`)
    .filter(wanted)
    .sort();
  const requests: HpcRequest[] = [];
  const errors: ContractError[] = [];
  for (const file of names) {
    const read = await readBranchDocument(root, file, "hpc-request");
    errors.push(...read.errors);
    if (!read.value) continue;
    if (file !== fileOf(read.value.id, folder)) {
      errors.push({
        file,
        pointer: "/id",
        reason: `is ${JSON.stringify(read.value.id)}, not this file's name`,
      });
      continue;
    }
    requests.push(read.value);
  }
  return { requests, errors };
}

/**
 * What a commit's `hpc` check run may have to show: requests/ (the open requests, and ended ones the poller
 * has not moved yet), and all ended requests of the commits of those and of the ended files in
 * `changedPaths` (every commit folder when undefined: no marker). A commit's check run shows its newest
 * request, so a commit's requests are read together. A request in both places (only by hand) is requests/'s.
 */
export async function readRequestsToShow(
  root: string,
  changedPaths: ReadonlySet<string> | undefined,
): Promise<RequestsRead> {
  const read = await readRequests(root);
  const ended = changedPaths
    ? [...changedPaths].flatMap((p) => closedRequestOf(p)?.commit ?? [])
    : await closedCommits(root);
  const commits = new Set([...read.requests.map((r) => r.commit), ...ended]);
  const ids = new Set(read.requests.map((r) => r.id));
  for (const commit of [...commits].sort()) {
    const folder = closedRequestsFolder(commit);
    const closed = await readRequests(root, undefined, folder);
    read.errors.push(...closed.errors);
    for (const r of closed.requests) {
      if (ids.has(r.id)) continue;
      if (r.commit === commit) read.requests.push(r);
      else
        read.errors.push({
          file: requestFile(r.id, folder),
          pointer: "/commit",
          reason: `is ${r.commit}, not the commit of its folder`,
        });
    }
  }
  return read;
}

/** The commit folders in requests-closed/ (anything else there is left alone). */
async function closedCommits(root: string): Promise<string[]> {
  const names = await readdir(join(root, CLOSED_REQUESTS_FOLDER)).catch(() => [] as string[]);
  return names.filter(isCommitId);
}

/** Writes `request` as requests/<id>.json in the checkout at `root`; never through a linked folder or file. */
export async function writeRequest(root: string, request: HpcRequest): Promise<void> {
  const file = requestFile(request.id);
  const link = await linkOnPath(root, file);
  if (link !== undefined)
    throw new Error(`${link} on the results branch is a symbolic link; refusing to write ${file}`);
  await writeJsonAtomic(join(root, file), request);
}

function fileOf(id: string, folder: string): string | undefined {
  try {
    return requestFile(id, folder);
  } catch {
    return undefined;
  }
}
