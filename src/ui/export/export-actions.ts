/**
 * The Export menu's actions: they gather what is on screen (page-map canvases and the charts' SVG
 * from the ExportRegistry, each panel's series and final stats) and hand it to the pure builders
 * in exports.ts. Every export names the mode(s) it came from: file names say scenario, view
 * (viewSlug), seed and moment; images carry the modes' labels; CSV and JSON the mode ids.
 */
import type { ModeId, QueryMigrate } from '../../engine/types';
import { MEASURED_LABEL } from '../measured';
import { formatClock } from '../format';
import { modeColor, modeLabel } from '../modes';
import type { Theme } from '../theme';
import type { Session } from '../state/session';
import { viewSlug } from '../view';
import type { ExportRegistry } from './export-registry';
import {
  canvasToPng,
  chartStyleSheet,
  downloadBlob,
  downloadText,
  exportName,
  seriesToCsv,
  seriesToJson,
  statsToCsv,
  statsToJson,
  type ChartLegendEntry,
  svgDocument,
  svgHeaderHeight,
  svgToPng,
  sweepToCsv,
  sweepToJson,
} from './exports';
import type { View } from '../view';
import { scenarioFileOf } from '../../engine/scenario';
import { FONT_SANS } from '../fonts';

export type ExportKind =
  | 'pagemap-png'
  | 'charts-svg'
  | 'charts-png'
  | 'series-csv'
  | 'series-json'
  | 'stats-csv'
  | 'stats-json'
  | 'scenario-json'
  | 'sweep-csv'
  | 'sweep-json'
  | 'sweep-svg'
  | 'sweep-png';

export const EXPORTS: readonly { kind: ExportKind; label: string }[] = [
  { kind: 'pagemap-png', label: 'Page map (PNG)' },
  { kind: 'charts-svg', label: 'Charts (SVG)' },
  { kind: 'charts-png', label: 'Charts (PNG)' },
  { kind: 'series-csv', label: 'Time series (CSV)' },
  { kind: 'series-json', label: 'Time series (JSON)' },
  { kind: 'stats-csv', label: 'Final stats (CSV)' },
  { kind: 'stats-json', label: 'Final stats (JSON, query-migrate)' },
  { kind: 'scenario-json', label: 'Scenario (JSON, opens again with Open…)' },
];

/** The sweep view's exports: its points and its chart. */
export const SWEEP_EXPORTS: readonly { kind: ExportKind; label: string }[] = [
  { kind: 'sweep-svg', label: 'Sweep chart (SVG)' },
  { kind: 'sweep-png', label: 'Sweep chart (PNG)' },
  { kind: 'sweep-csv', label: 'Sweep points (CSV)' },
  { kind: 'sweep-json', label: 'Sweep points (JSON)' },
  { kind: 'scenario-json', label: 'Scenario (JSON, opens again with Open…)' },
];

/** What the Export menu offers in a view: a sweep has no page map, time series or clock. */
export function exportsFor(view: View['kind']): readonly { kind: ExportKind; label: string }[] {
  return view === 'sweep' ? SWEEP_EXPORTS : EXPORTS;
}

/** The sweep chart as a standalone SVG: title (scenario), legend (modes, band, marks). */
export function sweepSvgDocument(src: ExportSource): { doc: string; width: number; height: number } {
  const sw = src.exports.sweepSource();
  if (!sw) throw new Error('no sweep chart on screen');
  const [, , w, h] = (sw.svg.getAttribute('viewBox') ?? '0 0 720 340').split(/\s+/).map(Number);
  const s = src.session;
  const theme = s.store.getState().theme;
  const markup = new XMLSerializer().serializeToString(sw.svg);
  const legend = [
    ...sw.modes.map((m) => ({ label: modeLabel(m), color: modeColor(theme, m) })),
    { label: 'band: min–max of seeds', color: theme.css.muted },
    { label: '✕ failed', color: theme.css.muted, dash: '2 3' },
  ];
  const v = s.viewState();
  const scenario = s.lead.store.getState().scenario;
  const subtitle = `${v.presetId} · ${scenario.guestGiB} GiB · seed ${scenario.seed}`;
  const doc = svgDocument(markup, w, h, theme.css.panel, chartStyleSheet(theme.css), sw.title, legend, subtitle);
  return { doc, width: w, height: h + svgHeaderHeight(sw.title, legend) };
}

/** What exports read: the session (panels, view, theme) and what the views registered. */
export interface ExportSource {
  session: Session;
  exports: ExportRegistry;
}

/** The title over one page map in the PNG, e.g. "Hinting · 0.552 s". */
export function pageMapCaption(mode: ModeId, timeMs: number): string {
  return `${modeLabel(mode)} · ${(timeMs / 1000).toFixed(3)} s`;
}

/** The caption of an exported chart: the modes of its runs, e.g. "Hinting", "Original vs PV". */
export function chartsCaption(modes: readonly ModeId[]): string {
  return modes.map(modeLabel).join(' vs ');
}

/** What an export produces, before it becomes a download (tests read this). */
export interface ExportFile {
  name: string;
  type: string;
  /** Text exports. */
  text?: string;
  /** Image exports. */
  blob?: Blob;
}

/** The file name stem of the view on screen (scenario, view, seed, moment). */
export function exportStem(s: Session): string {
  const v = s.viewState();
  const lead = s.lead.store.getState();
  // A sweep has no moment: its runs are at their ends.
  if (v.view.kind === 'sweep') return `migviz-${v.presetId}-${viewSlug(v.view)}-seed${lead.scenario.seed}`;
  return exportName(v.presetId, viewSlug(v.view), lead.scenario.seed, v.timeMs);
}

/** One entry per panel: mode -> its run's final stats (from the engine's timeline, else live). */
export function finalStats(s: Session): Record<string, QueryMigrate> {
  const out: Record<string, QueryMigrate> = {};
  for (const p of s.panels) {
    const st = p.store.getState();
    const q = st.timeline?.final ?? p.live.stats;
    if (q) out[st.mode] = q;
  }
  return out;
}

/** The standalone SVG document of the charts on screen, or null when none is mounted. */
export function chartsSvgDocument(src: ExportSource): { doc: string; width: number; height: number } | null {
  const svg = src.exports.chartsSvg();
  if (!svg) return null;
  const [, , w, h] = (svg.getAttribute('viewBox') ?? '0 0 460 300').split(/\s+/).map(Number);
  const s = src.session;
  const theme = s.store.getState().theme;
  const markup = new XMLSerializer().serializeToString(svg);
  const modes = s.panels.map((p) => p.store.getState().mode);
  const measured = s.measured;
  // A measured run on the charts is named in the caption and the legend, in its line colour.
  const measuredText = measured ? `${MEASURED_LABEL} (${measured.run.source})` : '';
  const caption = measured ? `${chartsCaption(modes)} · ${measuredText}` : chartsCaption(modes);
  const legend = [...chartsLegend(theme, modes), ...(measured ? [{ label: measuredText, color: theme.css.text }] : [])];
  const v = s.viewState();
  const subtitle = `${v.presetId} · seed ${s.lead.store.getState().scenario.seed} · at ${formatClock(v.timeMs)}`;
  const doc = svgDocument(markup, w, h, theme.css.panel, chartStyleSheet(theme.css), caption, legend, subtitle);
  return { doc, width: w, height: h + svgHeaderHeight(caption, legend) };
}

/**
 * The legend an exported chart carries, as the panel shows it: one run, the marker kinds in their
 * colours; several runs, each mode's line colour and the marker kinds' line styles.
 */
export function chartsLegend(theme: Theme, modes: readonly ModeId[]): ChartLegendEntry[] {
  const c = theme.chart;
  if (modes.length > 1) {
    return [
      ...modes.map((m) => ({ label: modeLabel(m), color: modeColor(theme, m) })),
      { label: 'sync', color: theme.css.muted, dash: '2 3' },
      { label: 'round', color: theme.css.muted },
      { label: 'stop-and-copy', color: theme.css.text },
    ];
  }
  return [
    { label: 'bitmap sync', color: c.sync, dash: '2 3' },
    { label: 'new round', color: c.round },
    { label: 'stop-and-copy', color: c.stopCopy },
  ];
}

/** Builds the file of an export (no download). */
export async function buildExport(src: ExportSource, kind: ExportKind): Promise<ExportFile> {
  const s = src.session;
  const name = exportStem(s);
  const runs = s.panels.map((p) => ({ label: p.store.getState().mode, series: p.live.series }));
  switch (kind) {
    case 'series-csv':
      return { name: `${name}-series.csv`, type: 'text/csv', text: seriesToCsv(runs) };
    case 'series-json':
      return { name: `${name}-series.json`, type: 'application/json', text: seriesToJson(runs) };
    case 'stats-csv':
      return { name: `${name}-stats.csv`, type: 'text/csv', text: statsToCsv(finalStats(s)) };
    case 'stats-json': {
      const all = finalStats(s);
      const modes = Object.keys(all);
      // A single run is exactly query-migrate's shape; a compare has one object per mode.
      const body = modes.length === 1 ? all[modes[0]] : all;
      return { name: `${name}-stats.json`, type: 'application/json', text: statsToJson(body) };
    }
    case 'scenario-json':
      return { name: `${name}-scenario.json`, type: 'application/json', text: scenarioFileOf(s.lead.store.getState().scenario) };
    case 'charts-svg': {
      const c = chartsSvgDocument(src);
      if (!c) throw new Error('no charts on screen');
      return { name: `${name}-charts.svg`, type: 'image/svg+xml', text: c.doc };
    }
    case 'charts-png': {
      const c = chartsSvgDocument(src);
      if (!c) throw new Error('no charts on screen');
      return { name: `${name}-charts.png`, type: 'image/png', blob: await svgToPng(c.doc, c.width, c.height, 2) };
    }
    case 'sweep-svg': {
      const c = sweepSvgDocument(src);
      return { name: `${name}.svg`, type: 'image/svg+xml', text: c.doc };
    }
    case 'sweep-png': {
      const c = sweepSvgDocument(src);
      return { name: `${name}.png`, type: 'image/png', blob: await svgToPng(c.doc, c.width, c.height, 2) };
    }
    case 'sweep-csv':
    case 'sweep-json': {
      const sw = src.exports.sweepSource();
      const v = s.store.getState().view;
      if (!sw || v.kind !== 'sweep') throw new Error('no sweep on screen');
      const { series, published, measured } = sw.points();
      if (kind === 'sweep-csv') {
        return { name: `${name}.csv`, type: 'text/csv', text: sweepToCsv(v.sweep.param, sw.yTitle, series, [...published, ...measured]) };
      }
      const meta = { title: sw.title, x: v.sweep.param, y: sw.yTitle, values: v.sweep.values, seeds: v.sweep.seeds, scenario: s.lead.store.getState().scenario };
      return { name: `${name}.json`, type: 'application/json', text: sweepToJson(meta, series, published, measured) };
    }
    case 'pagemap-png':
      return { name: `${name}-pagemap.png`, type: 'image/png', blob: await canvasToPng(composePageMaps(src)) };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

export async function runExport(src: ExportSource, kind: ExportKind): Promise<void> {
  const f = await buildExport(src, kind);
  if (f.blob) downloadBlob(f.name, f.blob);
  else downloadText(f.name, f.text ?? '', f.type);
  src.session.announce(`Exported ${f.name}`);
}

/** The page map(s) on one canvas, each titled with its mode's label (compare: side by side). */
export function composePageMaps(src: ExportSource): HTMLCanvasElement {
  const s = src.session;
  const theme = s.store.getState().theme;
  const maps = s.panels.flatMap((p) => {
    const image = src.exports.pageMapOf(p);
    return image ? [{ mode: p.store.getState().mode, image }] : [];
  });
  if (maps.length === 0) throw new Error('no page map on screen');
  const pad = 16;
  const title = 28;
  const out = document.createElement('canvas');
  out.width = maps.reduce((w, m) => w + m.image.width, 0) + pad * (maps.length + 1);
  out.height = Math.max(...maps.map((m) => m.image.height)) + title + pad * 2;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas to draw the export into');
  ctx.fillStyle = theme.css.bg;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = theme.css.text;
  ctx.font = `600 16px ${FONT_SANS}`;
  let x = pad;
  for (const m of maps) {
    ctx.fillText(pageMapCaption(m.mode, s.timeMs()), x, pad + 16);
    const { source, width, height } = m.image;
    ctx.drawImage(source, 0, 0, width, height, x, pad + title, width, height);
    x += width + pad;
  }
  return out;
}
