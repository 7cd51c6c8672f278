/**
 * ConvergenceView: why a migration converges or not, over simulated time, in one SVG (d3, no
 * framework; ConvergencePanel owns it). Stacked panes on ChartsView's time axis rules:
 *
 * - dirty rate vs send rate (MB/s): QEMU's dirty-pages-rate (new dirty pages per second, measured
 *   at syncs at least 1 s apart) against the bandwidth the migration thread measured over its
 *   last 100 ms;
 * - their ratio, with a guide at 1: at or above it every pass leaves as much to send as it sent,
 *   and pre-copy cannot converge (the panel KubeVirt and Harvester users ask for);
 * - auto-converge's CPU throttle (%), a staircase, when auto-converge is on.
 *
 * Several runs (compare) overlay in their modes' colours: dirty dashed, sent solid.
 */
import { axisBottom, axisLeft, curveStepAfter, line, scaleLinear, select, type ScaleLinear, type Selection } from 'd3';
import type { SeriesBuffer } from '../state/live-run';
import type { Theme } from '../theme';
import { CHART_SIZE, formatAxisMs, niceCeil, plottedIndices } from './charts-view';

/** The ratio axis stops here: past 3 the line only says "far above 1". */
export const RATIO_AXIS_MAX = 3;

/** dirty rate / send rate at sample i; NaN while nothing is being sent (no ratio to speak of). */
export function ratioAt(s: SeriesBuffer, i: number): number {
  const send = s.sendRate[i];
  return send > 0 ? s.dirtyRate[i] / send : Number.NaN;
}

/** The ratio's readout: "0.42", "1.02 ≥ 1: not converging" (at this moment's rates). */
export function ratioText(r: number): string {
  if (!Number.isFinite(r)) return '–';
  // Rounded down below 1: 0.998 is "0.99", never a "1.00" that is not at or above 1.
  return r >= 1 ? `${r.toFixed(2)} ≥ 1: not converging` : (Math.floor(r * 100) / 100).toFixed(2);
}

export interface ConvergenceRun {
  id: string;
  /** For the readout in compare, e.g. "PV". */
  label: string;
  series: SeriesBuffer;
  /** The run's colour (compare); a single run uses the pane's own colours. */
  color?: string;
}

export interface ConvergenceUpdate {
  runs: readonly ConvergenceRun[];
  simTimeMs: number;
  /** Fix the x axis to [0, endMs] (compare), as ChartsView does. */
  endMs?: number;
}

type PaneId = 'rates' | 'ratio' | 'throttle';
type G = Selection<SVGGElement, unknown, null, undefined>;
interface Pane {
  id: PaneId;
  g: G;
  y: ScaleLinear<number, number>;
  xAxis: G;
  yAxis: G;
  lines: G;
  readout: Selection<SVGTextElement, unknown, null, undefined>;
  /** Axis domains last drawn: axes are redrawn only when they change (d3 axes cost most). */
  drawnX: number;
  drawnY: number;
}

const MB = 1e6;

/** One line of a pane: which column (or the ratio), dashed or solid, which colour. */
interface LineSpec {
  key: string;
  value: (s: SeriesBuffer, i: number) => number;
  dashed: boolean;
  color: (t: Theme) => string;
  /** Drawn as steps (the throttle changes only at syncs). */
  steps?: boolean;
}

const PANE_LINES: Record<PaneId, readonly LineSpec[]> = {
  rates: [
    { key: 'dirty', value: (s, i) => s.dirtyRate[i] / MB, dashed: true, color: (t) => t.chart.hue.vermillion },
    { key: 'sent', value: (s, i) => s.sendRate[i] / MB, dashed: false, color: (t) => t.chart.hue.blue },
  ],
  ratio: [{ key: 'ratio', value: ratioAt, dashed: false, color: (t) => t.css.text }],
  throttle: [{ key: 'throttle', value: (s, i) => s.throttle[i], dashed: false, color: (t) => t.chart.hue.reddishPurple, steps: true }],
};

const TITLES: Record<PaneId, string> = {
  rates: 'Dirty (dashed) vs sent (MB/s)',
  ratio: 'Dirty / sent',
  throttle: 'CPU throttle (%)',
};

export class ConvergenceView {
  private readonly panes: Pane[];
  private readonly x = scaleLinear();
  private theme: Theme;

  /** `throttle`: draw the throttle pane (auto-converge on in some run). */
  constructor(svg: SVGSVGElement, theme: Theme, throttle: boolean) {
    this.theme = theme;
    const ids: PaneId[] = throttle ? ['rates', 'ratio', 'throttle'] : ['rates', 'ratio'];
    const { width, paneHeight, gap, top, left, right, bottom } = CHART_SIZE;
    const height = top + ids.length * (paneHeight + gap + bottom) - gap;
    const root = select(svg)
      .attr('viewBox', `0 0 ${width} ${height}`)
      .attr('width', width)
      .attr('height', height)
      .attr('role', 'img')
      .attr('aria-label', 'convergence charts');
    root.selectAll('*').remove();
    this.x.domain([0, 10]).range([left, width - right]);
    this.panes = ids.map((id, k) => {
      const g = root
        .append('g')
        .attr('class', `chart-pane conv-${id}`)
        .attr('transform', `translate(0,${top + k * (paneHeight + gap + bottom)})`);
      const y = scaleLinear().domain([0, 1]).range([paneHeight, 0]);
      const xAxis = g.append('g').attr('class', 'chart-axis chart-x').attr('transform', `translate(0,${paneHeight})`);
      const yAxis = g.append('g').attr('class', 'chart-axis chart-y').attr('transform', `translate(${left},0)`);
      const lines = g.append('g').attr('class', 'chart-lines');
      g.append('text').attr('class', 'chart-title').attr('x', left + 6).attr('y', 10).text(TITLES[id]);
      const readout = g.append('text').attr('class', 'chart-readout').attr('x', width - right - 4).attr('y', 10);
      return { id, g, y, xAxis, yAxis, lines, readout, drawnX: -1, drawnY: -1 };
    });
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
  }

  update(u: ConvergenceUpdate): void {
    let tEnd = u.simTimeMs;
    for (const r of u.runs) if (r.series.length > 0) tEnd = Math.max(tEnd, r.series.t[r.series.length - 1]);
    this.x.domain([0, u.endMs !== undefined && u.endMs > 0 ? u.endMs : niceCeil(tEnd)]);
    const x = this.x;
    const overlay = u.runs.length > 1;
    const xAxis = axisBottom(x).ticks(5).tickFormat((d) => formatAxisMs(Number(d))).tickSizeOuter(0);
    const plotted = u.runs.map((r) => ({ r, idx: plottedIndices(r.series.length) }));
    for (const p of this.panes) {
      const specs = PANE_LINES[p.id];
      const lines = plotted.flatMap(({ r, idx }) =>
        specs.map((spec) => ({ key: `${r.id}-${spec.key}`, r, spec, idx, ys: idx.map((i) => spec.value(r.series, i)) })),
      );
      let max = 0;
      for (const l of lines) for (const v of l.ys) if (Number.isFinite(v)) max = Math.max(max, v);
      const top =
        p.id === 'throttle' ? 100 : p.id === 'ratio' ? Math.min(RATIO_AXIS_MAX, Math.max(1.2, max * 1.08)) : max > 0 ? max * 1.08 : 1;
      p.y.domain([0, top]);
      if (p.id === 'rates') p.y.nice(4);
      const xMax = x.domain()[1];
      if (p.drawnX !== xMax) {
        p.xAxis.call(xAxis);
        p.drawnX = xMax;
      }
      const yMax = p.y.domain()[1];
      if (p.drawnY !== yMax) {
        p.yAxis.call(axisLeft(p.y).ticks(3).tickSizeOuter(0));
        p.drawnY = yMax;
      }
      const y = p.y;
      p.lines
        .selectAll<SVGPathElement, (typeof lines)[number]>('path.conv-line')
        .data(lines, (l) => l.key)
        .join((enter) => enter.append('path').attr('class', 'conv-line').attr('fill', 'none').attr('stroke-width', 1.5))
        .attr('data-line', (l) => l.key)
        .attr('stroke', (l) => l.r.color ?? l.spec.color(this.theme))
        .attr('stroke-dasharray', (l) => (l.spec.dashed ? '4 3' : null))
        .attr('d', (l) => {
          if (l.idx.length < 2) return null;
          const gen = line<number>()
            .defined((k) => Number.isFinite(l.ys[k]))
            .x((k) => x(l.r.series.t[l.idx[k]]))
            .y((k) => y(Math.min(top, l.ys[k])));
          if (l.spec.steps) gen.curve(curveStepAfter);
          return gen(l.idx.map((_, k) => k));
        });
      if (p.id === 'ratio') this.drawOneGuide(p);
      p.readout.text(this.readout(p.id, u.runs, overlay));
    }
  }

  /** The ratio pane's guide at 1: at or above it the run cannot converge. */
  private drawOneGuide(p: Pane): void {
    const { left, right, width } = CHART_SIZE;
    const y1 = p.y(1);
    p.lines
      .selectAll('line.conv-one')
      .data([y1])
      .join('line')
      .attr('class', 'conv-one')
      .attr('x1', left)
      .attr('x2', width - right)
      .attr('y1', (d) => d)
      .attr('y2', (d) => d)
      .attr('stroke', this.theme.css.danger)
      .attr('stroke-dasharray', '2 3');
    p.lines
      .selectAll('text.conv-one-label')
      .data([y1])
      .join('text')
      .attr('class', 'conv-one-label')
      // Under the guide at the right end: the title and readout hold the top line.
      .attr('x', width - right - 4)
      .attr('text-anchor', 'end')
      .attr('y', (d) => d + 11)
      .attr('fill', this.theme.css.danger)
      .text('1: cannot converge');
  }

  /** The latest values, per run in compare. */
  private readout(id: PaneId, runs: readonly ConvergenceRun[], overlay: boolean): string {
    const parts = runs
      .filter((r) => r.series.length > 0)
      .map((r) => {
        const s = r.series;
        const i = s.length - 1;
        const who = overlay ? `${r.label} ` : '';
        switch (id) {
          case 'rates':
            // Overlaid, shorter: two runs' readouts share the line with the title.
            return overlay
              ? `${who}${Math.round(s.dirtyRate[i] / MB)} vs ${Math.round(s.sendRate[i] / MB)}`
              : `dirty ${Math.round(s.dirtyRate[i] / MB)} · sent ${Math.round(s.sendRate[i] / MB)}`;
          case 'ratio':
            return `${who}${ratioText(ratioAt(s, i))}`;
          case 'throttle':
            return `${who}${s.throttle[i]} %`;
          default: {
            const never: never = id;
            return never;
          }
        }
      });
    return parts.join(' · ');
  }
}
