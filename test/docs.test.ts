// Each action's reference page in docs/ lists exactly the inputs and outputs its action.yml declares.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT } from "./harness/run-action.js";

const actions = readdirSync(join(REPO_ROOT, "actions")).filter((a) =>
  existsSync(join(REPO_ROOT, "actions", a, "action.yml")),
);

/** The first-column names of the table under `## <heading>`. */
function tableNames(markdown: string, heading: string): string[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  if (!section) return [];
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!).sort();
}

describe("reference pages agree with action.yml", () => {
  it.each(actions)("docs/%s.md", (action) => {
    const page = join(REPO_ROOT, "docs", `${action}.md`);
    expect(existsSync(page), `docs/${action}.md exists`).toBe(true);
    const markdown = readFileSync(page, "utf8");
    const yaml = parseYaml(readFileSync(join(REPO_ROOT, "actions", action, "action.yml"), "utf8")) as {
      inputs?: Record<string, unknown>;
      outputs?: Record<string, unknown>;
    };
    expect(tableNames(markdown, "Inputs")).toEqual(Object.keys(yaml.inputs ?? {}).sort());
    expect(tableNames(markdown, "Outputs")).toEqual(Object.keys(yaml.outputs ?? {}).sort());
  });
});
