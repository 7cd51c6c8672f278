/**
 * Words for one page-map cell of a bucketed map (the hover tooltip):
 *   "pfn 4096–4111 (16 pages)"  and  "12 in use · sent, 4 never touched · to send; sent 12 times"
 * Pure, so tests hold the wording.
 */
import { GUEST_STATE_COUNT, GUEST_STATES, guestOf, MIGRATION_STATES, migrationOf } from '../engine/model/page-state';
import type { CellSummary } from '../engine/types';

export function cellRangeText(s: CellSummary): string {
  const last = s.firstPfn + s.pages - 1;
  return s.pages === 1 ? `pfn ${s.firstPfn} (1 page)` : `pfn ${s.firstPfn}–${last} (${s.pages} pages)`;
}

/** The cell's states, most pages first, then how many sends its pages took. */
export function cellStatesText(s: CellSummary): string {
  const parts = s.byCode
    .map((n, code) => ({ n, code }))
    .filter(({ n, code }) => n > 0 && guestOf(code) < GUEST_STATE_COUNT)
    .sort((a, b) => b.n - a.n || a.code - b.code)
    .map(({ n, code }) => `${n} ${GUEST_STATES[guestOf(code)].short} · ${MIGRATION_STATES[migrationOf(code)].short}`);
  const sent = s.timesSent === 1 ? 'sent once' : `sent ${s.timesSent} times`;
  return `${parts.join(', ')}; ${sent}`;
}

export function cellSummaryText(s: CellSummary): string {
  return `${cellRangeText(s)}: ${cellStatesText(s)}`;
}
