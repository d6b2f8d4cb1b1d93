// Line charts as inline SVG, drawn when the page is rendered: no script library, no request, and the
// same data always gives the same bytes. The x axis is the run's place in the order the results branch
// published the runs, oldest left. Text stays at its CSS size at any width: the y labels are HTML beside the
// plot and the x labels sit at percentages of its width, while only the lines stretch (their strokes do not).
import { escapeHtml } from "../render/escape.js";
import { INTERVALS, type Unit, niceScale } from "./scale.js";

export interface Series {
  /** Shown in the legend and used as the CSS class `series-<key>` (a fixed word, never data). */
  key: string;
  label: string;
  values: Array<number | null>;
}

/** What a run is called under the x axis. */
export interface RunLabel {
  date: string;
  commit: string;
}

export interface ChartOptions {
  /** Accessible name of the chart. */
  title: string;
  /** The y axis's name with its unit, shown above it ("Line coverage, %"). */
  yTitle: string;
  /** The x axis's name, shown under it. */
  xTitle: string;
  unit: Unit;
  size?: ChartSize;
  /** Where the y axis starts (0 for counts); else at a round value below the data. */
  from?: number;
  /** Limits of the y axis (for example 0 and 100 for a percentage). */
  bounds?: [number, number];
  /** The runs, oldest first: their labels under the axis. */
  runs: RunLabel[];
  /** Runs to mark, by the kind of mark (a benchmark's verdicts). */
  marks?: Array<MarkKind | undefined>;
  /** A shaded band per run (low, high), for example the noise band around a benchmark's baseline. */
  bands?: Array<[number, number] | null>;
  /** What the pointer readout shows for each run after its commit and date (escaped here). */
  readouts?: string[];
}

export type MarkKind = "regression" | "tentative" | "improvement";
export type ChartSize = "wide" | "small";

/** Plot heights in CSS pixels; the y labels are placed by class at the same heights (CHART_STYLE). */
const PLOT: Record<ChartSize, number> = { wide: 150, small: 100 };
const TOP = 8;
const BOTTOM = 34;
/** Points keep this far (percent of the width) from the plot's sides, so a marked end point is whole. */
const INSET = 2;
const LINE_WIDTH = 1000;

const num = (n: number) => (Math.round(n * 100) / 100).toString();

/** Where the y labels go: one class per tick height and chart size. */
export const CHART_STYLE = (Object.entries(PLOT) as Array<[ChartSize, number]>)
  .map(([size, plot]) =>
    Array.from(
      { length: INTERVALS + 1 },
      (_, k) => `.size-${size} .yt.t${k} { top: ${TOP + plot - (plot * k) / INTERVALS - 8}px; }`,
    ).join("\n"),
  )
  .join("\n");

/** The band as closed paths over consecutive runs that have one; a lone run gets a short bar. */
function bandShapes(
  bands: Array<[number, number] | null>,
  x: (i: number) => number,
  y: (v: number) => number,
): string[] {
  const valid = (b: [number, number] | null | undefined): b is [number, number] =>
    !!b && Number.isFinite(b[0]) && Number.isFinite(b[1]);
  const shapes: string[] = [];
  let start = 0;
  while (start < bands.length) {
    if (!valid(bands[start])) {
      start++;
      continue;
    }
    let end = start;
    while (end + 1 < bands.length && valid(bands[end + 1])) end++;
    const run = bands.slice(start, end + 1) as Array<[number, number]>;
    const xs = run.map((_, k) => x(start + k) * (LINE_WIDTH / 100));
    if (run.length === 1) xs.splice(0, 1, xs[0]! - 6, xs[0]! + 6);
    const at = (k: number) => run[Math.min(k, run.length - 1)]!;
    const upper = xs.map((px, k) => `${num(px)},${num(y(at(k)[1]))}`);
    const lower = xs.map((px, k) => `${num(px)},${num(y(at(k)[0]))}`).reverse();
    const centre = xs.map((px, k) => `${num(px)},${num(y((at(k)[0] + at(k)[1]) / 2))}`);
    shapes.push(
      `<path class="band" d="M${upper.join("L")}L${lower.join("L")}Z"/>`,
      `<polyline class="baseline" points="${centre.join(" ")}"/>`,
    );
    start = end + 1;
  }
  return shapes;
}

/** Which runs get a label under the axis: the first, the middle and the last, which never crowd each other. */
function labelled(runs: number): number[] {
  if (runs <= 2) return Array.from({ length: runs }, (_, i) => i);
  return [0, Math.round((runs - 1) / 2), runs - 1];
}

export function lineChart(series: Series[], options: ChartOptions): string {
  const size = options.size ?? "wide";
  const plot = PLOT[size];
  const height = TOP + plot + BOTTOM;
  const runs = Math.max(1, options.runs.length, ...series.map((s) => s.values.length));
  const values = [...series.flatMap((s) => s.values), ...(options.bands ?? []).flatMap((b) => b ?? [])];
  const scale = niceScale(
    values.filter((v): v is number => v !== null),
    options.unit,
    { from: options.from, bounds: options.bounds },
  );
  /** x in percent of the plot's width. */
  const x = (i: number) => (runs === 1 ? 50 : INSET + ((100 - 2 * INSET) * i) / (runs - 1));
  const y = (v: number) => TOP + (plot * (scale.hi - v)) / (scale.hi - scale.lo);
  const ok = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

  const grid = scale.ticks.map(
    (t) => `<line class="grid" x1="0" x2="100%" y1="${num(y(t))}" y2="${num(y(t))}"/>`,
  );
  const yLabels = scale.ticks.map((t, k) => {
    const place = Math.round(((t - scale.lo) / (scale.hi - scale.lo)) * INTERVALS);
    return `<span class="yt t${place}">${escapeHtml(scale.labels[k]!)}</span>`;
  });
  const xLabels = labelled(runs).flatMap((i, k, all) => {
    const run = options.runs[i];
    if (!run) return [];
    const anchor = all.length === 1 ? "middle" : k === 0 ? "start" : k === all.length - 1 ? "end" : "middle";
    const at = `x="${num(x(i))}%" text-anchor="${anchor}"`;
    return [
      `<line class="xtick" x1="${num(x(i))}%" x2="${num(x(i))}%" y1="${TOP + plot}" y2="${TOP + plot + 4}"/>`,
      `<text class="tick" ${at} y="${TOP + plot + 16}">${escapeHtml(run.date)}</text>`,
      `<text class="tick commit" ${at} y="${TOP + plot + 29}">${escapeHtml(run.commit.slice(0, 7))}</text>`,
    ];
  });
  const lines: string[] = options.bands ? bandShapes(options.bands, x, y) : [];
  const dots: string[] = [];
  for (const s of series) {
    let current: string[] = [];
    const flush = () => {
      if (current.length > 1)
        lines.push(`<polyline class="line series-${s.key}" points="${current.join(" ")}"/>`);
      current = [];
    };
    s.values.forEach((v, i) => {
      if (!ok(v)) return flush();
      current.push(`${num(x(i) * (LINE_WIDTH / 100))},${num(y(v))}`);
      const last = i === s.values.length - 1;
      // A lone value between gaps is a dot, as is the newest value.
      const lone = !ok(s.values[i - 1]) && !ok(s.values[i + 1]);
      if (lone || last) {
        dots.push(
          `<circle class="${last ? "last" : "line"} series-${s.key}" cx="${num(x(i))}%" cy="${num(y(v))}" r="${last ? 3 : 2.5}"/>`,
        );
      }
    });
    flush();
  }
  options.marks?.forEach((kind, i) => {
    const v = series[0]?.values[i];
    if (kind && ok(v)) {
      dots.push(
        `<circle class="mark mark-${kind}" cx="${num(x(i))}%" cy="${num(y(v))}" r="4.5"><title>${kind}</title></circle>`,
      );
    }
  });
  lines.push(`<line class="cursor" x1="0" x2="0" y1="${TOP}" y2="${TOP + plot}" visibility="hidden"/>`);

  const readouts = options.readouts
    ? ` data-readouts="${escapeHtml(
        options.readouts
          .map((r, i) => {
            const run = options.runs[i];
            return [run && `${run.commit.slice(0, 10)} · ${run.date}`, r || "no value"]
              .filter(Boolean)
              .join(" · ")
              .replace(/\|/g, "/");
          })
          .join("|"),
      )}"`
    : "";
  return (
    `<figure class="chart size-${size}">` +
    `<figcaption class="axis-title">${escapeHtml(options.yTitle)}</figcaption>` +
    `<div class="plot-area"><div class="y-axis" aria-hidden="true">${yLabels.join("")}</div>` +
    `<svg class="plot" width="100%" height="${height}" role="img" aria-label="${escapeHtml(options.title)}"` +
    ` data-runs="${runs}" data-inset="${INSET}" data-y-min="${scale.lo}" data-y-max="${scale.hi}"${readouts}>` +
    grid.join("") +
    `<line class="axis" x1="0" x2="100%" y1="${TOP + plot}" y2="${TOP + plot}"/>` +
    `<svg class="lines" width="100%" height="${height}" viewBox="0 0 ${LINE_WIDTH} ${height}" preserveAspectRatio="none">` +
    lines.join("") +
    `</svg>` +
    dots.join("") +
    xLabels.join("") +
    `</svg></div>` +
    `<p class="axis-title x-title">${escapeHtml(options.xTitle)}</p>` +
    `</figure>`
  );
}

/** A legend for a chart of several series, with the same classes as the lines. */
export function legend(series: Series[]): string {
  return `<p class="legend">${series
    .map((s) => `<span class="key series-${s.key}"></span>${escapeHtml(s.label)}`)
    .join(" ")}</p>`;
}
