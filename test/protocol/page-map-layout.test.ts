import { describe, expect, it } from 'vitest';
import { cellOfPfn, describeBucketing, pageMapLayout, pfnOfCell } from '../../src/protocol';

const GIB = 262144; // pages per GiB

describe('pageMapLayout', () => {
  it('shows an 8 GiB guest at 4 pages per pixel in a ~940x560 map', () => {
    const l = pageMapLayout(8 * GIB, 940, 560);
    expect(l).toEqual({ bucketShift: 2, cells: 524288, cols: 940, rows: 558, scale: 1 });
    expect(describeBucketing(l)).toBe('1 px = 4 pages (16 KiB)');
  });

  it('uses one pixel per page when the guest fits, and scales small guests up', () => {
    const l = pageMapLayout(GIB / 16, 900, 600); // 16384 pages
    expect(l.bucketShift).toBe(0);
    expect(l.scale).toBe(5); // 180 cols x 92 rows of 5x5 px; 6x6 would need 110 rows > 100
    expect(l.cols).toBe(180);
    expect(l.cols * l.rows).toBeGreaterThanOrEqual(l.cells);
    expect(l.rows * l.scale).toBeLessThanOrEqual(600);
    expect(describeBucketing(l)).toBe('5×5 px = 1 page (4 KiB)');
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
    expect(describeBucketing(pageMapLayout(1024 * GIB, 800, 500))).toBe('1 px = 1,024 pages (4 MiB)');
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
});
