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
  /** Integer up-scaling from grid pixels to CSS pixels (>= 1; nearest-neighbour, no smoothing). */
  readonly scale: number;
}

/** Largest bucket we ever use: 2^20 pages (4 GiB) per pixel covers > 4 PiB in a 1 Mpx map. */
const MAX_SHIFT = 20;

/**
 * Picks the finest power-of-two bucketing whose grid fits in `width` x `height` CSS pixels, then
 * the largest integer scale at which it still fits (small guests get big, readable cells).
 */
export function pageMapLayout(pageCount: number, width: number, height: number): PageMapLayout {
  const w = Math.max(16, Math.floor(width));
  const h = Math.max(16, Math.floor(height));
  const n = Math.max(1, pageCount);
  let bucketShift = 0;
  while (bucketShift < MAX_SHIFT && Math.ceil(n / 2 ** bucketShift) > w * h) bucketShift++;
  const cells = Math.ceil(n / 2 ** bucketShift);
  let scale = 1;
  for (let s = 2; s <= 32; s++) {
    const cols = Math.floor(w / s);
    if (cols < 1 || Math.ceil(cells / cols) > Math.floor(h / s)) break;
    scale = s;
  }
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

/** "1 px = 4 pages (16 KiB)" — how the map is bucketed, said on screen. */
export function describeBucketing(layout: PageMapLayout): string {
  const pages = 2 ** layout.bucketShift;
  const px = layout.scale === 1 ? '1 px' : `${layout.scale}×${layout.scale} px`;
  return `${px} = ${pages === 1 ? '1 page' : `${pages.toLocaleString('en-US')} pages`} (${formatKiB(pages * 4)})`;
}

function formatKiB(kib: number): string {
  if (kib >= 1024 * 1024) return `${kib / (1024 * 1024)} GiB`;
  if (kib >= 1024) return `${kib / 1024} MiB`;
  return `${kib} KiB`;
}
