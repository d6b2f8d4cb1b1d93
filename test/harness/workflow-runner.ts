// Runs a caller workflow and the reusable workflow it calls the way GitHub's runner would, for the parts
// our workflows use: jobs in `needs` order with GitHub's job and step conditions (evaluated by GitHub's own
// expression library, @actions/expressions), each job's GITHUB_TOKEN with the job's permissions (when the
// test mints tokens), matrices one instance at a time, `run:` steps in bash with
// GITHUB_OUTPUT, our actions as their bundles in dist/ (run-action.ts), and actions/checkout as a git fetch
// from the bare repository standing in for https://github.com/<repository>.git (served as file://).
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { truthy } from "@actions/expressions/result";
import { parse as parseYaml } from "yaml";
import { type Permissions, capped, permissionsOf } from "./job-permissions.js";
import { REPO_ROOT, type ActionRun, parseFileCommand, readActionYaml, runAction } from "./run-action.js";

const RELEASE = "hpc-ci-actions/hpc-ci-actions";

export interface RunContext {
  /** Folder holding <owner>/<name>.git: the "server" git talks to (github.server_url for git). */
  serverRoot: string;
  repository: string;
  eventName: string;
  event: Record<string, unknown>;
  /** The workflow token (github.token), accepted by the REST stand-in. */
  token: string;
  /**
   * Mints a job's GITHUB_TOKEN with the permissions GitHub gives that job (its own `permissions:`, else its
   * workflow's, never more than the caller grants); without it every job gets `token`.
   */
  jobToken?: (permissions: Permissions) => string;
  /** Variables every action gets: GITHUB_API_URL of the stand-in, the artifact service's. */
  env: Record<string, string>;
}

export type { Permissions } from "./job-permissions.js";

export type JobResult = "success" | "failure" | "skipped";

export interface StepRecord {
  job: string;
  id?: string;
  uses?: string;
  outcome: "success" | "failure" | "skipped";
  action?: ActionRun;
  output?: string;
}

export interface WorkflowRun {
  jobs: Record<string, { result: JobResult; outputs: Record<string, string> }>;
  steps: StepRecord[];
}

type Json = Record<string, unknown>;
interface Job {
  needs?: string | string[];
  permissions?: unknown;
  if?: string;
  uses?: string;
  with?: Json;
  strategy?: { matrix?: Json };
  steps?: Array<Json>;
  outputs?: Record<string, string>;
}

const STATUS_FUNCTIONS = ["success", "failure", "cancelled", "always"].map((name) => ({
  name,
  minArgs: 0,
  maxArgs: 0,
}));
const CONTEXTS = ["github", "inputs", "needs", "steps", "matrix", "env", "runner", "jobs", "secrets"];

function toData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

function evaluate(expr: string, contexts: Json, status: { success: boolean; failure: boolean }) {
  const lexed = new Lexer(expr).lex();
  const parsed = new Parser(lexed.tokens, CONTEXTS, STATUS_FUNCTIONS).parse();
  const fn = (value: boolean) => ({
    name: "",
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value),
  });
  const functions = new Map([
    ["success", fn(status.success)],
    ["failure", fn(status.failure)],
    ["cancelled", fn(false)],
    ["always", fn(true)],
  ]);
  return new Evaluator(parsed, toData(contexts) as data.Dictionary, functions).evaluate();
}

/** A value with ${{ }}: the data itself when the whole string is one expression, else the interpolated text. */
function expand(value: unknown, contexts: Json): unknown {
  if (typeof value !== "string") return value;
  const whole = /^\$\{\{([\s\S]*?)\}\}$/.exec(value.trim());
  const ok = { success: true, failure: false };
  if (whole) return JSON.parse(JSON.stringify(evaluate(whole[1]!, contexts, ok), data.replacer)) as unknown;
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => evaluate(e, contexts, ok).coerceString());
}

function text(value: unknown): string {
  return value === null || value === undefined
    ? ""
    : typeof value === "string"
      ? value
      : JSON.stringify(value);
}

function condition(expr: string | undefined, contexts: Json, status: { success: boolean; failure: boolean }) {
  const source = (expr ?? "success()").replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  const usesStatus = /\b(success|failure|cancelled|always)\(\)/.test(source);
  // GitHub adds success() && to a condition that calls no status function.
  return truthy(evaluate(usesStatus ? source : `success() && (${source})`, contexts, status));
}

function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** Runs the caller `workflow` (already chosen by github-rules.ts) and the reusable workflow it uses. */
export async function runWorkflow(
  workflow: { jobs: Record<string, Job>; permissions?: unknown },
  ctx: RunContext,
): Promise<WorkflowRun> {
  const run: WorkflowRun = { jobs: {}, steps: [] };
  const github = {
    event_name: ctx.eventName,
    event: ctx.event,
    repository: ctx.repository,
    repository_owner: ctx.repository.split("/")[0],
    server_url: `file://${ctx.serverRoot}`,
    token: ctx.token,
  };
  for (const [id, job] of Object.entries(workflow.jobs)) {
    // The caller's own job condition (it sees github only): false means no job of the called workflow runs.
    if (!condition(job.if, { github }, { success: true, failure: false })) {
      run.jobs[id] = { result: "skipped", outputs: {} };
      continue;
    }
    const prefix = `${RELEASE}/.github/workflows/`;
    if (!job.uses?.startsWith(prefix))
      throw new Error(`job ${id}: only calls of ${RELEASE}'s reusable workflow are run here`);
    const called = parseYaml(
      readFileSync(
        join(REPO_ROOT, ".github/workflows", job.uses.slice(prefix.length).replace(/@.*$/, "")),
        "utf8",
      ),
    ) as {
      on: { workflow_call: { inputs: Record<string, { type: string; default?: unknown }> } };
      jobs: Record<string, Job>;
      permissions?: unknown;
    };
    const inputs: Json = {};
    for (const [name, spec] of Object.entries(called.on.workflow_call.inputs)) {
      const given = job.with && name in job.with ? expand(job.with[name], { github }) : spec.default;
      inputs[name] =
        spec.type === "boolean" ? given === true || given === "true" : given === undefined ? "" : given;
    }
    const cap = permissionsOf(job.permissions ?? workflow.permissions);
    const permissions = (j: Job) => capped(permissionsOf(j.permissions ?? called.permissions), cap);
    await runJobs(called.jobs, { github, inputs }, ctx, run, permissions);
  }
  return run;
}

async function runJobs(
  jobs: Record<string, Job>,
  base: Json,
  ctx: RunContext,
  run: WorkflowRun,
  permissions: (job: Job) => Permissions,
): Promise<void> {
  const done = new Map<string, { result: JobResult; outputs: Record<string, string> }>();
  const ancestors = (id: string): string[] => needsOf(jobs[id]!).flatMap((n) => [n, ...ancestors(n)]);
  while (done.size < Object.keys(jobs).length) {
    const [id, job] = Object.entries(jobs).find(
      ([j, spec]) => !done.has(j) && needsOf(spec).every((n) => done.has(n)),
    )!;
    const needs = Object.fromEntries(needsOf(job).map((n) => [n, done.get(n)!]));
    const token = ctx.jobToken ? ctx.jobToken(permissions(job)) : ctx.token;
    const contexts = { ...base, github: { ...(base.github as Json), token }, needs };
    const status = {
      success: needsOf(job).every((n) => done.get(n)!.result === "success"),
      failure: ancestors(id).some((n) => done.get(n)!.result === "failure"),
    };
    let outcome: { result: JobResult; outputs: Record<string, string> } = { result: "skipped", outputs: {} };
    if (condition(job.if, contexts, status)) {
      const matrix = job.strategy?.matrix;
      const instances: Json[] = [{}];
      if (matrix) {
        instances.length = 0;
        for (const [key, values] of Object.entries(matrix)) {
          for (const v of expand(values, contexts) as unknown[]) instances.push({ [key]: v });
        }
      }
      outcome = { result: "success", outputs: {} };
      for (const m of instances) {
        const one = await runSteps(id, job, { ...contexts, matrix: m }, ctx, run);
        if (one.result === "failure") outcome.result = "failure";
        outcome.outputs = one.outputs;
      }
    }
    done.set(id, outcome);
    run.jobs[id] = outcome;
  }
}

async function runSteps(id: string, job: Job, contexts: Json, ctx: RunContext, run: WorkflowRun) {
  const workspace = mkdtempSync(join(tmpdir(), `job-${id}-`));
  const runnerTemp = join(workspace, "_temp");
  mkdirSync(runnerTemp);
  const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  let failed = false;
  for (const step of job.steps ?? []) {
    const all = { ...contexts, steps, runner: { temp: runnerTemp } };
    const record: StepRecord = {
      job: id,
      id: step.id as string | undefined,
      uses: step.uses as string | undefined,
      outcome: "skipped",
    };
    run.steps.push(record);
    if (!condition(step.if as string | undefined, all, { success: !failed, failure: failed })) continue;
    const withs = Object.fromEntries(
      Object.entries((step.with ?? {}) as Json).map(([k, v]) => [k, text(expand(v, all))]),
    );
    const env = Object.fromEntries(
      Object.entries((step.env ?? {}) as Json).map(([k, v]) => [k, text(expand(v, all))]),
    );
    let outputs: Record<string, string> = {};
    let ok: boolean;
    if (typeof step.run === "string") {
      const file = join(runnerTemp, `output-${run.steps.length}`);
      writeFileSync(file, "");
      const result = await bash(
        step.run,
        { ...env, GITHUB_OUTPUT: file, RUNNER_TEMP: runnerTemp },
        workspace,
      );
      record.output = result.output;
      ok = result.code === 0;
      outputs = parseFileCommand(readFileSync(file, "utf8"));
    } else if (record.uses?.startsWith("actions/checkout@")) {
      ok = checkout(ctx, workspace, withs);
    } else if (record.uses?.startsWith(`${RELEASE}/actions/`)) {
      const name = record.uses.slice(`${RELEASE}/actions/`.length).replace(/@.*$/, "");
      // Inputs left out get action.yml's default, expressions (${{ github.token }}) evaluated.
      const defaults = Object.fromEntries(
        Object.entries(readActionYaml(name).inputs ?? {}).map(([k, spec]) => [
          k,
          text(expand(spec.default ?? "", all)),
        ]),
      );
      record.action = await runAction(name, {
        inputs: { ...defaults, ...withs },
        env: { ...ctx.env, ...env, RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: workspace },
        event: ctx.event,
        eventName: ctx.eventName,
        cwd: workspace,
        repository: ctx.repository,
      });
      ok = record.action.exitCode === 0;
      outputs = record.action.outputs;
    } else {
      throw new Error(`step ${String(step.uses ?? step.run)}: not something this runner runs`);
    }
    record.outcome = ok ? "success" : "failure";
    if (step.id) steps[step.id as string] = { outputs, outcome: record.outcome };
    if (!ok) failed = true;
  }
  const final = { ...contexts, steps };
  const outputs = Object.fromEntries(
    Object.entries(job.outputs ?? {}).map(([k, v]) => [k, text(expand(v, final))]),
  );
  return { result: (failed ? "failure" : "success") as JobResult, outputs };
}

function bash(
  script: string,
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? cwd,
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise((done) => child.on("close", (code) => done({ code, output })));
}

// actions/checkout: the ref given (a branch or a commit), else the event's; with fetch-depth 0 the whole
// history of it. The origin stays configured, as with persist-credentials, so render-badges can push.
function checkout(ctx: RunContext, workspace: string, withs: Record<string, string>): boolean {
  const dir = join(workspace, withs.path ?? "");
  const origin = join(ctx.serverRoot, `${ctx.repository}.git`);
  const ref = withs.ref || String((ctx.event.repository as Json).default_branch);
  const g = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe", encoding: "utf8" });
  try {
    mkdirSync(dir, { recursive: true });
    g("init", "-q");
    g("remote", "add", "origin", origin);
    const depth = withs["fetch-depth"] === "0" ? [] : [`--depth=${withs["fetch-depth"] || "1"}`];
    const filter = withs.filter ? [`--filter=${withs.filter}`] : [];
    const source = /^[0-9a-f]{40}$/.test(ref) ? ref : `refs/heads/${ref}`;
    g("-c", "protocol.file.allow=always", "fetch", "-q", ...depth, ...filter, "origin", source);
    g("checkout", "-q", "--detach", "FETCH_HEAD");
    return true;
  } catch {
    return false;
  }
}
