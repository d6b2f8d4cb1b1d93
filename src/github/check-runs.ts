// Check runs through the Checks API, one per name and commit: found by name on the head SHA (and by our app
// when GitHub says whose a run is) and updated in place on re-processing, else created. GitHub's rules:
// only a GitHub App's installation token (the workflow's GITHUB_TOKEN is one) may write check runs; at most
// 50 annotations per request, more through further updates, which append; summary and text at most 65,535
// bytes; an annotation's message and raw_details at most 64 KB, its title 255 characters.
import { truncateCharacters, truncateUtf8Bytes } from "../render/escape.js";
import { type GitHubClient, type Repository, describeApiError, httpStatus } from "./client.js";

export const ANNOTATIONS_PER_REQUEST = 50;
export const CHECK_OUTPUT_BYTES = 65_535;
export const ANNOTATION_BYTES = 64 * 1024;
export const ANNOTATION_TITLE_CHARACTERS = 255;

export type CheckStatus = "queued" | "in_progress" | "completed";
export type CheckConclusion =
  "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";

export interface CheckAnnotation {
  /** Relative to the repository root ("test/io.jl"). */
  path: string;
  start_line: number;
  end_line?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunSpec {
  name: string;
  headSha: string;
  /** Default "completed" with a conclusion, else "in_progress". */
  status?: CheckStatus;
  conclusion?: CheckConclusion;
  detailsUrl?: string;
  externalId?: string;
  startedAt?: string;
  completedAt?: string;
  output?: { title: string; summary: string; text?: string; annotations?: CheckAnnotation[] };
}

export interface CheckRunOptions {
  /** Our app's slug ("github-actions" for the workflow token): only its runs of the name are ours. */
  appSlug?: string;
}

export interface CheckRunOutcome {
  id: number;
  htmlUrl?: string;
  /** replaced: ours existed with annotations this run no longer has, which GitHub cannot remove. */
  action: "created" | "updated" | "replaced";
  /** Requests that wrote the run (1 + one per further batch of 50 annotations). */
  requests: number;
  /** Annotations sent now (those already on an updated run are not sent again). */
  annotationsSent: number;
  /** Annotations left out: no repository-relative path or no line. */
  dropped: number;
}

/** GitHub refuses check runs to this token (not an app's, no `checks: write`, no access): use statuses. */
export class CheckRunsUnavailable extends Error {}

type Annotation = Required<Omit<CheckAnnotation, "title" | "raw_details">> &
  Pick<CheckAnnotation, "title" | "raw_details">;

export async function upsertCheckRun(
  client: GitHubClient,
  repository: Repository,
  spec: CheckRunSpec,
  options: CheckRunOptions = {},
): Promise<CheckRunOutcome> {
  const doing = `writing the check run ${spec.name} on ${spec.headSha}`;
  try {
    return await upsert(client, repository, spec, options);
  } catch (error) {
    const message = describeApiError(error, doing, "checks: write");
    if (isRefusal(error)) throw new CheckRunsUnavailable(message, { cause: error });
    throw new Error(message, { cause: error });
  }
}

async function upsert(
  client: GitHubClient,
  repository: Repository,
  spec: CheckRunSpec,
  options: CheckRunOptions,
): Promise<CheckRunOutcome> {
  const { kept, dropped } = prepareAnnotations(spec.output?.annotations ?? []);
  let existing = await findCheckRun(client, repository, spec.headSha, spec.name, options);
  let toSend = kept;
  let action: CheckRunOutcome["action"] = existing ? "updated" : "created";
  // Only a spec that lists annotations says which belong on the run; one without leaves them as they are.
  if (existing && existing.annotationsCount > 0 && spec.output?.annotations !== undefined) {
    const present = await client.paginate(client.rest.checks.listAnnotations, {
      ...repository,
      check_run_id: existing.id,
      per_page: 100,
    });
    const rest = withoutPresent(kept, present.map(annotationKey));
    if (rest === undefined) {
      existing = undefined;
      action = "replaced";
    } else toSend = rest;
  }
  const batches = chunks(toSend, ANNOTATIONS_PER_REQUEST);
  const output = spec.output && {
    title: spec.output.title,
    summary: truncateUtf8Bytes(spec.output.summary, CHECK_OUTPUT_BYTES, TRUNCATED),
    ...(spec.output.text !== undefined
      ? { text: truncateUtf8Bytes(spec.output.text, CHECK_OUTPUT_BYTES, TRUNCATED) }
      : {}),
  };
  const fields = {
    status: spec.status ?? (spec.conclusion ? "completed" : "in_progress"),
    ...(spec.conclusion ? { conclusion: spec.conclusion } : {}),
    ...(spec.detailsUrl ? { details_url: spec.detailsUrl } : {}),
    ...(spec.externalId ? { external_id: spec.externalId } : {}),
    ...(spec.startedAt ? { started_at: spec.startedAt } : {}),
    ...(spec.completedAt ? { completed_at: spec.completedAt } : {}),
  } as const;
  const first = output ? { output: { ...output, annotations: batches[0] ?? [] } } : {};
  const create = () =>
    client.rest.checks.create({
      ...repository,
      name: spec.name,
      head_sha: spec.headSha,
      ...fields,
      ...first,
    });
  let written;
  try {
    written = existing
      ? await client.rest.checks.update({ ...repository, check_run_id: existing.id, ...fields, ...first })
      : await create();
  } catch (error) {
    // Another app's run of the same name (GitHub did not say whose it was): ours is a new one.
    if (!existing || !/Invalid app_id/i.test(String(error))) throw error;
    written = await create();
    action = "created";
  }
  const id = written.data.id;
  // GitHub appends the annotations of each update; the rest of the output is sent again unchanged.
  for (const batch of batches.slice(1)) {
    await client.rest.checks.update({
      ...repository,
      check_run_id: id,
      output: { ...output!, annotations: batch },
    });
  }
  return {
    id,
    htmlUrl: written.data.html_url ?? undefined,
    action,
    requests: Math.max(1, batches.length),
    annotationsSent: toSend.length,
    dropped,
  };
}

const TRUNCATED = "\n\n… (cut at GitHub's limit of 65,535 bytes)";

export interface FoundCheckRun {
  id: number;
  status: string;
  conclusion: string | null;
  annotationsCount: number;
  appSlug?: string;
}

/**
 * The newest check run named `name` on `sha` that is ours: of our app when GitHub says whose it is and we
 * know our app's slug.
 */
export async function findCheckRun(
  client: GitHubClient,
  repository: Repository,
  sha: string,
  name: string,
  options: CheckRunOptions = {},
): Promise<FoundCheckRun | undefined> {
  const runs = await client.paginate(client.rest.checks.listForRef, {
    ...repository,
    ref: sha,
    check_name: name,
    filter: "all",
    per_page: 100,
  });
  const ours = runs
    .filter((r) => r.name === name)
    .filter((r) => !options.appSlug || !r.app?.slug || r.app.slug === options.appSlug)
    .sort((a, b) => b.id - a.id)[0];
  if (!ours) return undefined;
  return {
    id: ours.id,
    status: ours.status,
    conclusion: ours.conclusion,
    annotationsCount: ours.output.annotations_count,
    ...(ours.app?.slug ? { appSlug: ours.app.slug } : {}),
  };
}

/** GitHub's answer that this token may not write check runs (as opposed to a failure worth reporting). */
function isRefusal(error: unknown): boolean {
  const status = httpStatus(error);
  if (status === 404) return true;
  if (status !== 403) return false;
  return /authenticate via a GitHub App|not accessible by integration/i.test(String(error));
}

/** Annotations as GitHub takes them: repository-relative paths, lines from 1, bounded texts. */
export function prepareAnnotations(annotations: CheckAnnotation[]): { kept: Annotation[]; dropped: number } {
  const kept: Annotation[] = [];
  for (const a of annotations) {
    const path = repositoryPath(a.path);
    const start = a.start_line;
    if (path === undefined || !Number.isSafeInteger(start) || start < 1) continue;
    const end = Number.isSafeInteger(a.end_line) && a.end_line! >= start ? a.end_line! : start;
    kept.push({
      path,
      start_line: start,
      end_line: end,
      annotation_level: a.annotation_level,
      message: truncateUtf8Bytes(a.message || a.title || "(no message)", ANNOTATION_BYTES),
      ...(a.title ? { title: truncateCharacters(a.title, ANNOTATION_TITLE_CHARACTERS) } : {}),
      ...(a.raw_details ? { raw_details: truncateUtf8Bytes(a.raw_details, ANNOTATION_BYTES) } : {}),
    });
  }
  return { kept, dropped: annotations.length - kept.length };
}

/** "./test/x.jl" -> "test/x.jl"; undefined for an absolute path, one leaving the repository, or none. */
function repositoryPath(path: string): string | undefined {
  const parts = path
    .replaceAll("\\", "/")
    .split("/")
    .filter((p) => p !== "" && p !== ".");
  if (/^([A-Za-z]:)?[\\/]/.test(path) || parts.length === 0 || parts.includes("..")) return undefined;
  return parts.join("/");
}

function annotationKey(a: {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level?: string | null;
  title?: string | null;
  message?: string | null;
}): string {
  return JSON.stringify([a.path, a.start_line, a.end_line, a.annotation_level, a.title ?? "", a.message]);
}

/** `wanted` minus those already present, or undefined when a present one is not wanted any more. */
function withoutPresent(wanted: Annotation[], present: string[]): Annotation[] | undefined {
  const left = new Map<string, number>();
  for (const key of present) left.set(key, (left.get(key) ?? 0) + 1);
  const rest = wanted.filter((a) => {
    const key = annotationKey(a);
    const n = left.get(key) ?? 0;
    if (n === 0) return true;
    left.set(key, n - 1);
    return false;
  });
  return [...left.values()].some((n) => n > 0) ? undefined : rest;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
