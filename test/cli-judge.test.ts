// The judge through the bundled CLI, as a cluster job runs it, with a real bare repository as origin:
// default-branch runs publish the history, then runs of a pull-request branch are judged against it.
// A/A runs (one of them on the slow node) pass; an injected +30%, doubled allocations and a real
// improvement are each reported, in the exit code and in <sha>/benchmarks.json; pull-request runs never
// become history; the operator's settings win over the tested commit's .hpc-ci.json; --confirm reruns.
import { beforeAll, describe, expect, it } from "vitest";
import type { BenchmarksSummary } from "../src/contract/types.js";
import { SLOW_NODE, aaSequence, type GeneratedRun, withScaled } from "./harness/aa-sequence.js";
import { BenchProject } from "./harness/bench-project.js";
import { type Project, runCli, showFile } from "./harness/cli.js";

const MAIN_RUNS = 8;
const MAIN = aaSequence(21, MAIN_RUNS, (i) => i === 3);
const PRS = aaSequence(2121, 8, (i) => i === 0);

let bench: BenchProject;
let p: Project;
let prCommit: string;

async function judged(run: GeneratedRun, extra: Record<string, string> = {}, flags: string[] = []) {
  const out = await bench.run(run, extra, flags);
  const summary = JSON.parse(showFile(p.origin, `${prCommit}/benchmarks.json`)) as BenchmarksSummary;
  return { out, summary };
}

beforeAll(async () => {
  bench = new BenchProject();
  p = bench.p;
  await bench.publishHistory(MAIN);
  prCommit = bench.branch("feature");
}, 240_000);

describe("benchmarks judged by the CLI against the default branch's history", () => {
  it("published the default branch's runs as its history, in their environment", () => {
    const history = JSON.parse(showFile(p.origin, "history/main.json"));
    expect(history.runs).toHaveLength(MAIN_RUNS);
    expect(history.runs[3].node).toBe(SLOW_NODE);
    expect(history.runs[0].environment).toMatchObject({ cluster: "testcluster" });
    expect(Object.keys(history.runs[0].benchmarks)).toContain("cpu/kernel_1");
    expect(history.runs[0].benchmarks["cpu/kernel_1"]).toMatchObject({ allocs: 100, memory_bytes: 4096 });
  });

  it("passes A/A runs, and reports the slow node's 3x once as a shift of the I/O suite", async () => {
    for (const run of PRS.slice(0, 3)) {
      const { out, summary } = await judged(run);
      expect(out.exitCode, out.stdout + out.stderr).toBe(0);
      expect(summary.verdict).not.toBe("regression");
      expect(summary.judge).toMatchObject({
        history_branch: "main",
        history_points: MAIN_RUNS,
        sources: { history_branch: "origin/HEAD", floor_pct: "default", confirm: "default" },
      });
      for (const r of Object.values(summary.benchmarks)) expect(r.evidence?.tentative ?? false).toBe(false);
      if (run.node === SLOW_NODE) {
        expect(summary.shifts).toMatchObject([{ suite: "io", node: SLOW_NODE }]);
        expect(out.stdout).toMatch(/suite io moved x\d/);
      } else expect(summary.shifts).toEqual([]);
    }
  }, 60_000);

  it("fails on +30% in one stable benchmark, and says so in <sha>/benchmarks.json", async () => {
    const { out, summary } = await judged(withScaled(PRS[3]!, "cpu/kernel_3", 1.3));
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(/regression: cpu\/kernel_3: time .*\(\+\d+(\.\d+)?%, band ±/);
    expect(summary.verdict).toBe("regression");
    const r = summary.benchmarks["cpu/kernel_3"]!;
    expect(r).toMatchObject({ verdict: "regression", regression: true });
    expect(r.evidence?.time?.verdict).toBe("regression");
    expect(r.evidence?.baseline_commit).toBe(summary.baseline?.commit);
    const others = Object.entries(summary.benchmarks).filter(([n]) => n !== "cpu/kernel_3");
    for (const [, o] of others) expect(o.verdict).not.toBe("regression");
  }, 30_000);

  it("fails on doubled allocations while the time is unchanged", async () => {
    const run = PRS[4]!;
    const doubled = {
      ...run,
      results: { ...run.results, "cpu/kernel_2": { ...run.results["cpu/kernel_2"], allocs: 400 } },
    };
    const { out, summary } = await judged(doubled);
    expect(out.exitCode).toBe(1);
    const r = summary.benchmarks["cpu/kernel_2"]!;
    expect(r.verdict).toBe("regression");
    expect(r.evidence?.time?.verdict).toBe("unchanged");
    expect(r.evidence?.allocs).toMatchObject({ baseline: 200, current: 400, verdict: "regression" });
  }, 30_000);

  it("reports a real improvement, and passes", async () => {
    const { out, summary } = await judged(withScaled(PRS[5]!, "cpu/kernel_4", 0.7));
    expect(out.exitCode, out.stdout + out.stderr).toBe(0);
    expect(summary.verdict).toBe("improvement");
    expect(summary.benchmarks["cpu/kernel_4"]!.verdict).toBe("improvement");
  }, 30_000);

  it("lets the operator's variable and flag win over the tested commit's .hpc-ci.json", async () => {
    // The pull request loosens its own gate...
    bench.writeConfig({ floor_pct: 80 });
    const slower = withScaled(PRS[6]!, "cpu/kernel_3", 1.3);
    const loose = await judged(slower);
    expect(loose.out.exitCode).toBe(0);
    expect(loose.summary.judge?.sources?.floor_pct).toBe(".hpc-ci.json benchmarks.judge.floor_pct");
    expect(loose.summary.regression_threshold_pct).toBe(80);
    // ...and the operator's settings put it back.
    const env = await judged(slower, { HPC_BENCH_FLOOR_PCT: "5" });
    expect(env.out.exitCode).toBe(1);
    expect(env.summary.judge).toMatchObject({ floor_pct: 5, sources: { floor_pct: "HPC_BENCH_FLOOR_PCT" } });
    const flag = await judged(slower, { HPC_BENCH_FLOOR_PCT: "70" }, ["--bench-floor-pct=6"]);
    expect(flag.out.exitCode).toBe(1);
    expect(flag.summary.judge).toMatchObject({ floor_pct: 6, sources: { floor_pct: "--bench-floor-pct" } });
    p.git("checkout", "-q", "--", ".hpc-ci.json");
  }, 60_000);

  it("with confirmation, reruns the benchmarks and keeps only regressions seen twice", async () => {
    const blip = bench.source(withScaled(PRS[7]!, "cpu/kernel_3", 1.3));
    const steady = bench.source(PRS[7]!);
    const first = await runCli(["run", "--benchmarks-only", "--no-codecov"], {
      cwd: p.dir,
      env: { ...bench.jobEnv(PRS[7]!), BENCH_SOURCE: blip, BENCH_SOURCE_2: steady, HPC_BENCH_CONFIRM: "1" },
    });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/running the benchmarks again to confirm/);
    const summary = JSON.parse(showFile(p.origin, `${prCommit}/benchmarks.json`)) as BenchmarksSummary;
    expect(summary.confirmed).toBe(true);
    expect(summary.verdict).not.toBe("regression");
    expect(summary.benchmarks["cpu/kernel_3"]!.evidence?.note).toContain("not seen again");
    // Seen twice: it stays, and fails.
    const twice = await runCli(["run", "--benchmarks-only", "--no-codecov"], {
      cwd: p.dir,
      env: { ...bench.jobEnv(PRS[7]!), BENCH_SOURCE: blip, BENCH_SOURCE_2: blip, HPC_BENCH_CONFIRM: "1" },
    });
    expect(twice.exitCode).toBe(1);
    const again = JSON.parse(showFile(p.origin, `${prCommit}/benchmarks.json`)) as BenchmarksSummary;
    expect(again).toMatchObject({ confirmed: true, verdict: "regression" });
    // Too little walltime left: no rerun, the regression stands unconfirmed.
    const now = Math.floor(Date.now() / 1000);
    const late = await runCli(["run", "--benchmarks-only", "--no-codecov"], {
      cwd: p.dir,
      env: {
        ...bench.jobEnv(PRS[7]!),
        BENCH_SOURCE: blip,
        BENCH_SOURCE_2: steady,
        HPC_BENCH_CONFIRM: "1",
        // Enough for the benchmarks (15 minutes' reserve), not for a rerun (at least one more minute).
        SLURM_JOB_END_TIME: String(now + 15 * 60 + 30),
      },
    });
    expect(late.exitCode).toBe(1);
    expect(late.stderr + late.stdout).toMatch(/regressions not confirmed: only/);
  }, 90_000);

  it("never made the pull request's runs history", () => {
    const history = JSON.parse(showFile(p.origin, "history/main.json"));
    expect(history.runs).toHaveLength(MAIN_RUNS);
    expect(history.runs.map((r: { commit: string }) => r.commit)).not.toContain(prCommit);
  });
});
