// Reads what is published for one commit on a checkout of the results branch and normalizes it.
import { join } from "node:path";
import type { ContractError } from "../contract/errors.js";
import { type DocumentRead, readValidDocument } from "../contract/read-valid.js";
import { kindOfPath, linkOnPath } from "../fs/kind.js";
import { looksLikeShieldsEndpoint } from "../contract/legacy.js";
import { type CommitDocuments, normalizeRun } from "../contract/normalize.js";
import type { HpcResults } from "../contract/types.js";
import type { DocumentKind, DocumentKinds } from "../contract/validate.js";
import { COMMIT_FILES, LATEST_FILES, isCommitId } from "./layout.js";

export interface ReadOutcome {
  commit: string;
  run?: HpcResults;
  errors: ContractError[];
  warnings: string[];
}

/** Reads `<commit>/` in the checkout at `root`. */
export async function readCommitRun(root: string, commit: string): Promise<ReadOutcome> {
  if (!isCommitId(commit)) {
    return {
      commit,
      errors: [
        { file: commit, pointer: "", reason: "not a commit id: 40 or 64 lowercase hexadecimal digits" },
      ],
      warnings: [],
    };
  }
  const folder = await kindOfPath(join(root, commit));
  if (folder === "missing") {
    return {
      commit,
      errors: [{ file: `${commit}/`, pointer: "", reason: "no such folder on the results branch" }],
      warnings: [],
    };
  }
  if (folder !== "directory") {
    return {
      commit,
      errors: [{ file: `${commit}/`, pointer: "", reason: `is a ${folder}, not a folder; refused` }],
      warnings: [],
    };
  }
  const docs: CommitDocuments = {};
  const errors: ContractError[] = [];
  const sources: string[] = [];
  const take = <K extends DocumentKind>(name: string, kind: K | ((value: unknown) => K)) =>
    readBranchDocument(root, `${commit}/${name}`, kind, commit).then((loaded) => ({
      ...loaded,
      file: `${commit}/${name}`,
    }));

  const endpointOr =
    <K extends DocumentKind>(summary: K) =>
    (v: unknown) =>
      (looksLikeShieldsEndpoint(v) ? "shields-endpoint" : summary) as K | "shields-endpoint";
  const [results, tests, benchmarks, meta] = await Promise.all([
    take(COMMIT_FILES.results, "hpc-results"),
    take(COMMIT_FILES.tests, endpointOr("tests-summary")),
    take(COMMIT_FILES.benchmarks, endpointOr("benchmarks-summary")),
    take(COMMIT_FILES.meta, "meta"),
  ]);
  for (const loaded of [results, tests, benchmarks, meta]) {
    errors.push(...loaded.errors);
    if (loaded.value !== undefined) sources.push(loaded.file);
  }
  docs.results = results.value;
  docs.meta = meta.value;
  if (tests.value) {
    if (looksLikeShieldsEndpoint(tests.value))
      docs.testsEndpoint = tests.value as DocumentKinds["shields-endpoint"];
    else docs.testsSummary = tests.value as DocumentKinds["tests-summary"];
  }
  if (benchmarks.value) {
    if (looksLikeShieldsEndpoint(benchmarks.value)) {
      docs.benchmarksEndpoint = benchmarks.value as DocumentKinds["shields-endpoint"];
    } else docs.benchmarksSummary = benchmarks.value as DocumentKinds["benchmarks-summary"];
  }
  if (errors.length > 0) return { commit, errors, warnings: [] };
  const run = normalizeRun(commit, docs, sources);
  if (!run) {
    return {
      commit,
      errors: [
        {
          file: `${commit}/`,
          pointer: "",
          reason: "holds none of hpc-results.json, tests.json, benchmarks.json, meta.json",
        },
      ],
      warnings: [],
    };
  }
  return { commit, run, errors, warnings: statusDisagreements(run, docs) };
}

/** The newest published run: the commit named by `latest-hpc-results.json`; undefined before the first. */
export async function readLatestRun(root: string): Promise<ReadOutcome | undefined> {
  const latest = await readBranchDocument(root, LATEST_FILES.results, "hpc-results");
  // No file and no reason: nothing published yet (a branch holding only requests/, say), not a problem.
  if (!latest.value && latest.errors.length === 0) return undefined;
  if (!latest.value) return { commit: "", errors: latest.errors, warnings: [] };
  const commit = latest.value.commit;
  if ((await kindOfPath(join(root, commit))) === "directory") return readCommitRun(root, commit);
  // Only the root copy exists (an older layout): use it with the root meta.
  const meta = await readBranchDocument(root, LATEST_FILES.meta, "meta", commit);
  if (meta.errors.length) return { commit, errors: meta.errors, warnings: [] };
  const sources = [LATEST_FILES.results, ...(meta.value ? [LATEST_FILES.meta] : [])];
  return {
    commit,
    run: normalizeRun(commit, { results: latest.value, meta: meta.value }, sources),
    errors: [],
    warnings: [],
  };
}

/**
 * The document `file` of a checkout of the results branch at `root` (neither value nor errors: there is
 * none). Untrusted: a symbolic link is refused, an unreadable file is a reason, not a crash, and with
 * `commit` a document stating another commit is refused.
 */
export async function readBranchDocument<K extends DocumentKind>(
  root: string,
  file: string,
  kindOf: K | ((value: unknown) => K),
  commit?: string,
): Promise<DocumentRead<K>> {
  // A symbolic link on the branch, the file's or a folder's on the way, could point anywhere on the runner.
  const link = await linkOnPath(root, file);
  if (link !== undefined && link !== file) {
    return { errors: [{ file, pointer: "", reason: `${link}/ is a symbolic link, not a folder; refused` }] };
  }
  const kind = await kindOfPath(join(root, file));
  if (kind === "missing") return { errors: [] };
  if (kind !== "file")
    return { errors: [{ file, pointer: "", reason: `is a ${kind}, not a regular file; refused` }] };
  let read: DocumentRead<K> | undefined;
  try {
    read = await readValidDocument(join(root, file), kindOf, file);
  } catch (error) {
    return { errors: [{ file, pointer: "", reason: `cannot be read: ${(error as Error).message}` }] };
  }
  if (!read?.value) return read ?? { errors: [] };
  const stated = (read.value as { commit?: unknown }).commit;
  if (commit !== undefined && stated !== undefined && stated !== commit) {
    return {
      errors: [
        {
          file,
          pointer: "/commit",
          reason: `is ${String(stated)}, but the document is published for ${commit}`,
        },
      ],
    };
  }
  return read;
}

function statusDisagreements(run: HpcResults, docs: CommitDocuments): string[] {
  const warnings: string[] = [];
  const summaryStatus = docs.testsSummary?.status;
  if (run.tests && summaryStatus && summaryStatus !== run.tests.status) {
    warnings.push(
      `${run.commit}/tests.json says tests ${summaryStatus} but hpc-results.json says ${run.tests.status}; hpc-results.json wins`,
    );
  }
  return warnings;
}
