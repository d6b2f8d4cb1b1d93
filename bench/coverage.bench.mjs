// Benchmark of src/coverage: Julia .cov -> lcov throughput, and summarizing a 50 MB lcov file against
// Debian's `lcov --summary` on the same file. Each figure is the median of N runs, each run in a fresh
// process (as the CLI runs). Prints a table, and the figures as JSON on the last line of stdout.
//
//   node bench/coverage.bench.mjs [--runs 5] [--lcov-mb 50] [--cov-mb 20] [--keep]
//
// It bundles src/coverage with ncc first (transpile only: a type error elsewhere must not stop it).
import { execFileSync, spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const options = parseArgs(process.argv.slice(2));
const work = mkdtempSync(join(tmpdir(), "coverage-bench-"));

try {
  const bundle = buildBundle();
  const covRoot = join(work, "pkg");
  const covBytes = writeJuliaPackage(covRoot, options.covMb * 1e6, 1);
  const lcovFile = join(work, "big.info");
  const lcovBytes = writeLcovFile(lcovFile, options.lcovMb * 1e6, 2);

  const covRuns = repeat(() => runOurs(bundle, "cov", covRoot));
  const oursRuns = repeat(() => runOurs(bundle, "summary", lcovFile));
  const hasLcov = spawnSync("lcov", ["--version"]).status === 0;
  const lcovRuns = hasLcov ? repeat(() => runLcov(lcovFile)) : [];

  const cov = median(covRuns.map((r) => r.inProcessMs));
  const ours = median(oursRuns.map((r) => r.inProcessMs));
  const oursProcess = median(oursRuns.map((r) => r.wallMs));
  const lcov = hasLcov ? median(lcovRuns.map((r) => r.wallMs)) : null;
  const sameTotals = hasLcov ? lcovRuns[0].totals === oursRuns[0].totals : null;

  const mb = (bytes) => bytes / 1e6;
  const rows = [
    [
      "julia .cov -> lcov",
      `${mb(covBytes).toFixed(1)} MB .cov`,
      `${cov.toFixed(0)} ms`,
      `${(mb(covBytes) / (cov / 1000)).toFixed(1)} MB/s`,
    ],
    [
      "lcov summary (ours, in process)",
      `${mb(lcovBytes).toFixed(1)} MB lcov`,
      `${ours.toFixed(0)} ms`,
      `${(mb(lcovBytes) / (ours / 1000)).toFixed(1)} MB/s`,
    ],
    [
      "lcov summary (ours, whole process)",
      `${mb(lcovBytes).toFixed(1)} MB lcov`,
      `${oursProcess.toFixed(0)} ms`,
      "",
    ],
    [
      "lcov --summary (Debian lcov)",
      `${mb(lcovBytes).toFixed(1)} MB lcov`,
      lcov === null ? "not installed" : `${lcov.toFixed(0)} ms`,
      "",
    ],
  ];
  printTable(["task", "input", `median of ${options.runs}`, "throughput"], rows);
  if (hasLcov) {
    console.log(
      `ours vs lcov --summary (whole process): ${(lcov / oursProcess).toFixed(1)}x faster; same totals: ${sameTotals}`,
    );
    console.log(`totals: ${oursRuns[0].totals}`);
  }
  console.log(
    JSON.stringify({
      runs: options.runs,
      cov_input_mb: round(mb(covBytes)),
      cov_to_lcov_ms: round(cov),
      cov_to_lcov_mb_per_s: round(mb(covBytes) / (cov / 1000)),
      lcov_input_mb: round(mb(lcovBytes)),
      summary_ms: round(ours),
      summary_process_ms: round(oursProcess),
      summary_mb_per_s: round(mb(lcovBytes) / (ours / 1000)),
      lcov_summary_ms: lcov === null ? null : round(lcov),
      speedup_vs_lcov: lcov === null ? null : round(lcov / oursProcess),
      same_totals: sameTotals,
    }),
  );
} finally {
  if (options.keep) console.error(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

function parseArgs(args) {
  const opts = { runs: 5, lcovMb: 50, covMb: 20, keep: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--keep") opts.keep = true;
    else if (arg === "--runs") opts.runs = positive(args[++i], arg);
    else if (arg === "--lcov-mb") opts.lcovMb = positive(args[++i], arg);
    else if (arg === "--cov-mb") opts.covMb = positive(args[++i], arg);
    else {
      console.error(
        `unknown argument ${arg}\nusage: node bench/coverage.bench.mjs [--runs N] [--lcov-mb N] [--cov-mb N] [--keep]`,
      );
      process.exit(2);
    }
  }
  return opts;
}

function positive(value, name) {
  const n = Number(value);
  if (!(n > 0)) {
    console.error(`${name} needs a positive number`);
    process.exit(2);
  }
  return n;
}

function buildBundle() {
  const out = join(work, "bundle");
  const ncc = join(root, "node_modules/@vercel/ncc/dist/ncc/cli.js");
  execFileSync(
    process.execPath,
    [ncc, "build", "src/coverage/index.ts", "-o", out, "--quiet", "--transpile-only"],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  return join(out, "index.js");
}

/** One fresh node process; it times the work itself and prints {ms, totals}. */
function runOurs(bundle, task, input) {
  const script = `
    import * as c from ${JSON.stringify(bundle)};
    const t = performance.now();
    let totals;
    if (${JSON.stringify(task)} === "cov") {
      const { files } = await c.readJuliaCoverage(${JSON.stringify(input)});
      const text = c.toLcov(files);
      totals = files.length + " files, " + text.length + " bytes of lcov";
    } else {
      const s = await c.summarizeLcovFile(${JSON.stringify(input)});
      totals = s.coveredLines + " of " + s.totalLines + " lines, " + s.functions.covered + " of " + s.functions.total + " functions";
    }
    console.log(JSON.stringify({ ms: performance.now() - t, totals }));`;
  const start = performance.now();
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  const wallMs = performance.now() - start;
  const { ms, totals } = JSON.parse(out.trim().split("\n").at(-1));
  return { inProcessMs: ms, wallMs, totals };
}

function runLcov(file) {
  const start = performance.now();
  const run = spawnSync("lcov", ["--config-file", "/dev/null", "--summary", file], { encoding: "utf8" });
  const wallMs = performance.now() - start;
  if (run.status !== 0) throw new Error(`lcov --summary failed: ${run.stderr}`);
  const lines = /lines\.+: \S+ \((\d+) of (\d+) lines?\)/.exec(run.stdout);
  const fns = /functions\.+: \S+ \((\d+) of (\d+) functions?\)/.exec(run.stdout);
  const totals = `${lines?.[1]} of ${lines?.[2]} lines, ${fns?.[1] ?? 0} of ${fns?.[2] ?? 0} functions`;
  return { wallMs, totals };
}

function repeat(fn) {
  return Array.from({ length: options.runs }, () => fn());
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(x) {
  return Math.round(x * 100) / 100;
}

/** mulberry32: seeded, so every run measures the same files. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A package whose sources have .cov files of 2 or 3 processes in Julia's format; returns .cov bytes. */
function writeJuliaPackage(dir, targetBytes, seed) {
  const rnd = random(seed);
  let bytes = 0;
  for (let f = 0; bytes < targetBytes; f++) {
    const folder = join(dir, "src", `part${f % 20}`);
    mkdirSync(folder, { recursive: true });
    const n = 100 + Math.floor(rnd() * 2000);
    const source = Array.from({ length: n }, (_, i) => `    x${i} = f(x${i - 1}, ${i}) # line ${i + 1}`);
    writeFileSync(join(folder, `File${f}.jl`), source.join("\n") + "\n");
    const pids = 2 + Math.floor(rnd() * 2);
    for (let p = 0; p < pids; p++) {
      const cov = source.map((line) => {
        const field =
          rnd() < 0.45 ? "        -" : String(rnd() < 0.3 ? 0 : Math.floor(rnd() ** 3 * 50000)).padStart(9);
        return `${field} ${line}\n`;
      });
      const text = cov.join("");
      writeFileSync(join(folder, `File${f}.jl.${4000 + p}.cov`), text);
      bytes += Buffer.byteLength(text);
    }
  }
  return bytes;
}

/** A gcov-like tracefile: files of 50..3000 lines, ~60% of them code, some functions; returns bytes. */
function writeLcovFile(path, targetBytes, seed) {
  const rnd = random(seed);
  const fd = openSync(path, "w");
  let bytes = 0;
  try {
    for (let f = 0; bytes < targetBytes; f++) {
      const n = 50 + Math.floor(rnd() * 3000);
      const out = ["TN:", `SF:src/module${f % 40}/file${f}.c`];
      for (let line = 1; line <= n; line += 40) {
        out.push(
          `FN:${line},fn_${f}_${line}`,
          `FNDA:${rnd() < 0.3 ? 0 : Math.floor(rnd() * 100)},fn_${f}_${line}`,
        );
      }
      let found = 0;
      for (let line = 1; line <= n; line++) {
        if (rnd() < 0.4) continue;
        found++;
        out.push(`DA:${line},${rnd() < 0.35 ? 0 : Math.floor(rnd() ** 4 * 100000)}`);
      }
      out.push(`LF:${found}`, "LH:0", "end_of_record");
      const text = out.join("\n") + "\n";
      writeSync(fd, text);
      bytes += text.length;
    }
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}
