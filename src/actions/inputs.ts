// Reading action inputs the way the runner passes them (INPUT_<NAME> environment variables).
import * as core from "@actions/core";
import { defaultPagesUrl, isRepositoryName, normalizePagesDir } from "../dashboard/pages-url.js";

export function booleanInput(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim().toLowerCase();
  if (raw === "") return fallback;
  if (["true", "yes", "on", "1"].includes(raw)) return true;
  if (["false", "no", "off", "0"].includes(raw)) return false;
  throw new InputError(`input "${name}" must be true or false, not ${JSON.stringify(raw)}`);
}

export function numberInput(
  name: string,
  fallback: number,
  check: (n: number) => boolean = () => true,
): number {
  return optionalNumber(name, check) ?? fallback;
}

/** A mistake in the workflow file: reported as one line, without a stack trace. */
export class InputError extends Error {
  override name = "InputError";
}

export function runnerTemp(): string {
  return process.env.RUNNER_TEMP || process.env.TMPDIR || "/tmp";
}

/** A number, a trailing % allowed; undefined when the input is empty. */
export function optionalNumber(name: string, check: (n: number) => boolean): number | undefined {
  const raw = core.getInput(name).trim().replace(/%$/, "");
  if (raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) {
    throw new InputError(`input "${name}" is not a valid number here: ${JSON.stringify(raw)}`);
  }
  return value;
}

/** An http(s) URL; undefined when the input is empty. */
export function urlInput(name: string): string | undefined {
  const raw = core.getInput(name).trim();
  if (raw === "") return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`input "${name}" is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(`input "${name}" must be an http(s) URL, not ${JSON.stringify(raw)}`);
  }
  return url.href;
}

/**
 * The dashboard's address: `pages-url`, or else the GitHub Pages URL of `pages-dir` as render-badges
 * computes it; undefined when both are empty (no dashboard link).
 */
export function dashboardUrlInput(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = urlInput("pages-url");
  if (given) return given;
  const raw = core.getInput("pages-dir");
  if (raw.trim() === "") return undefined;
  const dir = normalizePagesDir(raw);
  if (dir === undefined)
    throw new InputError(`input "pages-dir" is not a folder inside the branch: ${JSON.stringify(raw)}`);
  const repository = env.GITHUB_REPOSITORY ?? "";
  if (!isRepositoryName(repository)) return undefined;
  return defaultPagesUrl(
    repository,
    dir,
    (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, ""),
  );
}

/** HPC_CI_GITHUB_TIME_SCALE: scales every wait of the GitHub client (tests set it below 1); default 1. */
export function githubTimeScale(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HPC_CI_GITHUB_TIME_SCALE;
  if (!raw) return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new InputError(`HPC_CI_GITHUB_TIME_SCALE must be a number from 0 to 1, not ${JSON.stringify(raw)}`);
  }
  return value;
}
