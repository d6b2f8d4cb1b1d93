// Ingest: find the runs a push published on the results branch, validate and normalize each.
import { realpath } from "node:fs/promises";
import { mapLimited } from "../concurrency/map-limited.js";
import { acceptanceProblems, latestRunTime } from "../contract/accept.js";
import type { ContractError } from "../contract/errors.js";
import type { HpcResults } from "../contract/types.js";
import { git } from "../git/run.js";
import { type PushEvent, discoverCommits, discoverSince } from "./discover.js";
import { isCommitId } from "./layout.js";
import { publications, withPublication } from "./publication.js";
import { type ReadOutcome, readCommitRun, readLatestRun } from "./read.js";

export interface IngestOptions {
  /** Checkout of the results branch. */
  root: string;
  /** An explicit commit wins over the push event. */
  commit?: string;
  /** A results commit already processed: take every commit folder changed since (wins over the event). */
  since?: string;
  event?: PushEvent;
  /** When the runs were pushed (ms since the epoch); default: the checkout's HEAD committer date, else now. */
  pushedAt?: number;
}

export interface IngestOutcome {
  /** Valid runs, oldest first; the last is the newest. */
  runs: HpcResults[];
  errors: ContractError[];
  warnings: string[];
  /** How the commits were chosen, for the log. */
  how: "input" | "event" | "git diff" | "since" | "latest";
  /** Asked for the latest run of a branch where no run has been published yet. */
  nothingPublished?: boolean;
}

const READ_CONCURRENCY = 16;

export async function ingest(options: IngestOptions): Promise<IngestOutcome> {
  const errors: ContractError[] = [];
  const warnings: string[] = [];
  let how: IngestOutcome["how"];
  let outcomes: ReadOutcome[];
  const latest = async (): Promise<ReadOutcome[]> => {
    const read = await readLatestRun(options.root);
    return read ? [read] : [];
  };
  if (options.commit) {
    how = "input";
    if (!isCommitId(options.commit)) {
      errors.push({
        file: "input commit",
        pointer: "",
        reason: `${JSON.stringify(options.commit)} is not a commit id (40 or 64 lowercase hexadecimal digits)`,
      });
      return { runs: [], errors, warnings, how };
    }
    outcomes = [await readCommitRun(options.root, options.commit)];
  } else if (options.since) {
    // Nothing changed since is an answer, not a reason to fall back to the latest run.
    const found = await discoverSince(options.since, options.root);
    errors.push(...found.errors);
    warnings.push(...found.warnings);
    how = found.warnings.length > 0 ? "latest" : "since";
    outcomes =
      how === "latest"
        ? await latest()
        : await mapLimited(found.commits, READ_CONCURRENCY, (c) => readCommitRun(options.root, c));
  } else {
    const found = await discoverCommits(options.event, options.root);
    errors.push(...found.errors);
    warnings.push(...found.warnings);
    if (found.commits.length > 0) {
      how = found.how === "git diff" ? "git diff" : "event";
      outcomes = await mapLimited(found.commits, READ_CONCURRENCY, (c) => readCommitRun(options.root, c));
    } else {
      how = "latest";
      outcomes = await latest();
    }
  }
  // Each run on its own: a bad one is reported and the good ones of the same push still go through.
  const notAfter = latestRunTime(options.pushedAt ?? (await committedAt(options.root)));
  const runs: Array<{ run: HpcResults; order: number }> = [];
  outcomes.forEach((o, order) => {
    errors.push(...o.errors);
    warnings.push(...o.warnings);
    if (!o.run || o.errors.length > 0) return;
    const problems = acceptanceProblems(o.run, o.commit ? `${o.commit}/` : "latest run", notAfter);
    if (problems.length > 0) errors.push(...problems);
    else runs.push({ run: o.run, order });
  });
  // In the order the branch published them where its history tells (a checkout with all of it), else by time.
  const placed = await publications(
    options.root,
    runs.map((r) => r.run.commit),
  );
  for (const r of runs) r.run = withPublication(r.run, placed.get(r.run.commit));
  runs.sort(
    (a, b) =>
      (a.run.results_index ?? 0) - (b.run.results_index ?? 0) ||
      time(a.run) - time(b.run) ||
      a.order - b.order,
  );
  return {
    runs: runs.map((r) => r.run),
    errors,
    warnings,
    how,
    // The latest run was asked for and there was none to read.
    ...(how === "latest" && outcomes.length === 0 ? { nothingPublished: true } : {}),
  };
}

/** The committer date of the checkout's HEAD: when the newest of its runs was pushed. */
async function committedAt(root: string): Promise<number | undefined> {
  try {
    // Only a checkout of its own: a folder inside another repository says nothing about the push.
    const top = (await git(root, ["rev-parse", "--show-toplevel"])).trim();
    if ((await realpath(top)) !== (await realpath(root))) return undefined;
    const seconds = Number((await git(root, ["log", "-1", "--format=%ct", "HEAD"])).trim());
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
  } catch {
    return undefined;
  }
}

// Runs without a time sort first, so a dated run is taken as the newest.
function time(run: HpcResults): number {
  const t = run.generated_at ? Date.parse(run.generated_at) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}
