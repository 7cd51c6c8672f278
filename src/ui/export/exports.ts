/**
 * Exports for slides and analysis: time series as CSV, final stats as query-migrate JSON, charts
 * as standalone SVG, page map and charts as PNG. Builders are pure (strings in, strings out) and
 * tested; the download helpers are the only part that touches the browser.
 */
import type { LabelledPoint, SweepSeries } from '../../sweep/index';
import type { QueryMigrate } from '../../engine/types';
import { FONT_SANS } from '../fonts';

/** The series fields exports need (a Simulation's Series or a worker frame's copy). */
export interface SeriesLike {
  t: ArrayLike<number>;
  transferred: ArrayLike<number>;
  remaining: ArrayLike<number>;
  length: number;
}

export interface LabelledSeries {
  /** The run's mode id, e.g. "original", "hint". */
  label: string;
  series: SeriesLike;
}

/**
 * One CSV row per sample and run: time, bytes transferred, bytes remaining, and the throughput
 * over the interval ending at that sample (MB/s, 10^6 bytes).
 */
export function seriesToCsv(runs: readonly LabelledSeries[]): string {
  const rows = ['mode,t_ms,transferred_bytes,remaining_bytes,throughput_MBps'];
  for (const { label, series: s } of runs) {
    for (let i = 0; i < s.length; i++) {
      const dt = i > 0 ? s.t[i] - s.t[i - 1] : 0;
      const mbps = dt > 0 ? (s.transferred[i] - s.transferred[i - 1]) / dt / 1000 : 0;
      rows.push(`${csvField(label)},${num(s.t[i])},${s.transferred[i]},${s.remaining[i]},${num(mbps)}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

/** Final stats: one query-migrate object, or one per mode in compare. */
export function statsToJson(stats: QueryMigrate | Readonly<Record<string, QueryMigrate>>): string {
  return `${JSON.stringify(stats, null, 2)}\n`;
}

/**
 * Flat CSV of the stats (one row per mode), for spreadsheets: query-migrate's main figures, then
 * every numeric `migviz` counter of any run (named `migviz.<key>`, in the engine's order), so a
 * mode's own counters reach the file without a column written for it. A run without a counter
 * another run has leaves its cell empty.
 */
export function statsToCsv(stats: Readonly<Record<string, QueryMigrate>>): string {
  const runs = Object.values(stats);
  const migviz: string[] = [];
  for (const q of runs) {
    for (const [k, v] of Object.entries(q.migviz)) if (typeof v === 'number' && !migviz.includes(k)) migviz.push(k);
  }
  const counter = (k: string) => (q: QueryMigrate) => {
    const v: unknown = (q.migviz as Readonly<Record<string, unknown>>)[k];
    return typeof v === 'number' ? v : '';
  };
  const keys: [string, (q: QueryMigrate) => number | string | boolean][] = [
    ['status', (q) => q.status],
    ['total-time', (q) => q['total-time']],
    ['setup-time', (q) => q['setup-time']],
    ['downtime', (q) => q.downtime],
    ['transferred', (q) => q.ram.transferred],
    ['duplicate', (q) => q.ram.duplicate],
    ['normal', (q) => q.ram.normal],
    ['dirty-sync-count', (q) => q.ram['dirty-sync-count']],
    ['mbps', (q) => q.ram.mbps],
    ['verified', (q) => q.verification.ok],
    ...migviz.map((k): [string, (q: QueryMigrate) => number | string] => [`migviz.${k}`, counter(k)]),
  ];
  const rows = [['mode', ...keys.map(([k]) => k)].join(',')];
  for (const [mode, q] of Object.entries(stats)) rows.push([csvField(mode), ...keys.map(([, f]) => String(f(q)))].join(','));
  return `${rows.join('\n')}\n`;
}

/** Height of the caption band an exported chart gets above the chart (px). */
export const SVG_CAPTION_HEIGHT = 22;
/** Height of the legend band under the caption (px). */
export const SVG_LEGEND_HEIGHT = 18;

/** One key of an exported chart's legend: a line sample in `color` (dashed for markers) and its label. */
export interface ChartLegendEntry {
  label: string;
  color: string;
  /** SVG stroke-dasharray of the sample (markers: dotted syncs), or none for a solid line. */
  dash?: string;
}

/** How much an exported chart grows above the chart for its caption and legend. */
export function svgHeaderHeight(caption: string, legend: readonly ChartLegendEntry[]): number {
  return (caption ? SVG_CAPTION_HEIGHT : 0) + (legend.length > 0 ? SVG_LEGEND_HEIGHT : 0);
}

/** Legend width estimate per label character (11 px type) and per sample (line + gaps). */
const LEGEND_CHAR_PX = 6.2;
const LEGEND_SAMPLE_PX = 26;

/**
 * A standalone SVG document from an on-screen chart: namespaces set and the computed colours of
 * the page's CSS variables inlined, so it opens the same in a browser, Inkscape or a slide deck.
 * A `caption` (which modes the chart shows, and `subtitle`: scenario and moment) goes in a band
 * above the chart and in <title>; the `legend` (what each line and marker is) in a band under it,
 * so a chart on a slide explains itself.
 */
export function svgDocument(
  svgMarkup: string,
  width: number,
  height: number,
  background: string,
  css = '',
  caption = '',
  legend: readonly ChartLegendEntry[] = [],
  subtitle = '',
): string {
  const body = svgMarkup.replace(/^<svg\b[^>]*>/, '').replace(/<\/svg>\s*$/, '');
  const style = css ? `<style>${css.replace(/[<>&]/g, '')}</style>` : '';
  const top = svgHeaderHeight(caption, legend);
  const h = height + top;
  const text = xmlText(caption);
  const sub = subtitle
    ? `<text class="export-subtitle" x="${width - 8}" y="15" font-size="11" text-anchor="end">${xmlText(subtitle)}</text>`
    : '';
  const head = caption
    ? `<title>${text}</title><text class="export-caption" x="8" y="15" font-size="13" font-weight="600">${text}</text>${sub}`
    : '';
  let x = 8;
  const y = (caption ? SVG_CAPTION_HEIGHT : 0) + 11;
  const keys = legend
    .map((e) => {
      const g =
        `<g class="export-legend-key"><line x1="${x}" y1="${y - 4}" x2="${x + 18}" y2="${y - 4}" stroke="${xmlText(e.color)}" stroke-width="2"` +
        `${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/><text class="export-legend" x="${x + 22}" y="${y}" font-size="11">${xmlText(e.label)}</text></g>`;
      x += LEGEND_SAMPLE_PX + e.label.length * LEGEND_CHAR_PX + 10;
      return g;
    })
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}">` +
    `${style}<rect width="100%" height="100%" fill="${background}"/>${head}${keys}` +
    (top ? `<g transform="translate(0,${top})">${body}</g>` : body) +
    '</svg>\n'
  );
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The stylesheet the on-screen charts get from the page (styles.css), with the theme's colours
 * written out, so an exported chart looks the same outside the page.
 */
export function chartStyleSheet(c: { text: string; muted: string; border: string }): string {
  return [
    `text { font-family: ${FONT_SANS}; }`,
    `.chart-axis text { fill: ${c.muted}; font-size: 10px; }`,
    `.chart-axis path, .chart-axis line { stroke: ${c.border}; }`,
    `.chart-title { fill: ${c.text}; font-size: 11px; }`,
    `.chart-readout { fill: ${c.text}; font-size: 11px; text-anchor: end; }`,
    `.export-caption { fill: ${c.text}; }`,
    `.export-legend, .export-subtitle { fill: ${c.muted}; }`,
    `.marker text { font-size: 9px; }`,
  ].join(' ');
}

/** Series as JSON: one object per run with parallel arrays (compact, easy to plot elsewhere). */
export function seriesToJson(runs: readonly LabelledSeries[]): string {
  const out: Record<string, { t_ms: number[]; transferred_bytes: number[]; remaining_bytes: number[] }> = {};
  for (const { label, series: s } of runs) {
    const pick = (a: ArrayLike<number>) => Array.from({ length: s.length }, (_, i) => a[i]);
    out[label] = { t_ms: pick(s.t), transferred_bytes: pick(s.transferred), remaining_bytes: pick(s.remaining) };
  }
  return `${JSON.stringify(out)}\n`;
}

/** Replaces var(--name) in attribute values and inline styles by the values given. */
export function inlineCssVariables(markup: string, vars: Readonly<Record<string, string>>): string {
  return markup.replace(/var\(--([\w-]+)\)/g, (whole, name: string) => vars[name] ?? whole);
}

/** File name stem, e.g. "migviz-rfc-case-2-compare-original-pv-seed1-t552ms" (view: viewSlug). */
export function exportName(presetId: string, view: string, seed: number, timeMs: number): string {
  return `migviz-${presetId}-${view}-seed${seed}-t${Math.round(timeMs)}ms`;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function num(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

// ---- browser side ----

export function downloadText(fileName: string, text: string, type: string): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Rasterises a standalone SVG document to PNG at the given pixel ratio. */
export async function svgToPng(svgDoc: string, width: number, height: number, ratio = 2): Promise<Blob> {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svgDoc], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be rasterised'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas to rasterise into');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await canvasToPng(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png'),
  );
}

/** One row per point of a sweep chart: x, mode, seeds, median, min, max, or why it has none. */
export interface SweepPointRow {
  x: number;
  mode: string;
  seeds: number;
  median: number | null;
  min: number | null;
  max: number | null;
  failed: string | null;
}

export function sweepRows(series: readonly SweepSeries[]): SweepPointRow[] {
  return series.flatMap((s) =>
    s.points.map((p) => ({
      x: p.x,
      mode: s.mode,
      seeds: p.done,
      median: p.value?.median ?? null,
      min: p.value?.min ?? null,
      max: p.value?.max ?? null,
      failed: p.failed,
    })),
  );
}

/**
 * The sweep's points as CSV: the x parameter and the metric name the columns
 * (`guest-gib,mode,seeds,total-time median,…`); a failed point has empty values and its reason.
 */
export function sweepToCsv(param: string, metric: string, series: readonly SweepSeries[], labelled: readonly LabelledPoint[] = []): string {
  const head = [param, 'mode', 'seeds', `${metric} median`, `${metric} min`, `${metric} max`, 'failed'];
  const cell = (v: number | string | null) => (v === null ? '' : typeof v === 'number' ? String(v) : csvField(v));
  const rows = sweepRows(series).map((r) => [r.x, r.mode, r.seeds, r.median, r.min, r.max, r.failed].map(cell).join(','));
  const extra = labelled.map((p) => [p.x, p.mode ?? '', '', p.y, '', '', ''].map(cell).join(',') + `,${csvField(p.label)}`);
  const lines = [head.join(','), ...rows];
  if (extra.length > 0) {
    lines[0] += ',label';
    lines.push(...extra);
  }
  return `${lines.join('\n')}\n`;
}

export function sweepToJson(
  meta: Readonly<Record<string, unknown>>,
  series: readonly SweepSeries[],
  published: readonly LabelledPoint[],
  measured: readonly LabelledPoint[],
): string {
  return `${JSON.stringify({ ...meta, points: sweepRows(series), published, measured }, null, 1)}\n`;
}
