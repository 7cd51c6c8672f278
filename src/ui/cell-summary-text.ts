/**
 * Words for one page-map cell of a bucketed map (the hover tooltip and the pinned cell):
 *   "pfn 4096–4111 (16 pages)"  and
 *   "16 pages: 12 in use, sent; 4 never touched, to send. 12 sent once, 4 not sent yet."
 *   "4 pages: all free (stale), sent. Each sent once."
 * Counts always say "pages" and sends are said per page ("each sent once"), never as a sum that
 * reads like one page sent many times. Pure, so tests hold the wording.
 */
import { GUEST_STATE_COUNT, GUEST_STATES, guestOf, MIGRATION_STATES, migrationOf } from '../engine/model/page-state';
import type { CellSummary } from '../engine/types';

export function cellRangeText(s: CellSummary): string {
  const last = s.firstPfn + s.pages - 1;
  return s.pages === 1 ? `pfn ${s.firstPfn} (1 page)` : `pfn ${s.firstPfn}–${last} (${s.pages} pages)`;
}

const ONE = ['not sent yet', 'sent once', 'sent twice', 'sent 3 times or more'] as const;
const EACH = ['none sent yet', 'each sent once', 'each sent twice', 'each sent 3 times or more'] as const;

/** How often the cell's pages were sent, per page. */
export function cellSendsText(s: CellSummary): string {
  const groups = s.bySendCount.map((n, k) => ({ n, k })).filter(({ n }) => n > 0);
  if (groups.length === 1) {
    const k = groups[0].k;
    return s.pages === 1 ? (k === 3 ? `sent ${s.timesSent} times` : ONE[k]) : EACH[k];
  }
  // Sent pages first, most sends last, then those not sent yet.
  const order = [1, 2, 3, 0];
  return order
    .map((k) => s.bySendCount[k])
    .map((n, i) => ({ n, k: order[i] }))
    .filter(({ n }) => n > 0)
    .map(({ n, k }) => `${n} ${ONE[k]}`)
    .join(', ');
}

/** The cell's states, most pages first, then how often its pages were sent. */
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
  const sends = cellSendsText(s);
  return `${pages}: ${what}. ${sends.charAt(0).toUpperCase()}${sends.slice(1)}.`;
}

/** One line: "pfn 4096–4111 · 16 pages: …" (the range, then the states and sends). */
export function cellSummaryText(s: CellSummary): string {
  const range = s.pages === 1 ? `pfn ${s.firstPfn}` : `pfn ${s.firstPfn}–${s.firstPfn + s.pages - 1}`;
  return `${range} · ${cellStatesText(s)}`;
}
