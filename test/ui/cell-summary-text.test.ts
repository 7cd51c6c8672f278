import { describe, expect, it } from 'vitest';
import { GUEST_FREE_STALE, GUEST_USED, GUEST_ZERO, MIG_PENDING, MIG_SENT, pageCode } from '../../src/engine/model/page-state';
import type { CellSummary } from '../../src/engine/types';
import { cellStatesText, cellSummaryText, destinationText } from '../../src/ui/cell-summary-text';

function summary(firstPfn: number, counts: [number, number][]): CellSummary {
  const byCode = new Array<number>(32).fill(0);
  for (const [code, n] of counts) byCode[code] = n;
  return { firstPfn, pages: counts.reduce((a, [, n]) => a + n, 0), byCode };
}

describe('cell summary text', () => {
  it('says the range and the states, most pages first', () => {
    const s = summary(4096, [
      [pageCode(MIG_PENDING, GUEST_ZERO), 4],
      [pageCode(MIG_SENT, GUEST_USED), 12],
    ]);
    expect(cellSummaryText(s)).toBe('pfn 4096–4111 · 16 pages: 12 in use, sent; 4 never touched, to send.');
  });

  it('a uniform bucket says "all", never a sum that reads like one page sent many times', () => {
    expect(cellStatesText(summary(0, [[pageCode(MIG_SENT, GUEST_FREE_STALE), 4]]))).toBe('4 pages: all free (stale), sent.');
    expect(cellStatesText(summary(0, [[pageCode(MIG_PENDING, GUEST_ZERO), 4]]))).toBe('4 pages: all never touched, to send.');
  });

  it('a single page says its own states', () => {
    expect(cellSummaryText(summary(7, [[pageCode(MIG_PENDING, GUEST_USED), 1]]))).toBe('pfn 7 · 1 page: in use, to send.');
  });

  it('one page: where the destination stands, from its two bits', () => {
    expect(destinationText({ received: false, changedSinceSent: false })).toBe('not received (the page reads zero)');
    expect(destinationText({ received: false, changedSinceSent: true })).toBe('not received yet');
    expect(destinationText({ received: true, changedSinceSent: true })).toBe('received, written since (behind)');
    expect(destinationText({ received: true, changedSinceSent: false })).toBe('received, up to date');
  });
});
