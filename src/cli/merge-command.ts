// `hpc-ci merge [DIR...] [--out DIR] [--no-publish]`: combine the results of `run --shard I/N` jobs.
import { readdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { resolveSettings } from "../config/settings.js";
import { mergeShards } from "../run/merge.js";
import { repositoryRoot } from "../run/context.js";
import { consoleLogger } from "../run/log.js";
import { publishRun } from "../run/publish.js";
import { UsageError } from "./errors.js";
import { parseCommandLine } from "./parse.js";

export async function mergeCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    { out: { type: "string" }, "no-publish": { type: "boolean" } },
    true,
  );
  const root = (await repositoryRoot(process.cwd())) ?? process.cwd();
  const settings = await resolveSettings(root, env);
  const shardRoot = join(settings.resultsDir, "shards");
  const dirs =
    positionals.length > 0
      ? positionals.map((p) => resolve(p))
      : existsSync(shardRoot)
        ? readdirSync(shardRoot)
            .sort()
            .map((d) => join(shardRoot, d))
        : [];
  if (dirs.length === 0)
    throw new UsageError(`nothing to merge: give shard folders, or run shards into ${shardRoot}`);
  const out = resolve(values.out ?? settings.resultsDir);
  const merged = await mergeShards(dirs, out, consoleLogger);
  consoleLogger.info(`merged ${dirs.length} shard(s) of ${merged.results.commit} into ${out}`);
  if (!values["no-publish"] && settings.results.publish) {
    if (!(await publishRun({ settings, log: consoleLogger }, merged))) return 3;
  }
  const failed =
    merged.results.tests?.status === "failed" ||
    merged.results.benchmarks?.status === "failed" ||
    merged.results.benchmarks?.verdict === "regression";
  return failed ? 1 : 0;
}
