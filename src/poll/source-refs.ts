// The source repository's refs as `git ls-remote` tells them: the default branch, branch heads, tags (an
// annotated tag by the commit it points at) and pull-request heads (refs/pull/<n>/head, which GitHub
// keeps in the base repository also for a fork's pull request).
import { git } from "../git/run.js";

export interface SourceRefs {
  defaultBranch?: string;
  heads: Map<string, string>;
  tags: Map<string, string>;
  pulls: Map<number, string>;
}

const TIMEOUT_MS = 60_000;

export function parseLsRemote(text: string): SourceRefs {
  const refs: SourceRefs = { heads: new Map(), tags: new Map(), pulls: new Map() };
  const peeled = new Map<string, string>();
  for (const line of text.split("\n")) {
    const symref = /^ref: refs\/heads\/(\S+)\s+HEAD$/.exec(line);
    if (symref) refs.defaultBranch = symref[1];
    const m = /^([0-9a-f]{40})\t(\S+)$/.exec(line);
    if (!m) continue;
    const [, sha, ref] = m as unknown as [string, string, string];
    let k: RegExpExecArray | null;
    if ((k = /^refs\/heads\/(.+)$/.exec(ref))) refs.heads.set(k[1]!, sha);
    else if ((k = /^refs\/tags\/(.+)\^\{\}$/.exec(ref))) peeled.set(k[1]!, sha);
    else if ((k = /^refs\/tags\/(.+)$/.exec(ref))) refs.tags.set(k[1]!, sha);
    else if ((k = /^refs\/pull\/([1-9][0-9]{0,9})\/head$/.exec(ref))) refs.pulls.set(Number(k[1]), sha);
  }
  for (const [tag, sha] of peeled) refs.tags.set(tag, sha);
  return refs;
}

export async function listSourceRefs(source: string, env: NodeJS.ProcessEnv): Promise<SourceRefs> {
  const listed = await git(
    process.cwd(),
    ["ls-remote", "--symref", source, "HEAD", "refs/heads/*", "refs/tags/*", "refs/pull/*/head"],
    env,
    { timeoutMs: TIMEOUT_MS },
  );
  return parseLsRemote(listed);
}
