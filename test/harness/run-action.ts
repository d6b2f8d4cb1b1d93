// Runs a bundled action exactly as the runner does: `node <runs.main>` from its action.yml, with
// INPUT_* variables, the runner's file commands (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, ...) and event.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { scratchDir } from "./scratch.js";

/** The repository root: the nearest folder up with our package.json (the harness also runs compiled, for the demo). */
export const REPO_ROOT = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "hpc-ci-actions"
    )
      return dir;
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), "../..");
})();

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error ...::` and `::warning ...::` workflow commands printed by the action. */
  annotations: Array<{ level: string; properties: Record<string, string>; message: string }>;
  runnerTemp: string;
}

export interface RunActionOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  event?: unknown;
  eventName?: string;
  cwd?: string;
  repository?: string;
  /** Override the JavaScript file to run (defaults to runs.main of action.yml). */
  main?: string;
  timeoutMs?: number;
}

interface ActionYaml {
  runs: { using: string; main: string };
  inputs?: Record<string, { default?: string }>;
}

export function readActionYaml(action: string): ActionYaml {
  return parseYaml(readFileSync(join(REPO_ROOT, "actions", action, "action.yml"), "utf8")) as ActionYaml;
}

/** The variable name the runner uses for an input: INPUT_ + upper-cased name, spaces as _, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

export async function runAction(action: string, options: RunActionOptions = {}): Promise<ActionRun> {
  const yaml = readActionYaml(action);
  const main = options.main ?? resolve(REPO_ROOT, "actions", action, yaml.runs.main);
  const work = scratchDir(`run-${action}-`);
  const runnerTemp = join(work, "runner-temp");
  const files = {
    GITHUB_OUTPUT: join(work, "output"),
    GITHUB_STEP_SUMMARY: join(work, "summary"),
    GITHUB_ENV: join(work, "env"),
    GITHUB_PATH: join(work, "path"),
    GITHUB_STATE: join(work, "state"),
  };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const eventPath = join(work, "event.json");
  writeFileSync(eventPath, JSON.stringify(options.event ?? {}));
  mkdirSync(runnerTemp, { recursive: true });

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? work,
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.cwd ?? work,
    GITHUB_REPOSITORY: options.repository ?? "octo-org/octo-repo",
    GITHUB_EVENT_NAME: options.eventName ?? "push",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: "https://api.github.com",
    GITHUB_RUN_ID: "1234",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SHA: "0".repeat(40),
    GITHUB_REF: "refs/heads/hpc-results",
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: "Linux",
    ...files,
  };
  // Defaults come from action.yml, as the runner fills them in.
  for (const [name, spec] of Object.entries(yaml.inputs ?? {})) {
    if (spec.default !== undefined) env[inputVariable(name)] = String(spec.default);
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) env[inputVariable(name)] = value;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  const child = spawn(process.execPath, [main], {
    cwd: options.cwd ?? work,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const exitCode = await new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  clearTimeout(timer);

  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseFileCommand(readFileSync(files.GITHUB_OUTPUT, "utf8")),
    summary: existsSync(files.GITHUB_STEP_SUMMARY) ? readFileSync(files.GITHUB_STEP_SUMMARY, "utf8") : "",
    annotations: parseAnnotations(stdout),
    runnerTemp,
  };
}

/** Parses a GITHUB_OUTPUT-style file: `name=value` lines and `name<<DELIMITER` heredocs. */
export function parseFileCommand(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) body.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`unterminated heredoc for output ${name}`);
      result[name!] = body.join("\n");
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`malformed file command line: ${line}`);
    result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function unescapeProperty(s: string): string {
  return unescapeData(s).replace(/%3A/g, ":").replace(/%2C/g, ",");
}

export function parseAnnotations(stdout: string): ActionRun["annotations"] {
  const found: ActionRun["annotations"] = [];
  for (const line of stdout.split("\n")) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const pair of (m[2] ?? "").split(",").filter(Boolean)) {
      const eq = pair.indexOf("=");
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    found.push({ level: m[1]!, properties, message: unescapeData(m[3] ?? "") });
  }
  return found;
}
