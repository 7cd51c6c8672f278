/**
 * How guest pages map onto the page-map canvas. Shared by the worker (which renders cells at
 * this resolution) and the UI (which paints them), so both always agree on the grid.
 *
 * Three coordinate spaces:
 *   page  pfn, 0 .. pageCount-1
 *   cell  one canvas pixel of the grid; cell = (pfn - firstPfn) >> bucketShift, laid out
 *         row-major, `cols` wide
 *   css   CSS pixels of the page-map area; one cell is `scale` x `scale` CSS pixels
 *
 * The map shows a window of guest RAM, [firstPfn, firstPfn + cells << bucketShift): the whole
 * guest by default, a part of it when zoomed in (PageWindow). The window's first page is a
 * multiple of the bucket size, so a cell always covers the same pages whatever the pan.
 */

/** A contiguous run of pages the map shows: [first, first + count). */
export interface PageWindow {
  readonly first: number;
  readonly count: number;
}

/**
 * The smallest window: 256 pages (1 MiB). At the largest cell (32 CSS px) that fills a
 * ~500x500 px map, each page a 32 px square: single pages are as big as the map can show.
 */
export const MIN_WINDOW_PAGES = 256;

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
  /** First page of the window shown (a multiple of 2^bucketShift); 0 when not zoomed. */
  readonly firstPfn: number;
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
export function pageMapLayout(pageCount: number, width: number, height: number, window?: PageWindow): PageMapLayout {
  const w = Math.max(16, Math.floor(width));
  const h = Math.max(16, Math.floor(height));
  const total = Math.max(1, pageCount);
  const win = clampWindow(window ?? { first: 0, count: total }, total);
  const n = win.count;
  let bucketShift = 0;
  while (bucketShift < MAX_SHIFT && Math.ceil(n / 2 ** bucketShift) > w * h) bucketShift++;
  const size = 2 ** bucketShift;
  const firstPfn = Math.floor(win.first / size) * size;
  // Aligning down may leave the window's last pages out; never more cells than were fitted.
  const cells = Math.min(Math.ceil(n / size), Math.ceil((total - firstPfn) / size));
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
  return { bucketShift, cells, cols, rows, scale, firstPfn };
}

/**
 * A window inside [0, pageCount): at least MIN_WINDOW_PAGES (or the whole guest if smaller),
 * whole pages, starting where the rest of it still fits.
 */
export function clampWindow(win: PageWindow, pageCount: number): PageWindow {
  const total = Math.max(1, Math.floor(pageCount));
  const finite = (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback);
  const count = Math.min(total, Math.max(Math.min(MIN_WINDOW_PAGES, total), Math.round(finite(win.count, total))));
  const first = Math.min(total - count, Math.max(0, Math.round(finite(win.first, 0))));
  return { first, count };
}

/** True when the window is the whole guest (nothing to zoom out of). */
export function isWholeGuest(win: PageWindow, pageCount: number): boolean {
  return win.first <= 0 && win.count >= pageCount;
}

/** The grid cell holding `pfn`, or null outside the window shown. */
export function cellOfPfn(pfn: number, layout: PageMapLayout): { x: number; y: number } | null {
  const rel = pfn - layout.firstPfn;
  if (rel < 0) return null;
  const cell = Math.floor(rel / 2 ** layout.bucketShift);
  if (cell >= layout.cells) return null;
  return { x: cell % layout.cols, y: Math.floor(cell / layout.cols) };
}

/** The first pfn of the cell under grid pixel (x, y), or null outside the map. */
export function pfnOfCell(x: number, y: number, layout: PageMapLayout): number | null {
  if (x < 0 || y < 0 || x >= layout.cols || y >= layout.rows) return null;
  const cell = y * layout.cols + x;
  if (cell >= layout.cells) return null;
  return layout.firstPfn + cell * 2 ** layout.bucketShift;
}

/** The centre of `pfn`'s cell in CSS pixels from the canvas' top-left corner, or null outside. */
export function pointOfPfn(pfn: number, layout: PageMapLayout): { x: number; y: number } | null {
  const cell = cellOfPfn(pfn, layout);
  if (!cell) return null;
  return { x: (cell.x + 0.5) * layout.scale, y: (cell.y + 0.5) * layout.scale };
}

/** Pages after the window's last one (the window is [firstPfn, endPfn)). */
export function endPfnOf(layout: PageMapLayout, pageCount: number): number {
  return Math.min(pageCount, layout.firstPfn + layout.cells * 2 ** layout.bucketShift);
}

/**
 * The window after zooming by `factor` (> 1 in, < 1 out) about the CSS point (px, py) of a
 * `width` x `height` map: the page under the point stays under it (as far as the new grid
 * allows: cells reflow into the new width, and the window stops at the ends of guest RAM).
 */
export function zoomWindowAt(
  win: PageWindow,
  pageCount: number,
  width: number,
  height: number,
  factor: number,
  px: number,
  py: number,
): PageWindow {
  const before = pageMapLayout(pageCount, width, height, win);
  const anchor = pfnAtPoint(px, py, before) ?? before.firstPfn;
  const count = clampWindow({ first: 0, count: win.count / factor }, pageCount).count;
  const after = pageMapLayout(pageCount, width, height, { first: 0, count });
  const x = Math.min(after.cols - 1, Math.max(0, Math.floor(px / after.scale)));
  const y = Math.min(after.rows - 1, Math.max(0, Math.floor(py / after.scale)));
  const cellsBefore = y * after.cols + x;
  return clampWindow({ first: anchor - cellsBefore * 2 ** after.bucketShift, count }, pageCount);
}

/**
 * The window after dragging the map by (dx, dy) CSS pixels: the pages follow the pointer, a row
 * of cells per `scale` pixels down, a cell per `scale` pixels across.
 */
export function panWindowBy(win: PageWindow, pageCount: number, layout: PageMapLayout, dx: number, dy: number): PageWindow {
  const cells = Math.round(dy / layout.scale) * layout.cols + Math.round(dx / layout.scale);
  return clampWindow({ first: win.first - cells * 2 ** layout.bucketShift, count: win.count }, pageCount);
}

/**
 * The first pfn of the cell under a point of the canvas, in CSS pixels from its top-left corner
 * (the canvas is cols x rows cells of `scale` CSS px), or null outside guest RAM.
 */
export function pfnAtPoint(px: number, py: number, layout: PageMapLayout): number | null {
  return pfnOfCell(Math.floor(px / layout.scale), Math.floor(py / layout.scale), layout);
}
