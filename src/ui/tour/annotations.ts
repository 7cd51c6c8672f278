/**
 * Where the tour's annotations go, from the engine's data: a pfn range becomes a box on the page
 * map through the same layout the map is painted with (cellOfPfn, layout.scale), and a moment
 * becomes an x on the charts through the charts' own geometry (CHART_SIZE) and time axis. Pure
 * functions; the components only draw what they return.
 */
import { BOOT_LAYOUT } from '../../engine/guest/workloads';
import { GUEST_STATES, guestOf, MIGRATION_STATES, migrationOf } from '../../engine/model/page-state';
import type { CellSummary } from '../../engine/types';
import { cellOfPfn, type PageMapLayout } from '../../protocol';
import { CHART_SIZE } from '../render/charts-view';
import type { PfnFind } from './tour';

const PAGE_BYTES = 4096;

/** A half-open range of pages, [first, end). */
export interface PfnRange {
  first: number;
  end: number;
}

/** A box in CSS pixels from the page-map canvas' top-left corner. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The struct-page array of a guest of `pageCount` pages: 64 bytes per page at the very top of RAM
 * (bootGuest in src/engine/guest/workloads.ts lays it out there, the highest pfns).
 */
export function structPageRange(pageCount: number): PfnRange {
  const pages = Math.ceil((pageCount * BOOT_LAYOUT.structPageBytesPerPage) / PAGE_BYTES);
  return { first: Math.max(0, pageCount - pages), end: pageCount };
}

/**
 * The box covering pages [first, end) on a map laid out as `layout` (row-major, pfn 0 at the top
 * left, so high pfns are the bottom rows). A range within one row is that stretch of the row;
 * a longer one spans the full width of its rows.
 */
export function pfnRangeBox(r: PfnRange, layout: PageMapLayout): Box | null {
  const a = cellOfPfn(r.first, layout);
  const b = cellOfPfn(r.end - 1, layout);
  if (!a || !b || r.end <= r.first) return null;
  const s = layout.scale;
  if (a.y === b.y) return { x: a.x * s, y: a.y * s, w: (b.x - a.x + 1) * s, h: s };
  return { x: 0, y: a.y * s, w: layout.cols * s, h: (b.y - a.y + 1) * s };
}

/** How many of a cell summary's pages are in the state `find` asks for. */
export function pagesMatching(sum: CellSummary, find: Exclude<PfnFind, { kind: 'struct-pages' }>): number {
  let n = 0;
  sum.byCode.forEach((count, code) => {
    if (count === 0) return;
    const hit =
      find.kind === 'guest' ? GUEST_STATES[guestOf(code)]?.id === find.state : MIGRATION_STATES[migrationOf(code)]?.id === find.state;
    if (hit) n += count;
  });
  return n;
}

/**
 * The longest run of consecutive slices in which most pages are in the asked state, as a pfn
 * range, or null when no slice qualifies. Slices are the engine's cell summaries over equal
 * stretches of RAM, in pfn order.
 */
export function longestMajorityRun(slices: readonly CellSummary[], find: Exclude<PfnFind, { kind: 'struct-pages' }>): PfnRange | null {
  let best: PfnRange | null = null;
  let cur: PfnRange | null = null;
  for (const sl of slices) {
    if (sl.pages > 0 && pagesMatching(sl, find) * 2 > sl.pages) {
      cur = cur ? { first: cur.first, end: sl.firstPfn + sl.pages } : { first: sl.firstPfn, end: sl.firstPfn + sl.pages };
      if (!best || cur.end - cur.first > best.end - best.first) best = cur;
    } else {
      cur = null;
    }
  }
  return best;
}

/** Into how many slices RAM is cut to find a state's stretch (1/128 of RAM each: 64 MiB of 8 GiB). */
export const FIND_SLICES = 128;

/** The slices to ask the engine about: [firstPfn, pages] covering `pageCount` pages. */
export function slicesOf(pageCount: number, n = FIND_SLICES): { firstPfn: number; pages: number }[] {
  const size = Math.max(1, Math.ceil(pageCount / n));
  const out: { firstPfn: number; pages: number }[] = [];
  for (let first = 0; first < pageCount; first += size) out.push({ firstPfn: first, pages: Math.min(size, pageCount - first) });
  return out;
}

/**
 * Where a label with an arrow goes for a box on a map `width` x `height`: beside the box on the
 * roomier side, pointing at its nearer edge; a box covering most of the map takes its label in
 * its middle, without an arrow (`inside`).
 */
export function labelPlacement(
  box: Box,
  width: number,
  height: number,
): { lx: number; ly: number; ax: number; ay: number; above: boolean; inside: boolean } {
  if (box.h > height / 2) {
    const lx = Math.min(Math.max(box.x + box.w / 2, 90), width - 90);
    const ly = box.y + box.h / 2;
    return { lx, ly, ax: lx, ay: ly, above: false, inside: true };
  }
  const ax = Math.min(Math.max(box.x + box.w / 2, 8), width - 8);
  const above = box.y + box.h / 2 > height / 2;
  const ay = above ? box.y : box.y + box.h;
  const gap = Math.min(60, Math.max(24, height * 0.12));
  const ly = above ? Math.max(14, ay - gap) : Math.min(height - 6, ay + gap);
  const lx = Math.min(Math.max(ax, 90), width - 90);
  return { lx, ly, ax, ay, above, inside: false };
}

/**
 * The x of simulated time `t` on the charts, as a fraction of the SVG's width: the charts span
 * [0, endMs] from CHART_SIZE.left to width - right (src/ui/render/charts-view.ts).
 */
export function chartXFraction(t: number, endMs: number): number {
  const { width, left, right } = CHART_SIZE;
  const x = left + (Math.min(Math.max(t, 0), endMs) / endMs) * (width - left - right);
  return x / width;
}
