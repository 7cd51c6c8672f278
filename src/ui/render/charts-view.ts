/**
 * ChartsView: live line charts over elapsed simulated time, in one SVG: d3 scales and axes, the
 * lines as path strings (polylinePath); framework-free, a React effect owns it. Stacked panes share
 * the x axis: throughput (MB/s), transferred (bytes), remaining to send (pages, with the stop
 * threshold as a dashed guide). Vertical markers show dirty-bitmap syncs, new rounds of the scan
 * cursor and stop-and-copy; too many of one kind collapse into a density strip (marker-density.ts).
 *
 * The x domain grows in 1-2-5 steps, so axes stay put most of the time instead of creeping.
 * Each pane's title and readout sit in a band above its plot, never over the lines; time ticks
 * carry one unit per axis ("ms" or "s", never both). A crosshair follows the pointer: every
 * run's value of every pane at that time; a click seeks there (onSeek).
 */
import {
  axisBottom,
  axisLeft,
  type ScaleContinuousNumeric,
  type ScaleLinear,
  type Selection,
  scaleLinear,
  scaleSymlog,
  select,
} from 'd3';
import type { MarkerEvent, SeriesBuffer } from '../state/live-run';
import type { Theme } from '../theme';
import { fitTitle, type MeasureText, TITLE_READOUT_GAP, textMeasurer } from './fit-title';
import { densityBins, tooManyMarkers } from './marker-density';

/** `top` leaves a band above the first pane's title for the marker labels (R2, stop). */
export const CHART_SIZE = { width: 460, paneHeight: 62, gap: 6, top: 11, left: 46, right: 12, bottom: 18, title: 13 };
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

/** A time tick in the axis' unit: seconds when the axis reaches 1 s, else ms ("0 s", "0.5 s"). */
export function formatAxisMs(ms: number, domainMaxMs = ms): string {
  if (domainMaxMs >= 1000) return `${Number((ms / 1000).toFixed(3))} s`;
  return `${Number(ms.toFixed(3))} ms`;
}

/** The sample of `idx` (plotted indices of `s`) nearest to time `t`, as a position in idx; -1 if none. */
export function nearestPlotted(s: SeriesBuffer, idx: readonly number[], t: number): number {
  if (idx.length === 0) return -1;
  let lo = 0;
  let hi = idx.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.t[idx[mid]] < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(s.t[idx[lo - 1]] - t) <= Math.abs(s.t[idx[lo]] - t)) lo--;
  return lo;
}

/** The time one throughput point averages over: the plotted stride of the longest run, ms. */
export function throughputWindowMs(s: SeriesBuffer, idx: readonly number[]): number {
  if (idx.length < 3) return 0;
  return (s.t[idx[idx.length - 2]] - s.t[idx[0]]) / (idx.length - 2);
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
  title: Selection<SVGTextElement, unknown, null, undefined>;
  /** The title in full; `title` shows as much of it as the readout leaves room for (fit-title.ts). */
  fullTitle: string;
  /** The lines last drawn (the crosshair reads them). */
  drawn: { r: ChartRun; idx: number[]; ys: number[] }[];
  /**
   * The domains the axes were last drawn for: an axis is redrawn only when its domain changed.
   * d3-axis rebuilds every tick (nodes, formats) on each call: about 40 % of a draw while playing,
   * for axes that change only at 1-2-5 steps (x) or when the nice maximum moves (y).
   */
  xDrawn: string;
  yDrawn: string;
  /**
   * What the markers were last drawn from (`markersKey`): they are rebuilt only when it changes.
   * Rebuilding them on every draw was ~85 ms of main-thread time per 6 s of dragging over a
   * compare timeline, for markers that change a few times a run.
   */
  markersDrawn: string;
}

/**
 * What drawMarkers draws from one run's markers, as a string: its label and colour, how many
 * markers it has and an FNV-1a hash of the kind and time of those it draws (syncs, rounds,
 * stop-and-copy). Markers come from a deterministic run, so a restarted run that reached the same
 * point has the same ones.
 */
export function markersKeyOf(r: Pick<ChartRun, 'label' | 'color' | 'markers'>): string {
  let h = 0x811c9dc5;
  for (const e of r.markers) {
    const code = e.kind === 'sync' ? 1 : e.kind === 'round' ? 2 + 4 * e.round : e.kind === 'phase' && e.phase === 'stop-copy' ? 3 : 0;
    if (code === 0) continue;
    h = Math.imul(h ^ code, 0x01000193);
    h = Math.imul(h ^ Math.round(e.t * 1000), 0x01000193);
  }
  return `${r.label}:${r.color ?? ''}:${r.markers.length}:${h >>> 0}`;
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
  /**
   * What the wire carries, MB/s (goodput): drawn as a dashed line on the throughput pane, so
   * points above it are seen as what they are.
   */
  linkMBps?: number;
  /**
   * A run measured on real hosts (src/import), not simulated: no guide line (the engine's
   * threshold), and a dot on each of its samples, which can be few (guestperf keeps one per sync).
   */
  measured?: boolean;
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
  /**
   * 'log': a logarithmic time axis (linear below 1 ms, so 0 is on it), ticks at powers of ten:
   * a 0.5 s run and a 7 s one both get room. Default 'linear'.
   */
  scale?: 'linear' | 'log';
  /** Draw the shared time cursor (compare); default: only with a fixed axis (endMs). */
  showNow?: boolean;
}

/**
 * The SVG path through n points (x(k), y(k)), to a tenth of a viewBox unit: the charts' hot loop
 * (thousands of points per draw, 20 draws a second). Rounded, a 300-point path is 3175 characters
 * instead of d3.line's 4450, which the browser parses on every draw; d3.line's digits(1) rounds
 * too, but took 183 µs per path against 129 µs here (node, 5000 paths). While the 8 GiB compare
 * plays, a 4 s profile: updateRuns 363-367 -> 305-323 ms.
 */
export function polylinePath(n: number, x: (k: number) => number, y: (k: number) => number): string {
  const r = (v: number) => Math.round(v * 10) / 10;
  let d = `M${r(x(0))},${r(y(0))}`;
  for (let k = 1; k < n; k++) d += `L${r(x(k))},${r(y(k))}`;
  return d;
}

/** Powers of ten (ms) up to `max`, with 0: the log axis' ticks. */
export function logTicks(max: number): number[] {
  const out = [0];
  for (let v = 1; v <= max; v *= 10) out.push(v);
  return out;
}

/** What the crosshair shows at one time: per pane, per run, the value there. */
export interface CrosshairValues {
  t: number;
  panes: { id: PaneSpec['id']; text: string }[];
}

/** Said on the throughput pane where a point is above the link rate. */
export const ABOVE_LINK_NOTE = 'above the link: QEMU counts bytes as it writes them into the 4 MiB socket buffer, faster than the wire drains it';

export class ChartsView {
  private readonly panes: Pane[];
  private x: ScaleContinuousNumeric<number, number> = scaleLinear();
  private theme: Theme;
  private readonly cross: Selection<SVGGElement, unknown, null, undefined>;
  private readonly crossLine: Selection<SVGLineElement, unknown, null, undefined>;
  private hoverT: number | null = null;
  /** Measures the panes' title and readout text in the titles' font, read once (fit-title.ts). */
  private measure: MeasureText | null = null;
  private lastRuns: readonly ChartRun[] = [];
  /** The pane a budgeted draw stopped before (updateRuns); the next draw starts with it. */
  private resumePane = 0;
  /** A click on the plot asks to seek here (simulated ms). */
  onSeek: ((t: number) => void) | null = null;

  constructor(svg: SVGSVGElement, theme: Theme) {
    this.theme = theme;
    const { width, paneHeight, gap, top, left, right, bottom, title } = CHART_SIZE;
    const paneStep = title + paneHeight + gap + bottom;
    const height = top + PANES.length * paneStep - gap;
    const root = select(svg)
      .attr('viewBox', `0 0 ${width} ${height}`)
      .attr('width', width)
      .attr('height', height)
      .attr('role', 'img')
      .attr('aria-label', 'migration charts');
    root.selectAll('*').remove();
    this.x.domain([0, 10]).range([left, width - right]);
    this.panes = PANES.map((spec, k) => {
      const y0 = top + title + k * paneStep;
      const g = root.append('g').attr('class', `chart-pane chart-${spec.id}`).attr('transform', `translate(0,${y0})`);
      const y = scaleLinear().domain([0, 1]).range([paneHeight, 0]);
      const xAxis = g.append('g').attr('class', 'chart-axis chart-x').attr('transform', `translate(0,${paneHeight})`);
      const yAxis = g.append('g').attr('class', 'chart-axis chart-y').attr('transform', `translate(${left},0)`);
      const markers = g.append('g').attr('class', 'chart-markers');
      const lines = g.append('g').attr('class', 'chart-lines');
      const now = g.append('line').attr('class', 'chart-now').attr('y1', 0).attr('y2', paneHeight).attr('display', 'none');
      // Title and readout in the band above the plot (y < 0 of the pane): never over the data.
      const fullTitle = `${spec.title} (${spec.unit})`;
      const titleText = g.append('text').attr('class', 'chart-title').attr('x', left).attr('y', -3).text(fullTitle);
      const readout = g.append('text').attr('class', 'chart-readout').attr('x', width - right).attr('y', -3);
      return {
        spec,
        g,
        y,
        yAxis,
        xAxis,
        lines,
        markers,
        now,
        readout,
        title: titleText,
        fullTitle,
        drawn: [],
        xDrawn: '',
        yDrawn: '',
        markersDrawn: '',
      };
    });
    this.cross = root.append('g').attr('class', 'chart-cross').attr('display', 'none');
    this.crossLine = this.cross.append('line').attr('y1', top + title).attr('y2', height - bottom);
    // Pointer capture over the plots (the margins stay for marker hovers' titles underneath).
    root
      .append('rect')
      .attr('class', 'chart-hit')
      .attr('x', left)
      .attr('y', top)
      .attr('width', width - left - right)
      .attr('height', height - top)
      .attr('fill', 'transparent')
      .on('pointermove', (e: PointerEvent) => this.hoverAt(this.timeAtEvent(e, svg)))
      .on('pointerleave', () => this.hoverAt(null))
      .on('click', (e: MouseEvent) => {
        const t = this.timeAtEvent(e, svg);
        if (t !== null) this.onSeek?.(t);
      });
  }

  /** Simulated ms under a pointer event (viewBox units: the SVG may be scaled). */
  private timeAtEvent(e: { clientX: number }, svg: SVGSVGElement): number | null {
    const r = svg.getBoundingClientRect();
    const k = r.width > 0 ? CHART_SIZE.width / r.width : 1;
    return this.timeAtX((e.clientX - r.left) * k);
  }

  /** Simulated ms at x (viewBox units), clamped to the axis; null outside the plots. */
  timeAtX(px: number): number | null {
    const [a, b] = this.x.range();
    if (px < a - 1 || px > b + 1) return null;
    return Math.max(0, this.x.invert(Math.min(b, Math.max(a, px))));
  }

  /** Show the crosshair at `t` (null hides it); returns what it shows. */
  hoverAt(t: number | null): CrosshairValues | null {
    this.hoverT = t;
    if (t === null) {
      this.cross.attr('display', 'none');
      this.restoreReadouts();
      return null;
    }
    const xt = this.x(t);
    this.cross.attr('display', null);
    this.crossLine.attr('x1', xt).attr('x2', xt).attr('stroke', this.theme.css.text);
    const values = this.valuesAt(t);
    const domainMax = this.x.domain()[1];
    for (const p of this.panes) {
      const v = values.panes.find((q) => q.id === p.spec.id);
      this.setReadout(p, `at ${formatAxisMs(t, domainMax)}: ${v?.text ?? '–'}`);
    }
    return values;
  }

  /** Every pane's value of every run at `t` (the plotted point nearest to it), as text. */
  valuesAt(t: number): CrosshairValues {
    const overlay = this.lastRuns.length > 1;
    return {
      t,
      panes: this.panes.map((p) => {
        let above = false;
        const parts = p.drawn.flatMap((l) => {
          const k = nearestPlotted(l.r.series, l.idx, t);
          // A run that has not reached t yet (or ended before it) has no value there.
          if (k < 0 || t > l.r.series.t[l.idx[l.idx.length - 1]] + 1e-9) return [`${overlay ? `${l.r.label} ` : ''}–`];
          const v = l.ys[k];
          if (p.spec.id === 'throughput' && l.r.linkMBps !== undefined && v > l.r.linkMBps * 1.02) above = true;
          return [`${overlay ? `${l.r.label} ` : ''}${p.spec.format(v)}`];
        });
        const text = `${parts.join(' · ')} ${p.spec.unit}${above ? ` (${ABOVE_LINK_NOTE})` : ''}`;
        return { id: p.spec.id, text };
      }),
    };
  }

  /** Each pane's readout: every run's latest value. */
  private restoreReadouts(): void {
    const overlay = this.lastRuns.length > 1;
    for (const p of this.panes) {
      const lines = p.drawn;
      this.setReadout(
        p,
        lines
          .filter((l) => l.ys.length > 0)
          .map((l) => `${overlay ? `${l.r.label} ` : ''}${p.spec.format(l.ys[l.ys.length - 1])}`)
          .join(' · ') + (lines.some((l) => l.ys.length > 0) ? ` ${p.spec.unit}` : ''),
      );
    }
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.measure = null; // measured again in the new theme's font
  }

  /** The readout changes with every frame's values; the title is fitted again only when it does. */
  private setReadout(p: Pane, text: string): void {
    if (p.readout.text() === text) return;
    p.readout.text(text);
    this.fitPaneTitle(p);
  }

  /** The title cut to the room the readout leaves on their line: the two never run into each other. */
  private fitPaneTitle(p: Pane): void {
    if (!this.measure) {
      const style = getComputedStyle(p.title.node() as Element);
      this.measure = textMeasurer(style.fontSize && style.fontFamily ? `${style.fontSize} ${style.fontFamily}` : '', Number.parseFloat(style.fontSize) || 11);
    }
    const readout = p.readout.text();
    const room = CHART_SIZE.width - CHART_SIZE.right - CHART_SIZE.left - (readout ? this.measure(readout) + TITLE_READOUT_GAP : 0);
    const shown = fitTitle(p.fullTitle, room, this.measure);
    if (p.title.text() !== shown) p.title.text(shown);
  }

  /** One run, the x axis growing with the clock in 1-2-5 steps. */
  update(u: ChartsUpdate): void {
    this.updateRuns({ runs: [{ id: 'run', label: '', series: u.series, markers: u.markers }], simTimeMs: u.simTimeMs });
  }

  /**
   * Draws `u` on every pane. With a `budget`, it stops once `budget.ms` have passed since
   * `budget.t0` (after at least one pane) and returns false: the caller draws again in the next
   * frame, which draws the panes left. A warm draw of all three panes takes a few ms; the
   * first one at load creates the axes and runs d3's cold code, 35-55 ms in one frame.
   */
  updateRuns(u: RunsUpdate, budget?: { t0: number; ms: number }): boolean {
    let tEnd = u.simTimeMs;
    for (const r of u.runs) if (r.series.length > 0) tEnd = Math.max(tEnd, r.series.t[r.series.length - 1]);
    const log = u.scale === 'log';
    const range = this.x.range();
    this.x = (log ? scaleSymlog().constant(1) : scaleLinear()).range(range);
    this.x.domain([0, u.endMs !== undefined && u.endMs > 0 ? u.endMs : niceCeil(tEnd)]);
    const x = this.x;
    const domainMax = x.domain()[1];
    const xDomain = `${u.scale ?? 'linear'} ${domainMax}`;
    const xAxis = axisBottom(x)
      .ticks(5)
      .tickFormat((d) => formatAxisMs(Number(d), domainMax))
      .tickSizeOuter(0);
    if (log) xAxis.tickValues(logTicks(domainMax));
    this.lastRuns = u.runs;
    const overlay = u.runs.length > 1;
    const plotted = u.runs.map((r) => ({ r, idx: plottedIndices(r.series.length) }));
    const markersKey = [this.theme.name, xDomain, x.range().join(), overlay, ...(overlay ? u.runs : u.runs.slice(0, 1)).map(markersKeyOf)].join('|');
    const start = this.resumePane;
    this.resumePane = 0;
    for (let k = start; k < this.panes.length; k++) {
      const p = this.panes[k];
      if (k > start && budget && performance.now() - budget.t0 >= budget.ms) {
        this.resumePane = k;
        return false;
      }
      const lines = plotted.map(({ r, idx }) => ({
        r,
        idx,
        ys: idx.map((i, k) => p.spec.value(r.series, i, k > 0 ? idx[k - 1] : -1)),
      }));
      const guide = p.spec.guide;
      const guides = guide
        ? plotted.filter(({ r }) => !r.measured).map(({ r, idx }) => ({ r, idx, ys: idx.map((i) => guide.value(r.series, i)) }))
        : [];
      let max = 0;
      for (const l of lines) for (const v of l.ys) max = Math.max(max, v);
      for (const l of guides) for (const v of l.ys) max = Math.max(max, v);
      p.y.domain([0, max > 0 ? max * 1.08 : 1]).nice(4);
      if (p.xDrawn !== xDomain) {
        p.xDrawn = xDomain;
        p.xAxis.call(xAxis);
        // The last tick's label ends at its tick instead of centring on it: never clipped.
        const right = x.range()[1];
        p.xAxis
          .selectAll<SVGTextElement, number>('.tick text')
          .attr('text-anchor', (d) => (x(d) > right - 14 ? 'end' : 'middle'));
      }
      const yDomain = p.y.domain().join(' ');
      if (p.yDrawn !== yDomain) {
        p.yDrawn = yDomain;
        const yFormat = yTickFormat(p.spec, p.y);
        p.yAxis.call(
          axisLeft(p.y)
            .ticks(Y_TICKS)
            .tickFormat((d) => yFormat(Number(d)))
            .tickSizeOuter(0),
        );
      }
      // One path per run: the series as a line, the pane's guide (the stop threshold) dashed.
      const pathOf = (l: (typeof lines)[number]) =>
        l.idx.length < 2 ? null : polylinePath(l.idx.length, (k) => x(l.r.series.t[l.idx[k]]), (k) => p.y(l.ys[k]));
      p.lines
        .selectAll<SVGPathElement, (typeof lines)[number]>('path.chart-line')
        .data(lines, (l) => l.r.id)
        .join((enter) => enter.append('path').attr('class', 'chart-line').attr('fill', 'none').attr('stroke-width', 1.6))
        .attr('data-run', (l) => l.r.id)
        .attr('stroke', (l) => l.r.color ?? p.spec.color(this.theme))
        .attr('d', pathOf);
      p.lines
        .selectAll<SVGPathElement, (typeof guides)[number]>('path.chart-guide')
        .data(guides, (l) => l.r.id)
        .join((enter) =>
          enter.append('path').attr('class', 'chart-guide').attr('fill', 'none').attr('stroke-width', 1.2).attr('stroke-dasharray', '5 3'),
        )
        .attr('data-run', (l) => l.r.id)
        .attr('stroke', (l) => l.r.color ?? this.theme.css.muted)
        .attr('d', pathOf);
      // A measured run's samples as dots (the throughput pane's first point is a rate of nothing: skipped).
      const dots = lines
        .filter((l) => l.r.measured)
        .flatMap((l) => l.idx.flatMap((i, k) => (p.spec.id === 'throughput' && k === 0 ? [] : [{ l, t: l.r.series.t[i], y: l.ys[k] }])));
      p.lines
        .selectAll<SVGCircleElement, (typeof dots)[number]>('circle.chart-point')
        .data(dots)
        .join((enter) => enter.append('circle').attr('class', 'chart-point').attr('r', 2))
        .attr('data-run', (d) => d.l.r.id)
        .attr('fill', (d) => d.l.r.color ?? p.spec.color(this.theme))
        .attr('cx', (d) => x(d.t))
        .attr('cy', (d) => p.y(d.y));
      p.drawn = lines;
      if (p.spec.id === 'throughput') this.drawThroughputNotes(p, lines);
      const cx = x(u.simTimeMs);
      p.now
        .attr('display', (u.showNow ?? u.endMs !== undefined) ? null : 'none')
        .attr('x1', cx)
        .attr('x2', cx)
        .attr('stroke', this.theme.css.text);
      if (p.markersDrawn !== markersKey) {
        p.markersDrawn = markersKey;
        this.drawMarkers(
          p,
          overlay
            ? u.runs.flatMap((r) => r.markers.map((e) => ({ e, color: r.color, run: r.label })))
            : (u.runs[0]?.markers ?? []).map((e) => ({ e, color: undefined, run: '' })),
        );
      }
    }
    // Under a resting pointer the crosshair keeps reading the moving lines.
    if (this.hoverT === null) this.restoreReadouts();
    else this.hoverAt(this.hoverT);
    return true;
  }

  /**
   * The throughput pane names how long each point averages over, and draws the link rate dashed
   * (points above it: the first writes fill the socket buffer faster than the wire drains it).
   */
  private drawThroughputNotes(p: Pane, lines: readonly { r: ChartRun; idx: number[] }[]): void {
    let windowMs = 0;
    for (const l of lines) windowMs = Math.max(windowMs, throughputWindowMs(l.r.series, l.idx));
    const per = windowMs > 0 ? `, mean over ${windowMs >= 10 ? Math.round(windowMs) : Number(windowMs.toFixed(1))} ms` : '';
    const fullTitle = `${p.spec.title} (${p.spec.unit}${per})`;
    if (fullTitle !== p.fullTitle) {
      p.fullTitle = fullTitle;
      this.fitPaneTitle(p);
    }
    const links = [...new Set(lines.flatMap((l) => (l.r.linkMBps !== undefined ? [l.r.linkMBps] : [])))];
    const [x0, x1] = this.x.range();
    p.g
      .selectAll<SVGLineElement, number>('line.chart-link')
      .data(links.filter((v) => v <= p.y.domain()[1]))
      .join('line')
      .attr('class', 'chart-link')
      .attr('x1', x0)
      .attr('x2', x1)
      .attr('y1', (v) => p.y(v))
      .attr('y2', (v) => p.y(v))
      .attr('stroke', this.theme.css.muted)
      .attr('stroke-dasharray', '4 3')
      .selectAll('title')
      .data((v) => [v])
      .join('title')
      .text((v) => `link goodput ${Math.round(v)} MB/s; points above it: ${ABOVE_LINK_NOTE}`);
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
        // Labels sit in the band above the top pane's title, never over the lines.
        g.append('text').attr('y', -CHART_SIZE.title - 1).attr('x', MARKER_LABEL_DX);
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
