// The git side of `doctor`: git itself, the results remote with the configured credential, the results
// branch, and whether a push would be accepted (a dry run: the server checks the credential's write
// access when asked for its receive-pack, and nothing is sent).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tokenEnvironment } from "../git/credentials.js";
import { redactUrls } from "../git/redact.js";
import { isHttpRemote, remoteKind } from "../git/remote-url.js";
import { git, GitError } from "../git/run.js";
import { type CheckResult, type DoctorTarget, fail, ok, seconds, skip } from "./check.js";
import { gitFailureFix } from "./fixes.js";

/** git reads GIT_CONFIG_COUNT (how HPC_RESULTS_TOKEN reaches it) from 2.31 on. */
const CONFIG_ENV_VERSION = [2, 31];

export async function checkGit(target: DoctorTarget): Promise<CheckResult> {
  let said: string;
  try {
    said = (await git(process.cwd(), ["--version"], target.env, { timeoutMs: target.timeoutMs })).trim();
  } catch (error) {
    return fail(
      "git",
      `git cannot be run: ${error instanceof Error ? error.message : String(error)}`,
      "put git on PATH (on many clusters: `module load git`)",
    );
  }
  const version = /(\d+)\.(\d+)/.exec(said);
  const older =
    version &&
    Number(version[1]) * 1000 + Number(version[2]) < CONFIG_ENV_VERSION[0]! * 1000 + CONFIG_ENV_VERSION[1]!;
  if (older && target.token && isHttpRemote(target.url)) {
    return fail(
      "git",
      `${said}: older than 2.31, so it ignores GIT_CONFIG_COUNT and HPC_RESULTS_TOKEN cannot reach it`,
      "use git 2.31 or newer (`module load git`, or conda's git), or publish over SSH with a deploy key",
    );
  }
  return ok("git", said);
}

/** One `git ls-remote` answers both: can we reach the remote, and does the branch exist there. */
export async function checkRemote(target: DoctorTarget): Promise<CheckResult[]> {
  const where = redactUrls(target.url);
  const started = Date.now();
  let listed: string;
  try {
    listed = await git(
      process.cwd(),
      ["ls-remote", target.url, `refs/heads/${target.branch}`],
      tokenEnvironment(target.url, target.token, target.env),
      { timeoutMs: target.timeoutMs },
    );
  } catch (error) {
    const said = error instanceof GitError ? error.message : String(error);
    return [
      fail(
        "remote",
        `${where} cannot be read with ${credential(target)}: ${said}`,
        gitFailureFix(said, target, "read"),
      ),
      skip("branch", `${target.branch}: not checked (the remote cannot be read)`),
    ];
  }
  const reached = ok(
    "remote",
    `${where} read with ${credential(target)} in ${seconds(Date.now() - started)}`,
  );
  const tip = listed.trim().split(/\s+/)[0];
  const branch = tip
    ? ok("branch", `${target.branch} exists (tip ${tip.slice(0, 12)})`)
    : ok("branch", `${target.branch} does not exist yet: the first publish creates it`);
  return [reached, branch];
}

/** `git push --dry-run` of a throwaway commit to a branch nobody uses: asks for write access, sends nothing. */
export async function checkPush(target: DoctorTarget): Promise<CheckResult> {
  const dir = await mkdtemp(join(tmpdir(), "hpc-ci-doctor-"));
  const env = tokenEnvironment(target.url, target.token, target.env);
  try {
    await git(dir, ["init", "-q"], env);
    await git(
      dir,
      [
        "-c",
        "user.name=hpc-ci",
        "-c",
        "user.email=hpc-ci@users.noreply.github.com",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "doctor",
      ],
      env,
    );
    await git(dir, ["push", "--dry-run", "-q", target.url, "HEAD:refs/heads/hpc-ci-doctor-dry-run"], env, {
      timeoutMs: target.timeoutMs,
    });
    return ok(
      "push",
      `${credential(target)} may push to ${redactUrls(target.url)} (dry run: nothing was sent)`,
    );
  } catch (error) {
    const said = error instanceof GitError ? error.message : String(error);
    return fail("push", `a push would be refused: ${said}`, gitFailureFix(said, target, "write"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function credential(target: DoctorTarget): string {
  if (isHttpRemote(target.url))
    return target.token ? "HPC_RESULTS_TOKEN" : "no token (HPC_RESULTS_TOKEN is not set)";
  return remoteKind(target.url) === "ssh" ? "your SSH key" : "local access";
}
