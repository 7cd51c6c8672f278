// @vitest-environment jsdom
/**
 * The charts that explain convergence: the stop threshold on the remaining pane, the density
 * strip that replaces markers too many to read, the dirty-vs-sent pane with its ratio, and the
 * throttle staircase.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHART_SIZE, ChartsView } from '../../src/ui/render/charts-view';
import { ConvergenceView, ratioAt, ratioText } from '../../src/ui/render/convergence-view';
import { densityBins, tooManyMarkers } from '../../src/ui/render/marker-density';
import { type MarkerEvent, SeriesBuffer, type SeriesColumns } from '../../src/ui/state/live-run';
import { darkTheme } from '../../src/ui/theme';

/** `n` samples 10 ms apart; each column from a function of the sample index. */
function series(n: number, cols: Partial<Record<keyof SeriesColumns, (i: number) => number>>): SeriesBuffer {
  const s = new SeriesBuffer();
  const col = (f?: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => (f ? f(i) : 0));
  s.append({
    t: col((i) => i * 10),
    transferred: col(cols.transferred),
    remaining: col(cols.remaining),
    threshold: col(cols.threshold),
    dirtyRate: col(cols.dirtyRate),
    sendRate: col(cols.sendRate),
    throttle: col(cols.throttle),
  });
  return s;
}

/** The y coordinates of an SVG path made of M/L commands. */
function ys(d: string): number[] {
  return [...d.matchAll(/[ML][\d.-]+,([\d.-]+)/g)].map((m) => Number(m[1]));
}

let svg: SVGSVGElement;
beforeEach(() => {
  svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.append(svg);
});
afterEach(() => svg.remove());

describe('marker density', () => {
  const plot = CHART_SIZE.width - CHART_SIZE.left - CHART_SIZE.right;

  it('collapses a kind of marker once there is less than 4 px per marker over the stretch they cover', () => {
    expect(plot).toBe(402);
    const spaced = (n: number, gap: number) => Array.from({ length: n }, (_, k) => 46 + k * gap);
    expect(tooManyMarkers(spaced(101, 4))).toBe(false); // 4 px apart: lines
    expect(tooManyMarkers(spaced(101, 3.9))).toBe(true);
    expect(tooManyMarkers(spaced(1251, 402 / 1251))).toBe(true);
    // 99 rounds crowded into the first 270 px (the run ended before the axis does).
    expect(tooManyMarkers(spaced(99, 270 / 98))).toBe(true);
    // A handful stays lines however close.
    expect(tooManyMarkers(spaced(15, 0.5))).toBe(false);
    expect(tooManyMarkers(spaced(16, 0.5))).toBe(true);
  });

  it('bins positions 3 px wide, each bin as dark as its share of the fullest', () => {
    expect(densityBins([0, 1, 2, 3, 7, 7.5, 200], 0, 9)).toEqual([
      { x: 0, width: 3, count: 3, share: 1 },
      { x: 3, width: 3, count: 1, share: 1 / 3 },
      { x: 6, width: 3, count: 2, share: 2 / 3 },
    ]);
  });

  it('1,251 syncs become one strip per pane instead of a grey block; stop-and-copy stays a line', () => {
    const view = new ChartsView(svg, darkTheme);
    const syncs: MarkerEvent[] = Array.from({ length: 1251 }, (_, k) => ({ t: k * 8, kind: 'sync', count: k + 1, newDirty: 0, remaining: 0 }));
    const markers: MarkerEvent[] = [...syncs, { t: 9990, kind: 'phase', phase: 'stop-copy' }];
    view.update({ series: series(1000, { remaining: (i) => (1000 - i) * 4096 }), markers, simTimeMs: 9990 });
    expect(svg.querySelectorAll('.marker-sync')).toHaveLength(0);
    expect(svg.querySelectorAll('.marker-stop')).toHaveLength(3);
    const strips = svg.querySelectorAll('g.marker-density');
    expect(strips).toHaveLength(3);
    expect(strips[0].querySelector('title')?.textContent).toBe(
      '1251 dirty-bitmap syncs, too many to draw one by one: the darker the strip, the more of them',
    );
    // 10 s over 402 px: syncs every 8 ms fill every 3 px bin.
    expect(strips[0].querySelectorAll('rect')).toHaveLength(134);
  });

  it('a few syncs stay lines, even where two fall 1 px apart', () => {
    const view = new ChartsView(svg, darkTheme);
    const syncs: MarkerEvent[] = Array.from({ length: 100 }, (_, k) => ({ t: k * 100, kind: 'sync', count: k + 1, newDirty: 0, remaining: 0 }));
    const rounds: MarkerEvent[] = [
      { t: 5000, kind: 'round', round: 2 },
      { t: 5010, kind: 'round', round: 3 },
    ];
    view.update({ series: series(1000, {}), markers: [...syncs, ...rounds], simTimeMs: 9990 });
    expect(svg.querySelectorAll('.chart-remaining .marker-sync')).toHaveLength(100);
    expect(svg.querySelectorAll('.chart-remaining .marker-round')).toHaveLength(2);
    expect(svg.querySelectorAll('g.marker-density')).toHaveLength(0);
  });
});

describe('the stop threshold on the remaining pane', () => {
  it('is a dashed line at measured bandwidth x downtime limit, in pages', () => {
    const view = new ChartsView(svg, darkTheme);
    // 1200 pages left falling to 0; a threshold of 300 pages (1.2 MB) all along.
    view.update({
      series: series(61, { remaining: (i) => (1200 - 20 * i) * 4096, threshold: () => 300 * 4096 }),
      markers: [],
      simTimeMs: 600,
    });
    const guide = svg.querySelector('.chart-remaining path.chart-guide') as SVGPathElement;
    expect(guide.getAttribute('stroke-dasharray')).toBe('5 3');
    // y axis 0..1500 pages (1200 x 1.08 = 1296, made nice in steps of 500) over a 62 px pane.
    const y = ys(guide.getAttribute('d') ?? '');
    expect(y).toHaveLength(61);
    expect(new Set(y.map((v) => v.toFixed(3)))).toEqual(new Set([(62 - (300 / 1500) * 62).toFixed(3)]));
    // The remaining line crosses it: where the two meet, the migration may stop.
    const rem = ys(svg.querySelector('.chart-remaining path.chart-line')?.getAttribute('d') ?? '');
    expect(rem[0]).toBeLessThan(y[0]);
    expect(rem.at(-1)).toBeGreaterThan(y[0]);
    // Only the remaining pane has a guide.
    expect(svg.querySelectorAll('path.chart-guide')).toHaveLength(1);
  });
});

describe('ConvergenceView', () => {
  it('the ratio of dirty rate to send rate; undefined while nothing is sent', () => {
    const s = series(3, { dirtyRate: () => 50e6, sendRate: (i) => [0, 100e6, 40e6][i] });
    expect(ratioAt(s, 0)).toBeNaN();
    expect(ratioAt(s, 1)).toBe(0.5);
    expect(ratioAt(s, 2)).toBe(1.25);
    expect(ratioText(0.5)).toBe('0.50');
    expect(ratioText(0.998)).toBe('0.99');
    expect(ratioText(1.25)).toBe('1.25 ≥ 1: not converging');
    expect(ratioText(Number.NaN)).toBe('–');
  });

  it('draws dirty vs sent and their ratio with its guide at 1; no throttle pane with auto-converge off', () => {
    const view = new ConvergenceView(svg, darkTheme, false);
    view.update({ runs: [{ id: 'original', label: 'Original', series: series(50, { dirtyRate: () => 120e6, sendRate: () => 117.7e6 }) }], simTimeMs: 490 });
    expect([...svg.querySelectorAll('.chart-title')].map((t) => t.textContent)).toEqual(['Dirty (dashed) vs sent (MB/s)', 'Dirty / sent']);
    expect(svg.querySelector('.conv-rates .chart-readout')?.textContent).toBe('dirty 120 · sent 118');
    expect(svg.querySelector('.conv-ratio .chart-readout')?.textContent).toBe('1.02 ≥ 1: not converging');
    expect(svg.querySelector('[data-line="original-dirty"]')?.getAttribute('stroke-dasharray')).toBe('4 3');
    expect(svg.querySelector('.conv-one-label')?.textContent).toBe('1: cannot converge');
    expect(svg.querySelector('.conv-throttle')).toBeNull();
  });

  it('the throttle is a staircase: it changes only at syncs', () => {
    const view = new ConvergenceView(svg, darkTheme, true);
    const steps = series(40, { throttle: (i) => (i < 10 ? 0 : i < 20 ? 20 : i < 30 ? 30 : 40), sendRate: () => 1e8 });
    view.update({ runs: [{ id: 'original', label: 'Original', series: steps }], simTimeMs: 390 });
    expect(svg.querySelector('.conv-throttle .chart-readout')?.textContent).toBe('40 %');
    const d = svg.querySelector('[data-line="original-throttle"]')?.getAttribute('d') ?? '';
    // Step-after: each level held until the next sample, then a vertical jump.
    const levels = [...new Set(ys(d).map((v) => Math.round(v * 100) / 100))];
    expect(levels).toEqual([62, 49.6, 43.4, 37.2].map((v) => Math.round(v * 100) / 100));
  });
});
