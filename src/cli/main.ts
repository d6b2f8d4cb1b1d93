// Entry of the HPC CLI: parse the command line, call the library, exit 0/1/2/3 (see usage.ts).
import { resolve } from "node:path";
import { formatContractError, InvalidDocumentError } from "../contract/errors.js";
import { ConfigError, resolveSettings } from "../config/settings.js";
import { CheckoutError, repositoryRoot } from "../run/context.js";
import { consoleLogger } from "../run/log.js";
import { runHpcCi } from "../run/run.js";
import { refuseDefaultBranch, settingsRemote } from "../run/results-remote.js";
import { PublishError } from "../git/publish.js";
import { RUN_OPTIONS, runMode } from "./run-options.js";
import { UsageError } from "./errors.js";
import { BatchScriptError, SubmitError } from "../slurm/index.js";
import { COMMANDS, invokedAs, usage } from "./usage.js";
import { VERSION } from "./version.js";
import { publishCommand } from "./publish-command.js";
import { validateCommand } from "./validate-command.js";
import { coverageCommand } from "./coverage-command.js";
import { submitCommand } from "./submit-command.js";
import { mergeCommand } from "./merge-command.js";
import { doctorCommand } from "./doctor-command.js";
import { pollCommand } from "./poll-command.js";
import { parseCommandLine } from "./parse.js";
import { didYouMean } from "./suggest.js";

export const EXIT = { ok: 0, failed: 1, usage: 2, infrastructure: 3 } as const;

async function runCommandLine(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseCommandLine(args, RUN_OPTIONS);
  const root = await repositoryRoot(process.cwd());
  if (!root && !env.HPC_CI_COMMIT) {
    throw new ConfigError(
      `${process.cwd()} is not in a git repository: run from a checkout (or set HPC_CI_COMMIT)`,
    );
  }
  const settings = await resolveSettings(root ?? process.cwd(), env, values);
  const mode = runMode(values, settings.results.publish);
  for (const warning of settings.warnings ?? []) consoleLogger.warn(warning);
  // Before anything runs: a destination the operator must fix is said now, not after the tests.
  if (mode.publish) await checkDestination(settings);
  if (mode.shard) settings.resultsDir = resolve(settings.resultsDir, "shards", String(mode.shard.index));
  const outcome = await runHpcCi({ settings, mode, env, log: consoleLogger, version: VERSION });
  return outcome.exitCode;
}

/** Plain http with a credential, or the default branch as the results branch: exit 2 (ConfigError). */
async function checkDestination(settings: Awaited<ReturnType<typeof resolveSettings>>): Promise<void> {
  try {
    await refuseDefaultBranch(await settingsRemote(settings), settings.results.branch);
  } catch (error) {
    // A missing remote is the publish step's to report (exit 3), as before.
    if (!(error instanceof PublishError)) throw error;
  }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  // `<command> --help` is help, not an unknown flag of the command.
  if (command && COMMANDS.includes(command as never) && rest.some((a) => a === "--help" || a === "-h"))
    return main(["--help"], env);
  try {
    switch (command) {
      case undefined:
      case "-h":
      case "--help":
      case "help":
        process.stdout.write(usage());
        return command === undefined ? EXIT.usage : EXIT.ok;
      case "-V":
      case "--version":
        process.stdout.write(`hpc-ci ${VERSION}\n`);
        return EXIT.ok;
      case "run":
        return await runCommandLine(rest, env);
      case "publish":
        return await publishCommand(rest, env);
      case "validate":
        return await validateCommand(rest);
      case "coverage":
        return await coverageCommand(rest);
      case "submit":
        return await submitCommand(rest, env);
      case "merge":
        return await mergeCommand(rest, env);
      case "doctor":
        return await doctorCommand(rest, env);
      case "poll":
        return await pollCommand(rest, env);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}${didYouMean(command, COMMANDS)}`);
    }
  } catch (error) {
    return report(error);
  }
}

/** One clear line (or a list of document problems) and an exit code; never a stack trace. */
export function report(error: unknown): number {
  const log = consoleLogger;
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    log.error(`${(error as Error).message}\n(see \`${invokedAs()} --help\`)`);
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    log.error(`configuration: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof InvalidDocumentError) {
    for (const e of error.errors) log.error(formatContractError(e));
    return EXIT.usage;
  }
  if (error instanceof BatchScriptError) {
    log.error(`slurm settings: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof CheckoutError || error instanceof SubmitError) {
    log.error(error.message);
    return EXIT.infrastructure;
  }
  log.error(error instanceof Error ? error.message : String(error));
  if (process.env.HPC_CI_DEBUG && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  return EXIT.infrastructure;
}
