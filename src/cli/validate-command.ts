// `hpc-ci validate <file|dir>...`: exit 0 when every document is valid, 1 when one is not.
import { checkPaths } from "../contract/check-files.js";
import { formatContractError } from "../contract/errors.js";
import { UsageError } from "./errors.js";
import { parseCommandLine } from "./parse.js";

export async function validateCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandLine(args, {}, true);
  if (positionals.length === 0) throw new UsageError("validate needs a file or a folder");
  const checks = await checkPaths(positionals);
  let bad = 0;
  for (const check of checks) {
    if (check.errors.length === 0) process.stdout.write(`ok       ${check.file} (${check.kind})\n`);
    else {
      bad++;
      for (const e of check.errors) process.stdout.write(`invalid  ${formatContractError(e)}\n`);
    }
  }
  if (checks.length === 0) {
    process.stdout.write("no contract documents found\n");
    return 1;
  }
  process.stdout.write(`${checks.length - bad} valid, ${bad} invalid\n`);
  return bad > 0 ? 1 : 0;
}
