// The results remote as git is handed it: a URL without credentials (any found in it become the token,
// sent as a header), never plain http with a credential, and never the repository's default branch.
import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "../config/settings-error.js";
import { resultsToken } from "../config/token-file.js";
import { insecureTransport, splitCredentials, tokenEnvironment } from "../git/credentials.js";
import { PublishError } from "../git/publish.js";
import { redactUrls } from "../git/redact.js";
import { remoteDefaultBranch } from "../git/remote-head.js";
import { remoteKind } from "../git/remote-url.js";
import { git } from "../git/run.js";

export interface ResultsRemote {
  /** No user-info part: safe on a command line and in a log. */
  url: string;
  token?: string;
}

/**
 * `remote` (a URL or path, or the name of a remote of the repository at `root`) as a clean URL and the
 * credential to send with it: `token`, else one the URL carried. git runs in a temporary folder, so a
 * relative path becomes absolute: a remote's relative to the repository, as git reads it there, and one
 * given directly relative to where the command was started.
 */
export async function resultsRemote(root: string, remote: string, token?: string): Promise<ResultsRemote> {
  const raw = await remoteUrl(root, remote);
  const { url, secret } = splitCredentials(raw);
  const credential = token || secret;
  const why = credential ? insecureTransport(url) : undefined;
  if (why) throw new ConfigError(why);
  return { url, ...(credential && { token: credential }) };
}

/** The settings' results remote (HPC_RESULTS_REPO_URL, else the named remote), with the token (from its file). */
export async function settingsRemote(settings: {
  root: string;
  results: { repoUrl?: string; remote: string; token?: string; tokenFile?: string };
}): Promise<ResultsRemote> {
  const { root, results } = settings;
  return resultsRemote(root, results.repoUrl ?? results.remote, await resultsToken(settings));
}

async function remoteUrl(root: string, remote: string): Promise<string> {
  if (/[/:]/.test(remote)) return absolutePath(process.cwd(), remote);
  try {
    return absolutePath(root, (await git(root, ["config", "--get", `remote.${remote}.url`])).trim());
  } catch {
    throw new PublishError(
      `the repository has no remote named ${JSON.stringify(remote)} (set HPC_RESULTS_REPO_URL or --remote)`,
    );
  }
}

/** A relative local path made absolute; URLs, scp-like `host:path` and absolute paths as they are. */
function absolutePath(base: string, url: string): string {
  const local = remoteKind(url) === "local" && !url.includes("://");
  return local && !isAbsolute(url) ? resolve(base, url) : url;
}

/**
 * Pushes go to the results branch only, never to the repository's default branch (nor to main or master
 * when the server does not say which is the default): a wrong HPC_RESULTS_BRANCH must not overwrite code.
 */
export async function refuseDefaultBranch(remote: ResultsRemote, branch: string): Promise<void> {
  const head = await remoteDefaultBranch(remote.url, tokenEnvironment(remote.url, remote.token));
  const refused = head ? [head] : ["main", "master"];
  if (refused.includes(branch))
    throw new ConfigError(
      `refusing to publish results to ${branch}: it is ${head ? "the default branch" : "main or master, and the default branch"} of ${redactUrls(remote.url)}${head ? "" : " could not be told"}; set HPC_RESULTS_BRANCH to a branch of its own (hpc-results)`,
    );
}
