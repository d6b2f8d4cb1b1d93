// A token for an https remote reaches git as an HTTP header through git's environment-only
// configuration (GIT_CONFIG_COUNT, git 2.31+): never in a URL, a config file or a command line.
import { isHttpRemote } from "./remote-url.js";

export function tokenEnvironment(
  url: string,
  token: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  if (!token || !isHttpRemote(url)) return env;
  const count = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    ...env,
    GIT_CONFIG_COUNT: String(count + 1),
    [`GIT_CONFIG_KEY_${count}`]: "http.extraHeader",
    [`GIT_CONFIG_VALUE_${count}`]: `Authorization: Basic ${basic}`,
  };
}

const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i;

/**
 * A URL without its user-info part, and the secret it held: the password of `user:password@`, or a lone
 * `token@` (GitHub reads `https://TOKEN@github.com/...` as the token). A bare user name (ssh's `git@`) is
 * no secret and stays in the URL.
 */
export function splitCredentials(url: string): { url: string; secret?: string } {
  const m = USER_INFO.exec(url);
  if (!m || !isHttpRemote(url)) return { url };
  const info = m[2]!;
  const colon = info.indexOf(":");
  const secret = decodeURIComponent(colon >= 0 ? info.slice(colon + 1) : info);
  return { url: m[1]! + url.slice(m[0].length), ...(secret && { secret }) };
}

/** The literal loopback addresses: http to them never leaves this machine. A name is not trusted. */
function isLoopback(url: string): boolean {
  const host = /^[a-z]+:\/\/(\[[^\]]+\]|[^/:]+)/i.exec(url)?.[1] ?? "";
  return /^127(\.\d{1,3}){3}$/.test(host) || host === "[::1]";
}

/** Why a credential must not go to `url` (plain http to another machine), or undefined when it may. */
export function insecureTransport(url: string): string | undefined {
  if (!/^http:\/\//i.test(url) || isLoopback(url)) return undefined;
  return `refusing to send a credential over plain http to ${url}: use an https:// URL (http is allowed only to 127.0.0.1 and [::1])`;
}
