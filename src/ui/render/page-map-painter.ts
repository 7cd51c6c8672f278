/**
 * Page-map painting as pure functions on buffers (no DOM), so they are tested directly:
 *   buildPageMapLut(theme)  -> 2 RGBA words per cell code (checkerboard phase 0 and 1)
 *   paintPageMap(cells, cols, lut, out32)  -> fills an ImageData-shaped Uint32Array
 *   cursorMarker(pfn, layout) -> where the scan cursor is drawn, in grid pixels
 * Cell codes are the engine's (src/engine/model/page-state.ts): (migration << 3) | guest.
 */
import {
  CELL_OUTSIDE,
  GUEST_STATE_COUNT,
  GUEST_STATES,
  MIG_PENDING,
  MIG_REDIRTIED,
  MIG_SENT,
  MIG_SKIPPED,
  MIG_STATE_COUNT,
  pageCode,
} from '../../engine/model/page-state';
import { cellOfPfn, type PageMapLayout } from '../../protocol';
import type { Theme } from '../theme';

/** The two colours (checkerboard phases) a cell code is drawn with; equal for solid states. */
export interface Swatch {
  readonly a: string;
  readonly b: string;
}

/** The colours of (guest, migration) in `theme`; the legend uses this too. */
export function swatchFor(theme: Theme, guest: number, migration: number): Swatch {
  const pm = theme.pageMap;
  const fam = pm.families[GUEST_STATES[guest]?.id ?? 'zero'];
  switch (migration) {
    case MIG_PENDING:
      return { a: fam.pending, b: fam.pending };
    case MIG_SENT:
      return { a: fam.sent, b: fam.sent };
    case MIG_SKIPPED:
      return { a: fam.pending, b: pm.background };
    case MIG_REDIRTIED:
      return { a: fam.sent, b: pm.redirtied };
    default:
      return { a: pm.background, b: pm.background };
  }
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** '#rrggbb' -> the Uint32 that puts r,g,b,255 into ImageData byte order. */
export function rgbaWord(hex: string): number {
  const v = Number.parseInt(hex.slice(1, 7), 16);
  const r = (v >> 16) & 255;
  const g = (v >> 8) & 255;
  const b = v & 255;
  return littleEndian ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

/** 256 codes x 2 phases. Unknown codes and CELL_OUTSIDE paint as the background. */
export function buildPageMapLut(theme: Theme): Uint32Array {
  const lut = new Uint32Array(512).fill(rgbaWord(theme.pageMap.background));
  for (let g = 0; g < GUEST_STATE_COUNT; g++) {
    for (let m = 0; m < MIG_STATE_COUNT; m++) {
      const code = pageCode(m, g);
      const s = swatchFor(theme, g, m);
      lut[code * 2] = rgbaWord(s.a);
      lut[code * 2 + 1] = rgbaWord(s.b);
    }
  }
  return lut;
}

/**
 * Paints `cells` (row-major, `cols` wide) into `out32` (cols x rows pixels). Pixels past the last
 * cell get the CELL_OUTSIDE colour. Patterned states alternate colours on (x + y) parity.
 */
export function paintPageMap(cells: Uint8Array, cols: number, lut: Uint32Array, out32: Uint32Array): void {
  paintPageMapRows(cells, cols, 1, lut, out32, 0, Math.ceil(out32.length / cols));
}

/**
 * Sub-pixels per cell side when cells are drawn `scale` CSS px wide: 1 (a cell is one grid pixel)
 * until cells are 4 px, then 4, so a patterned state (skipped, dirtied again) shows its
 * checkerboard inside each cell: at one pixel per cell, neighbouring cells alternate, which a
 * zoomed-in map would show as a chessboard of big cells, read as two states.
 */
export function subPixelsFor(scale: number): number {
  return scale >= 4 ? 4 : 1;
}

/**
 * paintPageMap with each cell drawn as k x k pixels (`out32` is cols*k wide, rows*k high), the
 * pattern alternating inside the cell. k = 1 is paintPageMap.
 */
export function paintPageMapSubdivided(cells: Uint8Array, cols: number, k: number, lut: Uint32Array, out32: Uint32Array): void {
  paintPageMapRows(cells, cols, k, lut, out32, 0, Math.ceil(out32.length / (cols * k * k)));
}

/**
 * paintPageMapSubdivided for the cell rows [fromRow, toRow) only; the rest of `out32` is left as
 * it was. A paint that would take too long for one frame is done in bands of rows (PageMapView).
 */
export function paintPageMapRows(
  cells: Uint8Array,
  cols: number,
  k: number,
  lut: Uint32Array,
  out32: Uint32Array,
  fromRow: number,
  toRow: number,
): void {
  const n = cells.length;
  if (k === 1) {
    const total = out32.length;
    const outside0 = lut[CELL_OUTSIDE * 2];
    const outside1 = lut[CELL_OUTSIDE * 2 + 1];
    const end = Math.min(total, toRow * cols);
    for (let y = fromRow, i = fromRow * cols; i < end; y++) {
      const rowEnd = Math.min(end, i + cols);
      let parity = y & 1;
      for (; i < rowEnd; i++, parity ^= 1) {
        out32[i] = i < n ? lut[(cells[i] << 1) | parity] : parity ? outside1 : outside0;
      }
    }
    return;
  }
  const w = cols * k;
  const rows = Math.min(toRow, Math.floor(out32.length / (w * k)));
  for (let cy = fromRow; cy < rows; cy++) {
    for (let cx = 0; cx < cols; cx++) {
      const i = cy * cols + cx;
      const code = i < n ? cells[i] : CELL_OUTSIDE;
      const c0 = lut[code << 1];
      const c1 = lut[(code << 1) | 1];
      for (let sy = 0; sy < k; sy++) {
        let o = (cy * k + sy) * w + cx * k;
        for (let sx = 0; sx < k; sx++, o++) out32[o] = (sx + sy) & 1 ? c1 : c0;
      }
    }
  }
}

/**
 * Where to draw the scan cursor: its cell in grid pixels and the top-left corner of that cell in
 * CSS pixels (cells are `layout.scale` CSS px wide). Null when the cursor is outside guest RAM.
 */
export function cursorMarker(
  cursorPfn: number,
  layout: PageMapLayout,
): { x: number; y: number; left: number; top: number; size: number } | null {
  const cell = cellOfPfn(cursorPfn, layout);
  if (!cell) return null;
  return { ...cell, left: cell.x * layout.scale, top: cell.y * layout.scale, size: layout.scale };
}
