// The help text, naming the program the way it was started.
import { isAbsolute, relative } from "node:path";

/** How the user started us, for messages: `node <script>`, relative to the working folder when inside it. */
export function invokedAs(script = process.argv[1] ?? "hpc-ci.js", cwd = process.cwd()): string {
  const inside = relative(cwd, script);
  const shown = inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside : script;
  return `node ${/\s/.test(shown) ? JSON.stringify(shown) : shown}`;
}

export const COMMANDS = [
  "run",
  "publish",
  "validate",
  "coverage",
  "submit",
  "merge",
  "doctor",
  "poll",
  "help",
] as const;

export const usage = (program = invokedAs()) => `Usage: ${program} <command> [options]

Runs a repository's tests (with coverage) and benchmarks on an HPC cluster, writes standard
artifacts under hpc-ci/, uploads coverage to Codecov under its own flag, and publishes small JSON
to the hpc-results branch, where GitHub Actions turn it into badges, a dashboard and PR comments.

Commands:
  run        Check out (optional), test with coverage, benchmark, upload, publish.
               --tests-only        tests and coverage only
               --benchmarks-only   benchmarks only (merged with this commit's earlier results)
               --with-benchmarks   require benchmarks (fail if none are configured)
               --upload-only       only upload this commit's existing coverage to Codecov
               --no-codecov        do not upload to Codecov
               --no-publish        do not push to the results branch
               --shard I/N         run shard I of N (tests get HPC_CI_SHARD_INDEX/COUNT)
               --bench-floor-pct N  --bench-cap-pct N  --bench-min-history N
               --bench-history-limit N  --bench-tolerance-pct N
                                   the benchmark judge's settings (win over HPC_BENCH_* and .hpc-ci.json)
  publish    Push an hpc-results.json (and its summaries) to the results branch.
               --input FILE  --branch NAME  --remote NAME|URL  --no-push
  validate   Check documents against the schema_version 1 contract: validate <file|dir>...
  coverage   Julia .cov files to lcov: coverage [DIR...] [--out FILE] (default DIRs: src ext)
  submit     Write a Slurm batch script that runs \`run\` with the given flags, and submit it.
               --print  (only print the script)   --wait  (wait and exit with the job's code; the job
               gets no credential: this process uploads and publishes its results after it)
  merge      Combine the results of several \`run --shard I/N\` jobs: merge DIR... [--out DIR]
  doctor     Check, in seconds, that this node can publish: git, the results remote and branch with
             the configured credential, a push (dry run), HPC_RESULTS_TOKEN with GitHub's API, the
             clock, Node.js. Prints a fix for each failure; exit 0 when all hold, 2 otherwise.
               --remote NAME|URL  --branch NAME  --timeout SECONDS (per check, default 15)
  poll       One pass of the poller (cron or scrontab, see templates/): new branch heads and release
             tags without results, and /hpc run requests on the results branch, claimed once however
             many pollers race, submitted to Slurm; running jobs checked (sacct), ended ones reported.
             The policy is the "poll" section of the operator's config.
               --once  (one pass; what every run does)   --dry-run  (print what it would do)

Options: --help, --version      Example: ${program} doctor

Environment (Mycelia's knobs keep their meaning):
  HPC_CI_COMMIT, HPC_CI_BRANCH     commit and branch tested (default: git HEAD)
  HPC_CI_CHECKOUT=1                fetch and check out HPC_CI_COMMIT first (refuses a dirty tree)
  HPC_RESULTS_DIR                  where artifacts go (default hpc-ci)
  HPC_CODECOV_FLAG                 Codecov flag (default hpc-extended)
  HPC_RESULTS_PUBLISH=0|1          publish after run (default 1)
  HPC_RESULTS_BRANCH               results branch (default hpc-results)
  HPC_RESULTS_REMOTE               git remote to publish to (default origin)
  HPC_RESULTS_REPO_URL             explicit URL to publish to (wins over the remote; no credentials in it)
  HPC_RESULTS_TOKEN_FILE           a file only you can read (chmod 600) holding the token for an https
                                   results remote and GitHub's API, read when publishing (sent as a header)
  HPC_RESULTS_TOKEN                the same token in the environment, where the tests can read it (warned)
  HPC_CI_OPERATOR_CONFIG           the operator's config file, outside the checkout (default
                                   ~/.config/hpc-ci/config.json): {"results": {"repo_url", "remote",
                                   "branch", "repository"}, "poll": {...}}; .hpc-ci.json cannot say where results go
  HPC_RESULTS_REPOSITORY_SLUG      owner/repo on GitHub (default: from the remote's URL)
  GITHUB_API_URL                   GitHub's API (default: the results remote's server, api.github.com or HOST/api/v3)
  HPC_CLUSTER_NAME                 cluster name recorded in the results
  CODECOV_TOKEN_FILE               a file only you can read holding the Codecov upload token
  CODECOV_TOKEN                    the same in the environment (never passed to test commands; warned)
  HPC_BENCH_FLOOR_PCT, HPC_BENCH_CAP_PCT, HPC_BENCH_MIN_HISTORY, HPC_BENCH_HISTORY_LIMIT,
  HPC_BENCH_TOLERANCE_PCT          the benchmark judge's settings (win over .hpc-ci.json)
  HPC_BENCH_CONFIRM=0|1            rerun the benchmarks once to confirm a regression
  HPC_BENCH_BASELINE_BRANCH        the branch whose runs are the benchmark history (default: origin's HEAD)
Configuration file: .hpc-ci.json at the repository root (schemas/hpc-ci-config.schema.json).

Exit codes: 0 all passed, 1 tests or benchmarks failed, a sure benchmark regression (or invalid
            documents for validate),
            2 usage or configuration error, 3 infrastructure failure (checkout, publish).
`;
