import { describe, expect, it } from 'vitest';
import { cellOfPfn, describeBucketing, pageMapLayout, pfnAtPoint, pfnOfCell } from '../../src/protocol';
import { cursorMarker } from '../../src/ui/render/page-map-painter';

const GIB = 262144; // pages per GiB

describe('pageMapLayout', () => {
  it('shows an 8 GiB guest at 4 pages per pixel in a ~940x560 map', () => {
    const l = pageMapLayout(8 * GIB, 940, 560);
    expect(l).toEqual({ bucketShift: 2, cells: 524288, cols: 940, rows: 558, scale: 1 });
    expect(describeBucketing(l)).toBe('1 px = 4 pages (16 KiB)');
  });

  it('uses one pixel per page when the guest fits, and scales small guests up to fill the area', () => {
    const l = pageMapLayout(GIB / 16, 900, 600); // 16384 pages
    expect(l.bucketShift).toBe(0);
    // 5x5 (the best integer) would leave 140 px empty below; 5.6875 fills 590 of 600
    expect(l).toEqual({ bucketShift: 0, cells: 16384, cols: 158, rows: 104, scale: 5.6875 });
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
