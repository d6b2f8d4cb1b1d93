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

const HOSTILE_BENCH = `<img src=x onerror="window.__xss=1">`;
const SCRIPT_BENCH = `solver/</script><script>window.__xss=2</script>`;
const HOSTILE_BRANCH = `"><svg onload=window.__xss=3>`;
const HOSTILE_SUITE = `<script>window.__xss=4</script>`;
const HOSTILE_CLUSTER = `<b>perl</b>mutter & "co"`;

/** 24 daily runs with trends: coverage rising, a failing day, a benchmark that gets slower. */
function runs(): ReturnType<typeof ourRun>[] {
  return Array.from({ length: RUNS }, (_, i) => {
    const day = String(i + 1).padStart(2, "0");
    const newest = i === RUNS - 1;
    const r = ourRun(sha(`dash-${i}`), { generatedAt: `2026-05-${day}T06:30:00Z`, failed: i === 17 ? 4 : 0 });
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
      r.results.branch = HOSTILE_BRANCH;
      (r.results.hpc as Record<string, unknown>).cluster = HOSTILE_CLUSTER;
      (r.tests!.suites as Record<string, unknown>)[HOSTILE_SUITE] = { passed: 1, failed: 0 };
    }
    r.benchmarks!.benchmarks = benchmarks;
    return r;
  });
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

describe.skipIf(skip)("the dashboard in headless Chromium", () => {
  let site: string;
  /** The runner work folders of the two actions. */
  const work: string[] = [];
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const repo = new ResultsRepo();
    writeOurRun(repo.work, ourRun(sha("dash-base")));
    const base = repo.commit("base");
    const pushed = runs().map((r, i) => {
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
    const rendered = await runAction("render-badges", {
      inputs: { "runs-file": ingested.outputs["runs-file"]!, "pages-path": site, push: "false" },
    });
    work.push(dirname(ingested.runnerTemp), dirname(rendered.runnerTemp));
    expect(rendered.exitCode, rendered.stdout).toBe(0);

    [server, browser] = await Promise.all([serveFolder(site, "/octo-repo/"), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(e.message));
    page.on("request", (r) => requests.push(r.url()));
    // Nothing may leave the machine, whatever the page asks for.
    await page.route("**/*", (route) =>
      route.request().url().startsWith(server.origin) ? route.continue() : route.abort(),
    );
    const response = await page.goto(`${server.url}hpc/`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
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

  it("shows the newest run: commit linked to the repository, time, provenance, suites, coverage, benchmarks", async () => {
    const newest = sha(`dash-${RUNS - 1}`);
    const link = page.locator("#newest .facts a").first();
    expect(await link.getAttribute("href")).toBe(`https://github.com/octo-org/octo-repo/commit/${newest}`);
    expect(await link.innerText()).toBe(newest);
    const facts = await page.locator("#newest .facts").innerText();
    expect(facts).toContain("2026-05-24 06:30:00 UTC");
    expect(facts).toMatch(/days ago/); // filled in by the page's script
    expect(facts).toContain("slurm");
    expect(facts).toContain("regular");
    expect(await page.locator("#card-coverage").innerText()).toContain("82.1%");
    expect(await page.locator("#card-tests").innerText()).toContain("151 passed");
    expect(await page.locator("#newest table").count()).toBe(2); // suites and benchmarks
    expect(await page.locator("#newest").innerText()).toContain("+21.5%");
  });

  it("draws the trend charts over the whole history", async () => {
    const charts = page.locator("svg.chart");
    // coverage, tests, and one per benchmark
    expect(await charts.count()).toBe(2 + 8);
    const coverage = page.locator("#trends svg.chart").first();
    expect(await coverage.getAttribute("aria-label")).toMatch(/coverage/i);
    const box = await coverage.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(80);
    const points = await coverage.locator("polyline").getAttribute("points");
    expect(points!.trim().split(/\s+/)).toHaveLength(RUNS);
    // The run that failed shows in the failed line; solver/3d's regressions are marked.
    expect(await page.locator("#trends svg.chart").nth(1).locator("polyline").count()).toBe(2);
    const solver = page.locator('.bench-card[data-name="solver/3d"]');
    expect(await solver.locator("circle.mark").count()).toBe(5);
    expect(await page.locator("#runs tbody tr").count()).toBe(RUNS);
  });

  it("shades each benchmark's noise band around its baseline and marks the judge's verdicts", async () => {
    const solver = page.locator('.bench-card[data-name="solver/3d"]');
    // One band over the eight judged runs, around the dashed baseline; none where there is no evidence.
    expect(await solver.locator("path.band").count()).toBe(1);
    const band = (await solver.locator("path.band").boundingBox())!;
    const baseline = (await solver.locator("polyline.baseline").boundingBox())!;
    const chart = (await solver.locator("svg.chart").boundingBox())!;
    expect(band.height).toBeGreaterThan(3);
    expect(band.width).toBeGreaterThan(chart.width / 5);
    expect(band.x + band.width).toBeCloseTo(chart.x + chart.width * (350 / 360), 0);
    expect(baseline.y).toBeGreaterThanOrEqual(band.y);
    expect(baseline.y + baseline.height).toBeLessThanOrEqual(band.y + band.height);
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

  it("fits a 375 px phone: nothing scrolls sideways and the band is still drawn", async () => {
    const phone = await browser.newPage({ viewport: { width: 375, height: 812 } });
    await phone.route("**/*", (route) =>
      route.request().url().startsWith(server.origin) ? route.continue() : route.abort(),
    );
    await phone.goto(`${server.url}hpc/`, { waitUntil: "load" });
    expect(await phone.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    const sideways = await phone.evaluate(`[...document.querySelectorAll("*")]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(el).overflowX))
      .map((el) => el.tagName + "." + el.className)`);
    expect(sideways).toEqual([]);
    const band = await phone.locator('.bench-card[data-name="solver/3d"] path.band').boundingBox();
    expect(band!.width).toBeGreaterThan(20);
    expect(band!.x + band!.width).toBeLessThanOrEqual(375);
    await phone.screenshot({ path: SCREENSHOT.replace(/\.png$/, "-375.png"), fullPage: true });
    await phone
      .locator("#newest table")
      .nth(1)
      .screenshot({ path: SCREENSHOT.replace(/\.png$/, "-375-benchmarks.png") });
    await phone.close();
  });

  it("shows names from the data as text and runs none of them", async () => {
    expect(await page.evaluate("window.__xss")).toBeUndefined();
    expect(await page.evaluate("document.scripts.length")).toBe(2); // the page's data and its one script
    expect(await page.locator('img[src="x"], b').count()).toBe(0);
    for (const text of [HOSTILE_BENCH, SCRIPT_BENCH, HOSTILE_BRANCH, HOSTILE_SUITE, HOSTILE_CLUSTER]) {
      expect(await page.getByText(text, { exact: true }).first().isVisible(), text).toBe(true);
    }
    const data = JSON.parse(String(await page.evaluate('document.getElementById("hpc-data").textContent')));
    expect(data.runs.at(-1).branch).toBe(HOSTILE_BRANCH);
  });

  it("filters the benchmarks by name and reads a run under the pointer", async () => {
    await page.fill("#bench-filter", "solver/");
    expect(await page.locator(".bench-card:visible").count()).toBe(3);
    expect(await page.locator("#bench-count").innerText()).toBe("3 benchmarks");
    await page.fill("#bench-filter", "");
    expect(await page.locator(".bench-card:visible").count()).toBe(8);

    const chart = page.locator("#trends svg.chart").first();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width - 12, box.y + box.height / 2);
    const readout = await page.locator("#trends .readout").first().innerText();
    expect(readout).toContain(sha(`dash-${RUNS - 1}`).slice(0, 10));
    expect(readout).toContain("2026-05-24 06:30 UTC");
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
