// Coverage upload to Codecov without its binary and without a CI environment, as a cluster job needs:
// commit, branch, flag and repository are given explicitly. Never fatal, and the token never appears
// in a message: it travels in a header only.
import { readFile } from "node:fs/promises";
import { uploadBody } from "./report.js";

export interface UploadOptions {
  token?: string;
  lcovPath: string;
  /** Path the report is shown under in Codecov (default: the lcov path's last two parts). */
  reportName?: string;
  commit: string;
  branch: string;
  flag: string;
  /** owner/repo; Codecov needs it for tokenless uploads and uses it to check the token. */
  slug?: string;
  /** Files of the repository, so Codecov can map report paths (default: none sent). */
  network?: string[];
  /** Build identifiers shown in Codecov (the Slurm job, for example). */
  build?: string;
  buildUrl?: string;
  name?: string;
  /** Codecov's address; self-hosted installations set CODECOV_URL. */
  url?: string;
  fetch?: typeof fetch;
  retries?: number;
  timeoutMs?: number;
  /** Milliseconds to wait before retry n (1-based). */
  backoffMs?: (attempt: number) => number;
}

export interface UploadOutcome {
  uploaded: boolean;
  reportUrl?: string;
  message: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function hide(text: string, token: string | undefined): string {
  return token ? text.split(token).join("***") : text;
}

function describe(status: number, body: string): string {
  const detail = body.trim().split("\n")[0]?.slice(0, 200) ?? "";
  if (status === 401 || status === 403)
    return `the token was refused (${status})${detail ? `: ${detail}` : ""}`;
  if (status === 404)
    return `Codecov does not know this repository or commit (404)${detail ? `: ${detail}` : ""}`;
  return `Codecov answered ${status}${detail ? `: ${detail}` : ""}`;
}

async function withRetries<T>(options: UploadOptions, attempt: () => Promise<T>): Promise<T> {
  const retries = options.retries ?? 3;
  const backoff = options.backoffMs ?? ((n: number) => 1000 * 2 ** (n - 1));
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const retryable = !(error instanceof HttpError) || error.status >= 500 || error.status === 429;
      if (!retryable || n >= retries) throw error;
      await new Promise((r) => setTimeout(r, backoff(n + 1)));
    }
  }
}

export async function uploadCoverage(options: UploadOptions): Promise<UploadOutcome> {
  const doFetch = options.fetch ?? fetch;
  const base = (options.url ?? "https://codecov.io").replace(/\/+$/, "");
  const timeout = options.timeoutMs ?? 60_000;
  try {
    const content = await readFile(options.lcovPath, "utf8");
    const query = new URLSearchParams({
      commit: options.commit,
      branch: options.branch,
      flags: options.flag,
      service: "custom",
      package: "hpc-ci",
      ...(options.slug && { slug: options.slug }),
      ...(options.build && { build: options.build, job: options.build }),
      ...(options.buildUrl && { build_url: options.buildUrl }),
      ...(options.name && { name: options.name }),
    });
    const headers: Record<string, string> = { Accept: "text/plain" };
    if (options.token) headers["X-Upload-Token"] = options.token;
    const answer = await withRetries(options, async () => {
      const response = await doFetch(`${base}/upload/v4?${query}`, {
        method: "POST",
        headers,
        signal: AbortSignal.timeout(timeout),
      });
      const text = await response.text();
      if (!response.ok) throw new HttpError(response.status, describe(response.status, text));
      return text;
    });
    const [reportUrl, putUrl] = answer
      .trim()
      .split("\n")
      .map((l) => l.trim());
    if (!putUrl || !/^https?:\/\//.test(putUrl)) throw new Error("Codecov's answer holds no upload address");
    const body = uploadBody(options.network ?? [], [
      { path: options.reportName ?? "hpc-ci/artifacts/coverage/lcov.info", content },
    ]);
    await withRetries(options, async () => {
      const response = await doFetch(putUrl, {
        method: "PUT",
        headers: { "Content-Type": "text/plain" },
        body,
        signal: AbortSignal.timeout(timeout),
      });
      if (!response.ok)
        throw new HttpError(response.status, `storing the report failed (${response.status})`);
    });
    return {
      uploaded: true,
      ...(reportUrl && { reportUrl }),
      message: `uploaded under flag ${options.flag}`,
    };
  } catch (error) {
    const message =
      error instanceof Error
        ? error.cause instanceof Error
          ? `${error.message}: ${error.cause.message}`
          : error.message
        : String(error);
    return { uploaded: false, message: hide(message, options.token) };
  }
}
