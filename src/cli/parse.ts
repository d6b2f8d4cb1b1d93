// The command line of one command, through node's parseArgs; an unknown flag is a UsageError that names
// the nearest known flag.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";
import { didYouMean } from "./suggest.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseCommandLine<O extends Options, P extends boolean = false>(
  args: string[],
  options: O,
  allowPositionals?: P,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: allowPositionals ?? (false as P) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const flag = /^Unknown option '([^']+)'/.exec((error as Error).message)?.[1];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag) {
      const known = Object.keys(options).map((name) => `--${name}`);
      throw new UsageError(`unknown option ${flag}${didYouMean(flag.replace(/=.*$/, ""), known)}`);
    }
    if (code?.startsWith("ERR_PARSE_ARGS")) throw new UsageError((error as Error).message);
    throw error;
  }
}
