// Where results go and with what credential (and, in its `poll` section, what the poller runs: see
// poll-policy.ts): the operator's choice alone. The tested commit (possibly a
// pull request) supplies .hpc-ci.json, so its results.remote/branch/repository could otherwise send the
// token to another host or push somewhere else; they are ignored with a warning. The operator speaks
// through the environment, flags, or a file outside the checkout (HPC_CI_OPERATOR_CONFIG, else
// $XDG_CONFIG_HOME/hpc-ci/config.json, else ~/.config/hpc-ci/config.json).
import { existsSync, realpathSync } from "node:fs";
import { join, relative, resolve, isAbsolute } from "node:path";
import { InvalidDocumentError } from "../contract/errors.js";
import { readDocument } from "../contract/json.js";
import { insecureTransport, splitCredentials } from "../git/credentials.js";
import { ConfigError } from "./settings-error.js";
import type { HpcCiConfig } from "./types.js";

/** What the operator's file may say: only where results go. Credentials stay in the environment. */
const KEYS = ["repo_url", "remote", "branch", "repository"] as const;
type OperatorResults = Partial<Record<(typeof KEYS)[number], string>>;

export interface Destination {
  branch: string;
  remote: string;
  repoUrl?: string;
  repository?: string;
  token?: string;
  /** Said once per command, before anything runs. */
  warnings: string[];
}

/** The operator's file: HPC_CI_OPERATOR_CONFIG, else the user's config folder's hpc-ci/config.json. */
export function operatorConfigPath(env: NodeJS.ProcessEnv): string | undefined {
  if (env.HPC_CI_OPERATOR_CONFIG) return resolve(env.HPC_CI_OPERATOR_CONFIG);
  const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, ".config") : undefined);
  const path = base && join(base, "hpc-ci", "config.json");
  return path && existsSync(path) ? path : undefined;
}

/** In the checkout as named or once symlinks are followed: a committed symlink could point anywhere. */
function inside(root: string, path: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : p);
  const under = (base: string, p: string) => {
    const r = relative(base, p);
    return r === "" || (!r.startsWith("..") && !isAbsolute(r));
  };
  return [root, real(root)].some((base) => under(base, path) || under(base, real(path)));
}

/** The sections the operator's file may hold: where results go, and the poller's policy (poll-policy.ts). */
const SECTIONS = ["results", "poll"] as const;

export interface OperatorFile {
  path: string;
  value: Partial<Record<(typeof SECTIONS)[number], unknown>>;
}

/** The operator's file as an object of known sections; undefined when there is none. */
export async function readOperatorFile(
  root: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<OperatorFile | undefined> {
  const path = operatorConfigPath(env);
  if (!path) return undefined;
  if (root !== undefined && inside(root, path))
    throw new ConfigError(
      `${path}: the operator's config must lie outside the tested checkout ${root}, which the commit under test controls`,
    );
  if (!existsSync(path)) throw new ConfigError(`${path}: no such file (HPC_CI_OPERATOR_CONFIG)`);
  let value: unknown;
  try {
    value = await readDocument(path, path);
  } catch (error) {
    if (error instanceof InvalidDocumentError) throw new ConfigError(error.message);
    throw error;
  }
  if (!isObject(value)) throw operatorProblem(path, "", "must be an object");
  for (const key of Object.keys(value))
    if (!(SECTIONS as readonly string[]).includes(key))
      throw operatorProblem(path, `/${key}`, `is not a known setting (${SECTIONS.join(", ")})`);
  return { path, value };
}

export function operatorProblem(path: string, pointer: string, reason: string): ConfigError {
  return new ConfigError(`${path}${pointer ? ` at ${pointer}` : ""}: ${reason}`);
}

export async function loadOperatorConfig(root: string, env: NodeJS.ProcessEnv): Promise<OperatorResults> {
  const file = await readOperatorFile(root, env);
  if (!file) return {};
  const results = file.value.results ?? {};
  if (!isObject(results)) throw operatorProblem(file.path, "/results", "must be an object");
  for (const [key, v] of Object.entries(results)) {
    if (!(KEYS as readonly string[]).includes(key))
      throw operatorProblem(file.path, `/results/${key}`, `is not a known setting (${KEYS.join(", ")})`);
    if (typeof v !== "string" || v.trim() === "")
      throw operatorProblem(file.path, `/results/${key}`, "must be a non-empty string");
  }
  return results as OperatorResults;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export async function resolveDestination(
  root: string,
  checkout: HpcCiConfig,
  env: NodeJS.ProcessEnv,
): Promise<Destination> {
  const operator = await loadOperatorConfig(root, env);
  const warnings: string[] = [];
  const rawUrl = env.HPC_RESULTS_REPO_URL || operator.repo_url;
  const { url: repoUrl, secret } = rawUrl ? splitCredentials(rawUrl) : { url: undefined };
  const token = env.HPC_RESULTS_TOKEN || secret || undefined;
  if (secret)
    warnings.push(
      env.HPC_RESULTS_TOKEN
        ? "the results URL carries a credential besides HPC_RESULTS_TOKEN: HPC_RESULTS_TOKEN is used and the URL's is dropped; remove it from the URL"
        : "the results URL carries a credential: it is used as HPC_RESULTS_TOKEN would be (a header, never on a command line); set HPC_RESULTS_TOKEN and a URL without credentials instead",
    );
  if (token && repoUrl) {
    const why = insecureTransport(repoUrl);
    if (why) throw new ConfigError(why);
  }
  const destination: Destination = {
    branch: env.HPC_RESULTS_BRANCH || operator.branch || "hpc-results",
    remote: env.HPC_RESULTS_REMOTE || operator.remote || "origin",
    repoUrl,
    repository: env.HPC_RESULTS_REPOSITORY_SLUG || operator.repository || undefined,
    token,
    warnings,
  };
  const effective: Record<string, string | undefined> = {
    remote: repoUrl ?? destination.remote,
    branch: destination.branch,
    repository: destination.repository,
  };
  for (const key of ["remote", "branch", "repository"] as const) {
    const asked = checkout.results?.[key];
    if (asked !== undefined && asked !== effective[key])
      warnings.push(
        `.hpc-ci.json results.${key} is ignored: the commit under test does not choose where results go; the operator sets it (HPC_RESULTS_${key === "repository" ? "REPOSITORY_SLUG" : key === "remote" ? "REMOTE or HPC_RESULTS_REPO_URL" : "BRANCH"}, or results.${key} in ${operatorConfigPath(env) ?? "~/.config/hpc-ci/config.json"})`,
      );
  }
  return destination;
}
