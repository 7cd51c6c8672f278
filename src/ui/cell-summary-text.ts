/**
 * Words for one page-map cell of a bucketed map (the hover tooltip and the pinned cell):
 *   "pfn 4096–4111 (16 pages)"  and
 *   "16 pages: 12 in use, sent; 4 never touched, to send."
 *   "4 pages: all free (stale), sent."
 * Counts always say "pages", never a sum that reads like one page sent many times. Pure, so
 * tests hold the wording.
 */
import { GUEST_STATE_COUNT, GUEST_STATES, guestOf, MIGRATION_STATES, migrationOf } from '../engine/model/page-state';
import type { CellSummary, PageInfo } from '../engine/types';

export function cellRangeText(s: CellSummary): string {
  const last = s.firstPfn + s.pages - 1;
  return s.pages === 1 ? `pfn ${s.firstPfn} (1 page)` : `pfn ${s.firstPfn}–${last} (${s.pages} pages)`;
}

/**
 * The cell's states, most pages first. How often each page was sent is not said: the engine
 * keeps no send count per page (pin a page for its history).
 */
export function cellStatesText(s: CellSummary): string {
  const states = s.byCode
    .map((n, code) => ({ n, code }))
    .filter(({ n, code }) => n > 0 && guestOf(code) < GUEST_STATE_COUNT)
    .sort((a, b) => b.n - a.n || a.code - b.code)
    .map(({ n, code }) => ({ n, text: `${GUEST_STATES[guestOf(code)].short}, ${MIGRATION_STATES[migrationOf(code)].short}` }));
  const pages = s.pages === 1 ? '1 page' : `${s.pages} pages`;
  const what =
    states.length === 1
      ? `${s.pages === 1 ? '' : 'all '}${states[0].text}`
      : states.map(({ n, text }) => `${n} ${text}`).join('; ');
  return `${pages}: ${what}.`;
}

/** One line: "pfn 4096–4111 · 16 pages: …" (the range, then the states). */
export function cellSummaryText(s: CellSummary): string {
  const range = s.pages === 1 ? `pfn ${s.firstPfn}` : `pfn ${s.firstPfn}–${s.firstPfn + s.pages - 1}`;
  return `${range} · ${cellStatesText(s)}`;
}

/**
 * Where the destination stands for one page (the one-page tooltip): the engine keeps two bits per
 * page for it, not counts; pinning the page re-simulates it for how often it was written and sent.
 */
export function destinationText(info: Pick<PageInfo, 'received' | 'changedSinceSent'>): string {
  if (!info.received) return info.changedSinceSent ? 'not received yet' : 'not received (the page reads zero)';
  return info.changedSinceSent ? 'received, written since (behind)' : 'received, up to date';
}
