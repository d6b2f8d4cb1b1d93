// The dashboard's only style sheet and script, inlined into index.html (no CDN, no font, no other file)
// and allowed by the page's Content-Security-Policy through their hashes, so nothing else can run.
import { createHash } from "node:crypto";
import { CHART_STYLE } from "./charts.js";

export const STYLE = `
:root {
  color-scheme: light dark;
  --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0;
  --pass: #1a7f37; --fail: #cf222e; --skip: #818b98; --warn: #9a6700; --accent: #0969da; --bench: #8250df;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d;
    --pass: #3fb950; --fail: #f85149; --skip: #9198a1; --warn: #d29922; --accent: #4493f8; --bench: #ab7df8;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h1 .repo { color: var(--muted); font-weight: normal; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 8px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.badges { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 8px; }
.badges img { height: 20px; max-width: 100%; object-fit: contain; object-position: left; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(250px, 100%), 1fr)); gap: 12px; margin-top: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
.card h3 { margin-top: 0; }
.card p { margin: 4px 0; }
.big { font-size: 20px; font-weight: 600; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-weight: 600; font-size: 12px; }
.status.passed { background: var(--pass); } .status.failed { background: var(--fail); }
.status.skipped, .status.unknown { background: var(--skip); }
.muted, .age { color: var(--muted); }
.age.stale { color: var(--warn); font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 600; white-space: nowrap; }
td code, .nowrap { white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.worse { color: var(--fail); font-weight: 600; } .slower { color: var(--warn); } .faster { color: var(--pass); }
.scroll { overflow-x: auto; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(420px, 100%), 1fr)); gap: 12px; }
.bench-groups { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
.bench-group h3 { margin: 8px 0 6px; }
.bench-cards { display: flex; flex-wrap: wrap; gap: 12px; }
.bench-card { width: 340px; max-width: 100%; }
.bench-card h4 { margin: 0; font-size: 13px; overflow-wrap: anywhere; }
.bench-card .now { margin: 0 0 4px; }
figure.chart { margin: 0; min-width: 0; }
.axis-title { margin: 0; color: var(--muted); font-size: 12px; }
.x-title { text-align: center; overflow-wrap: anywhere; }
.plot-area { display: grid; grid-template-columns: max-content minmax(0, 1fr); column-gap: 6px; }
/* Each label takes no height in the flow (so the column is as wide as the widest), moved down to its grid line. */
.y-axis .yt { display: block; position: relative; height: 16px; margin-bottom: -16px; line-height: 16px; white-space: nowrap; text-align: right;
  color: var(--muted); font-size: 11px; font-variant-numeric: tabular-nums; }
${CHART_STYLE}
svg.plot { display: block; width: 100%; overflow: visible; touch-action: none; }
svg.plot .grid { stroke: var(--line); stroke-width: 1; }
svg.plot .axis, svg.plot .xtick { stroke: var(--muted); stroke-width: 1; }
svg.plot .tick { fill: var(--muted); font-size: 11px; }
svg.plot .tick.commit { font: 10px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.series-coverage { --c: var(--accent); } .series-passed { --c: var(--pass); }
.series-failed { --c: var(--fail); } .series-median { --c: var(--bench); }
svg.plot .line { fill: none; stroke: var(--c); stroke-width: 2; stroke-linejoin: round; vector-effect: non-scaling-stroke; }
svg.plot circle.line, svg.plot .last { fill: var(--c); stroke: none; }
svg.plot .cursor { stroke: var(--muted); stroke-dasharray: 3 3; vector-effect: non-scaling-stroke; }
svg.plot .mark { fill: none; stroke: var(--fail); stroke-width: 2; }
svg.plot .mark-tentative { stroke: var(--warn); stroke-dasharray: 2 2; }
svg.plot .mark-improvement { stroke: var(--pass); }
svg.plot .band { fill: var(--bench); fill-opacity: 0.16; stroke: none; }
svg.plot .baseline { fill: none; stroke: var(--bench); stroke-opacity: 0.6; stroke-width: 1.5; stroke-dasharray: 4 3; vector-effect: non-scaling-stroke; }
.legend .key.band-key { background: var(--bench); opacity: 0.3; }
.legend .key.baseline-key { background: none; border-top: 2px dashed var(--bench); border-radius: 0; height: 0; width: 16px; vertical-align: middle; }
.legend .mark-regression, .legend .mark-tentative, .legend .mark-improvement { border-radius: 50%;
  background: none; border: 2px solid var(--fail); }
.legend .mark-tentative { border-color: var(--warn); border-style: dashed; }
.legend .mark-improvement { border-color: var(--pass); }
tr.v-regression td:first-child { box-shadow: inset 3px 0 var(--fail); }
tr.v-tentative td:first-child { box-shadow: inset 3px 0 var(--warn); }
tr.v-improvement td:first-child { box-shadow: inset 3px 0 var(--pass); }
.shift { margin: 4px 0; }
.verdict { margin: 4px 0 8px; font-size: 15px; }
nav.branches { display: flex; flex-wrap: wrap; gap: 4px 14px; color: var(--muted); margin: 0 0 8px; }
details.branch-view { border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px; margin: 8px 0; }
details.branch-view > summary { cursor: pointer; overflow-wrap: anywhere; }
.failures { list-style: none; padding: 0; margin: 0; }
.failure { border-left: 3px solid var(--fail); padding: 4px 10px; margin: 6px 0; background: var(--panel); overflow-wrap: anywhere; }
.failure dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 10px; margin: 4px 0 0; }
.failure dt { color: var(--muted); }
.failure dd { margin: 0; min-width: 0; }
.failure code, .failure pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.failure pre { margin: 0; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.flaky { color: var(--warn); font-weight: 600; }
.legend { margin: 0; color: var(--muted); font-size: 12px; }
.legend .key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 8px; background: var(--c); }
.readout { min-height: 1.5em; margin: 2px 0 0; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.filter { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 0 0 12px; }
.filter input { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg); color: var(--fg); flex: 0 1 260px; min-width: 0; }
/* Narrow screens: each table row becomes a block of "column: value" lines, so nothing scrolls sideways. */
@media (max-width: 640px) {
  header, main, footer { padding: 0 12px; }
  .bench-groups, .bench-group, .bench-cards { min-width: 0; max-width: 100%; }
  table, thead, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { border-bottom: 1px solid var(--line); padding: 4px 0; }
  td, td.n { border: none; padding: 1px 4px; text-align: left; white-space: normal; }
  td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
  td:empty { display: none; }
  td code, .nowrap { white-space: normal; overflow-wrap: anywhere; }
}
footer { margin-top: 32px; padding-bottom: 24px; color: var(--muted); font-size: 12px; }
`;

// Plain ES2017 that reads only data already on the page and writes text only (textContent): relative
// times, the benchmark filter, the value under the pointer, and opening the branch view a link names.
export const SCRIPT = `
(function () {
  "use strict";

  function ago(seconds) {
    var units = [["day", 86400], ["hour", 3600], ["minute", 60]];
    for (var i = 0; i < units.length; i++) {
      var n = Math.floor(seconds / units[i][1]);
      if (n >= 1) return n + " " + units[i][0] + (n === 1 ? "" : "s") + " ago";
    }
    return "just now";
  }
  document.querySelectorAll("[data-time]").forEach(function (el) {
    var t = Date.parse(el.getAttribute("data-time"));
    if (isNaN(t)) return;
    var seconds = Math.max(0, (Date.now() - t) / 1000);
    var staleAfter = Number(el.getAttribute("data-stale-after"));
    var stale = staleAfter > 0 && seconds > staleAfter;
    el.textContent = "(" + ago(seconds) + (stale ? ", stale" : "") + ")";
    if (stale) el.classList.add("stale");
  });

  var filter = document.getElementById("bench-filter");
  var count = document.getElementById("bench-count");
  if (filter) {
    filter.addEventListener("input", function () {
      var query = filter.value.trim().toLowerCase();
      var shown = 0;
      document.querySelectorAll(".bench-group").forEach(function (group) {
        var any = false;
        group.querySelectorAll(".bench-card").forEach(function (card) {
          var hit = query === "" || card.getAttribute("data-name").toLowerCase().indexOf(query) !== -1;
          card.hidden = !hit;
          if (hit) { any = true; shown++; }
        });
        group.hidden = !any;
      });
      if (count) count.textContent = shown + (shown === 1 ? " benchmark" : " benchmarks");
    });
  }

  // A branch's view opens when a link (or the address) names it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  document.querySelectorAll("figure.chart").forEach(function (figure) {
    var svg = figure.querySelector("svg.plot");
    var out = figure.parentNode.querySelector(".readout");
    var cursor = svg.querySelector(".cursor");
    var n = Number(svg.getAttribute("data-runs"));
    var inset = Number(svg.getAttribute("data-inset"));
    var values = (svg.getAttribute("data-readouts") || "").split("|");
    var idle = out ? out.textContent : "";
    if (!out || n < 1) return;
    svg.addEventListener("pointermove", function (event) {
      var box = svg.getBoundingClientRect();
      var pct = ((event.clientX - box.left) / box.width) * 100;
      var i = n === 1 ? 0 : Math.round(((pct - inset) / (100 - 2 * inset)) * (n - 1));
      i = Math.max(0, Math.min(n - 1, i));
      var x = n === 1 ? 50 : inset + ((100 - 2 * inset) * i) / (n - 1);
      // The lines' own viewBox is 1000 wide (charts.ts): percent times ten.
      cursor.setAttribute("x1", x * 10);
      cursor.setAttribute("x2", x * 10);
      cursor.setAttribute("visibility", "visible");
      out.textContent = values[i] || "no value";
    });
    svg.addEventListener("pointerleave", function () {
      cursor.setAttribute("visibility", "hidden");
      out.textContent = idle;
    });
  });
})();
`;

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** Nothing from another host, and only the style and script above. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "img-src 'self' data:",
  `style-src ${sha256(STYLE)}`,
  `script-src ${sha256(SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
