// A project whose benchmark command replays generated runs (test/harness/aa-sequence.ts) through the
// bundled CLI, as a cluster job runs it, with a real bare repository as origin: each run's BenchmarkTools
// file is copied to where the CLI asks for it, in a Slurm job's environment on the run's node.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchmarkToolsJson, type GeneratedRun } from "./aa-sequence.js";
import { type CliRun, type Project, makeProject, runCli } from "./cli.js";
import { scratchDir } from "./scratch.js";

// Copies this pass's results file; a second pass (the confirmation rerun) takes BENCH_SOURCE_2 if set.
const COMMAND =
  'if [ -e "$BENCH_MARK" ] && [ -n "$BENCH_SOURCE_2" ]; then cp "$BENCH_SOURCE_2" "$HPC_CI_BENCHMARK_RESULTS"; ' +
  'else cp "$BENCH_SOURCE" "$HPC_CI_BENCHMARK_RESULTS"; fi; touch "$BENCH_MARK"';

export class BenchProject {
  readonly p: Project;
  private readonly scratch = scratchDir("hpc-ci-bench-runs-");
  private files = 0;

  /** The example package with the replaying benchmark command (and `judge` settings, if given) committed. */
  constructor(judge?: Record<string, unknown>) {
    this.p = makeProject();
    this.writeConfig(judge);
    this.p.git("add", ".hpc-ci.json");
    this.p.git("commit", "-q", "-m", "benchmarks");
  }

  writeConfig(judge?: Record<string, unknown>): void {
    const benchmarks = { commands: [["sh", "-c", COMMAND]], ...(judge && { judge }) };
    writeFileSync(
      join(this.p.dir, ".hpc-ci.json"),
      JSON.stringify({ coverage: { codecov: false }, benchmarks }),
    );
  }

  /** A file holding the run as BenchmarkTools writes it. */
  source(run: GeneratedRun): string {
    const file = join(this.scratch, `run-${this.files++}.json`);
    writeFileSync(file, benchmarkToolsJson(run));
    return file;
  }

  /** The environment of a Slurm job on the run's node that replays it. */
  jobEnv(run: GeneratedRun, extra: Record<string, string> = {}): Record<string, string> {
    const now = Math.floor(Date.now() / 1000);
    return {
      SLURM_JOB_ID: String(1000 + this.files),
      SLURMD_NODENAME: run.node,
      SLURM_JOB_START_TIME: String(now - 60),
      SLURM_JOB_END_TIME: String(now + 7200),
      HPC_CLUSTER_NAME: "testcluster",
      BENCH_SOURCE: this.source(run),
      BENCH_MARK: join(this.scratch, `mark-${this.files}`),
      ...extra,
    };
  }

  /** `hpc-ci run --benchmarks-only` of the checked-out commit, replaying `run`. */
  run(run: GeneratedRun, extra: Record<string, string> = {}, flags: string[] = []): Promise<CliRun> {
    return runCli(["run", "--benchmarks-only", "--no-codecov", ...flags], {
      cwd: this.p.dir,
      env: this.jobEnv(run, extra),
    });
  }

  /** Commits and pushes each run on the default branch, then lets the CLI publish it (its history). */
  async publishHistory(runs: GeneratedRun[]): Promise<void> {
    for (const [i, run] of runs.entries()) {
      this.p.git("commit", "-q", "--allow-empty", "-m", `main ${i}`);
      this.p.git("push", "-q", "origin", "main");
      const out = await this.run(run);
      if (out.exitCode !== 0) throw new Error(`main run ${i} failed:\n${out.stdout}${out.stderr}`);
    }
  }

  /** A new branch off the default branch with one commit, pushed; returns the commit. */
  branch(name: string): string {
    this.p.git("checkout", "-q", "-b", name, "main");
    this.p.git("commit", "-q", "--allow-empty", "-m", `pull request ${name}`);
    this.p.git("push", "-q", "origin", name);
    return this.p.git("rev-parse", "HEAD");
  }
}
