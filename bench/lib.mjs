// Shared helpers of the benchmarks: timing child processes and medians. Figures are medians of
// several runs, each with its baseline measured in the same run, interleaved so that load on the
// machine affects both alike.
import { spawnSync } from "node:child_process";

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time of one command in milliseconds; throws when it fails. */
export function timeCommand(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status}: ${String(result.stderr).slice(0, 500)}`,
    );
  }
  return ms;
}

/** Runs each named case `runs` times, interleaved; returns the median of each in ms. */
export function interleaved(cases, runs) {
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [name, fn] of Object.entries(cases)) samples[name].push(fn());
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join("  ")).join("\n");
}

/** A distinct 40-digit commit id for run `i`; a hex `salt` keeps two sets of ids apart. */
export function commitId(i, salt = "") {
  return `${salt}${i.toString(16).padStart(8, "0")}`.padEnd(40, "cd");
}

/** The smallest valid hpc-results.json of run `i`, made a minute after run i - 1, tests passed. */
export function minimalResults(commit, i) {
  return {
    schema_version: 1,
    commit,
    branch: "main",
    generated_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace(/\.\d+Z/, "Z"),
    hpc: { cluster: "c", job_id: String(i), node: "n" },
    coverage: null,
    tests: { status: "passed", duration_seconds: 1, log_file: "logs/tests.log" },
  };
}
