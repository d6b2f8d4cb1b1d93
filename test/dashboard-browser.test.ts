// The dashboard as a reader sees it: runs ingested and rendered by the bundled actions, the pages folder
// served under a sub-path (as GitHub Pages serves a project site), opened in headless Chromium.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./harness/browser.js";
import { ResultsRepo, ourRun, sha, writeOurRun } from "./harness/results-branch.js";
import { runAction } from "./harness/run-action.js";
import { type StaticServer, serveFolder } from "./harness/static-server.js";
import { missingCommands } from "./harness/system.js";
import { scratchDir } from "./harness/scratch.js";

const skip = missingCommands("chromium");
// Kept only where DASHBOARD_SCREENSHOT says; otherwise taken (the code path runs) and removed with the file.
const SCREENSHOT =
  process.env.DASHBOARD_SCREENSHOT ?? join(scratchDir("dashboard-screenshots-"), "hpc-ci-dashboard.png");
const RUNS = 24;
/** Runs of other branches, pushed between the default branch's: [branch, after which main run]. */
const LONG_BRANCH = `release/${"very-long-branch-name-".repeat(4)}1.x`;
const BRANCH_RUNS: Array<[string, number]> = [
  [`"><svg onload=window.__xss=3>`, 5],
  [LONG_BRANCH, 9],
  [`"><svg onload=window.__xss=3>`, 12],
  [LONG_BRANCH, 20],
  [`"><svg onload=window.__xss=3>`, RUNS - 1],
];
/** Main runs whose clocks mislead: 11 has the same generated_at as 10, 14 says it ran before 13. */
const SAME_TIME_AS_PREVIOUS = 11;
const CLOCK_BEHIND = 14;

const HOSTILE_BENCH = `<img src=x onerror="window.__xss=1">`;
const SCRIPT_BENCH = `solver/</script><script>window.__xss=2</script>`;
const HOSTILE_BRANCH = BRANCH_RUNS[0]![0];
const HOSTILE_SUITE = `<script>window.__xss=4</script>`;
const HOSTILE_CLUSTER = `<b>perl</b>mutter & "co"`;

const mainCommit = (i: number) => sha(`dash-${i}`);

/** The generated_at of main run `i`: daily, but with the two misleading clocks. */
function generatedAt(i: number): string {
  if (i === SAME_TIME_AS_PREVIOUS) return generatedAt(i - 1);
  if (i === CLOCK_BEHIND) return `2026-05-${String(i).padStart(2, "0")}T05:00:00Z`;
  return `2026-05-${String(i + 1).padStart(2, "0")}T06:30:00Z`;
}

/** A run of another branch: coverage far below main's, so that a mixed line would show. */
function branchRun(k: number, branch: string, after: number): ReturnType<typeof ourRun> {
  const r = ourRun(sha(`branch-${k}`), {
    generatedAt: `2026-05-${String(after + 1).padStart(2, "0")}T09:00:00Z`,
  });
  r.results.branch = branch;
  (r.meta as Record<string, unknown>).branch = branch;
  (r.results.coverage as { coverage_percent: number }).coverage_percent = 40 + k;
  return r;
}

/** The failing tests of the newest main run, as the cluster reported them. */
const FAILURES = [
  {
    kind: "failed",
    testset: ["Example", "io"],
    file: "test/io.jl",
    line: 12,
    expression: "read_header(path) == HEADER",
    evaluated: `"<b>v2</b>" == "v3"`,
  },
  {
    kind: "errored",
    testset: ["Example", "solver", "3d"],
    file: "test/solver/3d.jl",
    line: 40,
    message: `BoundsError: attempt to access 3-element Vector{Float64} at index [${"4, ".repeat(60)}5]`,
  },
];

/**
 * 24 daily main runs with trends (coverage rising, a failing day, a benchmark that gets slower) in the order
 * they are pushed, with runs of two other branches between them.
 */
function runs(): ReturnType<typeof ourRun>[] {
  const main = Array.from({ length: RUNS }, (_, i) => {
    const newest = i === RUNS - 1;
    const r = ourRun(mainCommit(i), {
      generatedAt: generatedAt(i),
      failed: i === 17 ? 4 : newest ? 2 : 0,
    });
    (r.results.coverage as { coverage_percent: number; covered_lines: number }).coverage_percent =
      Math.round((70 + i * 0.5 + (i % 3) * 0.3) * 100) / 100;
    const wobble = 1 + 0.04 * Math.sin(i);
    const benchmarks: Record<string, unknown> = {
      "solver/3d": {
        median_ms: 120 * wobble + (i > 18 ? 25 : 0),
        delta_vs_baseline_pct: i > 18 ? 21.5 : 1.2,
        regression: i > 18,
        memory_bytes: 2048 + i * 64,
        allocs: 12,
      },
      "solver/2d": {
        median_ms: 42 * wobble,
        delta_vs_baseline_pct: -3.4,
        regression: false,
        memory_bytes: 1024,
        allocs: 8,
      },
      "io/read": {
        median_ms: 5.5 * wobble,
        delta_vs_baseline_pct: 1.5,
        regression: false,
        memory_bytes: 100,
        allocs: 3,
      },
      "io/write": { median_ms: 0.75 * wobble, delta_vs_baseline_pct: -0.5, regression: false },
      "assembly/stiffness": {
        median_ms: 870 * wobble,
        delta_vs_baseline_pct: 2.2,
        regression: false,
        allocs: 120000,
      },
      "mesh/refine": {
        median_ms: 2500 - i * 20,
        delta_vs_baseline_pct: -4.1,
        regression: false,
        memory_bytes: 5e8,
      },
    };
    // The last eight runs carry the judge's verdicts, with evidence the band is drawn from.
    if (i >= JUDGED_FROM) judge(benchmarks, i, r.benchmarks!);
    if (newest) {
      benchmarks[HOSTILE_BENCH] = { median_ms: 1, delta_vs_baseline_pct: 0 };
      benchmarks[SCRIPT_BENCH] = { median_ms: 2, delta_vs_baseline_pct: 0 };
      (r.results.hpc as Record<string, unknown>).cluster = HOSTILE_CLUSTER;
      Object.assign(r.results.tests as object, { failures: FAILURES, failures_total: 2 });
      (r.tests!.suites as Record<string, unknown>)[HOSTILE_SUITE] = { passed: 1, failed: 0 };
    }
    r.benchmarks!.benchmarks = benchmarks;
    return r;
  });
  return main.flatMap((run, i) => [
    run,
    ...BRANCH_RUNS.flatMap(([branch, after], k) => (after === i ? [branchRun(k, branch, after)] : [])),
  ]);
}

const JUDGED_FROM = 16;

/** The judge's verdicts and evidence for run `i`, added to its benchmarks summary. */
function judge(benchmarks: Record<string, unknown>, i: number, summary: Record<string, unknown>): void {
  const newest = i === RUNS - 1;
  const judged = (name: string, verdict: string, baseline: number, band: number, extra = {}) => {
    const r = benchmarks[name] as { median_ms: number; delta_vs_baseline_pct: number };
    Object.assign(r, {
      verdict,
      evidence: {
        history_points: 37,
        time: {
          baseline,
          current: r.median_ms,
          change_pct: r.delta_vs_baseline_pct,
          band_pct: band,
          verdict: verdict === "regression" && "tentative" in extra ? "regression" : verdict,
        },
        ...extra,
      },
    });
  };
  judged("solver/3d", i > 18 ? "regression" : "unchanged", 120, 6);
  judged("solver/2d", "unchanged", 42, 5);
  judged("mesh/refine", newest ? "improvement" : "unchanged", 2500 - (i - 1) * 20, 3);
  judged(
    "io/read",
    newest ? "regression" : "unchanged",
    5.4,
    8,
    newest ? { tentative: true, history_points: 3 } : {},
  );
  summary.verdict = newest ? "regression" : "unchanged";
  summary.judge = { floor_pct: 5, min_history: 5, history_branch: "main", history_points: 37 };
  if (newest) summary.shifts = [{ suite: "assembly", node: "n0042", factor: 3, benchmarks: 1, of: 1 }];
}

/** Reads back what a page shows, the same way at every width. */
const READ = {
  /** The commits of a chart's points, oldest first (each readout starts with the run's commit). */
  chartCommits: (
    svg: string,
  ) => `[...document.querySelector(${JSON.stringify(svg)}).getAttribute("data-readouts")
      .split("|")].map((r) => r.split(" · ")[0])`,
  /** Date labels of every shown chart whose boxes overlap another label of the same chart. */
  overlapping: `[...document.querySelectorAll("figure.chart")].filter((f) => f.offsetParent !== null).flatMap((f) => {
      const boxes = [...f.querySelectorAll("text.tick, .yt")].map((t) => t.getBoundingClientRect());
      return boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) =>
        a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
        .map(() => f.querySelector("svg").getAttribute("aria-label")));
    })`,
};

describe.skipIf(skip)("the dashboard in headless Chromium", () => {
  let site: string;
  /** The runner work folders of the two actions. */
  const work: string[] = [];
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let phone: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  /** Every run in the order it was pushed to the results branch. */
  const published = runs();
  const mainCommits = published
    .filter((r) => r.results.branch === "main")
    .map((r) => String(r.results.commit));

  async function open(width: number): Promise<Page> {
    const opened = await browser.newPage({ viewport: { width, height: 900 } });
    opened.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    opened.on("pageerror", (e) => consoleErrors.push(e.message));
    opened.on("request", (r) => requests.push(r.url()));
    // Nothing may leave the machine, whatever the page asks for.
    await opened.route("**/*", (route) =>
      route.request().url().startsWith(server.origin) ? route.continue() : route.abort(),
    );
    const response = await opened.goto(`${server.url}hpc/`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    return opened;
  }

  beforeAll(async () => {
    const repo = new ResultsRepo();
    writeOurRun(repo.work, ourRun(sha("dash-base")));
    const base = repo.commit("base");
    const pushed = published.map((r, i) => {
      writeOurRun(repo.work, r);
      return repo.commit(`run ${i}`);
    });
    const ingested = await runAction("ingest-hpc-results", {
      cwd: repo.work,
      event: repo.pushEvent(base.id, pushed),
    });
    rmSync(join(repo.work, ".."), { recursive: true, force: true });
    expect(ingested.exitCode, ingested.stdout).toBe(0);
    site = scratchDir("dashboard-site-");
    // A scheduled run's payload names the default branch, as GitHub's does.
    const rendered = await runAction("render-badges", {
      inputs: { "runs-file": ingested.outputs["runs-file"]!, "pages-path": site, push: "false" },
      eventName: "schedule",
      event: { repository: { full_name: "octo-org/octo-repo", default_branch: "main" } },
    });
    work.push(dirname(ingested.runnerTemp), dirname(rendered.runnerTemp));
    expect(rendered.exitCode, rendered.stdout).toBe(0);

    [server, browser] = await Promise.all([serveFolder(site, "/octo-repo/"), launchChromium()]);
    [page, phone] = await Promise.all([open(1280), open(375)]);
  }, 60_000);

  afterAll(async () => {
    for (const dir of work) rmSync(dir, { recursive: true, force: true });
    await browser?.close();
    await server?.close();
    if (site) rmSync(site, { recursive: true, force: true });
  });

  it("loads with no console error and no request to another host, only under its sub-path", async () => {
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(`${server.url}hpc/`))).toEqual([]);
    expect(server.requests.filter((p) => !p.startsWith("/octo-repo/hpc/"))).toEqual([]);
    // The five badges beside the page are loaded from the folder and drawn.
    expect(server.requests).toEqual(
      expect.arrayContaining(["/octo-repo/hpc/tests.svg", "/octo-repo/hpc/freshness.svg"]),
    );
    expect(await page.evaluate("[...document.images].map((i) => i.complete && i.naturalWidth > 0)")).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it("works as well opened from disk, with no server", async () => {
    const local = await browser.newPage();
    const errors: string[] = [];
    local.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    local.on("pageerror", (e) => errors.push(e.message));
    await local.goto(`file://${join(site, "hpc", "index.html")}`);
    expect(errors).toEqual([]);
    expect(await local.evaluate("[...document.images].every((i) => i.naturalWidth > 0)")).toBe(true);
    expect(await local.locator(".age").innerText()).toMatch(/ago/);
    await local.close();
  });

  it("shows the newest run of the default branch: commit linked, time, provenance, suites, coverage, benchmarks", async () => {
    const newest = mainCommits.at(-1)!;
    const link = page.locator("#newest .facts a").first();
    expect(await link.getAttribute("href")).toBe(`https://github.com/octo-org/octo-repo/commit/${newest}`);
    expect(await link.innerText()).toBe(newest);
    // A run of another branch was pushed after it, and is not the newest shown.
    expect(String(published.at(-1)!.results.branch)).not.toBe("main");
    const facts = await page.locator("#newest .facts").innerText();
    expect(facts).toContain("2026-05-24 06:30:00 UTC");
    expect(facts).toMatch(/days ago/); // filled in by the page's script
    expect(facts).toContain("slurm");
    expect(facts).toContain("regular");
    expect(await page.locator("#card-coverage").innerText()).toContain("82.1%");
    expect(await page.locator("#card-tests").innerText()).toContain("151 passed, 2 failed");
    expect(await page.locator("#newest table").count()).toBe(2); // suites and benchmarks
    expect(await page.locator("#newest").innerText()).toContain("+21.5%");
  });

  it("says in its header what the tables and cards say, for tests and benchmarks alike", async () => {
    for (const p of [page, phone]) {
      const text = (selector: string) => p.locator(selector).first().innerText();
      for (const part of [".verdict-tests", ".verdict-benchmarks"]) {
        const header = await text(`#verdict ${part}`);
        expect(header.length).toBeGreaterThan(6);
        expect(await text(`#runs tbody tr:first-child ${part}`)).toBe(header);
        expect(await text(`#newest .cards ${part}`)).toBe(header);
      }
      expect(await text("#verdict .verdict-tests")).toBe("failed 151 passed, 2 failed, 2 broken");
      expect(await text("#verdict .verdict-benchmarks")).toBe(
        "failed 1 regression, 1 tentative regression, 1 improvement",
      );
      expect(await text("#verdict")).toContain(`Newest run of main (${mainCommits.at(-1)!.slice(0, 7)}`);
    }
  });

  it("names the failing tests, each linked to its file and line at the tested commit", async () => {
    const newest = mainCommits.at(-1)!;
    const items = page.locator("#newest .failures li");
    expect(await page.locator("#failing-tests").innerText()).toBe("Failing tests (2)");
    expect(await items.count()).toBe(2);
    const first = items.first();
    expect(await first.locator("a.source").getAttribute("href")).toBe(
      `https://github.com/octo-org/octo-repo/blob/${newest}/test/io.jl#L12`,
    );
    expect(await first.locator("a.source").innerText()).toBe("test/io.jl:12");
    expect(await first.innerText()).toContain("Example / io");
    expect(await first.innerText()).toContain("read_header(path) == HEADER");
    expect(await first.innerText()).toContain(`"<b>v2</b>" == "v3"`); // as text, not markup
    expect(await page.locator("#newest .failures b").count()).toBe(0);
    expect(await items.nth(1).locator("a.source").getAttribute("href")).toMatch(
      new RegExp(`/blob/${newest}/test/solver/3d\\.jl#L40$`),
    );
    expect(await items.nth(1).innerText()).toContain("BoundsError: attempt to access");
  });

  it("draws the default branch's trends in the order the runs were published, whatever their clocks said", async () => {
    // coverage, tests, and one per benchmark; the other branches' charts are folded away
    expect(await page.locator("#trends figure.chart, #benchmarks figure.chart").count()).toBe(2 + 8);
    const coverage = page.locator("#trends svg.plot").first();
    expect(await coverage.getAttribute("aria-label")).toMatch(/coverage of main/i);
    const box = await coverage.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(150);
    const points = await coverage.locator("polyline").getAttribute("points");
    expect(points!.trim().split(/\s+/)).toHaveLength(RUNS);
    // Run 11 has run 10's generated_at and run 14 says it ran before run 13: the points keep the push order.
    const order = (await page.evaluate(READ.chartCommits("#trends svg.plot"))) as string[];
    expect(order).toEqual(mainCommits.map((c) => c.slice(0, 10)));
    const xs = points!
      .trim()
      .split(/\s+/)
      .map((p) => Number(p.split(",")[0]));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    const rows = await page
      .locator("#runs tbody tr td:first-child code")
      .evaluateAll((cs) => cs.map((c) => c.getAttribute("title")));
    expect(rows).toEqual([...mainCommits].reverse());
    // The run that failed shows in the failed line; solver/3d's regressions are marked.
    expect(await page.locator("#trends svg.plot").nth(1).locator("polyline").count()).toBe(2);
    const solver = page.locator('.bench-card[data-name="solver/3d"]');
    expect(await solver.locator("circle.mark").count()).toBe(5);
  });

  it("shows every other branch in a view of its own, labelled, that never mixes with the default branch's", async () => {
    const views = page.locator("details.branch-view");
    expect(await views.count()).toBe(2);
    const names = await views.evaluateAll((ds) => ds.map((d) => d.getAttribute("data-branch")));
    expect(names).toEqual([HOSTILE_BRANCH, LONG_BRANCH]); // the branch with the newest run first
    for (const [i, name] of names.entries()) {
      const view = views.nth(i);
      const own = published.filter((r) => r.results.branch === name).map((r) => String(r.results.commit));
      expect(await view.locator("summary .branch-name").innerText()).toBe(name);
      expect(await view.locator("summary").innerText()).toContain(`${own.length} runs`);
      expect(await view.locator("figure.chart").first().isVisible()).toBe(false); // folded
      const svg = `details.branch-view:nth-of-type(${i + 1}) svg.plot`;
      expect(await page.evaluate(READ.chartCommits(svg))).toEqual(own.map((c) => c.slice(0, 10)));
      const rows = await view
        .locator("tbody tr td:first-child code")
        .evaluateAll((cs) => cs.map((c) => c.getAttribute("title")));
      expect(rows).toEqual([...own].reverse());
    }
    // No commit of another branch is drawn or listed in the default branch's view.
    const others = published.filter((r) => r.results.branch !== "main").map((r) => String(r.results.commit));
    const mainView = await page
      .locator("#newest, #trends, #benchmarks, #runs")
      .evaluateAll((els) => els.map((e) => e.innerHTML).join(""));
    for (const c of others) expect(mainView).not.toContain(c.slice(0, 10));
    // A link in the header opens the branch's view.
    await page.locator(`nav.branches a[href="#branch-2"]`).click();
    expect(await views.nth(1).evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    expect(await views.nth(1).locator("figure.chart").first().isVisible()).toBe(true);
    await views.nth(1).evaluate((d) => ((d as unknown as { open: boolean }).open = false));
  });

  it("labels its axes with units, starts the y axis where its lowest label says, and keeps tick labels apart", async () => {
    for (const p of [page, phone]) {
      const chart = p.locator("#trends figure.chart").first();
      expect(await chart.locator("figcaption").innerText()).toBe("Line coverage, %");
      expect(await chart.locator(".x-title").innerText()).toMatch(/^Runs of main, oldest left, in the order/);
      const labels = await chart.locator(".yt").allInnerTexts();
      expect(labels).toEqual(["70%", "75%", "80%", "85%", "90%"]);
      // The lowest label sits on the lowest grid line, and the newest point is drawn at its value, 82.1%.
      const geometry = (await chart.evaluate((f) => {
        const grid = [...f.querySelectorAll("line.grid")].map((l) => l.getBoundingClientRect().top);
        const label = f.querySelector(".yt.t0")!.getBoundingClientRect();
        const last = f.querySelector("circle.last")!.getBoundingClientRect();
        return { grid, label: (label.top + label.bottom) / 2, last: (last.top + last.bottom) / 2 };
      })) as { grid: number[]; label: number; last: number };
      const [bottom, top] = [Math.max(...geometry.grid), Math.min(...geometry.grid)];
      expect(Math.abs(geometry.label - bottom)).toBeLessThan(2);
      expect(70 + ((bottom - geometry.last) / (bottom - top)) * 20).toBeCloseTo(82.1, 0);
      // Tick labels are legible and never overlap, at either width.
      expect(await p.evaluate(READ.overlapping)).toEqual([]);
      const size = await chart
        .locator("text.tick")
        .first()
        .evaluate((t) => t.getBoundingClientRect().height);
      expect(size).toBeGreaterThanOrEqual(10);
      const dates = await chart.locator("text.tick:not(.commit)").allTextContents();
      expect(dates).toEqual(["2026-05-01", "2026-05-13", "2026-05-24"]);
    }
    // The band is drawn and explained.
    expect(await page.locator("#band-legend").innerText()).toContain("noise band");
    expect(await page.locator('.bench-card[data-name="solver/3d"] .legend').innerText()).toContain(
      "noise band",
    );
  });

  it("shades each benchmark's noise band around its baseline and marks the judge's verdicts", async () => {
    const solver = page.locator('.bench-card[data-name="solver/3d"]');
    // One band over the eight judged runs, around the dashed baseline; none where there is no evidence.
    expect(await solver.locator("path.band").count()).toBe(1);
    const band = (await solver.locator("path.band").boundingBox())!;
    const baseline = (await solver.locator("polyline.baseline").boundingBox())!;
    const chart = (await solver.locator("svg.plot").boundingBox())!;
    expect(band.height).toBeGreaterThan(3);
    expect(band.width).toBeGreaterThan(chart.width / 5);
    expect(band.x + band.width).toBeCloseTo(chart.x + chart.width * 0.98, 0);
    expect(baseline.y).toBeGreaterThanOrEqual(band.y - 1);
    expect(baseline.y + baseline.height).toBeLessThanOrEqual(band.y + band.height + 1);
    expect(await page.locator('.bench-card[data-name="io/write"] path.band').count()).toBe(0);
    expect(await page.locator('.bench-card[data-name="mesh/refine"] circle.mark-improvement').count()).toBe(
      1,
    );
    expect(await page.locator('.bench-card[data-name="io/read"] circle.mark-tentative').count()).toBe(1);
    expect(await solver.locator(".now").innerText()).toMatch(/→ .*\+21\.5%.*regression.*band ±6%/);

    // The newest run's table: regressions first, the tentative one saying what it needs, the shift once.
    const rows = page.locator("#newest table").nth(1).locator("tbody tr");
    expect(await rows.first().getAttribute("class")).toBe("v-regression");
    expect(await rows.first().locator("td").first().innerText()).toBe("solver/3d");
    expect(await rows.nth(1).innerText()).toContain("needs 2 more main runs to gate");
    expect(await page.locator("#newest .shift").innerText()).toContain(
      "Suite assembly moved 3× together on node n0042: an environment shift",
    );
    expect(await page.locator("#newest .rule").innerText()).toContain(
      "Rule: judge: noise band from 37 main runs",
    );
    expect(await page.locator("#card-benchmarks").innerText()).toMatch(
      /failed\s+1 regression, 1 tentative regression, 1 improvement/,
    );
  });

  it("fits a 375 px phone: nothing scrolls sideways, long names wrap, and the band is still drawn", async () => {
    // Open every branch's view too: what is folded must fit as well.
    await phone.evaluate(`document.querySelectorAll("details").forEach((d) => (d.open = true))`);
    expect(
      await phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
    ).toBe(true);
    expect(await phone.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    const sideways = await phone.evaluate(`[...document.querySelectorAll("*")]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(el).overflowX))
      .map((el) => el.tagName + "." + el.className)`);
    expect(sideways).toEqual([]);
    const wide = await phone.evaluate(`[...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((el) => el.tagName + "." + el.className)`);
    expect(wide).toEqual([]);
    expect(await phone.evaluate(READ.overlapping)).toEqual([]);
    const band = await phone.locator('.bench-card[data-name="solver/3d"] path.band').boundingBox();
    expect(band!.width).toBeGreaterThan(20);
    expect(band!.x + band!.width).toBeLessThanOrEqual(375);
    await phone.screenshot({ path: SCREENSHOT.replace(/\.png$/, "-375.png"), fullPage: true });
    await phone
      .locator("#newest table")
      .nth(1)
      .screenshot({ path: SCREENSHOT.replace(/\.png$/, "-375-benchmarks.png") });
    await phone.evaluate(`document.querySelectorAll("details").forEach((d) => (d.open = false))`);
  });

  it("lays out at 1280 px: no sideways scrolling, trend charts side by side, benchmark cards in rows", async () => {
    expect(
      await page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
    ).toBe(true);
    const [coverage, tests] = await page
      .locator("#trends .card")
      .evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().toJSON() as Record<string, number>));
    expect(tests!.top).toBe(coverage!.top!);
    expect(tests!.left).toBeGreaterThan(coverage!.right!);
    expect(coverage!.width).toBeGreaterThan(400);
    const cards = await page
      .locator('.bench-group[data-group="solver"] .bench-card')
      .evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().top));
    expect(new Set(cards).size).toBe(1);
  });

  it("shows names from the data as text and runs none of them", async () => {
    expect(await page.evaluate("window.__xss")).toBeUndefined();
    expect(await page.evaluate("document.scripts.length")).toBe(1); // the page's one script
    expect(await page.locator('img[src="x"], b').count()).toBe(0);
    for (const text of [HOSTILE_BENCH, SCRIPT_BENCH, HOSTILE_SUITE, HOSTILE_CLUSTER]) {
      expect(await page.getByText(text, { exact: true }).first().isVisible(), text).toBe(true);
    }
    expect(await page.locator("details.branch-view summary .branch-name").first().innerText()).toBe(
      HOSTILE_BRANCH,
    );
  });

  it("filters the benchmarks by name and reads a run under the pointer", async () => {
    await page.fill("#bench-filter", "solver/");
    expect(await page.locator(".bench-card:visible").count()).toBe(3);
    expect(await page.locator("#bench-count").innerText()).toBe("3 benchmarks");
    await page.fill("#bench-filter", "");
    expect(await page.locator(".bench-card:visible").count()).toBe(8);

    const chart = page.locator("#trends svg.plot").first();
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
    const readout = await page.locator("#trends .readout").first().innerText();
    expect(readout).toContain(mainCommits.at(-1)!.slice(0, 10));
    expect(readout).toContain("2026-05-24");
    expect(readout).toContain("82.10% coverage");
    await page.mouse.move(box.x + 5, box.y + box.height / 2);
    expect(await page.locator("#trends .readout").first().innerText()).toContain("2026-05-01");
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, "-top.png") });
    await page.locator("#benchmarks").screenshot({ path: SCREENSHOT.replace(/\.png$/, "-benchmarks.png") });
    console.log(`dashboard screenshot: ${SCREENSHOT}`);
  });
});
