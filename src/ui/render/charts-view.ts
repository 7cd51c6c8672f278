/**
 * ChartsView: live line charts over elapsed simulated time, in one SVG, drawn with d3 scales,
 * axes and line generators (framework-free; a React effect owns it). Three stacked panes share
 * the x axis: throughput (MB/s), transferred (bytes), remaining to send (pages, with the stop
 * threshold as a dashed guide). Vertical markers show dirty-bitmap syncs, new rounds of the scan
 * cursor and stop-and-copy; too many of one kind collapse into a density strip (marker-density.ts).
 *
 * The x domain grows in 1-2-5 steps, so axes stay put most of the time instead of creeping.
 */
import { axisBottom, axisLeft, line, scaleLinear, select, type ScaleLinear, type Selection } from 'd3';
import type { MarkerEvent, SeriesBuffer } from '../state/live-run';
import type { Theme } from '../theme';
import { densityBins, tooManyMarkers } from './marker-density';

export const CHART_SIZE = { width: 460, paneHeight: 62, gap: 12, top: 6, left: 46, right: 10, bottom: 18 };
const PAGE_BYTES = 4096;

export interface PaneSpec {
  id: 'throughput' | 'transferred' | 'remaining';
  title: string;
  unit: string;
  /** y value of sample i; `prev` is the previous plotted sample (or -1), for rates. */
  value: (s: SeriesBuffer, i: number, prev: number) => number;
  format: (v: number) => string;
  /**
   * d3-format specifier for the y axis ticks, without precision: the scale picks the precision
   * from the tick step, so neighbouring labels always differ ("0, 0.5, 1", never "0, 1, 1").
   */
  tickSpecifier: string;
  color: (t: Theme) => string;
  /** A second, dashed line on the pane from the same series (remaining: the stop threshold). */
  guide?: { name: string; value: (s: SeriesBuffer, i: number) => number };
}

/** MB/s between two samples (decimal MB, as network people quote it); 0 without a previous one. */
export function throughputAt(s: SeriesBuffer, i: number, prev: number): number {
  if (prev < 0) return 0;
  const dt = s.t[i] - s.t[prev];
  return dt > 0 ? (s.transferred[i] - s.transferred[prev]) / dt / 1000 : 0;
}

/** At most this many points per line: about one per 1.5 px, and a smoother throughput. */
export const MAX_PLOTTED_POINTS = 300;

/** Evenly strided sample indices, always including the last one. */
export function plottedIndices(n: number, max = MAX_PLOTTED_POINTS): number[] {
  if (n <= 0) return [];
  const stride = Math.max(1, Math.ceil(n / max));
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += stride) out.push(i);
  out.push(n - 1);
  return out;
}

export const PANES: readonly PaneSpec[] = [
  {
    id: 'throughput',
    title: 'Throughput',
    unit: 'MB/s',
    value: throughputAt,
    format: (v) => `${Math.round(v)}`,
    tickSpecifier: ',~f',
    color: (t) => t.chart.throughput,
  },
  {
    id: 'transferred',
    title: 'Transferred',
    unit: 'GiB',
    value: (s, i) => s.transferred[i] / 2 ** 30,
    format: (v) => (v < 1 ? v.toFixed(2) : v.toFixed(1)),
    tickSpecifier: '~f',
    color: (t) => t.chart.transferred,
  },
  {
    id: 'remaining',
    title: 'Remaining to send',
    unit: 'pages',
    value: (s, i) => s.remaining[i] / PAGE_BYTES,
    format: (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${Math.round(v / 1e3)}k` : `${v}`),
    tickSpecifier: '~s',
    color: (t) => t.chart.remaining,
    // Pre-copy stops once what is left fits in the downtime limit: where the two lines meet.
    guide: { name: 'threshold', value: (s, i) => s.threshold[i] / PAGE_BYTES },
  },
];

/** The smallest 1-2-5 x 10^k that is >= v (at least 10 ms). */
export function niceCeil(v: number): number {
  const x = Math.max(10, v);
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/** Ticks the y axis shows for `domainMax` (0 at the bottom), as labels. */
export const Y_TICKS = 3;
export function yTickLabels(spec: PaneSpec, domainMax: number): string[] {
  const y = scaleLinear().domain([0, domainMax]).nice(4);
  return y.ticks(Y_TICKS).map(yTickFormat(spec, y));
}

/** The y axis' tick format on `y`: precision from the tick step; zero is plain "0" (not "0M"). */
export function yTickFormat(spec: PaneSpec, y: ScaleLinear<number, number>): (d: number) => string {
  const f = y.tickFormat(Y_TICKS, spec.tickSpecifier);
  return (d) => (d === 0 ? '0' : f(d));
}

/**
 * Which marker labels to show: left to right, a label only where it does not run into the one
 * before it or past the right edge. `width` estimates the text (9 px font).
 */
export function placeLabels<T extends { x: number; label: string }>(marks: readonly T[], right: number): Set<T> {
  const shown = new Set<T>();
  let end = Number.NEGATIVE_INFINITY;
  for (const m of [...marks].filter((m) => m.label).sort((a, b) => a.x - b.x)) {
    const x0 = m.x + MARKER_LABEL_DX;
    const x1 = x0 + labelWidth(m.label);
    if (x0 < end + 4 || x1 > right) continue;
    shown.add(m);
    end = x1;
  }
  return shown;
}
const MARKER_LABEL_DX = 3;
function labelWidth(label: string): number {
  return label.length * 5.6 + 2;
}

export function formatAxisMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`;
}

type G = Selection<SVGGElement, unknown, null, undefined>;
interface Pane {
  spec: PaneSpec;
  g: G;
  y: ScaleLinear<number, number>;
  yAxis: G;
  xAxis: G;
  lines: G;
  markers: G;
  now: Selection<SVGLineElement, unknown, null, undefined>;
  readout: Selection<SVGTextElement, unknown, null, undefined>;
}

/** One simulation's data to plot. Several runs share the panes (compare: original vs PV). */
export interface ChartRun {
  id: string;
  /** For the readout, e.g. "PV". */
  label: string;
  series: SeriesBuffer;
  markers: readonly MarkerEvent[];
  /** Line colour; a single run without one uses each pane's own colour. */
  color?: string;
}

export interface ChartsUpdate {
  series: SeriesBuffer;
  markers: readonly MarkerEvent[];
  simTimeMs: number;
}

export interface RunsUpdate {
  runs: readonly ChartRun[];
  /** The shared time cursor, drawn as a vertical line. */
  simTimeMs: number;
  /** Fix the x axis to [0, endMs] (compare: the whole race is visible from the start). */
  endMs?: number;
}

export class ChartsView {
  private readonly panes: Pane[];
  private readonly x = scaleLinear();
  private theme: Theme;

  constructor(svg: SVGSVGElement, theme: Theme) {
    this.theme = theme;
    const { width, paneHeight, gap, top, left, right, bottom } = CHART_SIZE;
    const height = top + PANES.length * (paneHeight + gap + bottom) - gap;
    const root = select(svg)
      .attr('viewBox', `0 0 ${width} ${height}`)
      .attr('width', width)
      .attr('height', height)
      .attr('role', 'img')
      .attr('aria-label', 'migration charts');
    root.selectAll('*').remove();
    this.x.domain([0, 10]).range([left, width - right]);
    this.panes = PANES.map((spec, k) => {
      const y0 = top + k * (paneHeight + gap + bottom);
      const g = root.append('g').attr('class', `chart-pane chart-${spec.id}`).attr('transform', `translate(0,${y0})`);
      const y = scaleLinear().domain([0, 1]).range([paneHeight, 0]);
      const xAxis = g.append('g').attr('class', 'chart-axis chart-x').attr('transform', `translate(0,${paneHeight})`);
      const yAxis = g.append('g').attr('class', 'chart-axis chart-y').attr('transform', `translate(${left},0)`);
      const markers = g.append('g').attr('class', 'chart-markers');
      const lines = g.append('g').attr('class', 'chart-lines');
      const now = g.append('line').attr('class', 'chart-now').attr('y1', 0).attr('y2', paneHeight).attr('display', 'none');
      g.append('text').attr('class', 'chart-title').attr('x', left + 6).attr('y', 10).text(`${spec.title} (${spec.unit})`);
      const readout = g.append('text').attr('class', 'chart-readout').attr('x', width - right - 4).attr('y', 10);
      return { spec, g, y, yAxis, xAxis, lines, markers, now, readout };
    });
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
  }

  /** One run, the x axis growing with the clock in 1-2-5 steps. */
  update(u: ChartsUpdate): void {
    this.updateRuns({ runs: [{ id: 'run', label: '', series: u.series, markers: u.markers }], simTimeMs: u.simTimeMs });
  }

  updateRuns(u: RunsUpdate): void {
    let tEnd = u.simTimeMs;
    for (const r of u.runs) if (r.series.length > 0) tEnd = Math.max(tEnd, r.series.t[r.series.length - 1]);
    this.x.domain([0, u.endMs !== undefined && u.endMs > 0 ? u.endMs : niceCeil(tEnd)]);
    const x = this.x;
    const xAxis = axisBottom(x).ticks(5).tickFormat((d) => formatAxisMs(Number(d))).tickSizeOuter(0);
    const overlay = u.runs.length > 1;
    const plotted = u.runs.map((r) => ({ r, idx: plottedIndices(r.series.length) }));
    for (const p of this.panes) {
      const lines = plotted.map(({ r, idx }) => ({
        r,
        idx,
        ys: idx.map((i, k) => p.spec.value(r.series, i, k > 0 ? idx[k - 1] : -1)),
      }));
      const guide = p.spec.guide;
      const guides = guide ? plotted.map(({ r, idx }) => ({ r, idx, ys: idx.map((i) => guide.value(r.series, i)) })) : [];
      let max = 0;
      for (const l of lines) for (const v of l.ys) max = Math.max(max, v);
      for (const l of guides) for (const v of l.ys) max = Math.max(max, v);
      p.y.domain([0, max > 0 ? max * 1.08 : 1]).nice(4);
      p.xAxis.call(xAxis);
      const yFormat = yTickFormat(p.spec, p.y);
      p.yAxis.call(
        axisLeft(p.y)
          .ticks(Y_TICKS)
          .tickFormat((d) => yFormat(Number(d)))
          .tickSizeOuter(0),
      );
      p.lines
        .selectAll<SVGPathElement, (typeof lines)[number]>('path.chart-line')
        .data(lines, (l) => l.r.id)
        .join((enter) => enter.append('path').attr('class', 'chart-line').attr('fill', 'none').attr('stroke-width', 1.6))
        .attr('data-run', (l) => l.r.id)
        .attr('stroke', (l) => l.r.color ?? p.spec.color(this.theme))
        .attr('d', (l) => {
          if (l.idx.length < 2) return null;
          const gen = line<number>()
            .x((k) => x(l.r.series.t[l.idx[k]]))
            .y((k) => p.y(l.ys[k]));
          return gen(l.idx.map((_, k) => k));
        });
      p.lines
        .selectAll<SVGPathElement, (typeof guides)[number]>('path.chart-guide')
        .data(guides, (l) => l.r.id)
        .join((enter) =>
          enter.append('path').attr('class', 'chart-guide').attr('fill', 'none').attr('stroke-width', 1.2).attr('stroke-dasharray', '5 3'),
        )
        .attr('data-run', (l) => l.r.id)
        .attr('stroke', (l) => l.r.color ?? this.theme.css.muted)
        .attr('d', (l) => {
          if (l.idx.length < 2) return null;
          const gen = line<number>()
            .x((k) => x(l.r.series.t[l.idx[k]]))
            .y((k) => p.y(l.ys[k]));
          return gen(l.idx.map((_, k) => k));
        });
      p.readout.text(
        lines
          .filter((l) => l.ys.length > 0)
          .map((l) => `${overlay ? `${l.r.label} ` : ''}${p.spec.format(l.ys[l.ys.length - 1])}`)
          .join(' · ') + (lines.some((l) => l.ys.length > 0) ? ` ${p.spec.unit}` : ''),
      );
      const cx = x(u.simTimeMs);
      p.now
        .attr('display', u.endMs !== undefined ? null : 'none')
        .attr('x1', cx)
        .attr('x2', cx)
        .attr('stroke', this.theme.css.text);
      this.drawMarkers(
        p,
        overlay
          ? u.runs.flatMap((r) => r.markers.map((e) => ({ e, color: r.color, run: r.label })))
          : (u.runs[0]?.markers ?? []).map((e) => ({ e, color: undefined, run: '' })),
      );
    }
  }

  /** Density strips at the foot of a pane, one row per collapsed marker group. */
  private drawStrips(p: Pane, strips: readonly { key: string; color: string; title: string; bins: ReturnType<typeof densityBins> }[]): void {
    const rowH = 4;
    const h = CHART_SIZE.paneHeight;
    const rows = p.markers
      .selectAll<SVGGElement, (typeof strips)[number]>('g.marker-density')
      .data(strips, (d) => d.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'marker-density');
        g.append('title');
        return g;
      })
      .attr('transform', (_, k) => `translate(0,${h - rowH * (k + 1)})`);
    rows.select('title').text((d) => d.title);
    rows
      .selectAll<SVGRectElement, ReturnType<typeof densityBins>[number]>('rect')
      .data((d) => d.bins.map((b) => ({ ...b, color: d.color })))
      .join('rect')
      .attr('x', (b) => b.x)
      .attr('width', (b) => b.width)
      .attr('y', 0)
      .attr('height', rowH - 1)
      .attr('fill', (b) => (b as { color: string }).color)
      // Never fully clear: a bin with one marker must still show.
      .attr('fill-opacity', (b) => 0.2 + 0.8 * b.share);
  }

  /**
   * Markers are thin vertical lines on every pane; their labels (R2, stop) only on the top pane
   * and only where they do not run into each other; every marker says what it is on hover.
   * Colours are the marker kind's, or (overlaid runs) the run's, so each race is readable; the
   * kind is also in the line style (sync dotted, round thin, stop thicker).
   */
  private drawMarkers(p: Pane, events: readonly { e: MarkerEvent; color: string | undefined; run: string }[]): void {
    const c = this.theme.chart;
    const at = (t: number) => `${(t / 1000).toFixed(3)} s`;
    const mark = (t: number, cls: string, color: string, label: string, title: string) => ({
      x: this.x(t),
      cls,
      color,
      label,
      title,
    });
    const marks = events.flatMap(({ e, color, run: who }) => {
      const pre = who ? `${who}: ` : '';
      switch (e.kind) {
        case 'sync':
          return [mark(e.t, 'marker-sync', color ?? c.sync, '', `${pre}dirty-bitmap sync at ${at(e.t)}`)];
        case 'round':
          return [mark(e.t, 'marker-round', color ?? c.round, `R${e.round}`, `${pre}round ${e.round} starts at ${at(e.t)}`)];
        case 'phase':
          return e.phase === 'stop-copy'
            ? [mark(e.t, 'marker-stop', color ?? c.stopCopy, 'stop', `${pre}stop-and-copy at ${at(e.t)}`)]
            : [];
        case 'free-page-request':
        case 'free-page-bitmap':
          return [];
        default: {
          const never: never = e;
          return never;
        }
      }
    });
    // Too many of one kind (per run) to read as lines: that group becomes a density strip.
    const { left, right, width } = CHART_SIZE;
    const groups = new Map<string, typeof marks>();
    for (const m of marks) {
      const key = `${m.cls}|${m.color}`;
      const g = groups.get(key);
      if (g) g.push(m);
      else groups.set(key, [m]);
    }
    const lines: typeof marks = [];
    const strips: { key: string; color: string; title: string; bins: ReturnType<typeof densityBins> }[] = [];
    for (const [key, g] of groups) {
      if (g[0].cls !== 'marker-stop' && tooManyMarkers(g.map((m) => m.x))) {
        const what = g[0].cls === 'marker-sync' ? 'dirty-bitmap syncs' : 'rounds';
        const who = g[0].title.includes(': ') ? g[0].title.slice(0, g[0].title.indexOf(': ') + 2) : '';
        strips.push({
          key,
          color: g[0].color,
          title: `${who}${g.length} ${what}, too many to draw one by one: the darker the strip, the more of them`,
          bins: densityBins(
            g.map((m) => m.x),
            left,
            width - right,
          ),
        });
      } else lines.push(...g);
    }
    this.drawStrips(p, strips);
    const labelled = p === this.panes[0] ? placeLabels(lines, CHART_SIZE.width - CHART_SIZE.right) : new Set();
    const h = CHART_SIZE.paneHeight;
    const sel = p.markers
      .selectAll<SVGGElement, (typeof marks)[number]>('g.marker')
      .data(lines)
      .join((enter) => {
        const g = enter.append('g');
        g.append('title');
        g.append('line').attr('class', 'marker-hit').attr('y1', 0).attr('y2', h);
        g.append('line').attr('class', 'marker-line').attr('y1', 0).attr('y2', h);
        g.append('text').attr('y', h - 4).attr('x', MARKER_LABEL_DX);
        return g;
      })
      .attr('class', (d) => `marker ${d.cls}`)
      .attr('transform', (d) => `translate(${d.x},0)`);
    sel.select('title').text((d) => d.title);
    sel
      .select('line.marker-line')
      .attr('stroke', (d) => d.color)
      .attr('stroke-width', (d) => (d.cls === 'marker-stop' ? 1.5 : 1))
      .attr('stroke-dasharray', (d) => (d.cls === 'marker-sync' ? '2 3' : null));
    sel
      .select('text')
      .attr('fill', (d) => d.color)
      .text((d) => (labelled.has(d) ? d.label : ''));
  }
}
