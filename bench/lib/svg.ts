/** A hand-written SVG of latency distributions: one panel per scenario, cumulative curves. */
import { percentile } from './stats';

export interface Series {
  label: string;
  color: string;
  /** Samples (ms), any order; or evenly spaced quantiles, with `n` the samples they summarize. */
  values: number[];
  n?: number;
}

export interface Panel {
  title: string;
  series: Series[];
  note?: string;
}

const WIDTH = 480;
const HEIGHT = 340;
const MARGIN = { top: 48, right: 20, bottom: 84, left: 56 };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fixed = (value: number) => (Math.round(value * 10) / 10).toString();

/** A round axis maximum at or above `value`. */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function panel(spec: Panel, x0: number): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sorted = spec.series.map((series) => [...series.values].sort((a, b) => a - b));
  // Up to the 99.5th percentile: a single outlier does not squash the curves.
  const xMax = niceMax(Math.max(...sorted.map((values) => percentile(values, 99.5))));
  const px = (ms: number) => x0 + MARGIN.left + (Math.min(ms, xMax) / xMax) * plotW;
  const py = (fraction: number) => MARGIN.top + plotH - fraction * plotH;
  const parts: string[] = [];
  parts.push(`<text x="${x0 + MARGIN.left}" y="22" class="title">${escape(spec.title)}</text>`);
  if (spec.note) parts.push(`<text x="${x0 + MARGIN.left}" y="38" class="note">${escape(spec.note)}</text>`);
  for (let tick = 0; tick <= 5; tick++) {
    const ms = (xMax * tick) / 5;
    const x = px(ms);
    parts.push(`<line x1="${x}" y1="${py(0)}" x2="${x}" y2="${py(1)}" class="grid"/>`);
    parts.push(`<text x="${x}" y="${py(0) + 16}" class="tick" text-anchor="middle">${fixed(ms)}</text>`);
  }
  for (const fraction of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
    const y = py(fraction);
    parts.push(`<line x1="${px(0)}" y1="${y}" x2="${px(xMax)}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${px(0) - 6}" y="${y + 4}" class="tick" text-anchor="end">${Math.round(fraction * 100)}%</text>`);
  }
  parts.push(`<text x="${px(xMax / 2)}" y="${py(0) + 34}" class="axis" text-anchor="middle">milliseconds</text>`);
  spec.series.forEach((series, index) => {
    const values = sorted[index];
    if (values.length === 0) return;
    const points = values.map((ms, i) => `${px(ms).toFixed(1)},${py((i + 1) / values.length).toFixed(1)}`);
    parts.push(`<polyline points="${px(values[0]).toFixed(1)},${py(0)} ${points.join(' ')}" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    const p50 = percentile(values, 50);
    const p99 = percentile(values, 99);
    for (const [ms, dash] of [[p50, '4 3'], [p99, '1 3']] as const) {
      parts.push(`<line x1="${px(ms)}" y1="${py(0)}" x2="${px(ms)}" y2="${py(1)}" stroke="${series.color}" stroke-dasharray="${dash}" opacity="0.7"/>`);
    }
    const legendY = py(0) + 50 + 15 * index;
    const legendX = x0 + MARGIN.left;
    parts.push(`<rect x="${legendX}" y="${legendY - 9}" width="10" height="10" fill="${series.color}"/>`);
    parts.push(
      `<text x="${legendX + 14}" y="${legendY}" class="legend">${escape(series.label)}: p50 ${fixed(p50)} · p99 ${fixed(p99)} ms (n=${series.n ?? values.length})</text>`,
    );
  });
  return parts.join('\n');
}

export function renderChart(panels: Panel[], caption: string): string {
  const width = WIDTH * panels.length;
  const height = HEIGHT + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    '<style>.title{font-size:14px;font-weight:600}.note,.tick,.axis{font-size:11px;fill:#555}.legend{font-size:11px}.grid{stroke:#e5e5e5}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...panels.map((spec, index) => panel(spec, index * WIDTH)),
    `<text x="8" y="${height - 8}" class="note">${escape(caption)} — dashed: p50, dotted: p99</text>`,
    '</svg>',
    '',
  ].join('\n');
}
