// Tokens kept out of every environment: HPC_RESULTS_TOKEN_FILE and CODECOV_TOKEN_FILE name a file that
// only its owner may read. A variable's value sits in /proc/<pid>/environ of the process it was given to
// for that process's whole life, readable by the code under test when that process is its ancestor; a
// file is opened only while the token is needed (a check against the remote, the upload, the publish), never
// while a test runs, and its text lands in no environment.
import { stat, readFile } from "node:fs/promises";
import { ConfigError } from "./settings-error.js";

/** Each token variable and the variable naming a file that holds it instead. */
export const TOKEN_FILES = {
  HPC_RESULTS_TOKEN: "HPC_RESULTS_TOKEN_FILE",
  CODECOV_TOKEN: "CODECOV_TOKEN_FILE",
} as const;

export type TokenVariable = keyof typeof TOKEN_FILES;

/** A token: given in the environment (`value`) or in a file (`file`), never both. */
export interface TokenSource {
  value?: string;
  file?: string;
}

/** The token's source from the environment; a ConfigError when both ways are used at once. */
export function tokenSource(env: NodeJS.ProcessEnv, variable: TokenVariable): TokenSource {
  const value = env[variable] || undefined;
  const file = env[TOKEN_FILES[variable]] || undefined;
  if (value && file)
    throw new ConfigError(
      `${variable} and ${TOKEN_FILES[variable]} are both set: keep only ${TOKEN_FILES[variable]} (a variable is visible to the code under test)`,
    );
  return { ...(value && { value }), ...(file && { file }) };
}

/**
 * Refuses a token file others could read or replace: not a regular file, owned by another user, or
 * with any permission for group or others (chmod 600). Reads nothing.
 */
export async function checkTokenFile(path: string, variable: string): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`${variable}: cannot read ${path}: ${error.code ?? error.message}`);
  });
  if (!info.isFile()) throw new ConfigError(`${variable}: ${path} is not a regular file`);
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid)
    throw new ConfigError(`${variable}: ${path} belongs to another user (uid ${info.uid})`);
  if ((info.mode & 0o077) !== 0)
    throw new ConfigError(
      `${variable}: ${path} may be read or written by others (mode ${(info.mode & 0o777).toString(8)}): chmod 600 ${path}`,
    );
}

/** The token: the variable's value, or the text of the checked file (one line, trimmed). */
export async function readToken(source: TokenSource, variable: TokenVariable): Promise<string | undefined> {
  if (source.value) return source.value;
  if (!source.file) return undefined;
  const what = TOKEN_FILES[variable];
  await checkTokenFile(source.file, what);
  const text = (await readFile(source.file, "utf8")).trim();
  if (text === "" || /\s/.test(text))
    throw new ConfigError(`${what}: ${source.file} must hold the token alone, on one line`);
  return text;
}

/** HPC_RESULTS_TOKEN of the settings, read from its file when it is in one. */
export function resultsToken(settings: { results: { token?: string; tokenFile?: string } }) {
  return readToken({ value: settings.results.token, file: settings.results.tokenFile }, "HPC_RESULTS_TOKEN");
}

/** CODECOV_TOKEN of the settings, read from its file when it is in one. */
export function codecovToken(settings: { codecovToken?: string; codecovTokenFile?: string }) {
  return readToken({ value: settings.codecovToken, file: settings.codecovTokenFile }, "CODECOV_TOKEN");
}
