import { describe, expect, it } from 'vitest';
import {
  cellOfPfn,
  clampWindow,
  endPfnOf,
  isWholeGuest,
  MIN_WINDOW_PAGES,
  pageMapLayout,
  panWindowBy,
  pfnAtPoint,
  pfnOfCell,
  pointOfPfn,
  zoomWindowAt,
} from '../../src/protocol';
// The bucketing in words is the UI's text about this layout.
import { describeBucketing } from '../../src/ui/format';
import { cursorMarker } from '../../src/ui/render/page-map-painter';

const GIB = 262144; // pages per GiB

describe('pageMapLayout', () => {
  it('shows an 8 GiB guest at 4 pages per pixel in a ~940x560 map', () => {
    const l = pageMapLayout(8 * GIB, 940, 560);
    expect(l).toEqual({ bucketShift: 2, cells: 524288, cols: 940, rows: 558, scale: 1, firstPfn: 0 });
    expect(describeBucketing(l)).toBe('1 px = 4 pages (16 KiB)');
  });

  it('uses one pixel per page when the guest fits, and scales small guests up to fill the area', () => {
    const l = pageMapLayout(GIB / 16, 900, 600); // 16384 pages
    expect(l.bucketShift).toBe(0);
    // 5x5 (the best integer) would leave 140 px empty below; 5.6875 fills 590 of 600
    expect(l).toEqual({ bucketShift: 0, cells: 16384, cols: 158, rows: 104, scale: 5.6875, firstPfn: 0 });
    expect(describeBucketing(l)).toBe('5.69×5.69 px = 1 page (4 KiB)');
    // an integer scale when it is close to the best: 128x128 pages in 520x520 -> 4x4 px
    const sq = pageMapLayout(128 * 128, 520, 520);
    expect(sq).toMatchObject({ cols: 130, rows: 127, scale: 4 });
    expect(describeBucketing(sq)).toBe('4×4 px = 1 page (4 KiB)');
  });

  it('fills the width and the height of the area, whatever its shape', () => {
    for (const gib of [1 / 16, 1, 8, 64])
      for (const [w, h] of [
        [454, 380],
        [360, 170],
        [750, 350],
        [1390, 750],
        [1200, 300],
        [300, 900],
      ]) {
        const l = pageMapLayout(gib * GIB, w, h);
        const cssW = l.cols * l.scale;
        const cssH = l.rows * l.scale;
        expect(cssW).toBeLessThanOrEqual(w);
        expect(cssH).toBeLessThanOrEqual(h);
        expect(l.cols * l.rows).toBeGreaterThanOrEqual(l.cells);
        expect(l.cols * (l.rows - 1)).toBeLessThan(l.cells); // no empty row
        // at least 80 % of the area is map (the power-of-two bucketing used to leave up to half)
        expect((cssW * cssH) / (w * h)).toBeGreaterThan(0.8);
        expect(Number.isInteger(l.scale * 16)).toBe(true);
      }
  });

  it('picks coarser buckets for huge guests, always fitting the area', () => {
    for (const gib of [1, 8, 64, 256, 1024]) {
      const l = pageMapLayout(gib * GIB, 800, 500);
      expect(l.cols * l.scale).toBeLessThanOrEqual(800);
      expect(l.rows * l.scale).toBeLessThanOrEqual(500);
      expect(l.cells).toBe(Math.ceil((gib * GIB) / 2 ** l.bucketShift));
      // finest possible: one step finer would not fit
      if (l.bucketShift > 0) expect(Math.ceil((gib * GIB) / 2 ** (l.bucketShift - 1))).toBeGreaterThan(800 * 500);
    }
    expect(describeBucketing(pageMapLayout(1024 * GIB, 800, 500))).toBe('1.19×1.19 px = 1,024 pages (4 MiB)');
  });

  it('maps pfns to cells and back', () => {
    const l = pageMapLayout(8 * GIB, 940, 560);
    expect(cellOfPfn(0, l)).toEqual({ x: 0, y: 0 });
    expect(cellOfPfn(4 * 940 + 7, l)).toEqual({ x: 1, y: 1 }); // cell 941
    expect(cellOfPfn(8 * GIB, l)).toBeNull();
    expect(pfnOfCell(1, 1, l)).toBe(941 * 4);
    expect(pfnOfCell(939, 557, l)).toBeNull(); // last row is only partly used
    expect(pfnOfCell(-1, 0, l)).toBeNull();
  });

  it('maps canvas points to pfns at an integer scale', () => {
    const l = pageMapLayout(GIB / 16, 520, 520); // 130 cols of 4x4 px, one page per cell
    expect(l.scale).toBe(4);
    expect(pfnAtPoint(0, 0, l)).toBe(0);
    expect(pfnAtPoint(3.9, 3.9, l)).toBe(0);
    expect(pfnAtPoint(4, 0, l)).toBe(1);
    expect(pfnAtPoint(4 * 7 + 1, 4 * 2 + 3, l)).toBe(2 * 130 + 7);
    expect(pfnAtPoint(-0.5, 0, l)).toBeNull();
    expect(pfnAtPoint(l.cols * 4, 0, l)).toBeNull(); // right of the grid
  });

  it('maps canvas points to the cell drawn there at a fractional scale, bucketed', () => {
    const l = pageMapLayout(8 * GIB, 454, 380); // 16 pages per cell, 1.125 px per cell
    expect(l).toMatchObject({ bucketShift: 4, cols: 403, scale: 1.125 });
    // Every cell's box (as the cursor marker draws it) maps back to that cell's first pfn.
    for (const pfn of [0, 16, 16 * 402, 16 * 403, 16 * 403 * 100 + 16 * 250, 16 * (l.cells - 1)]) {
      const m = cursorMarker(pfn + 5, l);
      if (!m) throw new Error('no marker');
      expect(m.size).toBe(1.125);
      expect(pfnAtPoint(m.left + 0.01, m.top + 0.01, l)).toBe(pfn);
      expect(pfnAtPoint(m.left + m.size - 0.01, m.top + m.size - 0.01, l)).toBe(pfn);
    }
    // past the last cell of the last row: outside guest RAM
    const lastRowY = (l.rows - 1) * l.scale + 0.5;
    expect(pfnAtPoint(l.cols * l.scale - 0.5, lastRowY, l)).toBeNull();
    expect(pfnAtPoint(0, l.rows * l.scale + 0.5, l)).toBeNull();
  });
});

describe('zoom windows: point <-> pfn at every zoom level', () => {
  const pages = 8 * GIB; // 2,097,152 pages
  const W = 900;
  const H = 560;

  it('halving the window from the whole 8 GiB guest down to 256 pages reaches one page per cell', () => {
    const shifts: number[] = [];
    for (let count = pages, z = 0; count >= MIN_WINDOW_PAGES; count /= 2, z++) {
      const first = Math.floor((pages - count) / 3); // an off-centre window
      const l = pageMapLayout(pages, W, H, { first, count });
      shifts.push(l.bucketShift);
      // the window starts on a cell boundary at or before `first`, less than one cell before it
      expect(l.firstPfn % 2 ** l.bucketShift).toBe(0);
      expect(first - l.firstPfn).toBeGreaterThanOrEqual(0);
      expect(first - l.firstPfn).toBeLessThan(2 ** l.bucketShift);
      // every 97th cell: the centre of a page's cell maps back to the cell's first page
      for (let cell = 0; cell < l.cells; cell += 97) {
        const pfn = l.firstPfn + cell * 2 ** l.bucketShift;
        const pt = pointOfPfn(pfn, l);
        expect(pt, `z=${z} cell ${cell}`).not.toBeNull();
        expect(pfnAtPoint(pt?.x ?? -1, pt?.y ?? -1, l)).toBe(pfn);
        // any page inside the cell maps to the same point
        expect(pointOfPfn(pfn + 2 ** l.bucketShift - 1, l)).toEqual(pt);
      }
      // outside the window there is no point
      expect(pointOfPfn(l.firstPfn - 1, l)).toBeNull();
      expect(pointOfPfn(endPfnOf(l, pages), l)).toBeNull();
    }
    // 2 Mi pages at 4 per cell, then 2, then 1 from 512 Ki pages on (900x560 = 504,000 cells)
    expect(shifts.slice(0, 4)).toEqual([3, 2, 1, 0]);
    expect(shifts.at(-1)).toBe(0);
    expect(shifts).toHaveLength(14); // 2^21 .. 2^8 pages
  });

  it('at the deepest zoom a page is a 32 px square', () => {
    const l = pageMapLayout(pages, W, H, { first: 1_000_000, count: 256 });
    expect(l).toMatchObject({ bucketShift: 0, firstPfn: 1_000_000, cells: 256, cols: 28, scale: 32 });
    expect(pfnAtPoint(32 * 3 + 5, 32 * 2 + 31, l)).toBe(1_000_000 + 2 * 28 + 3);
    expect(describeBucketing(l)).toBe('32×32 px = 1 page (4 KiB)');
  });

  it('clamps windows into guest RAM and to at least 256 pages', () => {
    expect(clampWindow({ first: -50, count: 10 }, pages)).toEqual({ first: 0, count: 256 });
    expect(clampWindow({ first: pages, count: 1000 }, pages)).toEqual({ first: pages - 1000, count: 1000 });
    expect(clampWindow({ first: 5, count: 1e12 }, pages)).toEqual({ first: 0, count: pages });
    expect(clampWindow({ first: Number.NaN, count: Number.NaN }, pages)).toEqual({ first: 0, count: pages });
    expect(clampWindow({ first: 0, count: 10 }, 100)).toEqual({ first: 0, count: 100 }); // tiny guest
    expect(isWholeGuest({ first: 0, count: pages }, pages)).toBe(true);
    expect(isWholeGuest({ first: 0, count: pages - 1 }, pages)).toBe(false);
  });

  it('zooming about a point keeps the page under it, and zooming back out restores the whole guest', () => {
    let win = { first: 0, count: pages };
    const px = 412.3;
    const py = 217.8;
    const under = (w: { first: number; count: number }) => pfnAtPoint(px, py, pageMapLayout(pages, W, H, w));
    const target = under(win);
    expect(target).not.toBeNull();
    let steps = 0;
    while (win.count > MIN_WINDOW_PAGES) {
      const l = pageMapLayout(pages, W, H, win);
      win = zoomWindowAt(win, pages, W, H, 2, px, py);
      steps++;
      const after = pageMapLayout(pages, W, H, win);
      const now = under(win) ?? -1;
      // The page under the pointer is the same page, to within the coarser of the two cells.
      const cell = 2 ** Math.max(l.bucketShift, after.bucketShift);
      expect(Math.abs(now - (target ?? 0)), `step ${steps}`).toBeLessThan(cell);
    }
    expect(win.count).toBe(256);
    expect(steps).toBe(13);
    for (let i = 0; i < 13; i++) win = zoomWindowAt(win, pages, W, H, 0.5, px, py);
    expect(win).toEqual({ first: 0, count: pages });
  });

  it('dragging moves the pages with the pointer: a row per cell height, a cell per cell width', () => {
    const win = { first: 500_000, count: 4096 };
    const l = pageMapLayout(pages, W, H, win);
    expect(l.bucketShift).toBe(0);
    const down = panWindowBy(win, pages, l, 0, 2 * l.scale);
    expect(down.first).toBe(500_000 - 2 * l.cols);
    const left = panWindowBy(win, pages, l, -3 * l.scale, 0);
    expect(left.first).toBe(500_000 + 3);
    expect(panWindowBy(win, pages, l, 0, 1e9)).toEqual({ first: 0, count: 4096 });
  });
});
