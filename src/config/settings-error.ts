/** A configuration mistake: exit code 2. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
