// Before testing: is what we test the commit others will see? A work tree with changes (dirty) or a
// commit the results remote does not have (not pushed) is tested all the same, with a warning, and
// recorded in the results so that the pull-request comment can say so. Unknown stays unrecorded.
import { relative } from "node:path";
import { hasWildcard } from "../fs/glob.js";
import { tokenEnvironment } from "../git/credentials.js";
import { resultsToken } from "../config/token-file.js";
import { changedPaths, remoteHasCommit } from "../git/commit-state.js";
import { redactUrls } from "../git/redact.js";
import { remoteUrl } from "./publish.js";
import type { RunContext } from "./run.js";

export interface CommitState {
  dirty?: boolean;
  pushed?: boolean;
}

const REMOTE_TIMEOUT_MS = 30_000;
/** Julia writes `<file>.jl.<pid>.cov` beside each source when it measures coverage. */
const JULIA_COVERAGE = ":(exclude,glob)**/*.jl.*.cov";

/** Pathspecs leaving out what the run itself writes inside the repository: never a change to the commit. */
function runOutputs(ctx: RunContext): string[] {
  const { settings } = ctx;
  const inside = [
    settings.resultsDir,
    settings.coverage.lcov,
    settings.tests.junit,
    settings.benchmarks.resultsFile,
    ...settings.benchmarks.results.map((s) => s.path),
  ]
    .filter((p): p is string => p !== undefined)
    .map((p) => relative(settings.root, p))
    .filter((p) => p && !p.startsWith(".."));
  // Benchmark results may be named by a glob; git's glob pathspec reads `*`, `?` and `**` the same way.
  return [...inside.map((p) => `:(exclude,${hasWildcard(p) ? "glob" : "literal"})${p}`), JULIA_COVERAGE];
}

export async function describeCommitState(ctx: RunContext, commit: string): Promise<CommitState> {
  const [dirty, pushed] = await Promise.all([isDirty(ctx, commit), isPushed(ctx, commit)]);
  return { ...(dirty !== undefined && { dirty }), ...(pushed !== undefined && { pushed }) };
}

async function isDirty(ctx: RunContext, commit: string): Promise<boolean | undefined> {
  const short = commit.slice(0, 12);
  try {
    const changed = await changedPaths(ctx.settings.root, commit, runOutputs(ctx));
    if (changed.length === 0) return false;
    const shown =
      changed.slice(0, 5).join(", ") + (changed.length > 5 ? `, and ${changed.length - 5} more` : "");
    ctx.log.warn(
      `the work tree differs from ${short} in ${changed.length} path(s): ${shown}; the results will say dirty: true (commit, stash, or add them to .gitignore)`,
    );
    return true;
  } catch (error) {
    ctx.log.warn(`cannot tell whether the work tree matches ${short}: ${errorText(error)}`);
    return undefined;
  }
}

async function isPushed(ctx: RunContext, commit: string): Promise<boolean | undefined> {
  const { settings } = ctx;
  const short = commit.slice(0, 12);
  try {
    const url = await remoteUrl(settings.root, settings.results.repoUrl ?? settings.results.remote);
    const env = tokenEnvironment(url, await resultsToken(settings), ctx.env);
    const has = await remoteHasCommit(url, commit, env, REMOTE_TIMEOUT_MS);
    if (!has)
      ctx.log.warn(
        `${redactUrls(url)} does not have ${short}: nobody else can check out what was tested; push it (the results will say pushed: false)`,
      );
    return has;
  } catch (error) {
    ctx.log.warn(`cannot tell whether the results remote has ${short}: ${errorText(error)}`);
    return undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
