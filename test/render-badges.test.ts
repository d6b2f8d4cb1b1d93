// render-badges as the runner runs it (the bundled action), after ingest-hpc-results, against a bare
// repository as the pages remote: files, outputs, races, re-renders and bad input.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { type ActionRun, runAction } from "./harness/run-action.js";
import { ResultsRepo, ourRun, sha, writeOurRun } from "./harness/results-branch.js";
import { SHIELDS_NAMED_COLORS, shieldsEndpointProblems } from "./harness/shields.js";

const STEMS = ["tests", "benchmarks", "coverage", "regression", "freshness"];
const REPO = "octo-org/octo-repo";
const temps: string[] = [];

afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A bare repository standing in for github.com, and clones of it as actions/checkout leaves them. */
class PagesRemote {
  readonly base = temp("pages-remote-");
  readonly origin = join(this.base, "origin.git");
  private clones = 0;
  constructor() {
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", this.origin]);
  }
  clone(): string {
    const dir = join(this.base, `clone-${++this.clones}`);
    execFileSync("git", ["clone", "-q", this.origin, dir], { stdio: "ignore" });
    return dir;
  }
  /** Pushes a commit holding `files` to `branch`, as another tool (or the default branch) would. */
  seed(branch: string, files: Record<string, string>): void {
    const dir = join(this.base, `seed-${branch}`);
    execFileSync("git", ["init", "-q", "-b", branch, dir]);
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    git(dir, "add", "-A");
    git(dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "seed");
    git(dir, "push", "-q", this.origin, `${branch}:${branch}`);
  }
  files(branch = "gh-pages"): string[] {
    return git(this.origin, "ls-tree", "-r", "--name-only", branch).split("\n").filter(Boolean).sort();
  }
  show(path: string, branch = "gh-pages"): string {
    return git(this.origin, "show", `${branch}:${path}`);
  }
  commits(branch = "gh-pages"): string[] {
    try {
      return git(this.origin, "rev-list", branch).split("\n").filter(Boolean);
    } catch {
      return [];
    }
  }
}

interface Ingested {
  runsFile: string;
  resultsFile: string;
  commits: string[];
}

/** Publishes the runs on a results branch (one push) and ingests them as the workflow does. */
let results: ResultsRepo | undefined;

/** Pushes `runs` to the one results branch of this file (later pushes sit later on it) and ingests the push. */
async function ingest(runs: ReturnType<typeof ourRun>[]): Promise<Ingested> {
  if (!results) {
    results = new ResultsRepo();
    temps.push(join(results.work, ".."));
    writeOurRun(results.work, ourRun(sha("results-base")));
    results.commit("base");
  }
  const repo = results;
  const base = { id: repo.head() };
  const pushed = runs.map((r, i) => {
    writeOurRun(repo.work, r);
    return repo.commit(`run ${i}`);
  });
  const run = await runAction("ingest-hpc-results", {
    cwd: repo.work,
    event: repo.pushEvent(base.id, pushed),
  });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  return {
    runsFile: run.outputs["runs-file"]!,
    resultsFile: run.outputs["results-file"]!,
    commits: JSON.parse(run.outputs.commits!),
  };
}

function render(
  pagesPath: string,
  inputs: Record<string, string> = {},
  repository = REPO,
): Promise<ActionRun> {
  return runAction("render-badges", { inputs: { "pages-path": pagesPath, ...inputs }, repository });
}

function iso(msAgo: number): string {
  return new Date(Date.now() - msAgo).toISOString().replace(/\.\d+Z$/, "Z");
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function expectClean(run: ActionRun): void {
  expect(run.stderr).toBe("");
  expect(
    run.annotations.filter((a) => a.level !== "notice"),
    run.stdout,
  ).toEqual([]);
  expect(run.exitCode, run.stdout).toBe(0);
}

describe("render-badges after ingest", () => {
  const remote = new PagesRemote();
  const a = sha("render-a");
  const b = sha("render-b");
  let first: ActionRun;
  let ingested: Ingested;

  it("pushes endpoints, SVG badges, history.json and index.html to hpc/ on gh-pages", async () => {
    const ra = ourRun(a, { generatedAt: iso(2 * DAY), slower: 14.5 });
    const rb = ourRun(b, { generatedAt: iso(HOUR), failed: 3 });
    ingested = await ingest([ra, rb]);
    expect(ingested.commits).toEqual([a, b]);
    // actions/checkout of the default branch: gh-pages does not exist yet and is started empty.
    remote.seed("main", { "README.md": "# octo-repo\n", "src/Octo.jl": "module Octo end\n" });
    first = await render(remote.clone(), {
      "runs-file": ingested.runsFile,
      "results-file": ingested.resultsFile,
    });
    expectClean(first);
    expect(first.outputs.pushed).toBe("true");
    expect(first.outputs["pages-commit"]).toBe(remote.commits()[0]);
    expect(remote.commits()).toHaveLength(1);
    expect(remote.files()).toEqual(
      [...STEMS.flatMap((s) => [`${s}.json`, `${s}.svg`]), "history.json", "index.html"]
        .map((f) => `hpc/${f}`)
        .sort(),
    );
    expect(remote.files("main")).toEqual(["README.md", "src/Octo.jl"]);
  });

  it("writes endpoints Shields accepts, with the newest run's numbers", () => {
    const endpoints = Object.fromEntries(STEMS.map((s) => [s, JSON.parse(remote.show(`hpc/${s}.json`))]));
    for (const [stem, e] of Object.entries(endpoints)) {
      expect(shieldsEndpointProblems(e), stem).toEqual([]);
      expect(SHIELDS_NAMED_COLORS, `${stem} colour`).toContain(e.color);
    }
    expect(endpoints.tests).toEqual({
      schemaVersion: 1,
      label: "HPC tests",
      message: "150 passed, 3 failed",
      color: "red",
    });
    expect(endpoints.coverage).toMatchObject({ message: "81.2%", color: "brightgreen" });
    // b's benchmarks: solver/3d -2.1%, io/read +1.5% -> worst +1.5%
    expect(endpoints.regression).toMatchObject({ message: "+1.5%", color: "yellow" });
    expect(endpoints.benchmarks).toMatchObject({ message: "passed, worst +1.5%", color: "brightgreen" });
    expect(endpoints.freshness).toMatchObject({ label: "HPC results", color: "blue" });
    expect(endpoints.freshness.message).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it("writes SVGs that are well-formed XML and say the same as the endpoints", () => {
    for (const stem of STEMS) {
      const svg = remote.show(`hpc/${stem}.svg`);
      expect(XMLValidator.validate(svg), stem).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false }).parse(svg);
      const e = JSON.parse(remote.show(`hpc/${stem}.json`));
      expect(doc.svg["@_xmlns"]).toBe("http://www.w3.org/2000/svg");
      expect(doc.svg.title).toBe(`${e.label}: ${e.message}`);
    }
  });

  it("keeps one entry per commit in history.json, newest first, each a valid run", () => {
    const history = JSON.parse(remote.show("hpc/history.json"));
    expect(history.schema_version).toBe(1);
    expect(history.runs.map((r: { commit: string }) => r.commit)).toEqual([b, a]);
    expect(history.runs[0].tests.totals).toEqual({
      passed: 150,
      failed: 3,
      errored: 0,
      broken: 2,
      total: 155,
    });
    expect(history.runs[1].benchmarks.results["solver/3d"]).toEqual({
      median_ms: 123.4,
      delta_vs_baseline_pct: 14.5,
      regression: true,
      memory_bytes: 2048,
      allocs: 12,
    });
    expect(history.runs[0].tests.log_file).toBeUndefined(); // pruned: the page never shows it
  });

  it("gives the Pages URL and README lines", () => {
    expect(first.outputs["pages-url"]).toBe("https://octo-org.github.io/octo-repo/hpc/");
    const lines = first.outputs["badges-markdown"]!.split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      "[![HPC tests](https://img.shields.io/endpoint?url=https%3A%2F%2Focto-org.github.io%2Focto-repo%2Fhpc%2Ftests.json)](https://octo-org.github.io/octo-repo/hpc/)",
    );
    expect(first.summary).toContain("octo-org.github.io/octo-repo/hpc/");
  });

  it("makes no commit when the same runs are rendered again", async () => {
    const again = await render(remote.clone(), {
      "runs-file": ingested.runsFile,
      "results-file": ingested.resultsFile,
    });
    expectClean(again);
    expect(again.outputs.pushed).toBe("false");
    expect(again.outputs["pages-commit"]).toBe("");
    expect(remote.commits()).toHaveLength(1);
  });

  it("replaces a commit's entry when it is run again, and keeps the rest", async () => {
    const rerun = ourRun(a, { generatedAt: iso(30 * 60_000) });
    (rerun.results.coverage as { coverage_percent: number }).coverage_percent = 55.55;
    const again = await ingest([rerun]);
    const run = await render(remote.clone(), { "results-file": again.resultsFile });
    expectClean(run);
    expect(run.outputs.pushed).toBe("true");
    const history = JSON.parse(remote.show("hpc/history.json"));
    expect(history.runs.map((r: { commit: string }) => r.commit)).toEqual([a, b]);
    expect(history.runs[0].coverage.coverage_percent).toBe(55.55);
    expect(JSON.parse(remote.show("hpc/coverage.json"))).toMatchObject({ message: "55.5%", color: "red" });
  });

  it("renders freshness again from history.json alone when given no run (a scheduled workflow)", async () => {
    const before = remote.commits().length;
    const fresh = await render(remote.clone());
    expectClean(fresh);
    expect(fresh.outputs.pushed).toBe("false"); // still fresh: nothing changed
    const stale = await render(remote.clone(), { "stale-after": "10m" });
    expectClean(stale);
    expect(stale.outputs.pushed).toBe("true");
    expect(remote.commits()).toHaveLength(before + 1);
    expect(JSON.parse(remote.show("hpc/freshness.json")).color).toBe("orange");
    expect(remote.show("hpc/freshness.svg")).toContain("#ea7233"); // badge-maker's orange
    // Nothing else follows the clock: history.json is as it was, and the page only carries the new setting.
    const changed = git(remote.origin, "diff", "--name-only", "gh-pages~1", "gh-pages").split("\n");
    expect(changed.sort()).toEqual(["hpc/freshness.json", "hpc/freshness.svg", "hpc/index.html"]);
    const pageDiff = git(remote.origin, "diff", "-U0", "gh-pages~1", "gh-pages", "--", "hpc/index.html")
      .split("\n")
      .filter((l) => /^[-+][^-+]/.test(l));
    expect(pageDiff).toHaveLength(2);
    expect(pageDiff.join("\n")).toMatch(/data-stale-after="604800"[\s\S]*data-stale-after="600"/);
  });
});

describe("racing renders", () => {
  it("lose no run when several push to the pages branch at once", async () => {
    const remote = new PagesRemote();
    // Documentation already on gh-pages (as Documenter.jl leaves it) stays.
    const docs = {
      ".nojekyll": "",
      "dev/index.html": "<p>docs</p>\n",
      "index.html": "<meta http-equiv=refresh content=0;url=dev/>\n",
    };
    remote.seed("gh-pages", docs);
    // The first push to arrive waits in the remote's hook, so that the others find the branch moved.
    const hook = join(remote.origin, "hooks", "pre-receive");
    const flag = join(remote.base, "first-push");
    writeFileSync(hook, `#!/bin/sh\nif mkdir "${flag}" 2>/dev/null; then sleep 1; fi\ncat >/dev/null\n`);
    chmodSync(hook, 0o755);
    const commits = [sha("race-1"), sha("race-2"), sha("race-3")];
    // Published one after another on the one results branch, oldest first; only the renders race.
    const files: Ingested[] = [];
    for (const [i, c] of [...commits.entries()].reverse()) {
      files.unshift(await ingest([ourRun(c, { generatedAt: iso((i + 1) * HOUR) })]));
    }
    const clones = commits.map(() => remote.clone());
    const runs = await Promise.all(
      files.map((f, i) => render(clones[i]!, { "results-file": f.resultsFile })),
    );
    for (const r of runs) {
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.outputs.pushed).toBe("true");
    }
    expect(runs.some((r) => /rejected/.test(r.stdout))).toBe(true);
    const history = JSON.parse(remote.show("hpc/history.json"));
    // Newest first, whatever order the pushes landed in.
    expect(history.runs.map((r: { commit: string }) => r.commit)).toEqual(commits);
    expect(remote.commits()).toHaveLength(1 + 3);
    expect(JSON.parse(remote.show("hpc/tests.json")).message).toBe("150 passed");
    expect(remote.files()).toEqual(expect.arrayContaining(Object.keys(docs)));
    expect(remote.show("dev/index.html")).toBe("<p>docs</p>");
  });
});

describe("options", () => {
  it("bounds the history, writes the chosen style and cacheSeconds, and renders into a plain folder with push false", async () => {
    const runs = Array.from({ length: 5 }, (_, i) =>
      ourRun(sha(`bounded-${i}`), { generatedAt: `2026-03-0${i + 1}T00:00:00Z` }),
    );
    const { runsFile } = await ingest(runs);
    const folder = temp("pages-plain-");
    const run = await render(folder, {
      "runs-file": runsFile,
      push: "false",
      "history-size": "3",
      "pages-dir": "reports/hpc",
      "badge-style": "for-the-badge",
      "cache-seconds": "600",
      "label-prefix": "Cluster",
      "coverage-good": "90",
      "coverage-fair": "80",
    });
    expectClean(run);
    expect(run.outputs.pushed).toBe("false");
    expect(run.outputs["pages-url"]).toBe("https://octo-org.github.io/octo-repo/reports/hpc/");
    const dir = join(folder, "reports/hpc");
    const history = JSON.parse(readFileSync(join(dir, "history.json"), "utf8"));
    expect(history.runs.map((r: { commit: string }) => r.commit)).toEqual([
      sha("bounded-4"),
      sha("bounded-3"),
      sha("bounded-2"),
    ]);
    const coverage = JSON.parse(readFileSync(join(dir, "coverage.json"), "utf8"));
    expect(coverage).toEqual({
      schemaVersion: 1,
      label: "Cluster coverage",
      message: "81.2%",
      color: "yellow",
      style: "for-the-badge",
      cacheSeconds: 600,
    });
    expect(shieldsEndpointProblems(coverage)).toEqual([]);
    // for-the-badge writes upper-case text
    expect(readFileSync(join(dir, "coverage.svg"), "utf8")).toContain("CLUSTER COVERAGE");
    // The freshness badge of a March 2026 run is stale by the default 7 days.
    expect(JSON.parse(readFileSync(join(dir, "freshness.json"), "utf8")).color).toBe("orange");
    expect(run.outputs["badges-markdown"]).toContain("[![Cluster coverage](");
  });

  it("serves a user or organization site from the root, and takes pages-url as given", async () => {
    const { resultsFile } = await ingest([ourRun(sha("site"))]);
    const site = await render(
      temp("pages-site-"),
      { "results-file": resultsFile, push: "false" },
      "Octo-Org/octo-org.github.io",
    );
    expect(site.outputs["pages-url"]).toBe("https://octo-org.github.io/hpc/");
    const custom = await render(temp("pages-custom-"), {
      "results-file": resultsFile,
      push: "false",
      "pages-url": "https://hpc.example.org/dash",
      "pages-dir": ".",
    });
    expectClean(custom);
    expect(custom.outputs["pages-url"]).toBe("https://hpc.example.org/dash/");
    expect(custom.outputs["badges-markdown"]).toContain(
      "url=https%3A%2F%2Fhpc.example.org%2Fdash%2Fcoverage.json",
    );
  });

  it("adds only runs of the branches asked for", async () => {
    const main = ourRun(sha("branch-main"), { generatedAt: "2026-04-01T00:00:00Z" });
    const feature = ourRun(sha("branch-feature"), { generatedAt: "2026-04-02T00:00:00Z" });
    feature.results.branch = "feature/x";
    const { runsFile } = await ingest([main, feature]);
    const folder = temp("pages-branches-");
    const run = await render(folder, { "runs-file": runsFile, push: "false", branches: "main, release" });
    expectClean(run);
    const history = JSON.parse(readFileSync(join(folder, "hpc/history.json"), "utf8"));
    expect(history.runs.map((r: { commit: string }) => r.commit)).toEqual([sha("branch-main")]);
    expect(run.stdout).toContain("is not in input branches");
  });
});

describe("bad input gets one clear line and changes nothing", () => {
  const valid = () => ourRun(sha("bad-input")).results;
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      "a commit that is not hex",
      { results: JSON.stringify({ ...valid(), commit: "HEAD" }) },
      /at \/commit: not a commit id/,
    ],
    [
      "an unknown schema_version",
      { results: JSON.stringify({ ...valid(), schema_version: 2 }) },
      /unknown schema version 2/,
    ],
    ["truncated JSON", { results: '{"schema_version": 1, "commit": "' }, /truncated/],
    [
      "a __proto__ key",
      { results: `{"schema_version":1,"commit":"${sha("p")}","__proto__":{"x":1}}` },
      /"__proto__" is not allowed/,
    ],
    ["a missing results-file", { "results-file": "/nonexistent/run.json" }, /no such file/],
    ["a stale-after without a unit", { "stale-after": "7" }, /input "stale-after" must be a duration/],
    ["an unknown badge style", { "badge-style": "round" }, /input "badge-style" must be one of/],
    [
      "a pages-dir leaving the checkout",
      { "pages-dir": "../elsewhere" },
      /input "pages-dir" must be a folder inside/,
    ],
    ["a hidden pages-dir", { "pages-dir": ".git/hooks" }, /input "pages-dir" must be a folder inside/],
    [
      "coverage thresholds the wrong way round",
      { "coverage-good": "50", "coverage-fair": "70" },
      /must not be above/,
    ],
    ["a history-size of 0", { "history-size": "0" }, /input "history-size" is not a valid number/],
  ];
  it.each(cases)("rejects %s", async (_what, inputs, reason) => {
    const remote = new PagesRemote();
    const run = await render(remote.clone(), inputs);
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(reason);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?/); // no stack trace
    expect(remote.commits()).toEqual([]);
  });

  it("refuses to push from a folder that is not a git checkout", async () => {
    const run = await render(temp("not-a-checkout-"), { results: JSON.stringify(valid()) });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]!.message).toMatch(/is not a git checkout/);
  });

  it("refuses a history.json it cannot read instead of starting a new one", async () => {
    const folder = temp("pages-broken-");
    mkdirSync(join(folder, "hpc"));
    writeFileSync(join(folder, "hpc/history.json"), '{"runs": "no"}');
    const run = await render(folder, { results: JSON.stringify(valid()), push: "false" });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]!.message).toMatch(/history.json is not a render-badges history/);
    expect(readFileSync(join(folder, "hpc/history.json"), "utf8")).toBe('{"runs": "no"}');
    expect(existsSync(join(folder, "hpc/index.html"))).toBe(false);
  });

  it("never writes through a symbolic link on the pages branch", async () => {
    const folder = temp("pages-link-");
    const elsewhere = temp("elsewhere-");
    symlinkSync(elsewhere, join(folder, "hpc"));
    const run = await render(folder, { results: JSON.stringify(valid()), push: "false" });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]!.message).toBe("hpc in the pages checkout is a symbolic link");
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("drops an invalid entry of history.json with a warning and keeps the others", async () => {
    const folder = temp("pages-entry-");
    mkdirSync(join(folder, "hpc"));
    const good = { schema_version: 1, commit: sha("kept"), generated_at: "2026-01-01T00:00:00Z" };
    writeFileSync(
      join(folder, "hpc/history.json"),
      JSON.stringify({ schema_version: 1, runs: [good, { schema_version: 1, commit: "nope" }] }),
    );
    const run = await render(folder, { results: JSON.stringify(valid()), push: "false" });
    expect(run.exitCode).toBe(0);
    expect(run.annotations.filter((a) => a.level === "warning").map((a) => a.message)).toEqual([
      expect.stringMatching(/history.json: entry 1 left out: .*\/runs\/1\/commit: not a commit id/),
    ]);
    const history = JSON.parse(readFileSync(join(folder, "hpc/history.json"), "utf8"));
    expect(history.runs.map((r: { commit: string }) => r.commit)).toEqual([sha("bad-input"), sha("kept")]);
  });

  it("warns and succeeds when there is nothing to render yet", async () => {
    const remote = new PagesRemote();
    const run = await render(remote.clone());
    expect(run.exitCode).toBe(0);
    expect(run.outputs.pushed).toBe("false");
    expect(run.annotations.map((a) => a.message)).toEqual([expect.stringMatching(/Nothing to render/)]);
    expect(remote.commits()).toEqual([]);
  });
});

describe("the push credential (issue 15, finding 11)", () => {
  it("pushes over https with the token input alone: the checkout's .git/config never holds it", async () => {
    const { startGitHttp } = await import("./harness/git-http.js");
    const { tokenEnvironment } = await import("../src/git/credentials.js");
    const { git: gitAsync } = await import("../src/git/run.js");
    const token = "ghs_PagesPushToken0123456789abcdefABCDEF";
    const remote = new PagesRemote();
    const server = await startGitHttp(remote.base, token);
    try {
      const url = `${server.url}/origin.git`;
      // As actions/checkout with persist-credentials: false leaves it: origin set, no credential kept.
      const pages = join(remote.base, "checkout");
      // Asynchronously: a synchronous git would block the event loop that serves it.
      await gitAsync(remote.base, ["clone", "-q", url, pages], tokenEnvironment(url, token));
      const ingested = await ingest([ourRun(sha("pushed-with-token"))]);
      const config = () => readFileSync(join(pages, ".git/config"), "utf8");
      const secrets = [token, Buffer.from(`x-access-token:${token}`).toString("base64")];

      const without = await render(pages, { "runs-file": ingested.runsFile });
      expect(without.exitCode).toBe(1); // nothing kept in the checkout to push with
      expect(remote.commits()).toEqual([]);

      const run = await render(pages, { "runs-file": ingested.runsFile, token });
      expect(run.exitCode, run.stdout).toBe(0);
      expect(remote.files()).toContain("hpc/history.json");
      expect(server.users).toContain("x-access-token");
      for (const s of secrets) {
        expect(config()).not.toContain(s);
        // Only in the runner's masking command, which hides it from the log.
        const shown = (run.stdout + run.stderr + run.summary).replace(/^::add-mask::.*$/gm, "");
        expect(shown).not.toContain(s);
      }
    } finally {
      await server.close();
    }
  }, 120_000);
});
