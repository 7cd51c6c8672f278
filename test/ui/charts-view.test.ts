// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ChartsView,
  PANES,
  formatAxisMs,
  niceCeil,
  plottedIndices,
  throughputAt,
} from '../../src/ui/render/charts-view';
import { type MarkerEvent, SeriesBuffer } from '../../src/ui/state/live-run';
import { darkTheme } from '../../src/ui/theme';

/** A 1 GB/s transfer sampled every 10 ms for `n` samples; 2 pages less remaining per sample. */
function series(n: number): SeriesBuffer {
  const s = new SeriesBuffer();
  const t = Float64Array.from({ length: n }, (_, i) => i * 10);
  s.append(
    t,
    t.map((ms) => ms * 1e6), // 1e6 bytes per ms
    t.map((_, i) => (1000 - 2 * i) * 4096),
  );
  return s;
}

const markers: MarkerEvent[] = [
  { t: 200, kind: 'sync', count: 1, newDirty: 0, remaining: 0 },
  { t: 200, kind: 'phase', phase: 'bulk' },
  { t: 700, kind: 'sync', count: 2, newDirty: 5, remaining: 0 },
  { t: 700, kind: 'phase', phase: 'stop-copy' },
  { t: 900, kind: 'round', round: 2 },
];

describe('chart helpers', () => {
  it('rounds the time axis up in 1-2-5 steps', () => {
    expect([3, 10, 11, 150, 551, 7436].map(niceCeil)).toEqual([10, 10, 20, 200, 1000, 10000]);
    expect(formatAxisMs(500)).toBe('500ms');
    expect(formatAxisMs(2000)).toBe('2s');
  });

  it('computes throughput in MB/s between plotted samples', () => {
    const s = series(5);
    expect(throughputAt(s, 0, -1)).toBe(0);
    expect(throughputAt(s, 3, 1)).toBeCloseTo(1000); // 1e6 B/ms = 1000 MB/s
  });

  it('decimates long series to at most ~300 points, keeping the last', () => {
    expect(plottedIndices(4)).toEqual([0, 1, 2, 3]);
    const idx = plottedIndices(7346);
    expect(idx.length).toBeLessThanOrEqual(301);
    expect(idx.at(-1)).toBe(7345);
  });
});

describe('ChartsView', () => {
  let svg: SVGSVGElement;
  beforeEach(() => {
    svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    document.body.append(svg);
  });
  afterEach(() => svg.remove());

  it('draws one pane per metric with a line through every sample and a live readout', () => {
    const view = new ChartsView(svg, darkTheme);
    view.update({ series: series(50), markers: [], simTimeMs: 490 });
    const panes = [...svg.querySelectorAll('g.chart-pane')];
    expect(panes.map((p) => p.querySelector('.chart-title')?.textContent)).toEqual(
      PANES.map((p) => `${p.title} (${p.unit})`),
    );
    const d = svg.querySelector('.chart-throughput path.chart-line')?.getAttribute('d') ?? '';
    expect(d.startsWith('M')).toBe(true);
    expect(d.split('L')).toHaveLength(50); // M + 49 L segments
    expect(svg.querySelector('.chart-throughput .chart-readout')?.textContent).toBe('1000 MB/s');
    expect(svg.querySelector('.chart-remaining .chart-readout')?.textContent).toBe('902 pages');
    // x axis runs to the 1-2-5 ceiling of the clock: 490 ms -> 500 ms
    const ticks = [...svg.querySelectorAll('.chart-throughput .chart-x .tick text')].map((t) => t.textContent);
    expect(ticks.at(-1)).toBe('500ms');
  });

  it('marks syncs, rounds and stop-and-copy on every pane', () => {
    const view = new ChartsView(svg, darkTheme);
    view.update({ series: series(100), markers, simTimeMs: 990 });
    const pane = svg.querySelector('.chart-transferred') as SVGGElement;
    expect(pane.querySelectorAll('.marker-sync')).toHaveLength(2);
    expect(pane.querySelectorAll('.marker-round')).toHaveLength(1);
    expect(pane.querySelector('.marker-round text')?.textContent).toBe('R2');
    expect(pane.querySelector('.marker-stop text')?.textContent).toBe('stop');
    expect(svg.querySelectorAll('.marker-stop')).toHaveLength(3);
  });

  it('draws no line before there are two samples', () => {
    const view = new ChartsView(svg, darkTheme);
    view.update({ series: new SeriesBuffer(), markers: [], simTimeMs: 0 });
    expect(svg.querySelector('path.chart-line')?.getAttribute('d')).toBeNull();
  });
});
