// Entry of the render-badges action: read inputs, call the library, write outputs.
import * as core from "@actions/core";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { badgesMarkdown } from "../../badges/markdown.js";
import { PagesFolderError } from "../../dashboard/folder.js";
import { HistoryError } from "../../dashboard/history.js";
import { publishPages } from "../../dashboard/publish-pages.js";
import { tokenEnvironment } from "../../git/credentials.js";
import { PublishError } from "../../git/publish.js";
import { git } from "../../git/run.js";
import { readEventPayload } from "../../github/event.js";
import { InputError } from "../inputs.js";
import { readInputs } from "./inputs.js";
import { neutralizeInvisible } from "../../render/escape.js";
import { loadRuns } from "./load-runs.js";

export async function run(): Promise<void> {
  try {
    const inputs = readInputs(process.env, await readEventPayload());
    core.info(
      inputs.defaultBranch
        ? `Headline badges and trends follow ${inputs.defaultBranch}; other branches appear in the runs table`
        : "No default branch known (input default-branch, or the event's repository.default_branch): the newest run of any branch makes the badges",
    );
    const pagesPath = resolve(inputs.pagesPath);
    if (inputs.push && !existsSync(join(pagesPath, ".git"))) {
      throw new InputError(
        `pages-path ${inputs.pagesPath} is not a git checkout: check out the repository there (actions/checkout with path:), or set push: false`,
      );
    }
    const all = await loadRuns(inputs, (problem) =>
      core.error(neutralizeInvisible(problem), { title: "HPC run left out" }),
    );
    const runs = inputs.branches.length
      ? all.filter((r) => r.branch !== undefined && inputs.branches.includes(r.branch))
      : all;
    for (const r of all.filter((x) => !runs.includes(x))) {
      core.info(`Left out ${r.commit}: branch ${JSON.stringify(r.branch ?? "")} is not in input branches`);
    }
    core.info(
      runs.length > 0
        ? `Adding ${runs.length} run(s) to ${inputs.pagesDir || "the root"} of ${inputs.pagesBranch}`
        : `No new run: rendering ${inputs.pagesDir || "the root"} of ${inputs.pagesBranch} again from its history`,
    );

    const outcome = await publishPages({
      pagesPath,
      pagesDir: inputs.pagesDir,
      branch: inputs.pagesBranch,
      push: inputs.push,
      runs,
      historySize: inputs.historySize,
      now: new Date(),
      badges: {
        coverage: inputs.coverage,
        regressionThresholdPct: inputs.regressionThresholdPct,
        cacheSeconds: inputs.cacheSeconds,
        labelPrefix: inputs.labelPrefix,
        ...(inputs.badgeStyle !== "flat" && { style: inputs.badgeStyle }),
      },
      badgeStyle: inputs.badgeStyle,
      staleAfterSeconds: inputs.staleAfterSeconds,
      repository: inputs.repository,
      serverUrl: inputs.serverUrl,
      defaultBranch: inputs.defaultBranch,
      processed: inputs.processed,
      env: inputs.token ? tokenEnvironment(await originUrl(pagesPath), inputs.token) : undefined,
      warn: (m) => core.warning(m),
      log: (m) => core.info(m),
    });

    if (inputs.processed)
      core.info(`Marked ${inputs.processed.resultsCommit} of ${inputs.processed.resultsBranch} as processed`);
    if (outcome.history.length === 0) {
      core.warning(
        `Nothing to render: no run given and no ${inputs.pagesDir ? `${inputs.pagesDir}/` : ""}history.json on ${inputs.pagesBranch} yet`,
      );
    }
    const markdown = badgesMarkdown(inputs.pagesUrl, inputs.labelPrefix);
    core.setOutput("pages-url", inputs.pagesUrl);
    core.setOutput("badges-markdown", markdown);
    core.setOutput("pushed", String(outcome.pushed));
    core.setOutput("pages-commit", outcome.pushed ? (outcome.commit ?? "") : "");
    core.info(
      outcome.pushed
        ? `Pushed ${outcome.commit?.slice(0, 12)} to ${inputs.pagesBranch}${outcome.conflicts ? ` after ${outcome.conflicts} rejected push(es)` : ""}`
        : outcome.changed
          ? "Rendered; not pushed (push: false)"
          : "Nothing changed; no commit made",
    );
    await writeSummary(inputs.pagesUrl, markdown, outcome.history.length, outcome.added, outcome.pushed);
  } catch (error) {
    if (
      error instanceof InputError ||
      error instanceof HistoryError ||
      error instanceof PagesFolderError ||
      error instanceof PublishError
    ) {
      core.setFailed(error.message);
    } else {
      core.setFailed(`render-badges failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function writeSummary(
  pagesUrl: string,
  markdown: string,
  historyLength: number,
  added: string[],
  pushed: boolean,
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY || historyLength === 0) return;
  const lines = [
    "## HPC badges and dashboard",
    `${added.length > 0 ? `Added ${added.map((c) => `\`${c.slice(0, 12)}\``).join(", ")}; ` : ""}${historyLength} run(s) in the history; ${pushed ? "pushed" : "not pushed"}.`,
    `Dashboard: <${pagesUrl}>`,
    "README lines:",
    "```markdown",
    markdown,
    "```",
  ];
  await core.summary.addRaw(lines.join("\n\n"), true).write();
}

// Where the token goes: only an https origin gets it (tokenEnvironment), never a file or ssh remote.
async function originUrl(pagesPath: string): Promise<string> {
  return (await git(pagesPath, ["remote", "get-url", "origin"])).trim();
}
