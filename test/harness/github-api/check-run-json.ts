// Check runs and their annotations on the wire: the JSON shapes api.github.com returns (checked against the
// OpenAPI response schemas by the server like every other answer).
import type { AnnotationRecord, AppRecord, CheckRunRecord } from "./records.js";
import { nodeId, repository, timestamp, user, type Urls } from "./representations.js";
import type { GitHubState } from "./state.js";

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
