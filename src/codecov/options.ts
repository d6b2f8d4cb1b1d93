// What an upload needs, checked before anything is sent: Codecov refuses a bad commit id, flag, slug
// or build URL with a bare "Invalid request parameters", so we say which value is wrong instead.

export const DEFAULT_CODECOV_URL = "https://codecov.io";
/** Codecov's CI service name for "not a CI Codecov knows" (its upload API refuses unknown names). */
export const DEFAULT_CI_SERVICE = "custom";
/** Git services Codecov knows (codecov-cli's `--git-service` choices). */
export const GIT_SERVICES = [
  "github",
  "gitlab",
  "bitbucket",
  "github_enterprise",
  "gitlab_enterprise",
  "bitbucket_server",
] as const;
export type GitService = (typeof GIT_SERVICES)[number];

/** Whether to upload through a Codecov CLI found on PATH (`codecovcli`, or `codecov` from codecov-cli). */
export type UseCli = "auto" | "never" | "always";

/** The same options under the name the first version of this module used. */
export type UploadOptions = UploadCoverageOptions;

export interface UploadCoverageOptions {
  /** Repository upload token (or a self-hosted global token). Sent as a header, never logged. */
  token?: string;
  /** The lcov tracefile to upload (a `.gz` file is uncompressed first). */
  lcovPath: string;
  /** Full 40-character commit id. */
  commit: string;
  branch: string;
  /** Codecov flag, e.g. "hpc-extended" (several: comma-separated). */
  flag: string;
  /** "owner/repo"; identifies the repository with a self-hosted global token. */
  slug?: string;
  /** Git service of the repository (default "github"): codecov-cli's `--git-service`. */
  service?: string;
  /** CI service in the upload query (default "custom": off CI). */
  ciService?: string;
  /** Build number or scheduler job id. */
  build?: string;
  buildUrl?: string;
  /** Upload name shown by Codecov. */
  name?: string;
  /** Codecov base URL; default: env CODECOV_URL, else https://codecov.io. */
  url?: string;
  /** The repository checkout: its `git ls-files` is the report's file list, and the report path is relative to it. */
  root?: string;
  /** Name of the tracefile in the report (default: its path relative to `root`, else to the working directory). */
  reportName?: string;
  /** The repository's files for Codecov's path fixing (default: `git ls-files` in `root`, else the tracefile's SF paths). */
  network?: string[];
  /** Environment for CODECOV_URL, PATH and the CLI (default process.env). */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Per request (default 60 s). */
  timeoutMs?: number;
  /** Retries after the first attempt, on network errors, 5xx and 429 (default 3). */
  retries?: number;
  /** First backoff delay, doubled on each retry (default 2 s); or the delay before retry n (1-based). */
  backoffMs?: number | ((retry: number) => number);
  /** Default "auto": the CLI when one is on PATH, else the upload API. */
  useCli?: UseCli;
  /** How long the CLI may run (default 10 min). */
  cliTimeoutMs?: number;
  /** Progress lines (already redacted). */
  log?: (line: string) => void;
}

export interface UploadOutcome {
  uploaded: boolean;
  /** Codecov's page of the commit, when it said. */
  reportUrl?: string;
  message: string;
  /** How it went (or would have gone): Codecov's upload API, or a Codecov CLI. */
  via: "api" | "cli";
}

/** Options after defaults and checks. */
export interface ResolvedOptions {
  token?: string;
  lcovPath: string;
  commit: string;
  branch: string;
  flags: string[];
  slug?: string;
  service: GitService;
  ciService: string;
  build?: string;
  buildUrl?: string;
  name?: string;
  /** Without a trailing slash. */
  url: string;
  root?: string;
  reportName?: string;
  network?: string[];
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  timeoutMs: number;
  retries: number;
  /** Delay before retry n (1-based), before jitter. */
  backoff: (retry: number) => number;
  useCli: UseCli;
  cliTimeoutMs: number;
  log: (line: string) => void;
}

/** A value Codecov would refuse, or a missing one. */
export class UploadOptionsError extends Error {
  override name = "UploadOptionsError";
}

// The same patterns Codecov's upload API validates with (upload/helpers.py parse_params) and the
// uploader's flag rule (at most 45 characters).
const COMMIT = /^[0-9a-f]{40}$/i;
const FLAG = /^[\w.-]{1,45}$/;
const SLUG = /^[\w\-.~/]+\/[\w\-.]{1,255}$/;
const BUILD_URL = /^https?:\/\/.{0,200}$/;

export function resolveOptions(options: UploadCoverageOptions): ResolvedOptions {
  const env = options.env ?? process.env;
  const commit = options.commit?.trim() ?? "";
  if (!COMMIT.test(commit))
    throw new UploadOptionsError(`commit must be a full 40-character SHA (got "${commit}")`);
  const branch = options.branch?.trim() ?? "";
  if (!branch) throw new UploadOptionsError("branch is empty");
  const flags = (options.flag ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  if (flags.length === 0) throw new UploadOptionsError("flag is empty");
  for (const flag of flags)
    if (!FLAG.test(flag))
      throw new UploadOptionsError(
        `flag "${flag}" is not a Codecov flag (at most 45 letters, digits, "_", "." or "-")`,
      );
  const slug = options.slug?.trim() || undefined;
  if (slug && !SLUG.test(slug)) throw new UploadOptionsError(`slug must be "owner/repo" (got "${slug}")`);
  const service = (options.service?.trim() || "github") as GitService;
  if (!GIT_SERVICES.includes(service))
    throw new UploadOptionsError(`git service must be one of ${GIT_SERVICES.join(", ")} (got "${service}")`);
  const buildUrl = options.buildUrl?.trim() || undefined;
  if (buildUrl && !BUILD_URL.test(buildUrl))
    throw new UploadOptionsError(`build URL must be an http(s) URL of at most 200 characters`);
  const url = (options.url?.trim() || env.CODECOV_URL?.trim() || DEFAULT_CODECOV_URL).replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UploadOptionsError(`Codecov URL "${url}" is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new UploadOptionsError(`Codecov URL must be http(s) (got "${url}")`);
  if (parsed.username || parsed.password || parsed.search)
    throw new UploadOptionsError("Codecov URL must not carry credentials or a query");
  const useCli = options.useCli ?? "auto";
  if (!["auto", "never", "always"].includes(useCli))
    throw new UploadOptionsError(`useCli must be auto, never or always (got "${String(useCli)}")`);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function")
    throw new UploadOptionsError("this Node.js has no fetch (Node 18 or newer is needed)");
  return {
    token: options.token?.trim() || undefined,
    lcovPath: options.lcovPath,
    commit: commit.toLowerCase(),
    branch,
    flags,
    slug,
    service,
    ciService: options.ciService?.trim() || DEFAULT_CI_SERVICE,
    build: options.build?.trim() || undefined,
    buildUrl,
    name: options.name?.trim() || undefined,
    url,
    root: options.root,
    reportName: options.reportName?.trim() || undefined,
    network: options.network,
    env,
    fetch: fetchImpl,
    timeoutMs: positive(options.timeoutMs, 60_000),
    retries: Math.max(0, Math.floor(options.retries ?? 3)),
    backoff: backoffOf(options.backoffMs),
    useCli,
    cliTimeoutMs: positive(options.cliTimeoutMs, 600_000),
    log: options.log ?? (() => {}),
  };
}

function backoffOf(option: UploadCoverageOptions["backoffMs"]): (retry: number) => number {
  if (typeof option === "function") return (n) => Math.max(0, option(n));
  const first = Math.max(0, option ?? 2_000);
  return (n) => first * 2 ** (n - 1);
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
