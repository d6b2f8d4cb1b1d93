// npm run demo: the main job end to end on an embedded default, under one temporary folder it names.
// The CLI tests and benchmarks an example Julia package (with a stand-in julia) and publishes to a local
// bare origin; then the three actions run exactly as GitHub's runner runs them (node <main> with INPUT_*,
// GITHUB_OUTPUT, GITHUB_EVENT_PATH...) against a local GitHub REST stand-in. --slurm submits the runs
// through a local one-node Slurm cluster when this machine can start one.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeProject, runCli } from "../../test/harness/cli.js";
import { startGitHubApi } from "../../test/harness/github-api/index.js";
import { runAction, type ActionRun } from "../../test/harness/run-action.js";
import { slurmSkipReason, startSlurm, type SlurmCluster } from "../../test/harness/slurm.js";

const REPOSITORY = "demo-org/Example.jl";
const say = (line = "") => console.log(line);
const step = (title: string) => say(`\n=== ${title} ===`);

function fail(what: string, detail: string): never {
  console.error(`demo: ${what} failed\n${detail}`);
  process.exit(1);
}

function check(run: ActionRun, name: string): ActionRun {
  if (run.exitCode !== 0) fail(name, run.stdout + run.stderr);
  for (const a of run.annotations) say(`  ${a.level}: ${a.message}`);
  return run;
}

/** The push event GitHub would send for the newest commit on the origin's hpc-results branch. */
function pushEvent(origin: string): Record<string, unknown> {
  const git = (...args: string[]) =>
    execFileSync("git", ["--git-dir", origin, ...args], { encoding: "utf8" }).trim();
  const [after, before] = git("log", "-2", "--format=%H", "hpc-results").split("\n");
  const changes = git("show", "--name-status", "--format=", after!).split("\n").filter(Boolean);
  return {
    ref: "refs/heads/hpc-results",
    before: before ?? "0".repeat(40),
    after,
    commits: [
      {
        id: after,
        added: changes.filter((l) => l.startsWith("A")).map((l) => l.split("\t")[1]),
        modified: changes.filter((l) => l.startsWith("M")).map((l) => l.split("\t")[1]),
        removed: [],
      },
    ],
  };
}

async function main(): Promise<void> {
  const useSlurm = process.argv.includes("--slurm");
  const work = mkdtempSync(join(tmpdir(), "hpc-ci-demo-"));
  // The harness, the CLI and the actions make their folders in os.tmpdir(): pointing it here keeps
  // everything the demo writes under the one folder it names.
  process.env.TMPDIR = work;
  say(`Everything this demo writes goes under ${work}`);
  let cluster: SlurmCluster | undefined;
  if (useSlurm) {
    const why = slurmSkipReason();
    if (why) say(`--slurm: no local Slurm here (${why}); running the CLI directly instead`);
    else {
      cluster = await startSlurm();
      say(`--slurm: started a one-node Slurm cluster "${cluster.clusterName}" in ${cluster.startupMs} ms`);
    }
  }
  const api = await startGitHubApi({ repository: REPOSITORY });
  try {
    step("1. The cluster side: hpc-ci run on the example package, published to a local origin");
    const p = makeProject();
    say(`package: ${p.dir}\norigin:  ${p.origin} (a bare git repository standing in for GitHub)`);
    const env = {
      HPC_CLUSTER_NAME: cluster ? "" : "demo-cluster",
      HPC_RESULTS_REPOSITORY_SLUG: REPOSITORY,
      ...cluster?.env,
    };
    if (cluster) {
      writeFileSync(
        join(p.dir, ".hpc-ci.json"),
        JSON.stringify({
          slurm: { partition: cluster.partition, time: "00:10:00", cpus_per_task: 1 },
          benchmarks: { reserve_minutes: 1 },
        }),
      );
      p.git("add", ".hpc-ci.json");
      p.git("commit", "-q", "-m", "hpc-ci settings");
    }
    const command = cluster ? ["submit", "--wait", "--no-codecov"] : ["run", "--no-codecov"];
    const first = await runCli(command, { cwd: p.dir, env, timeoutMs: 300_000 });
    if (first.exitCode !== 0) fail(`hpc-ci ${command.join(" ")}`, first.stdout + first.stderr);
    const mainCommit = p.git("rev-parse", "HEAD");
    say(`$ node dist/hpc-ci/index.js ${command.join(" ")}   -> exit ${first.exitCode}`);
    say(
      first.stdout
        .split("\n")
        .filter((l) => l.startsWith("[hpc-ci]"))
        .map((l) => `  ${l}`)
        .join("\n"),
    );

    step("2. A pull request's branch, 25% slower, tested the same way");
    p.git("checkout", "-q", "-b", "feature/new-solver");
    writeFileSync(join(p.dir, "NEWS.md"), "A new solver.\n");
    p.git("add", "NEWS.md");
    p.git("commit", "-q", "-m", "A new solver");
    const featureCommit = p.git("rev-parse", "HEAD");
    const second = await runCli(command, {
      cwd: p.dir,
      env: { ...env, JULIA_STUB_BENCH_SCALE: "1.25" },
      timeoutMs: 300_000,
    });
    if (second.exitCode !== 0) fail("the second run", second.stdout + second.stderr);
    say(`  commit ${featureCommit} on feature/new-solver -> exit ${second.exitCode}`);
    say(
      `  hpc-results now holds: ${execFileSync("git", ["--git-dir", p.origin, "ls-tree", "--name-only", "hpc-results"], { encoding: "utf8" }).trim().split("\n").join(", ")}`,
    );

    step("3. The GitHub side, as the runner runs it: ingest, render-badges, comment-hpc-summary");
    const results = join(work, "hpc-results");
    const pages = join(work, "pages");
    execFileSync("git", ["clone", "-q", "-b", "hpc-results", p.origin, results]);
    execFileSync("git", ["clone", "-q", p.origin, pages]);
    const github = { GITHUB_REPOSITORY: REPOSITORY, GITHUB_API_URL: api.url };
    let render: ActionRun | undefined;
    let ingest: ActionRun | undefined;
    for (const commit of [mainCommit, featureCommit]) {
      ingest = check(
        await runAction("ingest-hpc-results", {
          cwd: results,
          inputs: { commit },
          env: github,
          repository: REPOSITORY,
        }),
        "ingest",
      );
      render = check(
        await runAction("render-badges", {
          cwd: work,
          inputs: { "results-file": ingest.outputs["results-file"]!, "pages-path": pages },
          env: github,
          repository: REPOSITORY,
        }),
        "render-badges",
      );
    }
    const pushed = check(
      await runAction("ingest-hpc-results", {
        cwd: results,
        event: pushEvent(p.origin),
        env: github,
        repository: REPOSITORY,
      }),
      "ingest (push event)",
    );
    say(
      `  ingest: commits ${pushed.outputs.commits}, tests ${pushed.outputs["tests-status"]}, coverage ${pushed.outputs["coverage-percent"]}%, worst regression ${pushed.outputs["worst-regression-pct"]}%`,
    );
    say(
      `  render-badges: pushed ${render!.outputs.pushed} to gh-pages, pages-url ${render!.outputs["pages-url"]}`,
    );

    api.state.addCommit(featureCommit);
    api.state.addPullRequest({
      number: 1,
      headSha: featureCommit,
      headRef: "feature/new-solver",
      baseRef: "main",
      title: "A new solver",
    });
    const comment = check(
      await runAction("comment-hpc-summary", {
        cwd: results,
        inputs: {
          "results-file": ingest!.outputs["results-file"]!,
          token: api.token,
          "results-path": results,
          "pages-url": render!.outputs["pages-url"]!,
        },
        env: { ...github, HPC_CI_GITHUB_TIME_SCALE: "0.01" },
        repository: REPOSITORY,
      }),
      "comment-hpc-summary",
    );
    const body = api.state.comments(1)[0]?.body ?? "";
    writeFileSync(join(work, "comment.md"), body);
    say(
      `  comment-hpc-summary: pull requests ${comment.outputs["pull-requests"]}, comment ids ${comment.outputs["comment-ids"]}`,
    );
    for (const r of api.state.checkRuns(featureCommit))
      say(`    check run ${r.name}: ${r.conclusion} - ${r.output.title}`);
    if (api.violations.length > 0)
      fail("the GitHub stand-in's OpenAPI check", JSON.stringify(api.violations, null, 2));

    step("Where to look");
    say(
      `dashboard:       ${join(pages, "hpc", "index.html")}   (python3 -m http.server -d ${pages} and open /hpc/)`,
    );
    say(
      `endpoint badges: ${join(pages, "hpc")}/{tests,benchmarks,coverage,regression,freshness}.json and .svg`,
    );
    say(`pull request comment (as GitHub would store it): ${join(work, "comment.md")}`);
    say(`results branch:  ${results}  (README.md, latest-*.json, <sha>/, branches/)`);
    say(`README badges:\n${render!.outputs["badges-markdown"]}`);
    say("\nFirst lines of the comment:");
    say(
      body
        .split("\n")
        .slice(0, 12)
        .map((l) => `  | ${l}`)
        .join("\n"),
    );
    say(
      "\nStand-ins, plainly: julia is a stand-in script (test/fixtures/bin/julia) writing real-format .cov files and",
    );
    say(
      "Test Summary tables; 'origin' is a local bare git repository; the GitHub REST API is a local server that",
    );
    say(
      "checks every request against GitHub's published OpenAPI description; Codecov is not contacted (--no-codecov).",
    );
    say(
      cluster
        ? `Slurm was real: a one-node cluster started for this demo (${cluster.clusterName}).`
        : "No Slurm was used (try --slurm on a machine with slurmctld, slurmd and munge, as root).",
    );
    say(`Everything is in ${work} (remove it when done).`);
  } finally {
    await api.close();
    await cluster?.stop();
  }
}

await main();
