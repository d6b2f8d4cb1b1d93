// The badges of a run: what each endpoint says and in which colour, that Shields would take every one
// (our JSON Schema and a validator written from Shields' own rules agree), the SVGs, the README lines,
// the Pages URL and the inputs' durations.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../src/actions/render-badges/inputs.js";
import {
  PAGE_BADGES,
  benchmarksEndpoint,
  coverageEndpoint,
  freshnessEndpoint,
  pageEndpoints,
  regressionEndpoint,
  testsEndpoint,
} from "../src/badges/endpoints.js";
import { badgesMarkdown } from "../src/badges/markdown.js";
import { BADGE_STYLES, badgeSvg } from "../src/badges/svg.js";
import type { HpcResults } from "../src/contract/types.js";
import { checkDocument } from "../src/contract/validate.js";
import { defaultPagesUrl, normalizePagesDir } from "../src/dashboard/pages-url.js";
import { sha } from "./harness/results-branch.js";
import { SHIELDS_NAMED_COLORS, shieldsEndpointProblems } from "./harness/shields.js";

const C = sha("endpoints");

function run(extra: Partial<HpcResults> = {}): HpcResults {
  return { schema_version: 1, commit: C, generated_at: "2026-02-01T08:00:00Z", ...extra };
}

describe("endpoint messages and colours", () => {
  it("tests: counts when there are some, else the status", () => {
    const counted = run({ tests: { status: "failed", totals: { passed: 412, failed: 1 } } });
    expect(testsEndpoint(counted)).toEqual({
      schemaVersion: 1,
      label: "HPC tests",
      message: "412 passed, 1 failed",
      color: "red",
    });
    expect(testsEndpoint(run({ tests: { status: "passed" } }))).toMatchObject({
      message: "passed",
      color: "brightgreen",
    });
    expect(testsEndpoint(run({ tests: { status: "skipped" } }))).toMatchObject({
      message: "skipped",
      color: "lightgrey",
    });
    expect(testsEndpoint(run())).toMatchObject({ message: "not run", color: "lightgrey" });
    // A failed run whose counts show no failure (the runner crashed) must not read as a pass.
    expect(testsEndpoint(run({ tests: { status: "failed", totals: { passed: 10 } } })).message).toBe(
      "failed, 10 passed",
    );
  });

  it("coverage: one decimal, never rounded up to a threshold, coloured by the thresholds", () => {
    const cov = (p: number, o = {}) => coverageEndpoint(run({ coverage: { coverage_percent: p } }), o);
    expect(cov(63.21)).toMatchObject({ message: "63.2%", color: "yellow" });
    expect(cov(79.99)).toMatchObject({ message: "79.9%", color: "yellow" });
    expect(cov(80)).toMatchObject({ message: "80.0%", color: "brightgreen" });
    expect(cov(59.9)).toMatchObject({ color: "red" });
    expect(cov(99.99)).toMatchObject({ message: "99.9%" });
    expect(cov(85, { coverage: { good: 90, fair: 85 } })).toMatchObject({ color: "yellow" });
    expect(coverageEndpoint(run({ coverage: null }))).toMatchObject({
      message: "not measured",
      color: "lightgrey",
    });
  });

  it("regression of a judged run: its worst regression, of the metric that regressed, not a change within the band", () => {
    const judged = (verdict: "regression" | "unchanged", allocs: "regression" | "unchanged") =>
      run({
        benchmarks: {
          status: "passed",
          verdict,
          results: {
            // noise: +49.8% inside a ±100% band
            "io/read": {
              median_ms: 121,
              verdict: "unchanged",
              evidence: {
                time: { baseline: 80.6, current: 121, change_pct: 49.8, band_pct: 100, verdict: "unchanged" },
              },
            },
            "cpu/kernel": {
              median_ms: 13.5,
              allocs: allocs === "regression" ? 400 : 200,
              verdict,
              evidence: {
                time: { baseline: 13.1, current: 13.5, change_pct: 3, band_pct: 13.8, verdict: "unchanged" },
                allocs: {
                  baseline: 200,
                  current: allocs === "regression" ? 400 : 200,
                  change_pct: allocs === "regression" ? 100 : 0,
                  band_pct: 1,
                  verdict: allocs,
                },
              },
            },
          },
        },
      });
    expect(regressionEndpoint(judged("regression", "regression"))).toMatchObject({
      message: "+100.0%",
      color: "red",
    });
    expect(regressionEndpoint(judged("unchanged", "unchanged"))).toMatchObject({
      message: "0.0%",
      color: "brightgreen",
    });
  });

  it("regression and benchmarks: signed worst change against the threshold", () => {
    const bench = (worst: number | null, status: "passed" | "failed" = "passed", threshold?: number) =>
      run({
        benchmarks: {
          status,
          worst_regression_pct: worst,
          ...(threshold !== undefined && { regression_threshold_pct: threshold }),
        },
      });
    expect(regressionEndpoint(bench(14.49))).toMatchObject({ message: "+14.5%", color: "red" });
    expect(regressionEndpoint(bench(3))).toMatchObject({ message: "+3.0%", color: "yellow" });
    expect(regressionEndpoint(bench(-2.06))).toMatchObject({ message: "-2.1%", color: "brightgreen" });
    expect(regressionEndpoint(bench(12, "passed", 15))).toMatchObject({ color: "yellow" });
    expect(regressionEndpoint(bench(12, "passed", 15), { regressionThresholdPct: 5 })).toMatchObject({
      color: "red",
    });
    expect(regressionEndpoint(bench(null))).toMatchObject({ message: "no baseline", color: "lightgrey" });
    // The badge says what the comment and the status say: past the threshold is a failed run.
    expect(benchmarksEndpoint(bench(14.5))).toMatchObject({
      label: "HPC bench",
      message: "failed, 1 regression",
      color: "red",
    });
    expect(benchmarksEndpoint(bench(4))).toMatchObject({
      message: "passed, worst +4.0%",
      color: "brightgreen",
    });
    expect(benchmarksEndpoint(bench(1, "failed"))).toMatchObject({ color: "red" });
    expect(benchmarksEndpoint(bench(null))).toMatchObject({ message: "passed", color: "brightgreen" });
  });

  it("freshness: the run's date, coloured by its age against stale-after", () => {
    const r = run({ generated_at: "2026-02-01T23:30:00Z" });
    const week = 7 * 86400;
    expect(freshnessEndpoint(r, new Date("2026-02-08T23:29:59Z"), week)).toMatchObject({
      message: "2026-02-01",
      color: "blue",
    });
    expect(freshnessEndpoint(r, new Date("2026-02-08T23:30:01Z"), week)).toMatchObject({
      message: "2026-02-01",
      color: "orange",
    });
    expect(freshnessEndpoint(run({ generated_at: undefined }), new Date(), week)).toMatchObject({
      message: "date unknown",
      color: "lightgrey",
    });
  });

  it("label prefix, cacheSeconds and style go into every endpoint", () => {
    const all = pageEndpoints(run({ tests: { status: "passed" } }), new Date(), 1, {
      labelPrefix: "Perlmutter",
      cacheSeconds: 900,
      style: "flat-square",
    });
    for (const stem of PAGE_BADGES) {
      expect(all[stem].label.startsWith("Perlmutter ")).toBe(true);
      expect(all[stem]).toMatchObject({ cacheSeconds: 900, style: "flat-square" });
    }
  });
});

describe("Shields' rules", () => {
  // [document, accepted by Shields]
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ["the minimum", { schemaVersion: 1, label: "", message: "ok" }, true],
    [
      "every plain key",
      {
        schemaVersion: 1,
        label: "l",
        message: "m",
        color: "red",
        labelColor: "#555",
        isError: true,
        style: "flat",
        cacheSeconds: 300,
      },
      true,
    ],
    [
      "a named logo with its options",
      {
        schemaVersion: 1,
        label: "l",
        message: "m",
        namedLogo: "julia",
        logoColor: "white",
        logoSize: "auto",
        logoWidth: 14,
        logoPosition: 0,
      },
      true,
    ],
    [
      "an SVG logo with a width",
      { schemaVersion: 1, label: "l", message: "m", logoSvg: "<svg/>", logoWidth: 14 },
      true,
    ],
    ["an unknown key", { schemaVersion: 1, label: "l", message: "m", link: "https://x" }, false],
    ["an empty message", { schemaVersion: 1, label: "l", message: "" }, false],
    ["no label", { schemaVersion: 1, message: "m" }, false],
    ["schemaVersion 2", { schemaVersion: 2, label: "l", message: "m" }, false],
    ["no schemaVersion", { label: "l", message: "m" }, false],
    ["an empty colour", { schemaVersion: 1, label: "l", message: "m", color: "" }, false],
    ["a fractional cacheSeconds", { schemaVersion: 1, label: "l", message: "m", cacheSeconds: 1.5 }, false],
    ["a negative cacheSeconds", { schemaVersion: 1, label: "l", message: "m", cacheSeconds: -1 }, false],
    ["isError as a string", { schemaVersion: 1, label: "l", message: "m", isError: "yes" }, false],
    [
      "logoColor without a named logo",
      { schemaVersion: 1, label: "l", message: "m", logoColor: "red" },
      false,
    ],
    [
      "logoSize with only an SVG logo",
      { schemaVersion: 1, label: "l", message: "m", logoSvg: "<svg/>", logoSize: "auto" },
      false,
    ],
    ["logoWidth without a logo", { schemaVersion: 1, label: "l", message: "m", logoWidth: 10 }, false],
  ];

  it.each(cases)("%s: our schema and Shields' rules agree", (_what, doc, accepted) => {
    expect(shieldsEndpointProblems(doc).length === 0).toBe(accepted);
    expect(checkDocument("shields-endpoint", doc, "x.json").length === 0).toBe(accepted);
  });

  it("a named logo together with an SVG logo: Shields refuses it, our schema cannot say so (see its description)", () => {
    const both = { schemaVersion: 1, label: "l", message: "m", namedLogo: "julia", logoSvg: "<svg/>" };
    expect(shieldsEndpointProblems(both)).toEqual(["namedLogo and logoSvg: not both"]);
  });

  it("every endpoint we make, for runs of every shape, is one Shields takes, in a colour it names", () => {
    const runs: HpcResults[] = [
      run(),
      run({
        generated_at: undefined,
        coverage: null,
        tests: { status: "skipped" },
        benchmarks: { status: "skipped" },
      }),
      run({
        tests: { status: "failed", totals: { passed: 0, failed: 0, errored: 3 } },
        coverage: { coverage_percent: 0 },
        benchmarks: { status: "failed", worst_regression_pct: 250 },
      }),
    ];
    for (const r of runs) {
      for (const [stem, e] of Object.entries(pageEndpoints(r, new Date(), 60, { cacheSeconds: 0 }))) {
        expect(shieldsEndpointProblems(e), stem).toEqual([]);
        expect(checkDocument("shields-endpoint", e, stem)).toEqual([]);
        expect(SHIELDS_NAMED_COLORS).toContain(e.color);
      }
    }
  });
});

describe("SVG badges", () => {
  it.each(BADGE_STYLES)("%s: well-formed XML with the text escaped", (style) => {
    const svg = badgeSvg(
      { schemaVersion: 1, label: "HPC <tests> & co", message: `"1" passed`, color: "brightgreen" },
      style,
    );
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(svg);
    expect(doc.svg["@_xmlns"]).toBe("http://www.w3.org/2000/svg");
    expect(svg).not.toContain("<tests>");
    expect(badgeSvg({ schemaVersion: 1, label: "a", message: "b" }, style)).toBe(
      badgeSvg({ schemaVersion: 1, label: "a", message: "b" }, style),
    );
  });
});

describe("README lines and Pages URL", () => {
  it("links each Shields endpoint badge to the dashboard", () => {
    const md = badgesMarkdown("https://octo.github.io/repo/hpc/", "HPC [x]");
    expect(md.split("\n")).toEqual(
      PAGE_BADGES.map((s) =>
        expect.stringContaining(
          `url=https%3A%2F%2Focto.github.io%2Frepo%2Fhpc%2F${s}.json)](https://octo.github.io/repo/hpc/)`,
        ),
      ),
    );
    expect(md).toContain("[![HPC x tests]"); // brackets would end the alt text
  });

  it.each([
    ["octo-org/octo-repo", "hpc", "https://github.com", "https://octo-org.github.io/octo-repo/hpc/"],
    ["Octo-Org/Repo", "", "https://github.com", "https://octo-org.github.io/Repo/"],
    ["octo/octo.github.io", "hpc", "https://github.com", "https://octo.github.io/hpc/"],
    ["Octo/OCTO.github.io", "a/b", "https://github.com/", "https://octo.github.io/a/b/"],
    ["octo/repo", "hpc", "https://ghe.example.com", "https://pages.ghe.example.com/octo/repo/hpc/"],
  ])("%s %s on %s -> %s", (repository, dir, server, url) => {
    expect(defaultPagesUrl(repository, dir, server)).toBe(url);
  });

  it.each([
    ["hpc", "hpc"],
    ["./hpc/", "hpc"],
    [".", ""],
    ["", ""],
    ["reports/hpc-1.x", "reports/hpc-1.x"],
    ["../x", undefined],
    ["a/../../x", undefined],
    ["/etc", undefined],
    [".git", undefined],
    ["a/.hidden", undefined],
    ["a b", undefined],
    ["a\\b", undefined],
  ])("pages-dir %j -> %j", (input, expected) => {
    expect(normalizePagesDir(input)).toBe(expected);
  });
});

describe("stale-after", () => {
  it.each([
    ["7d", 604800],
    ["36h", 129600],
    ["1d12h", 129600],
    ["1d 12h", 129600],
    ["90m", 5400],
    ["3600s", 3600],
    ["2w", 1209600],
    ["1.5d", 129600],
    ["7D", 604800],
  ])("%s is %d seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(["7", "", "d", "7 days", "-1d", "0d", "1y"])("%j is refused", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
