// Check runs in the stand-in: the store, their JSON, and the four operations, with GitHub's rules that the
// OpenAPI description leaves out:
// - Only a GitHub App's installation token may create or update one; a personal access token gets 403 "You
//   must authenticate via a GitHub App." (GitHub's answer, quoted in e.g. actions/github-script#118,
//   EnricoMi/publish-unit-test-result-action#53); an installation token without `checks: write` gets 403
//   "Resource not accessible by integration"; an app may not update another app's check run (403, "Invalid
//   app_id", probot/probot#1065).
// - At most 50 annotations per request (the description's maxItems: the request validator answers 422);
//   annotations accumulate over the create and update requests.
// - summary and text at most 65,535 bytes, not characters (github/docs#35252: "summary exceeds a maximum
//   bytesize of 65535"); an annotation's message and raw_details at most 64 KB, its title 255 characters.
import { ApiError, basicError, noCommit, notFound, validationFailed } from "./errors.js";
import { paginate } from "./pagination.js";
import type {
  AnnotationRecord,
  AppRecord,
  CheckRunRecord,
  CheckRunStatus,
  RepositoryRecord,
  TokenIdentity,
} from "./records.js";
import { nodeId, repository, timestamp, user, type Urls } from "./representations.js";
import type { Handler, RouteContext } from "./route-context.js";
import type { GitHubState } from "./state.js";

export const CHECK_RUN_LIMITS = {
  annotationsPerRequest: 50,
  outputBytes: 65_535,
  annotationBytes: 64 * 1024,
  annotationTitleCharacters: 255,
} as const;

/** The workflow token's app, with its real id and slug. */
export const GITHUB_ACTIONS_APP = { id: 15368, slug: "github-actions", name: "GitHub Actions" } as const;

export class CheckRunStore {
  private readonly runs: CheckRunRecord[] = [];
  private readonly suites = new Map<string, number>();
  private nextRunId = 41_000_000_001;
  private nextSuiteId = 42_000_000_001;

  add(fields: Omit<CheckRunRecord, "id" | "checkSuiteId">): CheckRunRecord {
    const suiteKey = `${fields.repo.id}:${fields.headSha}:${fields.app.id}`;
    let suite = this.suites.get(suiteKey);
    if (suite === undefined) this.suites.set(suiteKey, (suite = this.nextSuiteId++));
    const record: CheckRunRecord = { ...fields, id: this.nextRunId++, checkSuiteId: suite };
    this.runs.push(record);
    return record;
  }

  find(repo: RepositoryRecord, id: number): CheckRunRecord | undefined {
    return this.runs.find((r) => r.repo === repo && r.id === id);
  }

  /** The check runs of a commit, newest first. */
  forSha(repo: RepositoryRecord, sha: string): CheckRunRecord[] {
    return this.runs.filter((r) => r.repo === repo && r.headSha === sha).reverse();
  }
}

export function checkRunJson(r: CheckRunRecord, state: GitHubState, urls: Urls) {
  const repo = repository(r.repo, urls);
  const api = `${repo.url}/check-runs/${r.id}`;
  const minimal = { id: r.repo.id, url: repo.url, name: r.repo.name };
  return {
    id: r.id,
    head_sha: r.headSha,
    node_id: nodeId("CR", r.id),
    external_id: r.externalId,
    url: api,
    html_url: `${repo.html_url}/runs/${r.id}`,
    details_url: r.detailsUrl,
    status: r.status,
    conclusion: r.conclusion,
    started_at: timestamp(r.startedAt),
    completed_at: r.completedAt ? timestamp(r.completedAt) : null,
    output: {
      ...r.output,
      annotations_count: r.annotations.length,
      annotations_url: `${api}/annotations`,
    },
    name: r.name,
    check_suite: { id: r.checkSuiteId },
    app: appJson(r.app, urls),
    // Open pull requests of the same repository whose head is the commit, as GitHub lists them.
    pull_requests: state
      .pullRecords(r.repo)
      .filter((p) => p.state === "open" && p.headSha === r.headSha)
      .map((p) => ({
        id: p.id,
        number: p.number,
        url: `${repo.url}/pulls/${p.number}`,
        head: { ref: p.headRef, sha: p.headSha, repo: minimal },
        base: { ref: p.baseRef, sha: p.baseSha, repo: minimal },
      })),
  };
}

function appJson(app: AppRecord, urls: Urls) {
  const created = timestamp(new Date(Date.UTC(2018, 6, 30)));
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("A", app.id),
    owner: user(app.owner, urls),
    name: app.name,
    description: "",
    external_url: `${urls.html}/apps/${app.slug}`,
    html_url: `${urls.html}/apps/${app.slug}`,
    created_at: created,
    updated_at: created,
    permissions: { checks: "write", metadata: "read" },
    events: [],
  };
}

export function annotationJson(a: AnnotationRecord, r: CheckRunRecord, urls: Urls) {
  const path = a.path.split("/").map(encodeURIComponent).join("/");
  return {
    ...a,
    blob_href: `${urls.html}/${r.repo.owner.login}/${r.repo.name}/blob/${r.headSha}/${path}`,
  };
}

// --- the operations ------------------------------------------------------------------------------------

/** The app a request's token may write check runs as, or GitHub's 403. */
function writingApp(ctx: RouteContext): AppRecord {
  const actor: TokenIdentity = ctx.actor;
  if (actor.kind !== "installation" || !actor.app)
    throw forbidden("You must authenticate via a GitHub App.", ctx.docsUrl);
  if (actor.permissions && actor.permissions.checks !== "write")
    throw forbidden("Resource not accessible by integration", ctx.docsUrl);
  return actor.app;
}

function forbidden(message: string, docsUrl: string | undefined): ApiError {
  return new ApiError({ status: 403, body: basicError(403, message, docsUrl) });
}

function tooBig(field: string, message: string, docsUrl: string | undefined): ApiError {
  return validationFailed([{ resource: "CheckRun", code: "custom", field, message }], docsUrl);
}

interface OutputBody {
  title?: string;
  summary?: string;
  text?: string;
  annotations?: Array<Record<string, unknown>>;
}

function bytes(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text);
}

/** GitHub's size rules on `output`, and its annotations as records. */
function checkOutput(output: OutputBody | undefined, docsUrl: string | undefined): AnnotationRecord[] {
  if (!output) return [];
  for (const field of ["summary", "text"] as const) {
    if (bytes(output[field]) > CHECK_RUN_LIMITS.outputBytes)
      throw tooBig(field, `${field} exceeds a maximum bytesize of ${CHECK_RUN_LIMITS.outputBytes}`, docsUrl);
  }
  // More than 50 annotations never get here: the request validator answers 422 (maxItems 50).
  const annotations = output.annotations ?? [];
  return annotations.map((a) => {
    for (const field of ["message", "raw_details"]) {
      if (bytes(a[field] as string | undefined) > CHECK_RUN_LIMITS.annotationBytes)
        throw tooBig(
          field,
          `${field} exceeds a maximum bytesize of ${CHECK_RUN_LIMITS.annotationBytes}`,
          docsUrl,
        );
    }
    const title = (a.title as string | undefined) ?? null;
    if (title !== null && Array.from(title).length > CHECK_RUN_LIMITS.annotationTitleCharacters)
      throw tooBig("title", `title is too long (maximum is 255 characters)`, docsUrl);
    const start = a.start_line as number;
    const end = a.end_line as number;
    if (end < start || ((a.start_column !== undefined || a.end_column !== undefined) && start !== end))
      throw tooBig(
        "annotations",
        "end_line must not be before start_line; columns only on one line",
        docsUrl,
      );
    return {
      path: a.path as string,
      start_line: start,
      end_line: end,
      start_column: (a.start_column as number | undefined) ?? null,
      end_column: (a.end_column as number | undefined) ?? null,
      annotation_level: a.annotation_level as AnnotationRecord["annotation_level"],
      title,
      message: a.message as string,
      raw_details: (a.raw_details as string | undefined) ?? null,
    };
  });
}

/** Applies the fields of a create or update body (status, conclusion, times, output). */
function apply(run: CheckRunRecord, body: Record<string, unknown>, ctx: RouteContext): void {
  const output = body.output as OutputBody | undefined;
  const added = checkOutput(output, ctx.docsUrl);
  const date = (field: string) => (typeof body[field] === "string" ? new Date(body[field]) : undefined);
  if (typeof body.name === "string") run.name = body.name;
  if (body.details_url !== undefined) run.detailsUrl = body.details_url as string;
  if (body.external_id !== undefined) run.externalId = body.external_id as string;
  run.startedAt = date("started_at") ?? run.startedAt;
  // "Providing conclusion will automatically set the status parameter to completed."
  const conclusion = body.conclusion as string | undefined;
  const status = conclusion !== undefined ? "completed" : (body.status as CheckRunStatus | undefined);
  if (status === "completed" && conclusion === undefined && run.conclusion === null) {
    throw validationFailed(
      [
        {
          resource: "CheckRun",
          code: "missing_field",
          field: "conclusion",
          message: "conclusion is required",
        },
      ],
      ctx.docsUrl,
    );
  }
  if (status) run.status = status;
  if (conclusion !== undefined) run.conclusion = conclusion;
  if (run.status === "completed")
    run.completedAt = date("completed_at") ?? run.completedAt ?? ctx.state.now();
  if (output) {
    if (output.title !== undefined) run.output.title = output.title;
    if (output.summary !== undefined) run.output.summary = output.summary;
    if (output.text !== undefined) run.output.text = output.text;
  }
  run.annotations.push(...added);
}

function checkRunOf(ctx: RouteContext): CheckRunRecord {
  const run = ctx.state.checkRunStore.find(ctx.repo, Number(ctx.params.check_run_id));
  if (!run) throw notFound(ctx.docsUrl);
  return run;
}

export const CHECK_RUN_ROUTES: Record<string, Handler> = {
  "POST /repos/{owner}/{repo}/check-runs": (ctx) => {
    const app = writingApp(ctx);
    const sha = (ctx.body.head_sha as string).toLowerCase();
    if (!/^[0-9a-f]{40}$/.test(sha) || !ctx.state.hasCommit(sha, fullName(ctx.repo)))
      throw noCommit(ctx.body.head_sha as string, ctx.docsUrl);
    // Checked before anything is stored: a refused request leaves nothing behind.
    checkOutput(ctx.body.output as OutputBody | undefined, ctx.docsUrl);
    const run = ctx.state.checkRunStore.add({
      repo: ctx.repo,
      headSha: sha,
      name: ctx.body.name as string,
      app,
      status: "queued",
      conclusion: null,
      detailsUrl: null,
      externalId: null,
      startedAt: ctx.state.now(),
      completedAt: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
    });
    apply(run, { status: "queued", ...ctx.body }, ctx);
    return { status: 201, body: checkRunJson(run, ctx.state, ctx.urls) };
  },

  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": (ctx) => {
    const app = writingApp(ctx);
    const run = checkRunOf(ctx);
    if (run.app.id !== app.id) throw forbidden(`Invalid app_id \`${app.id}\``, ctx.docsUrl);
    apply(run, ctx.body, ctx);
    return { status: 200, body: checkRunJson(run, ctx.state, ctx.urls) };
  },

  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": (ctx) => {
    const ref = ctx.params.ref!;
    const sha = ctx.state.resolveRef(ctx.repo, ref);
    if (!sha) throw noCommit(ref, ctx.docsUrl);
    const name = ctx.query.get("check_name");
    const status = ctx.query.get("status");
    const appId = ctx.query.get("app_id");
    const latestOnly = (ctx.query.get("filter") ?? "latest") === "latest";
    const seen = new Set<string>();
    const runs = ctx.state.checkRunStore
      .forSha(ctx.repo, sha)
      .filter((r) => name === null || r.name === name)
      .filter((r) => status === null || r.status === status)
      .filter((r) => appId === null || r.app.id === Number(appId))
      // "latest": the newest run of each name (and app), as GitHub shows one per name in a check suite.
      .filter((r) => {
        const key = `${r.app.id}\n${r.name}`;
        if (!latestOnly) return true;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    const rest = `/commits/${encodeURIComponent(ref)}/check-runs`;
    const page = paginate(runs, ctx.query, `${ctx.urls.api}/repositories/${ctx.repo.id}${rest}`);
    return {
      status: 200,
      body: {
        total_count: runs.length,
        check_runs: page.items.map((r) => checkRunJson(r, ctx.state, ctx.urls)),
      },
      headers: linkHeader(page.link),
    };
  },

  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations": (ctx) => {
    const run = checkRunOf(ctx);
    const rest = `/check-runs/${run.id}/annotations`;
    const page = paginate(run.annotations, ctx.query, `${ctx.urls.api}/repositories/${ctx.repo.id}${rest}`);
    return {
      status: 200,
      body: page.items.map((a) => annotationJson(a, run, ctx.urls)),
      headers: linkHeader(page.link),
    };
  },
};

function linkHeader(link: string | undefined): Record<string, string> {
  return link ? { link } : {};
}

function fullName(repo: RepositoryRecord): string {
  return `${repo.owner.login}/${repo.name}`;
}
