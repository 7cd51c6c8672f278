// @vitest-environment jsdom
import { line } from 'd3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ChartsView,
  PANES,
  formatAxisMs,
  niceCeil,
  placeLabels,
  plottedIndices,
  polylinePath,
  throughputAt,
  yTickLabels,
} from '../../src/ui/render/charts-view';
import { type MarkerEvent, SeriesBuffer } from '../../src/ui/state/live-run';
import { darkTheme, lightTheme } from '../../src/ui/theme';

/** A 1 GB/s transfer sampled every 10 ms for `n` samples; 2 pages less remaining per sample. */
function series(n: number): SeriesBuffer {
  const s = new SeriesBuffer();
  const t = Float64Array.from({ length: n }, (_, i) => i * 10);
  const zeros = new Float64Array(n);
  s.append({
    t,
    transferred: t.map((ms) => ms * 1e6), // 1e6 bytes per ms
    remaining: t.map((_, i) => (1000 - 2 * i) * 4096),
    threshold: zeros,
    dirtyRate: zeros,
    sendRate: zeros,
    throttle: zeros,
  });
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
    expect(formatAxisMs(500)).toBe('500 ms');
    expect(formatAxisMs(2000)).toBe('2 s');
    // one unit per axis: on an axis reaching 2 s, 500 ms is 0.5 s
    expect(formatAxisMs(500, 2000)).toBe('0.5 s');
    expect(formatAxisMs(0, 2000)).toBe('0 s');
  });

  it('computes throughput in MB/s between plotted samples', () => {
    const s = series(5);
    expect(throughputAt(s, 0, -1)).toBe(0);
    expect(throughputAt(s, 3, 1)).toBeCloseTo(1000); // 1e6 B/ms = 1000 MB/s
  });

  it('never repeats a y tick label, however small or large the values', () => {
    for (const spec of PANES)
      for (const max of [0.01, 0.3, 1, 1.08, 2.2, 3, 7, 12, 95, 1182, 2e6, 2.3e6]) {
        const labels = yTickLabels(spec, max);
        expect(new Set(labels).size, `${spec.id} up to ${max}: ${labels.join(', ')}`).toBe(labels.length);
      }
    expect(yTickLabels(PANES[0], 1.08)).toEqual(['0', '0.5', '1']);
    expect(yTickLabels(PANES[0], 2900)).toEqual(['0', '1,000', '2,000', '3,000']);
    expect(yTickLabels(PANES[2], 2.2e6)).toEqual(['0', '1M', '2M']);
    expect(yTickLabels(PANES[2], 600)).toEqual(['0', '200', '400', '600']);
  });

  it('keeps a marker label only where it does not run into the previous one or the edge', () => {
    const m = (x: number, label: string) => ({ x, label });
    const a = m(10, 'R2');
    const b = m(14, 'stop'); // starts inside R2
    const c = m(40, 'stop');
    const d = m(448, 'R9'); // would run past the right edge (450)
    const shown = placeLabels([c, b, a, d, m(20, '')], 450);
    expect([...shown]).toEqual([a, c]);
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
    // 50 samples, 10 ms apart: each throughput point is the mean over 10 ms, said in the title
    expect(panes.map((p) => p.querySelector('.chart-title')?.textContent)).toEqual([
      'Throughput (MB/s, mean over 10 ms)',
      ...PANES.slice(1).map((p) => `${p.title} (${p.unit})`),
    ]);
    // titles sit above the plot (negative y in the pane), never over the lines
    for (const p of panes) expect(Number(p.querySelector('.chart-title')?.getAttribute('y'))).toBeLessThan(0);
    const d = svg.querySelector('.chart-throughput path.chart-line')?.getAttribute('d') ?? '';
    expect(d.startsWith('M')).toBe(true);
    expect(d.split('L')).toHaveLength(50); // M + 49 L segments
    expect(svg.querySelector('.chart-throughput .chart-readout')?.textContent).toBe('1000 MB/s');
    expect(svg.querySelector('.chart-remaining .chart-readout')?.textContent).toBe('902 pages');
    // x axis runs to the 1-2-5 ceiling of the clock: 490 ms -> 500 ms
    const ticks = [...svg.querySelectorAll('.chart-throughput .chart-x .tick text')].map((t) => t.textContent);
    expect(ticks).toEqual(['0 ms', '100 ms', '200 ms', '300 ms', '400 ms', '500 ms']);
    // the last label ends at its tick, so the right edge does not clip it
    const anchors = [...svg.querySelectorAll('.chart-throughput .chart-x .tick text')].map((t) => t.getAttribute('text-anchor'));
    expect(anchors.at(-1)).toBe('end');
    expect(anchors[0]).toBe('middle');
  });

  it('with a budget spent, draws one pane per call, from where the last call stopped', () => {
    const view = new ChartsView(svg, darkTheme);
    const u = { runs: [{ id: 'run', label: '', series: series(50), markers: [] }], simTimeMs: 490 };
    const lined = () => PANES.map((p) => svg.querySelector(`.chart-${p.id} path.chart-line`) !== null);
    const spent = { t0: performance.now() - 1, ms: 0 };
    expect(view.updateRuns(u, spent)).toBe(false);
    expect(lined()).toEqual([true, false, false]);
    expect(view.updateRuns(u, spent)).toBe(false);
    expect(lined()).toEqual([true, true, false]);
    // The last pane done: the readouts follow, and the next draw starts from the first pane again.
    expect(svg.querySelector('.chart-throughput .chart-readout')?.textContent).toBe('');
    expect(view.updateRuns(u, spent)).toBe(true);
    expect(lined()).toEqual([true, true, true]);
    expect(svg.querySelector('.chart-throughput .chart-readout')?.textContent).toBe('1000 MB/s');
    expect(view.updateRuns(u, { t0: performance.now(), ms: 1000 })).toBe(true);
  });

  it('redraws an axis only when its domain changed, and then to the new domain', () => {
    const view = new ChartsView(svg, darkTheme);
    const xTicks = () => [...svg.querySelectorAll('.chart-throughput .chart-x .tick text')].map((t) => t.textContent);
    const yTicks = () => [...svg.querySelectorAll('.chart-transferred .chart-y .tick text')].map((t) => t.textContent);
    view.update({ series: series(40), markers: [], simTimeMs: 390 });
    expect(xTicks().at(-1)).toBe('500 ms');
    // Mark one drawn tick of each axis: a redraw would write its label again.
    const xLabel = svg.querySelector('.chart-throughput .chart-x .tick text') as Element;
    const yLabel = svg.querySelector('.chart-transferred .chart-y .tick text') as Element;
    xLabel.textContent = 'untouched';
    yLabel.textContent = 'untouched';
    // 390 -> 395 ms: the same x ceiling (500 ms) and the same nice y maximum.
    const before = svg.querySelector('.chart-throughput path.chart-line')?.getAttribute('d');
    view.update({ series: series(40), markers: [], simTimeMs: 395 });
    expect(xLabel.textContent).toBe('untouched');
    expect(yLabel.textContent).toBe('untouched');
    expect(svg.querySelector('.chart-throughput path.chart-line')?.getAttribute('d')).toBe(before);
    // 600 ms of samples: both domains grow, both axes are drawn anew.
    view.update({ series: series(60), markers: [], simTimeMs: 590 });
    expect(xTicks().at(-1)).toBe('1 s');
    expect(xTicks()).not.toContain('untouched');
    expect(yTicks()).not.toContain('untouched');
  });

  it('rebuilds the markers only when what they are drawn from changed', () => {
    const view = new ChartsView(svg, darkTheme);
    const title = () => svg.querySelector('.chart-remaining .marker-stop title') as Element;
    view.update({ series: series(100), markers, simTimeMs: 990 });
    title().textContent = 'untouched'; // a rebuild writes it again
    // The same markers (another array, as after a restart that reached the same point).
    view.update({ series: series(100), markers: markers.map((e) => ({ ...e })), simTimeMs: 995 });
    expect(title().textContent).toBe('untouched');
    // Another stop time: rebuilt.
    const moved = markers.map((e) => (e.kind === 'phase' && e.phase === 'stop-copy' ? { ...e, t: 710 } : e));
    view.update({ series: series(100), markers: moved, simTimeMs: 995 });
    expect(title().textContent).toBe('stop-and-copy at 0.710 s');
    // One marker more, then a new x domain, then another theme: each rebuilds them.
    for (const change of [
      () => view.update({ series: series(100), markers: [...moved, { t: 950, kind: 'sync', count: 3, newDirty: 0, remaining: 0 }], simTimeMs: 995 }),
      () => view.update({ series: series(120), markers: [...moved, { t: 950, kind: 'sync', count: 3, newDirty: 0, remaining: 0 }], simTimeMs: 1190 }),
      () => {
        view.setTheme(lightTheme);
        view.update({ series: series(120), markers: [...moved, { t: 950, kind: 'sync', count: 3, newDirty: 0, remaining: 0 }], simTimeMs: 1190 });
      },
    ]) {
      title().textContent = 'untouched';
      change();
      expect(title().textContent).toBe('stop-and-copy at 0.710 s');
    }
    expect(svg.querySelectorAll('.chart-remaining .marker-sync')).toHaveLength(3);
  });

  it("a pane's title gives way to a long readout: cut with an ellipsis, never under it", () => {
    const view = new ChartsView(svg, darkTheme);
    // jsdom has no measureText: the view measures 0.6 em (11 px) per character.
    const width = (el: Element | null) => (el?.textContent ?? '').length * 11 * 0.6;
    const runs = (a: string, b: string) => [
      { id: 'a', label: a, series: series(50), markers: [], linkMBps: 1180 },
      { id: 'b', label: b, series: series(50), markers: [], linkMBps: 1180 },
    ];
    view.updateRuns({ runs: runs('A', 'B'), simTimeMs: 490, endMs: 500 });
    const title = () => svg.querySelector('.chart-throughput .chart-title');
    const readout = () => svg.querySelector('.chart-throughput .chart-readout');
    const whole = title()?.textContent ?? '';
    expect(whole).toMatch(/^Throughput \(MB\/s, mean over [\d.]+ ms\)$/);
    view.updateRuns({ runs: runs('Reporting', 'Original'), simTimeMs: 490, endMs: 500 });
    expect(title()?.textContent).toMatch(/^Throughput.*…$/);
    // Title from x = 46, readout right-aligned at 448, 8 apart at least.
    const room = 460 - 12 - 46;
    expect(width(title()) + 8 + width(readout())).toBeLessThanOrEqual(room);
    // The crosshair's longer readout cuts it further; leaving the chart gives the room back.
    const resting = title()?.textContent ?? '';
    view.hoverAt(150);
    expect(width(title()) + 8 + width(readout())).toBeLessThanOrEqual(room);
    expect((title()?.textContent ?? '').length).toBeLessThan(resting.length);
    view.hoverAt(null);
    expect(title()?.textContent).toBe(resting);
    view.updateRuns({ runs: runs('A', 'B'), simTimeMs: 490, endMs: 500 });
    expect(title()?.textContent).toBe(whole);
  });

  it('the crosshair reads every run of every pane at a time, and a click seeks there', () => {
    const view = new ChartsView(svg, darkTheme);
    const slow = series(50); // 0..490 ms
    const fast = series(20); // 0..190 ms
    view.updateRuns({
      runs: [
        { id: 'original', label: 'Original', series: slow, markers: [], linkMBps: 1180 },
        { id: 'pv', label: 'PV', series: fast, markers: [], linkMBps: 1180 },
      ],
      simTimeMs: 490,
      endMs: 500,
    });
    const v = view.hoverAt(150);
    // at 150 ms: 1000 MB/s both; 0.14 GiB sent (150e6 B); 1000 - 2*15 = 970 pages left
    expect(v?.panes.map((p) => p.text)).toEqual([
      'Original 1000 · PV 1000 MB/s',
      'Original 0.14 · PV 0.14 GiB',
      'Original 970 · PV 970 pages',
    ]);
    expect(svg.querySelector('.chart-transferred .chart-readout')?.textContent).toBe('at 150 ms: Original 0.14 · PV 0.14 GiB');
    // past the end of the faster run it has no value
    expect(view.hoverAt(300)?.panes[2].text).toBe('Original 940 · PV – pages');
    view.hoverAt(null);
    expect(svg.querySelector('.chart-remaining .chart-readout')?.textContent).toBe('Original 902 · PV 962 pages');
    // x = 46 + t / 500 * (460 - 46 - 12)
    expect(view.timeAtX(46 + 0.5 * 402)).toBeCloseTo(250, 6);
    expect(view.timeAtX(10)).toBeNull();
    const seeks: number[] = [];
    view.onSeek = (t) => seeks.push(t);
    svg.getBoundingClientRect = () => ({ left: 0, top: 0, width: 460, height: 300, right: 460, bottom: 300, x: 0, y: 0, toJSON: () => ({}) });
    const hit = svg.querySelector('rect.chart-hit') as SVGRectElement;
    hit.dispatchEvent(new MouseEvent('click', { clientX: 46 + 0.25 * 402, bubbles: true }));
    expect(seeks).toHaveLength(1);
    expect(seeks[0]).toBeCloseTo(125, 6);
  });

  it('says where throughput is above the link: the socket buffer filling', () => {
    const view = new ChartsView(svg, darkTheme);
    view.updateRuns({ runs: [{ id: 'run', label: '', series: series(50), markers: [], linkMBps: 800 }], simTimeMs: 490 });
    expect(view.hoverAt(100)?.panes[0].text).toBe(
      '1000 MB/s (above the link: QEMU counts bytes as it writes them into the 4 MiB socket buffer, faster than the wire drains it)',
    );
    const link = svg.querySelector('.chart-throughput line.chart-link');
    expect(Number(link?.getAttribute('y1'))).toBeGreaterThan(0);
  });

  it('marks syncs, rounds and stop-and-copy on every pane', () => {
    const view = new ChartsView(svg, darkTheme);
    view.update({ series: series(100), markers, simTimeMs: 990 });
    const pane = svg.querySelector('.chart-transferred') as SVGGElement;
    expect(pane.querySelectorAll('.marker-sync')).toHaveLength(2);
    expect(pane.querySelectorAll('.marker-round')).toHaveLength(1);
    // labels only on the top pane; every marker says what it is on hover
    expect(pane.querySelector('.marker-round text')?.textContent).toBe('');
    const top = svg.querySelector('.chart-throughput') as SVGGElement;
    expect(top.querySelector('.marker-round text')?.textContent).toBe('R2');
    expect(top.querySelector('.marker-stop text')?.textContent).toBe('stop');
    // in the band above the title (y < -13 in the pane), not over the lines
    expect(top.querySelector('.marker-stop text')?.getAttribute('y')).toBe('-14');
    // the pane's transform leaves room for that band above it: 11 + 13 px
    expect(top.getAttribute('transform')).toBe('translate(0,24)');
    expect(pane.querySelector('.marker-stop title')?.textContent).toBe('stop-and-copy at 0.700 s');
    expect(svg.querySelectorAll('.marker-stop')).toHaveLength(3);
  });

  it('labels overlaid markers only where they do not collide', () => {
    const view = new ChartsView(svg, darkTheme);
    const close: MarkerEvent[] = [
      { t: 700, kind: 'phase', phase: 'stop-copy' },
      { t: 705, kind: 'round', round: 2 },
    ];
    view.updateRuns({
      runs: [
        { id: 'original', label: 'Original', series: series(100), markers: close, color: '#f00' },
        { id: 'pv', label: 'PV', series: series(60), markers: [{ t: 702, kind: 'phase', phase: 'stop-copy' }], color: '#0f0' },
      ],
      simTimeMs: 990,
      endMs: 1000,
    });
    const top = svg.querySelector('.chart-throughput') as SVGGElement;
    expect(top.querySelectorAll('.marker')).toHaveLength(3);
    const labels = [...top.querySelectorAll('.marker text')].map((t) => t.textContent).filter(Boolean);
    expect(labels).toEqual(['stop']);
    const titles = [...top.querySelectorAll('.marker title')].map((t) => t.textContent);
    expect(titles).toContain('PV: stop-and-copy at 0.702 s');
  });

  it('draws no line before there are two samples', () => {
    const view = new ChartsView(svg, darkTheme);
    view.update({ series: new SeriesBuffer(), markers: [], simTimeMs: 0 });
    expect(svg.querySelector('path.chart-line')?.getAttribute('d')).toBeNull();
  });
});

describe('polylinePath', () => {
  it('is the path d3.line draws through the same points, to a tenth of a unit', () => {
    const xs = [40, 41.337, 42.674, 44.0111];
    const ys = [60.04, 12.96, 100, 0.05];
    expect(polylinePath(4, (k) => xs[k], (k) => ys[k])).toBe('M40,60L41.3,13L42.7,100L44,0.1');
    const d3Path = line<number>()
      .x((k) => xs[k])
      .y((k) => ys[k])([0, 1, 2, 3]);
    // The same points: d3's path at full precision, rounded, is this path.
    const rounded = d3Path?.replace(/-?\d+(\.\d+)?/g, (v) => String(Math.round(Number(v) * 10) / 10));
    expect(rounded).toBe(polylinePath(4, (k) => xs[k], (k) => ys[k]));
  });
});
