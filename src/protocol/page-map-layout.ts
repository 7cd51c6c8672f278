/**
 * How guest pages map onto the page-map canvas. Shared by the worker (which renders cells at
 * this resolution) and the UI (which paints them), so both always agree on the grid.
 *
 * Three coordinate spaces:
 *   page  pfn, 0 .. pageCount-1
 *   cell  one canvas pixel of the grid; cell = pfn >> bucketShift, laid out row-major, `cols` wide
 *   css   CSS pixels of the page-map area; one cell is `scale` x `scale` CSS pixels
 */

export interface PageMapLayout {
  /** Each cell stands for 2^bucketShift pages. */
  readonly bucketShift: number;
  /** Cells actually holding pages: ceil(pageCount / 2^bucketShift). */
  readonly cells: number;
  readonly cols: number;
  readonly rows: number;
  /**
   * Up-scaling from grid pixels to CSS pixels (>= 1; nearest-neighbour, no smoothing): an
   * integer, or a multiple of 1/16 when that fills the area noticeably better.
   */
  readonly scale: number;
}

/** Largest bucket we ever use: 2^20 pages (4 GiB) per pixel covers > 4 PiB in a 1 Mpx map. */
const MAX_SHIFT = 20;
const MAX_SCALE = 32;
/** Fractional scales are multiples of this (short to say, and a regular pixel pattern). */
const SCALE_STEP = 1 / 16;
/** A fractional scale must beat the best integer one by this much to be worth uneven cells. */
const FRACTIONAL_GAIN = 1.05;

/**
 * Picks the finest power-of-two bucketing whose grid fits in `width` x `height` CSS pixels at one
 * pixel per cell, then the largest scale at which the grid (square cells, `cols` chosen for that
 * scale) still fits, so the map uses the width AND the height it has. The scale is an integer
 * when one is close to the best (crisp cells); otherwise a multiple of 1/16 (cells drawn
 * nearest-neighbour, some one device pixel wider than others).
 */
export function pageMapLayout(pageCount: number, width: number, height: number): PageMapLayout {
  const w = Math.max(16, Math.floor(width));
  const h = Math.max(16, Math.floor(height));
  const n = Math.max(1, pageCount);
  let bucketShift = 0;
  while (bucketShift < MAX_SHIFT && Math.ceil(n / 2 ** bucketShift) > w * h) bucketShift++;
  const cells = Math.ceil(n / 2 ** bucketShift);
  const fits = (s: number) => {
    const cols = Math.min(cells, Math.floor(w / s));
    return cols >= 1 && Math.ceil(cells / cols) * s <= h;
  };
  let integer = 1;
  while (integer < MAX_SCALE && fits(integer + 1)) integer++;
  let fractional = integer;
  for (let s = Math.min(MAX_SCALE, integer + 1) - SCALE_STEP; s > integer; s -= SCALE_STEP) {
    if (fits(s)) {
      fractional = s;
      break;
    }
  }
  const scale = fractional >= integer * FRACTIONAL_GAIN ? fractional : integer;
  const cols = Math.min(cells, Math.floor(w / scale));
  const rows = Math.ceil(cells / cols);
  return { bucketShift, cells, cols, rows, scale };
}

/** The grid cell holding `pfn`, or null outside guest RAM. */
export function cellOfPfn(pfn: number, layout: PageMapLayout): { x: number; y: number } | null {
  if (pfn < 0) return null;
  const cell = Math.floor(pfn / 2 ** layout.bucketShift);
  if (cell >= layout.cells) return null;
  return { x: cell % layout.cols, y: Math.floor(cell / layout.cols) };
}

/** The first pfn of the cell under grid pixel (x, y), or null outside the map. */
export function pfnOfCell(x: number, y: number, layout: PageMapLayout): number | null {
  if (x < 0 || y < 0 || x >= layout.cols || y >= layout.rows) return null;
  const cell = y * layout.cols + x;
  if (cell >= layout.cells) return null;
  return cell * 2 ** layout.bucketShift;
}

/**
 * The first pfn of the cell under a point of the canvas, in CSS pixels from its top-left corner
 * (the canvas is cols x rows cells of `scale` CSS px), or null outside guest RAM.
 */
export function pfnAtPoint(px: number, py: number, layout: PageMapLayout): number | null {
  return pfnOfCell(Math.floor(px / layout.scale), Math.floor(py / layout.scale), layout);
}

/** "1 px = 4 pages (16 KiB)", "1.19×1.19 px = 16 pages (64 KiB)": the bucketing, said on screen. */
export function describeBucketing(layout: PageMapLayout): string {
  const pages = 2 ** layout.bucketShift;
  const side = Number(layout.scale.toFixed(2));
  const px = layout.scale === 1 ? '1 px' : `${side}×${side} px`;
  return `${px} = ${pages === 1 ? '1 page' : `${pages.toLocaleString('en-US')} pages`} (${formatKiB(pages * 4)})`;
}

function formatKiB(kib: number): string {
  if (kib >= 1024 * 1024) return `${kib / (1024 * 1024)} GiB`;
  if (kib >= 1024) return `${kib / 1024} MiB`;
  return `${kib} KiB`;
}
