// Reading action inputs the way the runner passes them (INPUT_<NAME> environment variables).
import * as core from "@actions/core";

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
  const raw = core.getInput(name).trim();
  if (raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value))
    throw new InputError(`input "${name}" is not a valid number here: ${JSON.stringify(raw)}`);
  return value;
}

/** A mistake in the workflow file: reported as one line, without a stack trace. */
export class InputError extends Error {
  override name = "InputError";
}

export function runnerTemp(): string {
  return process.env.RUNNER_TEMP || process.env.TMPDIR || "/tmp";
}
