// Writes results branches for tests: the way Mycelia's ci/hpc/publish_hpc_results.sh and
// render_hpc_results_site.jl write them, and in our own layout; and git repositories holding them.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "./scratch.js";

export function sha(seed: string | number): string {
  // Deterministic 40-hex ids, distinct per seed.
  let h = 0x811c9dc5;
  const out: string[] = [];
  for (let i = 0; out.join("").length < 40; i++) {
    for (const c of `${seed}:${i}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out.push(h.toString(16).padStart(8, "0"));
  }
  return out.join("").slice(0, 40);
}

/** hpc-results.json as Mycelia's run_hpc_ci.sh writes it (Julia Dicts, JSON.print indent 4). */
export function myceliaResults(
  commit: string,
  o: Partial<{
    branch: string;
    generatedAt: string;
    cluster: string;
    jobId: string;
    node: string;
    julia: string;
    coverage: null | { percent: number; total: number; covered: number };
    tests: "passed" | "failed" | "skipped";
    testsSeconds: number;
    benchmarks: "passed" | "failed" | "skipped";
    benchSeconds: number;
  }> = {},
): Record<string, unknown> {
  const coverage = o.coverage === undefined ? { percent: 63.21, total: 12345, covered: 7803 } : o.coverage;
  return {
    benchmarks: {
      status: o.benchmarks ?? "skipped",
      tutorials_log: "logs/tutorials.log",
      duration_seconds: o.benchSeconds ?? 0,
      benchmarks_log: "logs/benchmarks.log",
    },
    hpc: {
      node: o.node ?? "n0042.lr6",
      julia_version: o.julia ?? "1.10.10",
      job_id: o.jobId ?? "",
      cluster: o.cluster ?? "lr",
    },
    commit,
    generated_at: o.generatedAt ?? "2026-01-17T12:34:56Z",
    coverage:
      coverage === null
        ? null
        : {
            summary_file: "coverage/summary.json",
            covered_lines: coverage.covered,
            flag: "hpc-extended",
            total_lines: coverage.total,
            report_file: "coverage/lcov.info",
            coverage_percent: coverage.percent,
          },
    schema_version: 1,
    branch: o.branch ?? "master",
    tests: {
      status: o.tests ?? "passed",
      log_file: "logs/tests.log",
      duration_seconds: o.testsSeconds ?? 3600,
    },
  };
}

function juliaJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}

function endpointColor(status: string): string {
  if (["pass", "passed", "success", "ok"].includes(status)) return "brightgreen";
  if (["skipped", "not run", "unknown"].includes(status)) return "lightgrey";
  return "red";
}

function statusMessage(section: { status?: string; duration_seconds?: number } | undefined): string {
  const status = String(section?.status ?? "unknown")
    .toLowerCase()
    .replace(/_/g, " ");
  const d = Math.round(section?.duration_seconds ?? 0);
  return d > 0 ? `${status} ${d}s` : status;
}

/** Publishes `result` into `dir` exactly as render_hpc_results_site.jl lays it out. */
export function writeMyceliaPublish(dir: string, result: Record<string, unknown>): void {
  const commit = String(result.commit);
  const tests = result.tests as { status?: string; duration_seconds?: number } | undefined;
  const bench = result.benchmarks as { status?: string; duration_seconds?: number } | undefined;
  const hpc = (result.hpc ?? {}) as Record<string, string>;
  const coverage = result.coverage as { coverage_percent?: number } | null;
  const raw = JSON.stringify(result, null, 4);
  mkdirSync(join(dir, commit), { recursive: true });
  writeFileSync(join(dir, "latest-hpc-results.json"), raw);
  writeFileSync(join(dir, commit, "hpc-results.json"), raw);
  const testsEndpoint = {
    schemaVersion: 1,
    label: "HPC tests",
    message: statusMessage(tests),
    color: endpointColor(tests?.status ?? "unknown"),
  };
  const benchEndpoint = {
    schemaVersion: 1,
    label: "HPC bench",
    message: statusMessage(bench),
    color: endpointColor(bench?.status ?? "unknown"),
  };
  const meta = {
    schema_version: result.schema_version ?? 1,
    commit,
    branch: String(result.branch ?? "unknown"),
    generated_at: String(result.generated_at),
    cluster: hpc.cluster ?? "unknown",
    job_id: hpc.job_id ?? "",
    node: hpc.node ?? "",
    tests_status: tests?.status ?? "unknown",
    benchmarks_status: bench?.status ?? "unknown",
    coverage_percent: coverage ? (coverage.coverage_percent ?? null) : null,
  };
  writeFileSync(join(dir, "latest-tests.json"), juliaJson(testsEndpoint));
  writeFileSync(join(dir, "latest-benchmarks.json"), juliaJson(benchEndpoint));
  writeFileSync(join(dir, "latest-meta.json"), juliaJson(meta));
  writeFileSync(join(dir, commit, "tests.json"), juliaJson(testsEndpoint));
  writeFileSync(join(dir, commit, "benchmarks.json"), juliaJson(benchEndpoint));
  writeFileSync(join(dir, commit, "meta.json"), juliaJson(meta));
  writeFileSync(
    join(dir, "README.md"),
    `# Mycelia HPC CI Results\n\nLatest published HPC CI summary for Mycelia.\n\n| Commit | \`${commit}\` |\n`,
  );
  writeFileSync(join(dir, ".nojekyll"), "");
}

export interface OurRun {
  results: Record<string, unknown>;
  tests?: Record<string, unknown>;
  benchmarks?: Record<string, unknown>;
  meta?: Record<string, unknown>;
}

/** A run in our layout: summaries under `<sha>/`, Shields endpoints at the root. */
export function ourRun(
  commit: string,
  o: { generatedAt?: string; failed?: number; slower?: number } = {},
): OurRun {
  const generated_at = o.generatedAt ?? "2026-02-01T08:00:00Z";
  const failed = o.failed ?? 0;
  const suites = {
    "Example/unit": { passed: 120, failed },
    "Example/integration": { passed: 30, failed: 0, errored: 0, broken: 2 },
  };
  const benchmarks = {
    "solver/3d": {
      median_ms: 123.4,
      delta_vs_baseline_pct: o.slower ?? -2.1,
      regression: (o.slower ?? 0) > 10,
      memory_bytes: 2048,
      allocs: 12,
    },
    "io/read": {
      median_ms: 5.5,
      delta_vs_baseline_pct: 1.5,
      regression: false,
      memory_bytes: 100,
      allocs: 3,
    },
  };
  return {
    results: {
      schema_version: 1,
      commit,
      branch: "main",
      generated_at,
      generated_by: "hpc-ci 0.1.0",
      repository: "octo-org/octo-repo",
      hpc: {
        cluster: "perlmutter",
        job_id: "4242",
        node: "nid001",
        julia_version: "1.11.2",
        scheduler: "slurm",
        partition: "regular",
        account: "m1234",
        nodes: 1,
        walltime_seconds: 5400,
      },
      coverage: {
        flag: "hpc-extended",
        coverage_percent: 81.25,
        total_lines: 800,
        covered_lines: 650,
        report_file: "artifacts/coverage/lcov.info",
        summary_file: null,
      },
      tests: { status: failed > 0 ? "failed" : "passed", duration_seconds: 1800, log_file: "logs/tests.log" },
      benchmarks: {
        status: "passed",
        duration_seconds: 600,
        benchmarks_log: "logs/benchmarks.log",
        tutorials_log: "logs/tutorials.log",
      },
    },
    tests: { schema_version: 1, commit, status: failed > 0 ? "failed" : "passed", generated_at, suites },
    benchmarks: {
      schema_version: 1,
      commit,
      generated_at,
      benchmarks,
      baseline: { commit: sha("base"), branch: "main" },
    },
    meta: {
      schema_version: 1,
      commit,
      branch: "main",
      tag: null,
      generated_at,
      scheduler: "slurm",
      cluster: "perlmutter",
      partition: "regular",
      account: "m1234",
      job_id: "4242",
      node: "nid001",
      nodes: 1,
      cpus: 128,
      walltime_seconds: 5400,
      time_limit_seconds: 7200,
      runtime_versions: { julia: "1.11.2", node: "20.20.2" },
      flags: ["hpc-extended"],
    },
  };
}

export function writeOurRun(dir: string, run: OurRun): void {
  const commit = String(run.results.commit);
  mkdirSync(join(dir, commit), { recursive: true });
  const write = (name: string, value: unknown) =>
    writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  write(`${commit}/hpc-results.json`, run.results);
  if (run.tests) write(`${commit}/tests.json`, run.tests);
  if (run.benchmarks) write(`${commit}/benchmarks.json`, run.benchmarks);
  if (run.meta) write(`${commit}/meta.json`, run.meta);
  write("latest-hpc-results.json", run.results);
  if (run.meta) write("latest-meta.json", run.meta);
  write("latest-tests.json", {
    schemaVersion: 1,
    label: "HPC tests",
    message: "passed",
    color: "brightgreen",
  });
  write("latest-benchmarks.json", {
    schemaVersion: 1,
    label: "HPC bench",
    message: "passed",
    color: "brightgreen",
  });
}

function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A working clone of a results branch backed by a bare `origin`. */
export class ResultsRepo {
  readonly origin: string;
  readonly work: string;
  constructor(readonly branch = "hpc-results") {
    const base = scratchDir("results-repo-");
    this.origin = join(base, "origin.git");
    this.work = join(base, "work");
    execFileSync("git", ["init", "-q", "--bare", "-b", branch, this.origin]);
    execFileSync("git", ["init", "-q", "-b", branch, this.work]);
    gitIn(this.work, "config", "user.name", "Test");
    gitIn(this.work, "config", "user.email", "test@example.com");
    gitIn(this.work, "remote", "add", "origin", this.origin);
  }

  head(): string {
    try {
      return gitIn(this.work, "rev-parse", "HEAD");
    } catch {
      return "0".repeat(40);
    }
  }

  /** Commits everything in the work tree; returns the commit and the paths it added or modified. */
  commit(message: string): { id: string; added: string[]; modified: string[] } {
    gitIn(this.work, "add", "-A");
    gitIn(this.work, "commit", "-q", "-m", message);
    const id = this.head();
    const changes = gitIn(this.work, "show", "--name-status", "--format=", "--no-renames", id)
      .split("\n")
      .filter(Boolean);
    const added = changes.filter((l) => l.startsWith("A")).map((l) => l.split("\t")[1]!);
    const modified = changes.filter((l) => l.startsWith("M")).map((l) => l.split("\t")[1]!);
    return { id, added, modified };
  }

  /** The push event payload GitHub would send for these commits (oldest first). */
  pushEvent(
    before: string,
    commits: Array<{ id: string; added: string[]; modified: string[] }>,
  ): Record<string, unknown> {
    return {
      ref: `refs/heads/${this.branch}`,
      before,
      after: commits.at(-1)?.id ?? before,
      created: /^0+$/.test(before),
      commits: commits.map((c) => ({
        id: c.id,
        message: "publish",
        added: c.added,
        modified: c.modified,
        removed: [],
      })),
      head_commit: commits.at(-1) ?? null,
      repository: { full_name: "octo-org/octo-repo", name: "octo-repo", owner: { login: "octo-org" } },
    };
  }
}
