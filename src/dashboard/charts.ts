// Line charts as inline SVG, drawn when the page is rendered: no script library, no request, and the
// same data always gives the same bytes. The x axis is the run's place in the history, oldest left.
import { escapeHtml } from "../render/escape.js";

export interface Series {
  /** Shown in the legend and used as the CSS class `series-<key>` (a fixed word, never data). */
  key: string;
  label: string;
  values: Array<number | null>;
}

export interface ChartOptions {
  /** Accessible name of the chart. */
  title: string;
  width?: number;
  height?: number;
  /** Text of an axis value. */
  format: (value: number) => string;
  /** Fixed ends of the y axis (for example 0 and 100 for a percentage); else the data's range. */
  yMin?: number;
  yMax?: number;
  /** Limits the y axis to this range after padding (for example 0 to 100 for a percentage). */
  bounds?: [number, number];
  /** Labels of the first and last run, under the axis. */
  xLabels?: [string, string];
  /** Runs to mark, by the kind of mark (a benchmark's verdicts). */
  marks?: Array<MarkKind | undefined>;
  /** A shaded band per run (low, high), for example the noise band around a benchmark's baseline. */
  bands?: Array<[number, number] | null>;
  /** What the pointer readout shows for each run (escaped here). */
  readouts?: string[];
}

export type MarkKind = "regression" | "tentative" | "improvement";

const PAD = { left: 58, right: 10, top: 10, bottom: 22 };
const num = (n: number) => (Math.round(n * 10) / 10).toString();

function range(series: Series[], options: ChartOptions): [number, number] {
  const values = [
    ...series.flatMap((s) => s.values),
    ...(options.bands ?? []).flatMap((b) => b ?? []),
  ].filter((v): v is number => v !== null && Number.isFinite(v));
  let lo = options.yMin ?? Math.min(...values);
  let hi = options.yMax ?? Math.max(...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) {
    const pad = Math.abs(hi) * 0.05 || 1;
    lo = options.yMin ?? lo - pad;
    hi = options.yMax ?? hi + pad;
  } else {
    const pad = (hi - lo) * 0.08;
    lo = options.yMin ?? lo - pad;
    hi = options.yMax ?? hi + pad;
  }
  if (options.bounds) {
    lo = Math.max(lo, options.bounds[0]);
    hi = Math.min(hi, options.bounds[1]);
  }
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** Polylines of the runs that have a value; a run without one breaks the line. */
function segments(
  values: Array<number | null>,
  x: (i: number) => number,
  y: (v: number) => number,
): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (current.length) out.push(current);
      current = [];
    } else current.push(`${num(x(i))},${num(y(v))}`);
  });
  if (current.length) out.push(current);
  return out;
}

/**
 * The band as one closed path per run of consecutive runs that have one: along the upper edge, back along the
 * lower; a lone run gets a short bar. Its centre line (the baseline) is drawn dashed.
 */
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
    const xs = run.map((_, k) => x(start + k));
    if (run.length === 1) xs.splice(0, 1, xs[0]! - 4, xs[0]! + 4);
    const at = (k: number) => run[Math.min(k, run.length - 1)]!;
    const upper = xs.map((px, k) => `${num(px)},${num(y(at(k)[1]))}`);
    const lower = xs.map((px, k) => `${num(px)},${num(y(at(k)[0]))}`).reverse();
    const centre = xs.map((px, k) => `${num(px)},${num(y((at(k)[0] + at(k)[1]) / 2))}`);
    shapes.push(
      `<path class="band" d="M${upper.join("L")}L${lower.join("L")}Z"><title>noise band</title></path>`,
      `<polyline class="baseline" points="${centre.join(" ")}"/>`,
    );
    start = end + 1;
  }
  return shapes;
}

export function lineChart(series: Series[], options: ChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 180;
  const runs = Math.max(1, ...series.map((s) => s.values.length));
  const [lo, hi] = range(series, options);
  const x0 = PAD.left;
  const x1 = width - PAD.right;
  const y0 = height - PAD.bottom;
  const y1 = PAD.top;
  const x = (i: number) => (runs === 1 ? (x0 + x1) / 2 : x0 + ((x1 - x0) * i) / (runs - 1));
  const y = (v: number) => y0 - ((v - lo) / (hi - lo)) * (y0 - y1);

  const parts: string[] = [];
  for (const tick of [lo, (lo + hi) / 2, hi]) {
    const ty = num(y(tick));
    parts.push(
      `<line class="grid" x1="${x0}" x2="${x1}" y1="${ty}" y2="${ty}"/>`,
      `<text class="tick" x="${x0 - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle">${escapeHtml(options.format(tick))}</text>`,
    );
  }
  if (options.xLabels) {
    const [first, last] = options.xLabels.map(escapeHtml);
    parts.push(`<text class="tick" x="${x0}" y="${height - 6}">${first}</text>`);
    if (runs > 1)
      parts.push(`<text class="tick" x="${x1}" y="${height - 6}" text-anchor="end">${last}</text>`);
  }
  if (options.bands) parts.push(...bandShapes(options.bands, x, y));
  for (const s of series) {
    for (const seg of segments(s.values, x, y)) {
      parts.push(
        seg.length === 1
          ? `<circle class="line series-${s.key}" cx="${seg[0]!.split(",")[0]}" cy="${seg[0]!.split(",")[1]}" r="2.5"/>`
          : `<polyline class="line series-${s.key}" points="${seg.join(" ")}"/>`,
      );
    }
    const lastIndex = s.values.length - 1;
    const last = s.values[lastIndex];
    if (typeof last === "number" && Number.isFinite(last)) {
      parts.push(
        `<circle class="last series-${s.key}" cx="${num(x(lastIndex))}" cy="${num(y(last))}" r="3"/>`,
      );
    }
  }
  options.marks?.forEach((kind, i) => {
    const v = series[0]?.values[i];
    if (kind && typeof v === "number" && Number.isFinite(v)) {
      parts.push(
        `<circle class="mark mark-${kind}" cx="${num(x(i))}" cy="${num(y(v))}" r="4"><title>${kind}</title></circle>`,
      );
    }
  });
  parts.push(`<line class="cursor" x1="0" x2="0" y1="${y1}" y2="${y0}" visibility="hidden"/>`);

  const readouts = options.readouts
    ? ` data-readouts="${escapeHtml(options.readouts.map((r) => r.replace(/\|/g, "/")).join("|"))}"`
    : "";
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.title)}"` +
    ` data-runs="${runs}" data-x0="${x0}" data-x1="${x1}"${readouts}>` +
    parts.join("") +
    `</svg>`
  );
}

/** A legend for a chart of several series, with the same classes as the lines. */
export function legend(series: Series[]): string {
  return `<p class="legend">${series
    .map((s) => `<span class="key series-${s.key}"></span>${escapeHtml(s.label)}`)
    .join(" ")}</p>`;
}
