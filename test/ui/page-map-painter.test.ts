import { describe, expect, it } from 'vitest';
import {
  CELL_OUTSIDE,
  GUEST_FREE_STALE,
  GUEST_USED,
  GUEST_ZERO,
  MIG_PENDING,
  MIG_REDIRTIED,
  MIG_SENT,
  MIG_SKIPPED,
  pageCode,
} from '../../src/engine/model/page-state';
import { pageMapLayout } from '../../src/protocol';
import {
  buildPageMapLut,
  cursorMarker,
  paintPageMap,
  paintPageMapRows,
  paintPageMapSubdivided,
  rgbaWord,
} from '../../src/ui/render/page-map-painter';
import { darkTheme } from '../../src/ui/theme';

const lut = buildPageMapLut(darkTheme);
const fam = darkTheme.pageMap.families;
const bg = rgbaWord(darkTheme.pageMap.background);

describe('palette', () => {
  it('packs #rrggbb into ImageData byte order (r, g, b, a in memory)', () => {
    const w = new Uint32Array([rgbaWord('#102030')]);
    expect(Array.from(new Uint8Array(w.buffer))).toEqual([0x10, 0x20, 0x30, 255]);
  });

  it('gives each of the 12 guest x migration states its own look', () => {
    const looks = new Set<string>();
    for (const g of [GUEST_ZERO, GUEST_USED, GUEST_FREE_STALE])
      for (const m of [MIG_PENDING, MIG_SENT, MIG_SKIPPED, MIG_REDIRTIED]) {
        const c = pageCode(m, g);
        looks.add(`${lut[c * 2]}/${lut[c * 2 + 1]}`);
      }
    expect(looks.size).toBe(12);
  });

  it('encodes guest state as hue and migration state as lightness or pattern', () => {
    const code = (m: number, g: number) => pageCode(m, g) * 2;
    expect(lut[code(MIG_PENDING, GUEST_USED)]).toBe(rgbaWord(fam.used.pending));
    expect(lut[code(MIG_SENT, GUEST_USED)]).toBe(rgbaWord(fam.used.sent));
    expect(lut[code(MIG_SENT, GUEST_FREE_STALE)]).toBe(rgbaWord(fam['free-stale'].sent));
    // skipped: checkerboard of the family's dark shade and the background
    expect(lut[code(MIG_SKIPPED, GUEST_FREE_STALE)]).toBe(rgbaWord(fam['free-stale'].pending));
    expect(lut[code(MIG_SKIPPED, GUEST_FREE_STALE) + 1]).toBe(bg);
    // dirtied again: checkerboard of the bright shade and reddish purple
    expect(lut[code(MIG_REDIRTIED, GUEST_USED) + 1]).toBe(rgbaWord(darkTheme.pageMap.redirtied));
    // solid states repeat their colour in both phases
    expect(lut[code(MIG_SENT, GUEST_ZERO)]).toBe(lut[code(MIG_SENT, GUEST_ZERO) + 1]);
  });

  it('paints cells outside guest RAM and unknown codes as background', () => {
    expect(lut[CELL_OUTSIDE * 2]).toBe(bg);
    expect(lut[200 * 2 + 1]).toBe(bg);
  });
});

describe('paintPageMap', () => {
  it('maps each cell through the LUT, row-major, and fills the tail of the last row', () => {
    const sent = pageCode(MIG_SENT, GUEST_USED);
    const pending = pageCode(MIG_PENDING, GUEST_FREE_STALE);
    const cells = new Uint8Array([sent, pending, sent, pending, sent]);
    const out = new Uint32Array(3 * 2); // 3 cols x 2 rows, 1 pixel past the cells
    paintPageMap(cells, 3, lut, out);
    expect(Array.from(out)).toEqual([
      rgbaWord(fam.used.sent),
      rgbaWord(fam['free-stale'].pending),
      rgbaWord(fam.used.sent),
      rgbaWord(fam['free-stale'].pending),
      rgbaWord(fam.used.sent),
      bg,
    ]);
  });

  it('draws patterned states as a checkerboard that alternates along rows and columns', () => {
    const skipped = pageCode(MIG_SKIPPED, GUEST_FREE_STALE);
    const cells = new Uint8Array(4).fill(skipped);
    const out = new Uint32Array(4);
    paintPageMap(cells, 2, lut, out); // 2x2
    const a = rgbaWord(fam['free-stale'].pending);
    expect(Array.from(out)).toEqual([a, bg, bg, a]);
  });

  it('paints an 8 GiB map bucketed 4 pages per pixel in a single pass', () => {
    const l = pageMapLayout(8 * 262144, 940, 560);
    const cells = new Uint8Array(l.cells).fill(pageCode(MIG_SENT, GUEST_FREE_STALE));
    const out = new Uint32Array(l.cols * l.rows);
    paintPageMap(cells, l.cols, lut, out);
    expect(out[0]).toBe(rgbaWord(fam['free-stale'].sent));
    expect(out[l.cells - 1]).toBe(rgbaWord(fam['free-stale'].sent));
    expect(out[l.cells]).toBe(bg); // first pixel past guest RAM
  });
});

describe('paintPageMapRows', () => {
  it('painted in bands of rows, any cut, gives the same pixels as one pass (1 and 4 px per cell)', () => {
    // Every code, a last row partly past the cells, and a pattern that depends on the row.
    const codes = Array.from({ length: 47 }, (_, i) => (i * 5) % CELL_OUTSIDE);
    const cells = Uint8Array.from(codes);
    const cols = 7;
    const rows = Math.ceil(cells.length / cols); // 7 rows, the last one 5 cells short
    for (const k of [1, 4]) {
      const whole = new Uint32Array(cols * k * rows * k);
      paintPageMapSubdivided(cells, cols, k, lut, whole);
      for (const cuts of [[0, rows], [0, 1, rows], [0, 3, 4, rows], [0, 1, 2, 3, 4, 5, 6, rows]]) {
        const banded = new Uint32Array(whole.length).fill(0xdeadbeef);
        for (let b = 0; b + 1 < cuts.length; b++) paintPageMapRows(cells, cols, k, lut, banded, cuts[b], cuts[b + 1]);
        expect(Array.from(banded)).toEqual(Array.from(whole));
      }
    }
  });

  it('leaves the rows outside the band untouched', () => {
    const cells = new Uint8Array(12).fill(pageCode(MIG_SENT, GUEST_USED));
    const out = new Uint32Array(12).fill(7);
    paintPageMapRows(cells, 4, 1, lut, out, 1, 2); // the middle row of 3
    expect(Array.from(out)).toEqual([7, 7, 7, 7, ...new Array(4).fill(rgbaWord(fam.used.sent)), 7, 7, 7, 7]);
  });
});

describe('cursorMarker', () => {
  it('puts the scan cursor on its bucket, in grid and CSS pixels', () => {
    const l = pageMapLayout(8 * 262144, 940, 560); // 4 pages per px, scale 1
    expect(cursorMarker(4 * (940 * 10 + 3) + 2, l)).toEqual({ x: 3, y: 10, left: 3, top: 10, size: 1 });
    const small = { bucketShift: 0, cells: 16384, cols: 180, rows: 92, scale: 5, firstPfn: 0 }; // 180 cols of 5x5 px
    expect(cursorMarker(230, small)).toEqual({ x: 50, y: 1, left: 250, top: 5, size: 5 });
    expect(cursorMarker(8 * 262144, l)).toBeNull();
  });

  it('places the cursor at a fractional scale (a map stretched to fill its area)', () => {
    const l = pageMapLayout(8 * 262144, 454, 380); // 16 pages per cell, 403 cols of 1.125 px
    expect(cursorMarker(16 * (403 * 2 + 10), l)).toEqual({ x: 10, y: 2, left: 11.25, top: 2.25, size: 1.125 });
  });
});

describe('zoomed-in cells carry their pattern inside', () => {
  it('at 4 px per cell and more, a skipped cell is a 4x4 checkerboard of its own two colours', async () => {
    const { paintPageMapSubdivided, subPixelsFor, buildPageMapLut: lutOf } = await import('../../src/ui/render/page-map-painter');
    const { darkTheme: theme } = await import('../../src/ui/theme');
    const { pageCode: code, MIG_SKIPPED: skipped, MIG_SENT: sent, GUEST_FREE_STALE: stale } = await import(
      '../../src/engine/model/page-state'
    );
    expect([1, 3.9, 4, 32].map(subPixelsFor)).toEqual([1, 1, 4, 4]);
    const lut = lutOf(theme);
    const cells = Uint8Array.from([code(skipped, stale), code(sent, stale)]);
    const out = new Uint32Array(2 * 4 * 4); // 2 cells of 4x4 in one row
    paintPageMapSubdivided(cells, 2, 4, lut, out);
    const a = lut[code(skipped, stale) * 2];
    const b = lut[code(skipped, stale) * 2 + 1];
    expect(a).not.toBe(b);
    // first cell, row 0: a b a b; row 1: b a b a — whatever the cell's position
    expect([...out.subarray(0, 4)]).toEqual([a, b, a, b]);
    expect([...out.subarray(8, 12)]).toEqual([b, a, b, a]);
    // the sent cell is solid
    const s = lut[code(sent, stale) * 2];
    expect([...out.subarray(4, 8)]).toEqual([s, s, s, s]);
  });
});
