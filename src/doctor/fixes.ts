// What to do when git cannot read or write the results remote, told by git's own words.
import { isHttpRemote, remoteHost } from "../git/remote-url.js";
import type { DoctorTarget } from "./check.js";

export function gitFailureFix(said: string, target: DoctorTarget, need: "read" | "write"): string {
  const host = remoteHost(target.url) ?? "the remote";
  const https = isHttpRemote(target.url);
  if (
    /could not resolve host|name or service not known|temporary failure in name resolution|could not resolve hostname/i.test(
      said,
    )
  )
    return `this node cannot resolve ${host}: compute nodes often have no internet; publish from a login node (\`run --no-publish\` in the job, then \`publish\`), or set https_proxy if the cluster has a proxy`;
  if (
    /connection refused|timed out|no answer within|failed to connect|network is unreachable|no route to host/i.test(
      said,
    )
  )
    return `no connection to ${host}: check the firewall and proxy (https_proxy for https remotes), or publish from a login node`;
  if (/host key verification failed/i.test(said))
    return `ssh does not know ${host} yet: \`ssh-keyscan ${host} >> ~/.ssh/known_hosts\` (check the fingerprint your git host publishes)`;
  if (/permission denied \(publickey/i.test(said))
    return `the SSH key is refused: add the cluster's public key as a deploy key of the repository${need === "write" ? ' with "Allow write access"' : ""}, make ssh use it (IdentityFile in ~/.ssh/config), and test with \`ssh -T git@${host}\``;
  if (/read.only|permission to .* denied|returned error: 403|write access .* not granted/i.test(said))
    return https
      ? "the token can read but not push: give it Contents: Read and write on this repository (fine-grained token settings)"
      : 'the deploy key is read-only: tick "Allow write access" on it (repository Settings, Deploy keys)';
  if (
    /authentication failed|could not read username|terminal prompts disabled|returned error: 401|invalid username or password/i.test(
      said,
    )
  )
    return target.token
      ? "the server refused HPC_RESULTS_TOKEN: it is wrong, expired or revoked, or lacks this repository; make a fine-grained token for this repository with Contents: Read and write"
      : "set HPC_RESULTS_TOKEN to a fine-grained token for this repository (Contents: Read and write), or publish over SSH with a deploy key";
  if (
    /repository not found|not found|does not appear to be a git repository|not a git repository|returned error: 404/i.test(
      said,
    )
  )
    return `no repository at this address: check HPC_RESULTS_REPO_URL or the remote's URL (\`git remote -v\`)${target.token ? "; a fine-grained token must list this repository under Repository access" : ""}`;
  return "read git's message above; `GIT_TRACE=1 git ls-remote <url>` shows what git does";
}
