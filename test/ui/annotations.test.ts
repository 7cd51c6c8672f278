// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { GUEST_FREE_STALE, GUEST_USED, MIG_PENDING, MIG_SKIPPED, pageCode } from '../../src/engine/model/page-state';
import type { CellSummary } from '../../src/engine/types';
import { pageMapLayout } from '../../src/protocol';
import { ChartsView } from '../../src/ui/render/charts-view';
import { type MarkerEvent, SeriesBuffer } from '../../src/ui/state/live-run';
import { darkTheme } from '../../src/ui/theme';
import {
  chartXFraction,
  labelPlacement,
  longestMajorityRun,
  pfnRangeBox,
  slicesOf,
  structPageRange,
} from '../../src/ui/tour/annotations';

const P = 2_097_152; // 8 GiB of 4 KiB pages

describe('annotation anchors', () => {
  it('the struct-page array is the top 1/64 of RAM: the bottom rows of the map', () => {
    const r = structPageRange(P);
    expect(r).toEqual({ first: 2_064_384, end: P });
    // The layout the worker picks for an 1100x650 area: 4 pages per cell, 977 x 537 cells of 1.125 px.
    const layout = pageMapLayout(P, 1100, 650);
    const box = pfnRangeBox(r, layout);
    expect(box).not.toBeNull();
    if (!box) return;
    // Full width, ending at the map's last row.
    expect(box.x).toBe(0);
    expect(box.w).toBe(layout.cols * layout.scale);
    const lastRowEnd = Math.ceil(layout.cells / layout.cols) * layout.scale;
    expect(box.y + box.h).toBeCloseTo(lastRowEnd, 6);
    // 32768 pages at 4 per cell = 8192 cells, from row 528 to the last row, 536: 9 rows.
    expect(layout).toMatchObject({ bucketShift: 2, cols: 977, rows: 537, scale: 1.125 });
    expect(box.y).toBeCloseTo(528 * 1.125, 9);
    expect(box.h).toBeCloseTo(9 * 1.125, 9);
    // The label goes above it (the box is in the lower half) and the arrow ends on its top edge.
    const p = labelPlacement(box, layout.cols * layout.scale, layout.rows * layout.scale);
    expect(p.above).toBe(true);
    expect(p.ay).toBe(box.y);
    expect(p.ly).toBeLessThan(box.y);
  });

  it('a range inside one row is that stretch of the row', () => {
    const layout = { bucketShift: 0, firstPfn: 0, cells: 100, cols: 10, rows: 10, scale: 4 };
    expect(pfnRangeBox({ first: 23, end: 27 }, layout)).toEqual({ x: 12, y: 8, w: 16, h: 4 });
    expect(pfnRangeBox({ first: 5, end: 5 }, layout)).toBeNull();
    // Most of the map: the label sits in its middle, no arrow.
    const big = pfnRangeBox({ first: 10, end: 95 }, layout);
    expect(big).toEqual({ x: 0, y: 4, w: 40, h: 36 });
    expect(labelPlacement(big ?? { x: 0, y: 0, w: 0, h: 0 }, 40, 40)).toMatchObject({ inside: true, ly: 22 });
  });

  it('finds the longest stretch where most pages are in a state, from the engine cell summaries', () => {
    const slice = (firstPfn: number, stale: number, used: number, skipped = 0): CellSummary => {
      const byCode = new Array(64).fill(0);
      byCode[pageCode(MIG_PENDING, GUEST_FREE_STALE)] = stale - skipped;
      byCode[pageCode(MIG_SKIPPED, GUEST_FREE_STALE)] = skipped;
      byCode[pageCode(MIG_PENDING, GUEST_USED)] = used;
      return { firstPfn, pages: stale + used, byCode };
    };
    const slices = [slice(0, 10, 90), slice(100, 80, 20), slice(200, 20, 80), slice(300, 60, 40), slice(400, 90, 10, 90), slice(500, 51, 49)];
    expect(longestMajorityRun(slices, { kind: 'guest', state: 'free-stale' })).toEqual({ first: 300, end: 600 });
    expect(longestMajorityRun(slices, { kind: 'migration', state: 'skipped' })).toEqual({ first: 400, end: 500 });
    expect(longestMajorityRun(slices, { kind: 'guest', state: 'held' })).toBeNull();
    expect(slicesOf(P)).toHaveLength(128);
    expect(slicesOf(P)[127]).toEqual({ firstPfn: 127 * 16384, pages: 16384 });
  });

  it('a moment lands on the charts where ChartsView draws its marker', () => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const view = new ChartsView(svg, darkTheme);
    const s = new SeriesBuffer();
    const t = Float64Array.from({ length: 50 }, (_, i) => i * 20);
    const zeros = new Float64Array(t.length);
    s.append({ t, transferred: t, remaining: t, threshold: zeros, dirtyRate: zeros, sendRate: zeros, throttle: zeros });
    const markers: MarkerEvent[] = [{ t: 700, kind: 'phase', phase: 'stop-copy' }];
    view.updateRuns({ runs: [{ id: 'a', label: 'A', series: s, markers }], simTimeMs: 980, endMs: 1000 });
    const g = svg.querySelector('g.marker-stop');
    const x = Number(/translate\(([\d.]+),/.exec(g?.getAttribute('transform') ?? '')?.[1]);
    const width = Number(svg.getAttribute('viewBox')?.split(' ')[2]);
    expect(chartXFraction(700, 1000)).toBeCloseTo(x / width, 9);
    expect(chartXFraction(700, 1000)).toBeCloseTo((46 + 0.7 * 402) / 460, 9);
  });
});
