// The GitHub side of `doctor`: is HPC_RESULTS_TOKEN accepted by the API for this repository (and may it
// write), and is this node's clock right, by the Date of a server's answer.
import { redactUrls } from "../git/redact.js";
import { isHttpRemote, remoteHost } from "../git/remote-url.js";
import {
  answerMessage,
  apiCall,
  httpCall,
  type HttpAnswer,
  UnreachableError,
} from "../github/cluster-api.js";
import { type CheckResult, type DoctorTarget, fail, ok, skip } from "./check.js";

/** Beyond this, timestamps in results mislead and TLS, tokens and app tokens start to fail. */
const MAX_SKEW_SECONDS = 60;

const NEW_TOKEN =
  "make a fine-grained token with this repository under Repository access and Contents: Read and write, and put it in HPC_RESULTS_TOKEN";

export async function checkToken(
  target: DoctorTarget,
): Promise<{ result: CheckResult; answer?: HttpAnswer }> {
  if (!target.token) return { result: skip("token", "HPC_RESULTS_TOKEN is not set: nothing to check") };
  const repo = target.repository;
  if (!repo)
    return {
      result: fail(
        "token",
        `which GitHub repository is ${redactUrls(target.url)}? It is not a github-style URL`,
        "set HPC_RESULTS_REPOSITORY_SLUG=owner/repo (or results.repository in .hpc-ci.json)",
      ),
    };
  let answer: HttpAnswer;
  try {
    answer = await apiCall(target.apiUrl, `/repos/${repo}`, target.token, {
      timeoutMs: target.timeoutMs,
      env: target.env,
    });
  } catch (error) {
    const why = error instanceof UnreachableError ? error.message : String(error);
    return {
      result: fail(
        "token",
        `the API at ${target.apiUrl} did not answer: ${why}`,
        "check GITHUB_API_URL (GitHub Enterprise Server: https://HOST/api/v3) and the network or proxy of this node",
      ),
    };
  }
  return { result: judgeRepositoryAnswer(answer, repo, target.apiUrl), answer };
}

function judgeRepositoryAnswer(answer: HttpAnswer, repo: string, apiUrl: string): CheckResult {
  const said = answerMessage(answer);
  const status = `${answer.status}${said ? ` ${said}` : ""}`;
  if (answer.status === 200) {
    let permissions: { push?: boolean } | undefined;
    try {
      permissions = (JSON.parse(answer.text) as { permissions?: { push?: boolean } }).permissions;
    } catch {
      return fail(
        "token",
        `${apiUrl} answered 200 without JSON`,
        "check GITHUB_API_URL: it must be GitHub's REST API",
      );
    }
    if (permissions?.push === false)
      return fail(
        "token",
        `accepted for ${repo}, but without write access (permissions.push is false)`,
        "give the token Contents: Read and write on this repository (or use an account that may push)",
      );
    return ok("token", `accepted for ${repo}${permissions?.push ? ", with write access" : ""}`);
  }
  if (answer.status === 401)
    return fail(
      "token",
      `rejected by ${apiUrl} (${status})`,
      `the token is wrong, expired or revoked: ${NEW_TOKEN}`,
    );
  if (answer.status === 404)
    return fail(
      "token",
      `${repo} is not visible with this token (${status})`,
      `check the repository name (HPC_RESULTS_REPOSITORY_SLUG) and GITHUB_API_URL; otherwise ${NEW_TOKEN}`,
    );
  if (answer.status === 403 || answer.status === 429) {
    const limited = answer.headers["x-ratelimit-remaining"] === "0" || answer.status === 429;
    return fail(
      "token",
      `refused by ${apiUrl} (${status})`,
      limited
        ? "the token's rate limit is used up: try again after an hour, or use a token of its own for the cluster"
        : "if the organization uses SAML SSO or approves fine-grained tokens, authorize or get the token approved",
    );
  }
  return fail(
    "token",
    `${apiUrl} answered ${status}`,
    "try again later; GitHub's status page tells of outages",
  );
}

/**
 * Compares this node's clock with a server's Date: the API's answer when there was one, else the git
 * server's (its https front door; for an SSH remote the same host over https), else nothing to compare.
 */
export async function checkClock(
  target: DoctorTarget,
  apiAnswer: HttpAnswer | undefined,
): Promise<CheckResult> {
  let answer = apiAnswer?.date ? apiAnswer : undefined;
  let from = target.apiUrl;
  if (!answer) {
    const probe = clockProbe(target.url);
    if (!probe)
      return skip("clock", "not checked: no HTTP server to compare with (the remote is a local path)");
    try {
      answer = await httpCall(probe, { method: "HEAD", timeoutMs: target.timeoutMs, env: target.env });
    } catch (error) {
      return skip("clock", `not checked: ${error instanceof Error ? error.message : String(error)}`);
    }
    from = new URL(probe).origin;
  }
  if (!answer.date) return skip("clock", `not checked: ${from} sent no Date`);
  const skew = (answer.localTime.getTime() - answer.date.getTime()) / 1000;
  const how = `${describeSeconds(Math.abs(skew))} ${skew > 0 ? "ahead of" : "behind"} ${from}`;
  if (Math.abs(skew) <= MAX_SKEW_SECONDS) return ok("clock", `${how} (up to ${MAX_SKEW_SECONDS} s is fine)`);
  return fail(
    "clock",
    `this node's clock is ${how} (more than ${MAX_SKEW_SECONDS} s)`,
    "ask the cluster's admins to sync this node's clock (chrony or ntpd): results carry its timestamps, and TLS and tokens check times",
  );
}

/** An https URL on the git server's host: the repository's own for an https remote, the host's root for SSH. */
function clockProbe(url: string): string | undefined {
  if (isHttpRemote(url)) return url;
  const host = remoteHost(url);
  return host ? `https://${host}/` : undefined;
}

function describeSeconds(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${(s / 3600).toFixed(1)} h`;
}
