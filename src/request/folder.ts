// The requests/ folder of a results-branch checkout. Anyone who can push to the branch can write there, so
// each file is read as untrusted (readBranchDocument: no links, bounded, schema-checked), and a bad file is a
// reason beside the good ones, never a reason to stop.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ContractError } from "../contract/errors.js";
import type { HpcRequest } from "../contract/types.js";
import { writeJsonAtomic } from "../fs/atomic.js";
import { kindOfPath, linkOnPath } from "../fs/kind.js";
import { readBranchDocument } from "../results-branch/read.js";
import { REQUESTS_FOLDER, requestFile } from "../results-branch/layout.js";

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
