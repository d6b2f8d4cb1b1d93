// `hpc-ci poll` as cron runs it (the bundle, `node dist/hpc-ci/index.js poll --once`), against a bare
// repository that is both the source (branches, tags, refs/pull/N/head made with update-ref) and the
// results branch's home, the real one-node Slurm (one for the file), and the GitHub stand-in for the
// dispatch. Submitted jobs really run `run` on the example package with the stand-in julia and publish.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { utcSeconds } from "../src/contract/time.js";
import type { HpcRequest } from "../src/contract/types.js";
import { checkDocument } from "../src/contract/validate.js";
import { lsBranch, makeProject, runCli, showFile, type Project } from "./harness/cli.js";
import { type GitHubApi, startGitHubApi } from "./harness/github-api/index.js";
import { REPO_ROOT, runAction, type ActionRun } from "./harness/run-action.js";
import { issueCommentEvent } from "./harness/issue-comment.js";
import { scratchDir } from "./harness/scratch.js";
import { missingCommands } from "./harness/system.js";
import { slurmSkipReason, startSlurm, type SlurmCluster } from "./harness/slurm.js";
import { git } from "./harness/git.js";

const skip = slurmSkipReason();

const REPOSITORY = "octo/example";
const ACTIVE = /^(PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED)/;

describe.skipIf(skip)("hpc-ci poll on a real Slurm cluster", () => {
  let cluster: SlurmCluster;
  let api: GitHubApi;
  let p: Project;
  let scratch: string;
  let tokenFile: string;
  let writer: string;

  const bare = (...args: string[]) =>
    execFileSync("git", ["--git-dir", p.origin, ...args], { encoding: "utf8" }).trim();
  const slurm = (command: string, ...args: string[]) =>
    execFileSync(command, args, { env: { ...process.env, ...cluster.env }, encoding: "utf8" }).trim();

  beforeAll(async () => {
    [cluster, api] = await Promise.all([startSlurm(), startGitHubApi({ repository: REPOSITORY })]);
    p = makeProject();
    // The tested commit's settings: no Codecov upload from this machine.
    writeFileSync(join(p.dir, ".hpc-ci.json"), JSON.stringify({ coverage: { codecov: false } }));
    p.git("add", ".hpc-ci.json");
    p.git("commit", "-q", "-m", "hpc-ci settings");
    p.git("push", "-q", "origin", "main");
    scratch = scratchDir("hpc-ci-poll-");
    tokenFile = join(scratch, "token");
    writeFileSync(tokenFile, `${api.token}\n`);
    chmodSync(tokenFile, 0o600);
    writer = join(scratch, "writer");
    mkdirSync(writer);
    mkdirSync(join(scratch, "tmp"));
    git(writer, "init", "-q");
  }, 120_000);
  const actionRuns: ActionRun[] = [];
  afterAll(async () => {
    await cluster?.stop();
    await api?.close();
    for (const r of actionRuns) rmSync(dirname(r.runnerTemp), { recursive: true, force: true });
  });

  /** A commit of the project on no branch, its head at refs/pull/<n>/head of the bare repository. */
  function pullHead(n: number, label: string, slow = false): string {
    p.git("checkout", "-q", "--detach", "main");
    writeFileSync(join(p.dir, "src", `pr${n}.jl`), `# ${label}\n`);
    if (slow) {
      // The stand-in julia's "tests" then take a minute: a job that is still running when it is stopped.
      const stub = join(p.dir, "test", "stub.json");
      writeFileSync(stub, JSON.stringify({ ...JSON.parse(readFileSync(stub, "utf8")), sleepSeconds: 60 }));
    }
    p.git("add", "-A");
    p.git("commit", "-q", "-m", label);
    const sha = p.git("rev-parse", "HEAD");
    p.git("push", "-q", "origin", `${sha}:refs/hpc-test/carry`);
    bare("update-ref", `refs/pull/${n}/head`, sha);
    bare("update-ref", "-d", "refs/hpc-test/carry");
    p.git("checkout", "-q", "main");
    return sha;
  }

  /**
   * Files committed to the results branch as the request action would write them: like the action, a
   * rejected push (a job of an earlier step publishing at the same moment) is retried on the newest tip.
   */
  function onResultsBranch(files: Record<string, string>): void {
    for (let attempt = 1; ; attempt++) {
      try {
        commitOnResultsBranch(files);
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
  }

  function commitOnResultsBranch(files: Record<string, string>): void {
    try {
      git(writer, "fetch", "-q", p.origin, "+refs/heads/hpc-results:refs/remotes/results");
      git(writer, "checkout", "-q", "-f", "-B", "w", "refs/remotes/results");
    } catch {
      git(writer, "checkout", "-q", "--orphan", "w");
    }
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(writer, path, ".."), { recursive: true });
      writeFileSync(join(writer, path), text);
    }
    git(writer, "add", "-A");
    git(writer, "commit", "-q", "-m", "request");
    git(writer, "push", "-q", p.origin, "HEAD:refs/heads/hpc-results");
  }

  function queued(id: string, n: number, commit: string, requestedAt = new Date()): HpcRequest {
    const at = utcSeconds(requestedAt);
    return {
      schema_version: 1,
      id,
      source: "pull_request",
      what: "tests",
      commit,
      repository: REPOSITORY,
      pull_request: n,
      requested_by: "maintainer",
      requested_at: at,
      state: "queued",
      updated_at: at,
      events: [{ state: "queued", at, by: "maintainer" }],
    };
  }
  const put = (...requests: HpcRequest[]) =>
    onResultsBranch(Object.fromEntries(requests.map((r) => [`requests/${r.id}.json`, JSON.stringify(r)])));
  /** A request's file on the results branch: in requests/, or in requests-closed/<commit>/ once a poll moved it. */
  const fileOf = (id: string) =>
    lsBranch(p.origin).find((f) => f === `requests/${id}.json` || f.endsWith(`/${id}.json`))!;
  const request = (id: string) => JSON.parse(showFile(p.origin, fileOf(id))) as HpcRequest;

  function operatorConfig(name: string, poll: Record<string, unknown>): string {
    const file = join(scratch, `${name}.json`);
    const workdir = join(scratch, "work");
    const slurmSettings = { partition: cluster.partition, time: "00:05:00", cpus_per_task: 1 };
    writeFileSync(
      file,
      JSON.stringify({
        results: { repo_url: p.origin, branch: "hpc-results", repository: REPOSITORY },
        poll: { workdir, slurm: slurmSettings, branches: [], ...poll },
      }),
    );
    return file;
  }

  const poll = (config: string, ...flags: string[]) =>
    runCli(["poll", "--once", ...flags], {
      cwd: scratch,
      env: {
        ...cluster.env,
        HPC_CI_OPERATOR_CONFIG: config,
        HPC_RESULTS_TOKEN_FILE: tokenFile,
        GITHUB_API_URL: api.url,
        HPC_CLUSTER_NAME: "",
        // The jobs inherit it: one stopped with scancel in the middle of its publish leaves that checkout
        // behind, in this file's scratch folder (removed with it), not in the run's TMPDIR.
        TMPDIR: join(scratch, "tmp"),
      },
      timeoutMs: 120_000,
    });

  const jobsNamed = (id: string) =>
    slurm("squeue", "-h", "-t", "all", "-n", `hpc-ci-${id}`, "-o", "%i").split("\n").filter(Boolean);

  async function ended(jobId: string): Promise<string> {
    for (const deadline = Date.now() + 90_000; Date.now() < deadline;) {
      const state = slurm("squeue", "-h", "-t", "all", "-j", jobId, "-o", "%T");
      if (!ACTIVE.test(state)) return state;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`job ${jobId} did not end:\n${cluster.logTail()}`);
  }

  it("a bad poll section is a configuration error: exit 2, naming the file and the setting", async () => {
    const config = operatorConfig("bad", { max_jobs: 0, when: "nightly" });
    const run = await poll(config);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${config} at /poll/when: is not a known setting`);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const zero = await poll(operatorConfig("zero", { max_jobs: 0 }));
    expect(zero.exitCode).toBe(2);
    expect(zero.stderr).toContain("at /poll/max_jobs: must be a whole number from 1 to 1000");
    const time = await poll(operatorConfig("time", { slurm: { time: "soon" } }));
    expect(time.exitCode).toBe(2);
    expect(time.stderr).toMatch(/at \/poll\/slurm\/time: /);
  });

  let prJob = "";
  it("two pollers racing for one queued request: exactly one job; an invalid request is reported and blocks nothing", async () => {
    const commit = pullHead(1, "pull request 1");
    put(queued("pr-1-1", 1, commit));
    onResultsBranch({
      "requests/broken.json": JSON.stringify({ ...queued("broken", 9, commit), state: "exploded" }),
    });
    // A request file linked to the poller's token file: read as git holds it, never followed.
    symlinkSync(tokenFile, join(writer, "requests", "linked.json"));
    onResultsBranch({});
    const config = operatorConfig("race", { max_jobs: 2 });

    const [a, b] = await Promise.all([poll(config), poll(config)]);
    for (const run of [a, b]) {
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.stderr).toContain("invalid request, left alone: requests/broken.json at /state");
      expect(run.stderr).toContain("invalid request, left alone: requests/linked.json");
      expect(run.stdout + run.stderr).not.toContain(api.token);
    }
    const out = a.stdout + b.stdout;
    if (process.env.HPC_CI_TEST_VERBOSE) console.log(out);
    expect(out.match(/submitted job \d+ for pr-1-1/g)).toHaveLength(1);
    const jobs = jobsNamed("pr-1-1");
    expect(jobs).toHaveLength(1);
    prJob = jobs[0]!;
    const now = request("pr-1-1");
    expect(now).toMatchObject({
      state: "running",
      job_id: prJob,
      claimed_by: expect.stringMatching(/:\d+$/),
    });
    expect(checkDocument("hpc-request", now, "pr-1-1.json")).toEqual([]);
    expect(now.events!.map((e) => e.state)).toEqual(["queued", "running", "running"]);
    // The other poller lost the claim, or found it taken already.
    expect(out).toMatch(/lost the claim of pr-1-1|nothing to do/);
    expect(JSON.parse(showFile(p.origin, "requests/broken.json")).state).toBe("exploded");
    // GitHub was asked to mirror the new state.
    const dispatch = api.state.dispatches().at(-1)!;
    expect(dispatch.client_payload.commits).toEqual([commit]);
  });

  it("the job publishes; the next poll marks the request completed", async () => {
    expect(await ended(prJob)).toBe("COMPLETED");
    const commit = request("pr-1-1").commit;
    const results = JSON.parse(showFile(p.origin, `${commit}/hpc-results.json`));
    expect(results.hpc.job_id).toBe(prJob);
    const run = await poll(operatorConfig("race", { max_jobs: 2 }));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`completed pr-1-1: job ${prJob} published results`);
    expect(request("pr-1-1")).toMatchObject({ state: "completed", job_id: prJob });
  });

  it("end to end: a maintainer's /hpc run, two racing pollers, one job, results published, the hpc check run completed", async () => {
    api.state.setCollaborator("maintainer-ann", "maintain");
    const commit = pullHead(20, "pull request 20");
    api.state.addPullRequest({ number: 20, headSha: commit, user: "contributor-cy" });
    const env = { GITHUB_API_URL: api.url, INPUT_TOKEN: api.token, HPC_CI_GITHUB_TIME_SCALE: "0" };
    const comment = api.state.addComment(20, { body: "/hpc run tests", user: "maintainer-ann" });
    const asked = await runAction("request-hpc-run", {
      eventName: "issue_comment",
      event: issueCommentEvent(api.state, 20, comment, false),
      repository: REPOSITORY,
      inputs: { "results-remote": p.origin },
      env,
    });
    actionRuns.push(asked);
    expect(asked.exitCode, asked.stdout + asked.stderr).toBe(0);
    const id = `pr-20-${comment.id}`;
    expect(request(id)).toMatchObject({
      state: "queued",
      commit,
      pull_request: 20,
      requested_by: "maintainer-ann",
    });
    const hpcRun = () => api.state.checkRuns(commit).filter((r) => r.name === "hpc");
    expect(hpcRun().map((r) => r.status)).toEqual(["queued"]);

    const config = operatorConfig("end-to-end", { max_jobs: 10 });
    const [a, b] = await Promise.all([poll(config), poll(config)]);
    for (const run of [a, b]) expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect((a.stdout + b.stdout).match(new RegExp(`submitted job \\d+ for ${id}`, "g"))).toHaveLength(1);
    const jobs = jobsNamed(id);
    expect(jobs).toHaveLength(1);
    expect(request(id)).toMatchObject({ state: "running", job_id: jobs[0] });

    expect(await ended(jobs[0]!)).toBe("COMPLETED");
    expect(JSON.parse(showFile(p.origin, `${commit}/hpc-results.json`)).hpc.job_id).toBe(jobs[0]);
    const after = await poll(config);
    expect(after.exitCode, after.stderr).toBe(0);
    expect(request(id)).toMatchObject({ state: "completed", job_id: jobs[0] });
    expect(fileOf(id)).toBe(`requests/${id}.json`);
    // Ended and nothing left to do: the next pass moves it, as it is, to requests-closed/ (one push, no dispatch).
    const completedText = showFile(p.origin, `requests/${id}.json`);
    const dispatches = api.state.dispatches().length;
    const tidy = await poll(config);
    expect(tidy.exitCode, tidy.stderr).toBe(0);
    expect(tidy.stdout).toMatch(/archived \d+ ended request\(s\) to requests-closed\//);
    expect(fileOf(id)).toBe(`requests-closed/${commit}/${id}.json`);
    expect(JSON.parse(showFile(p.origin, fileOf(id)))).toEqual(JSON.parse(completedText));
    expect(api.state.dispatches()).toHaveLength(dispatches);

    // The processing workflow's mirror (here on the dispatch the poller sent) completes the check run.
    // GitHub knows every commit requested here (the first test's request too); the first test's unusable
    // request files are reported as annotations without failing the step.
    api.state.addCommit(request("pr-1-1").commit);
    const checkout = join(scratch, "results-e2e");
    execFileSync("git", ["clone", "-q", "-b", "hpc-results", p.origin, checkout]);
    const mirrored = await runAction("request-hpc-run", {
      eventName: "repository_dispatch",
      event: { action: "hpc-results", client_payload: {}, repository: api.state.repository() },
      cwd: checkout,
      repository: REPOSITORY,
      inputs: { "results-remote": p.origin, "fail-on-invalid": "false" },
      env,
    });
    actionRuns.push(mirrored);
    expect(mirrored.exitCode, mirrored.stdout + mirrored.stderr).toBe(0);
    expect(hpcRun()).toHaveLength(1);
    expect(hpcRun()[0]).toMatchObject({ status: "completed", conclusion: "success", head_sha: commit });
    expect(api.violations).toEqual([]);
  });

  it("at most max_jobs at once; a job killed with scancel is reported failed, and the freed slot is used", async () => {
    const config = operatorConfig("limit", { max_jobs: 1 });
    const older = queued("pr-2-1", 2, pullHead(2, "pull request 2", true), new Date(Date.now() - 60_000));
    const newer = queued("pr-3-1", 3, pullHead(3, "pull request 3"));
    put(older, newer);
    const first = await poll(config);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain("pr-3-1 waits: 1 job(s) at once (poll.max_jobs) are running");
    expect(request("pr-3-1").state).toBe("queued");
    const killed = request("pr-2-1").job_id!;
    slurm("scancel", killed);
    expect(await ended(killed)).toMatch(/^CANCELLED/);

    const second = await poll(config);
    expect(second.exitCode, second.stderr).toBe(0);
    const failed = request("pr-2-1");
    expect(failed.state).toBe("failed");
    expect(failed.reason).toMatch(new RegExp(`^job ${killed} CANCELLED`));
    expect(second.stdout).toMatch(/submitted job \d+ for pr-3-1/);
    expect(request("pr-3-1").state).toBe("running");
  });

  it("a queued request whose pull request moved on is superseded; one nobody claimed in time turns stale", async () => {
    const config = operatorConfig("housekeeping", { max_jobs: 1, stale_after_hours: 1 });
    const first = pullHead(4, "pull request 4");
    const old = queued("pr-5-1", 5, pullHead(5, "pull request 5"), new Date(Date.now() - 2 * 3600_000));
    put(queued("pr-4-1", 4, first), old);
    const moved = pullHead(4, "pull request 4, pushed again");
    const run = await poll(config);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(request("pr-4-1")).toMatchObject({
      state: "superseded",
      reason: `pull request #4 moved on to ${moved}`,
    });
    expect(request("pr-5-1")).toMatchObject({
      state: "stale",
      reason: "not claimed within 1h of the request",
    });
  });

  it("--dry-run says what it would do and writes nothing; the branch head is picked once", async () => {
    bare("tag", "v1.0", "main");
    const main = bare("rev-parse", "main");
    const config = operatorConfig("nightly", { max_jobs: 5, branches: ["main"], tags: "v*", scope: "tests" });
    const dry = await poll(config, "--dry-run");
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`would have created branch-main-${main.slice(0, 12)}`);
    expect(dry.stdout).toContain("would have created tag-v1.0");
    // Nothing written (jobs of earlier tests may still publish meanwhile, so the tip itself may move).
    expect(lsBranch(p.origin).filter((f) => /^requests\/(branch|tag)-/.test(f))).toEqual([]);
    expect(dry.stdout).not.toContain("submitted job");
    expect(dry.stdout).toContain(
      `would claim branch-main-${main.slice(0, 12)} and submit a job running tests for ${main}`,
    );

    const once = await poll(config);
    const again = await poll(config);
    for (const run of [once, again]) expect(run.exitCode, run.stderr).toBe(0);
    const id = `branch-main-${main.slice(0, 12)}`;
    expect((once.stdout + again.stdout).match(new RegExp(`created ${id}`, "g"))).toHaveLength(1);
    // The second poll may already find its job done.
    expect(request(id)).toMatchObject({ source: "branch", branch: "main", commit: main, what: "tests" });
    expect(request(id).state).toMatch(/^(running|completed)$/);
    expect(jobsNamed(id)).toHaveLength(1);
  });

  it("a cancelled request's running job is stopped with scancel, once; a job Slurm does not know fails as vanished", async () => {
    const config = operatorConfig("cancel", { max_jobs: 5, vanished_after_minutes: 1 });
    put(queued("pr-6-1", 6, pullHead(6, "pull request 6", true)));
    const claimed = await poll(config);
    expect(claimed.exitCode, claimed.stderr).toBe(0);
    const job = request("pr-6-1").job_id!;
    // `/hpc cancel`, as the request action records it.
    const running = request("pr-6-1");
    const at = utcSeconds();
    const gone: HpcRequest = {
      ...queued("pr-7-1", 7, pullHead(7, "pull request 7")),
      state: "running",
      job_id: "999999",
      claimed_by: "elsewhere:1",
      claimed_at: utcSeconds(new Date(Date.now() - 3600_000)),
    };
    put(
      {
        ...running,
        state: "cancelled",
        updated_at: at,
        events: [...running.events!, { state: "cancelled", at }],
      },
      gone,
    );
    const stopped = await poll(config);
    expect(stopped.exitCode, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain(`scancel job ${job}: pr-6-1 was cancelled`);
    expect(await ended(job)).toMatch(/^(CANCELLED|COMPLETED)/);
    expect(request("pr-6-1").events!.at(-1)).toMatchObject({
      state: "cancelled",
      reason: expect.stringMatching(`^job ${job} stopped`),
    });
    expect(request("pr-7-1")).toMatchObject({
      state: "failed",
      reason: "job 999999 vanished: Slurm does not know it",
    });
    const after = await poll(config);
    expect(after.stdout).not.toContain(`scancel job ${job}`);
  });

  it("sbatch refusing the job fails the request with sbatch's words", async () => {
    const config = operatorConfig("refused", { max_jobs: 5, slurm: { partition: "no-such-partition" } });
    put(queued("pr-8-1", 8, pullHead(8, "pull request 8")));
    const run = await poll(config);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(request("pr-8-1")).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(/^could not submit: sbatch refused the job: .*partition/i),
    });
    expect(jobsNamed("pr-8-1")).toEqual([]);
  });

  it("a commit the source repository does not hold is never run: fetched by SHA or not at all", async () => {
    const config = operatorConfig("unknown-commit", { max_jobs: 9 });
    put(queued("pr-10-1", 10, "d".repeat(40)));
    const run = await poll(config);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(request("pr-10-1")).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(/^could not fetch d{40} from the source repository: git fetch failed/),
    });
    expect(jobsNamed("pr-10-1")).toEqual([]);
  });

  it("without Slurm's commands: exit 3 and nothing claimed", async () => {
    put(queued("pr-9-1", 9, pullHead(9, "pull request 9")));
    const bin = join(scratch, "git-only");
    mkdirSync(bin, { recursive: true });
    symlinkSync(execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim(), join(bin, "git"));
    const run = await runCli(["poll", "--once"], {
      cwd: scratch,
      env: { ...cluster.env, PATH: bin, HPC_CI_OPERATOR_CONFIG: operatorConfig("no-slurm", { max_jobs: 9 }) },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(3);
    expect(run.stderr).toMatch(/is this a Slurm login node\?/);
    expect(request("pr-9-1").state).toBe("queued");
  });

  it("an unreachable results repository is an infrastructure failure: exit 3", async () => {
    const file = join(scratch, "unreachable.json");
    writeFileSync(
      file,
      JSON.stringify({
        results: { repo_url: join(scratch, "missing.git") },
        poll: { workdir: join(scratch, "work") },
      }),
    );
    const run = await poll(file);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/missing\.git/);
  });

  it("the templates: the crontab line is shellcheck-clean sh with flock; Slurm takes the scrontab file", () => {
    const cron = readFileSync(join(REPO_ROOT, "templates/cron/hpc-ci-poll.crontab"), "utf8");
    const [line, ...others] = cron.split("\n").filter((l) => l.trim() && !l.startsWith("#"));
    expect(others).toEqual([]);
    const command = line!.split(/\s+/).slice(5).join(" ");
    expect(command).not.toContain("%"); // cron reads % as a line break
    expect(command).toMatch(/flock -n .* poll --once >>.*2>&1$/);
    expect(command).toContain("HPC_RESULTS_TOKEN_FILE=");
    const scron = readFileSync(join(REPO_ROOT, "templates/slurm/hpc-ci-poll.scrontab"), "utf8");
    const entry = scron.split("\n").find((l) => l.trim() && !l.startsWith("#"))!;
    for (const [name, text] of [
      ["cron.sh", command],
      ["scron.sh", entry.split(/\s+/).slice(5).join(" ")],
    ]) {
      writeFileSync(join(scratch, name!), `#!/bin/sh\n${text}\n`);
      if (!missingCommands("shellcheck")) execFileSync("shellcheck", [join(scratch, name!)]);
    }
    // The #SCRON lines are sbatch options: the real sbatch checks them (--test-only submits nothing).
    const options = scron
      .split("\n")
      .map((l) => /^#SCRON\s+(\S+)/.exec(l)?.[1])
      .filter((o): o is string => o !== undefined);
    expect(options).toContain("--time=00:05:00");
    const env = { ...process.env, ...cluster.env };
    const checked = spawnSync("sbatch", ["--test-only", ...options, "--wrap=true"], {
      env,
      encoding: "utf8",
      cwd: scratch,
    });
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stderr).toMatch(/to start at/);
  });
});
