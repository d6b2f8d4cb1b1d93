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
