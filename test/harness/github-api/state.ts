// The stand-in's memory: repositories, commits, pull requests, issue comments and commit statuses and
// repository_dispatch events, with
// helpers for tests to seed it and to look at it. Look-ups hand out the same JSON the API would return.
import { annotationJson, checkRunJson } from "./check-run-json.js";
import { CheckRunStore, GITHUB_ACTIONS_APP } from "./check-runs.js";
import { CollaboratorStore, reactionJson, type RepositoryRole } from "./collaborators.js";
import type {
  AppRecord,
  CommentRecord,
  DispatchRecord,
  PullFileRecord,
  PullRequestRecord,
  RepositoryRecord,
  StatusRecord,
  StatusState,
  TokenIdentity,
  UserRecord,
} from "./records.js";
import {
  combinedStatus,
  commitStatus,
  issueComment,
  pullRequest,
  repository,
  type CombinedCommitStatus,
  type CommitStatus,
  type FullRepository,
  type IssueComment,
  type PullRequest,
  type Urls,
} from "./representations.js";

/** A user given by login (a "[bot]" suffix makes a Bot) or in full. */
export type UserInit = string | { login: string; id?: number; type?: UserRecord["type"] };

/** Who a token acts as; kind defaults to "installation" for a bot, else "user". */
export interface TokenInit {
  user: UserInit;
  kind?: TokenIdentity["kind"];
  /**
   * An installation token's app; default from the bot's login ("<slug>[bot]"), github-actions[bot] being
   * GitHub Actions (id 15368).
   */
  app?: { id?: number; slug?: string; name?: string };
  /** An installation token's permissions, as a job's `permissions:` sets them; default: not checked. */
  permissions?: TokenIdentity["permissions"];
}

export interface RepositoryInit {
  owner: string;
  name: string;
  id?: number;
  private?: boolean;
  description?: string | null;
  /** Default "main". */
  defaultBranch?: string;
  /** Whether the token's user may push (the representation's permissions.push). Default true. */
  viewerCanPush?: boolean;
}

export interface PullRequestInit {
  /** Default: the next free issue number of the repository. */
  number?: number;
  headSha: string;
  /** Default "feature-<number>". */
  headRef?: string;
  /** Default the repository's default branch. */
  baseRef?: string;
  /** Default a made-up sha (added as a commit). */
  baseSha?: string;
  /** "owner/name" of the fork the head branch lives in (added with addRepository first); default the base. */
  headRepo?: string;
  /** Other commits of the pull request besides the head. */
  commits?: string[];
  /** Default "open". A merged pull request is closed. */
  state?: "open" | "closed";
  merged?: boolean;
  draft?: boolean;
  title?: string;
  body?: string | null;
  /** Default "octocat". */
  user?: UserInit;
  /** "owner/name"; default the default repository. */
  repo?: string;
}

/** A file of a pull request's diff; `sha` (the blob) defaults to a made-up one. */
export type PullFileInit = Omit<PullFileRecord, "sha"> & { sha?: string };

export interface CommentInit {
  body: string;
  /** Default: the token's user (the one the API posts as). */
  user?: UserInit;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface StatusInit {
  state: StatusState;
  /** Default "default", as GitHub's. */
  context?: string;
  description?: string | null;
  target_url?: string | null;
  /** Default: the token's user. */
  creator?: UserInit;
}

const SHA = /^[0-9a-f]{40}$/;

export class GitHubState {
  readonly defaultRepository: RepositoryRecord;
  /** Who the configured token belongs to: author of what the API creates with it (and of seeded data). */
  readonly viewer: UserRecord;
  private readonly tokens = new Map<string, TokenIdentity>();
  private readonly repos = new Map<string, RepositoryRecord>();
  private readonly pulls: PullRequestRecord[] = [];
  private readonly commentsById = new Map<number, CommentRecord>();
  private readonly statusList: StatusRecord[] = [];
  private readonly dispatchList: DispatchRecord[] = [];
  private readonly users = new Map<string, UserRecord>();
  private readonly apps = new Map<string, AppRecord>();
  /** Check runs (check-runs.ts serves them). */
  readonly checkRunStore = new CheckRunStore();
  /** Collaborators' roles and comment reactions (collaborators.ts serves them). */
  readonly collaborators = new CollaboratorStore();
  // Large ids on purpose: real comment and status ids are past 2^31, and code that squeezes them into 32
  // bits should fail here, not in production.
  private nextCommentId = 3_100_000_001;
  private nextStatusId = 31_000_000_001;
  private nextPullId = 1_900_000_001;
  private nextRepoId = 700_000_001;
  private nextUserId = 9_000_001;
  private nextAppId = 900_001;
  private fakeShaCounter = 0;

  constructor(
    private readonly urls: Urls,
    defaultRepository: string,
    viewer: UserInit,
    readonly now: () => Date,
  ) {
    this.viewer = this.user(viewer);
    const [owner, name] = splitFullName(defaultRepository);
    this.defaultRepository = this.createRepository({ owner, name });
  }

  // --- seeding -------------------------------------------------------------------------------------------

  /** Lets another token in: what it creates through the API is authored by its user. */
  addToken(token: string, init: TokenInit): void {
    const user = this.user(init.user);
    const kind = init.kind ?? (user.type === "Bot" ? "installation" : "user");
    this.tokens.set(token, {
      user,
      kind,
      ...(kind === "installation" ? { app: this.app(user, init.app) } : {}),
      ...(init.permissions ? { permissions: init.permissions } : {}),
    });
  }

  /** Who `token` acts as, or undefined for a token GitHub would answer 401 to. */
  identity(token: string): TokenIdentity | undefined {
    return this.tokens.get(token);
  }

  addRepository(init: RepositoryInit): FullRepository {
    return repository(this.createRepository(init), this.urls);
  }

  /** Makes a commit exist, optionally as the tip of a branch. */
  addCommit(sha: string, options: { repo?: string; branch?: string } = {}): void {
    const repo = this.repoOrThrow(options.repo);
    const normalized = checkSha(sha);
    repo.commits.add(normalized);
    if (options.branch) repo.branches.set(options.branch, normalized);
  }

  addPullRequest(init: PullRequestInit): PullRequest {
    const repo = this.repoOrThrow(init.repo);
    const number = init.number ?? this.nextIssueNumber(repo);
    if (this.findPull(repo, number))
      throw new Error(`pull request #${number} already exists in ${fullName(repo)}`);
    const headSha = checkSha(init.headSha);
    const baseSha = init.baseSha ? checkSha(init.baseSha) : this.fakeSha();
    const commits = [...(init.commits ?? []).map(checkSha), headSha].filter(
      (s, i, all) => all.indexOf(s) === i,
    );
    for (const sha of [...commits, baseSha]) repo.commits.add(sha);
    const headRef = init.headRef ?? `feature-${number}`;
    const baseRef = init.baseRef ?? repo.defaultBranch;
    repo.branches.set(headRef, headSha);
    if (!repo.branches.has(baseRef)) repo.branches.set(baseRef, baseSha);
    const created = this.now();
    const merged = init.merged === true;
    const state = merged ? "closed" : (init.state ?? "open");
    const record: PullRequestRecord = {
      id: this.nextPullId++,
      repo,
      number,
      state,
      draft: init.draft === true,
      title: init.title ?? `Pull request ${number}`,
      body: init.body === undefined ? "Changes for testing." : init.body,
      user: this.user(init.user ?? "octocat"),
      ...(init.headRepo !== undefined && { headRepo: this.repoOrThrow(init.headRepo) }),
      headRef,
      headSha,
      baseRef,
      baseSha,
      commits,
      createdAt: created,
      updatedAt: created,
      closedAt: state === "closed" ? created : null,
      mergedAt: merged ? created : null,
      mergeCommitSha: merged ? this.fakeSha() : null,
      files: [],
    };
    this.pulls.push(record);
    return this.pullRequestJson(record);
  }

  /** Changes a pull request: close or merge it, or move its head to a new commit. */
  updatePullRequest(
    number: number,
    change: {
      state?: "open" | "closed";
      merged?: boolean;
      headSha?: string;
      title?: string;
      body?: string | null;
    },
    repoName?: string,
  ): PullRequest {
    const repo = this.repoOrThrow(repoName);
    const pr = this.findPull(repo, number);
    if (!pr) throw new Error(`no pull request #${number} in ${fullName(repo)}`);
    const now = this.now();
    if (change.headSha) {
      pr.headSha = checkSha(change.headSha);
      if (!pr.commits.includes(pr.headSha)) pr.commits.push(pr.headSha);
      repo.commits.add(pr.headSha);
      repo.branches.set(pr.headRef, pr.headSha);
    }
    if (change.title !== undefined) pr.title = change.title;
    if (change.body !== undefined) pr.body = change.body;
    if (change.merged) {
      pr.state = "closed";
      pr.mergedAt = now;
      pr.mergeCommitSha = this.fakeSha();
    }
    if (change.state) pr.state = change.state;
    pr.closedAt = pr.state === "closed" ? (pr.closedAt ?? now) : null;
    pr.updatedAt = now;
    return this.pullRequestJson(pr);
  }

  /** Gives a pull request the files GET .../pulls/{pull_number}/files lists (see test/harness/pull-files.ts). */
  setPullRequestFiles(number: number, files: PullFileInit[], repoName?: string): void {
    const repo = this.repoOrThrow(repoName);
    const pr = this.findPull(repo, number);
    if (!pr) throw new Error(`no pull request #${number} in ${fullName(repo)}`);
    pr.files = files.map((f) => ({ ...f, sha: f.sha ?? this.fakeSha() }));
  }

  /** Adds a comment as if someone had posted it (by default the token's user). */
  addComment(issueNumber: number, init: CommentInit, repoName?: string): IssueComment {
    const repo = this.repoOrThrow(repoName);
    if (!this.findPull(repo, issueNumber))
      throw new Error(`no pull request #${issueNumber} in ${fullName(repo)}`);
    const record = this.createComment(
      repo,
      issueNumber,
      init.body,
      init.user ? this.user(init.user) : this.viewer,
    );
    if (init.createdAt) record.createdAt = init.createdAt;
    record.updatedAt = init.updatedAt ?? record.createdAt;
    return issueComment(record, this.urls);
  }

  addStatus(sha: string, init: StatusInit, repoName?: string): CommitStatus {
    const repo = this.repoOrThrow(repoName);
    const normalized = checkSha(sha);
    repo.commits.add(normalized);
    const record = this.createStatus(repo, normalized, {
      state: init.state,
      context: init.context ?? "default",
      description: init.description ?? null,
      targetUrl: init.target_url ?? null,
      creator: init.creator ? this.user(init.creator) : this.viewer,
    });
    return commitStatus(record, this.urls);
  }

  /** Gives `login` a role in the repository (undefined: no longer a collaborator). */
  setCollaborator(login: string, role: RepositoryRole | undefined, repoName?: string): void {
    this.collaborators.setRole(this.repoOrThrow(repoName), this.user(login).login, role);
  }

  // --- looking at it -------------------------------------------------------------------------------------

  repository(repoName?: string): FullRepository {
    return repository(this.repoOrThrow(repoName), this.urls);
  }

  hasCommit(sha: string, repoName?: string): boolean {
    return this.repoOrThrow(repoName).commits.has(sha.toLowerCase());
  }

  pullRequest(number: number, repoName?: string): PullRequest | undefined {
    const pr = this.findPull(this.repoOrThrow(repoName), number);
    return pr ? this.pullRequestJson(pr) : undefined;
  }

  pullRequests(repoName?: string): PullRequest[] {
    const repo = this.repoOrThrow(repoName);
    return this.pulls.filter((p) => p.repo === repo).map((p) => this.pullRequestJson(p));
  }

  /** The comments of an issue or pull request, oldest first (as the API lists them). */
  comments(issueNumber: number, repoName?: string): IssueComment[] {
    return this.commentRecords(this.repoOrThrow(repoName), issueNumber).map((c) =>
      issueComment(c, this.urls),
    );
  }

  comment(id: number): IssueComment | undefined {
    const c = this.commentsById.get(id);
    return c ? issueComment(c, this.urls) : undefined;
  }

  /** Every status of a commit, newest first (as the API lists them). */
  statuses(sha: string, repoName?: string): CommitStatus[] {
    return this.statusRecords(this.repoOrThrow(repoName), sha.toLowerCase()).map((s) =>
      commitStatus(s, this.urls),
    );
  }

  combinedStatus(sha: string, repoName?: string): CombinedCommitStatus {
    const repo = this.repoOrThrow(repoName);
    const latest = this.latestStatuses(repo, sha.toLowerCase());
    return combinedStatus(repo, sha.toLowerCase(), latest, latest, this.urls);
  }

  /**
   * The repository_dispatch events received, oldest first, each as the webhook payload a workflow sees in
   * github.event (action, branch: the default branch, client_payload, repository, sender).
   */
  dispatches(repoName?: string): Array<{
    action: string;
    branch: string;
    client_payload: Record<string, unknown>;
    repository: FullRepository;
    sender: { login: string; id: number; type: string };
  }> {
    const repo = this.repoOrThrow(repoName);
    return this.dispatchList
      .filter((d) => d.repo === repo)
      .map((d) => ({
        action: d.eventType,
        branch: repo.defaultBranch,
        client_payload: d.clientPayload,
        repository: repository(repo, this.urls),
        sender: { login: d.sender.login, id: d.sender.id, type: d.sender.type },
      }));
  }

  /** The check runs of a commit, newest first, as the API shows them. */
  checkRuns(sha: string, repoName?: string): Array<ReturnType<typeof checkRunJson>> {
    return this.checkRunStore
      .forSha(this.repoOrThrow(repoName), sha.toLowerCase())
      .map((r) => checkRunJson(r, this, this.urls));
  }

  /** Every annotation of a check run, in the order they were sent. */
  annotations(checkRunId: number, repoName?: string): Array<ReturnType<typeof annotationJson>> {
    const run = this.checkRunStore.find(this.repoOrThrow(repoName), checkRunId);
    if (!run) throw new Error(`no check run ${checkRunId}`);
    return run.annotations.map((a) => annotationJson(a, run, this.urls));
  }

  /** The reactions to a comment, oldest first, as the API shows them. */
  reactions(commentId: number): Array<ReturnType<typeof reactionJson>> {
    return this.collaborators.reactions(commentId).map((r) => reactionJson(r, this.urls));
  }

  // --- used by the routes --------------------------------------------------------------------------------

  findRepository(owner: string, name: string): RepositoryRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  findRepositoryById(id: number): RepositoryRecord | undefined {
    return [...this.repos.values()].find((r) => r.id === id);
  }

  findPull(repo: RepositoryRecord, number: number): PullRequestRecord | undefined {
    return this.pulls.find((p) => p.repo === repo && p.number === number);
  }

  pullRecords(repo: RepositoryRecord): PullRequestRecord[] {
    return this.pulls.filter((p) => p.repo === repo);
  }

  /** A 40-hex sha the repository has, or a branch name; the resolved sha, or undefined. */
  resolveRef(repo: RepositoryRecord, ref: string): string | undefined {
    const lower = ref.toLowerCase();
    if (SHA.test(lower) && repo.commits.has(lower)) return lower;
    return repo.branches.get(ref.replace(/^(refs\/)?heads\//, ""));
  }

  commentRecords(repo: RepositoryRecord, issueNumber: number): CommentRecord[] {
    return [...this.commentsById.values()]
      .filter((c) => c.repo === repo && c.issueNumber === issueNumber)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
  }

  commentRecord(repo: RepositoryRecord, id: number): CommentRecord | undefined {
    const c = this.commentsById.get(id);
    return c && c.repo === repo ? c : undefined;
  }

  createComment(
    repo: RepositoryRecord,
    issueNumber: number,
    body: string,
    author: UserRecord,
  ): CommentRecord {
    const now = this.now();
    const record: CommentRecord = {
      id: this.nextCommentId++,
      repo,
      issueNumber,
      body,
      user: author,
      createdAt: now,
      updatedAt: now,
    };
    this.commentsById.set(record.id, record);
    return record;
  }

  recordDispatch(
    repo: RepositoryRecord,
    eventType: string,
    clientPayload: Record<string, unknown>,
    sender: UserRecord,
  ): void {
    this.dispatchList.push({ repo, eventType, clientPayload, sender, createdAt: this.now() });
  }

  deleteComment(id: number): void {
    this.commentsById.delete(id);
  }

  statusRecords(repo: RepositoryRecord, sha: string): StatusRecord[] {
    return this.statusList.filter((s) => s.repo === repo && s.sha === sha).reverse();
  }

  /** The newest status of each context (contexts are case-insensitive), newest first. */
  latestStatuses(repo: RepositoryRecord, sha: string): StatusRecord[] {
    const seen = new Set<string>();
    return this.statusRecords(repo, sha).filter((s) => {
      const key = s.context.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  createStatus(
    repo: RepositoryRecord,
    sha: string,
    fields: Pick<StatusRecord, "state" | "context" | "description" | "targetUrl" | "creator">,
  ): StatusRecord {
    const record: StatusRecord = { id: this.nextStatusId++, repo, sha, ...fields, createdAt: this.now() };
    this.statusList.push(record);
    return record;
  }

  pullRequestJson(pr: PullRequestRecord): PullRequest {
    return pullRequest(pr, this.commentRecords(pr.repo, pr.number).length, this.urls);
  }

  // --- internals -----------------------------------------------------------------------------------------

  private createRepository(init: RepositoryInit): RepositoryRecord {
    const key = `${init.owner}/${init.name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`repository ${init.owner}/${init.name} already exists`);
    const record: RepositoryRecord = {
      id: init.id ?? this.nextRepoId++,
      owner: this.user({ login: init.owner, type: "Organization" }),
      name: init.name,
      private: init.private === true,
      description: init.description ?? null,
      defaultBranch: init.defaultBranch ?? "main",
      viewerCanPush: init.viewerCanPush ?? true,
      createdAt: this.now(),
      commits: new Set(),
      branches: new Map(),
    };
    this.repos.set(key, record);
    return record;
  }

  private repoOrThrow(repoName: string | undefined): RepositoryRecord {
    if (repoName === undefined) return this.defaultRepository;
    const [owner, name] = splitFullName(repoName);
    const repo = this.findRepository(owner, name);
    if (!repo) throw new Error(`no repository ${repoName}: add it with state.addRepository() first`);
    return repo;
  }

  private nextIssueNumber(repo: RepositoryRecord): number {
    return Math.max(0, ...this.pullRecords(repo).map((p) => p.number)) + 1;
  }

  /** The user of `login`, when the stand-in has met it (seeded, a token's, a collaborator); else undefined. */
  knownUser(login: string): UserRecord | undefined {
    return this.users.get(login.toLowerCase());
  }

  /** The same login always maps to the same user record. */
  private user(init: UserInit): UserRecord {
    const spec = typeof init === "string" ? { login: init } : init;
    const existing = this.users.get(spec.login.toLowerCase());
    if (existing) return existing;
    const record: UserRecord = {
      login: spec.login,
      id: spec.id ?? this.nextUserId++,
      type: spec.type ?? (spec.login.endsWith("[bot]") ? "Bot" : "User"),
    };
    this.users.set(spec.login.toLowerCase(), record);
    return record;
  }

  /** An installation's app: the same slug always maps to the same app. */
  private app(bot: UserRecord, init: TokenInit["app"] = {}): AppRecord {
    const slug = init.slug ?? bot.login.replace(/\[bot\]$/i, "");
    const existing = this.apps.get(slug.toLowerCase());
    if (existing) return existing;
    const known = slug === GITHUB_ACTIONS_APP.slug ? GITHUB_ACTIONS_APP : undefined;
    const record: AppRecord = {
      id: init.id ?? known?.id ?? this.nextAppId++,
      slug,
      name: init.name ?? known?.name ?? slug,
      owner: this.user({
        login: known ? "github" : bot.login.replace(/\[bot\]$/i, ""),
        type: "Organization",
      }),
    };
    this.apps.set(slug.toLowerCase(), record);
    return record;
  }

  private fakeSha(): string {
    return createFakeSha(`base-${++this.fakeShaCounter}`);
  }
}

/** A deterministic 40-hex sha derived from a seed, for tests that need many commits. */
export function createFakeSha(seed: string): string {
  let out = "";
  let h = 2166136261;
  for (let round = 0; out.length < 40; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, 40);
}

function checkSha(sha: string): string {
  const lower = sha.toLowerCase();
  if (!SHA.test(lower)) throw new Error(`not a 40-hex commit sha: ${JSON.stringify(sha)}`);
  return lower;
}

function splitFullName(full: string): [string, string] {
  const parts = full.split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1])
    throw new Error(`repository must be "owner/name", got ${JSON.stringify(full)}`);
  return [parts[0], parts[1]];
}

function fullName(repo: RepositoryRecord): string {
  return `${repo.owner.login}/${repo.name}`;
}
