import { describe, expect, it } from 'vitest';
import { GUEST_USED, GUEST_ZERO, MIG_PENDING, MIG_SENT, pageCode } from '../../src/engine/model/page-state';
import type { CellSummary } from '../../src/engine/types';
import { cellStatesText, cellSummaryText } from '../../src/ui/cell-summary-text';

function summary(firstPfn: number, counts: [number, number][], timesSent: number): CellSummary {
  const byCode = new Array<number>(16).fill(0);
  for (const [code, n] of counts) byCode[code] = n;
  return { firstPfn, pages: counts.reduce((a, [, n]) => a + n, 0), byCode, timesSent };
}

describe('cell summary text', () => {
  it('says the range, the states most pages first, and the sends', () => {
    const s = summary(
      4096,
      [
        [pageCode(MIG_PENDING, GUEST_ZERO), 4],
        [pageCode(MIG_SENT, GUEST_USED), 12],
      ],
      12,
    );
    expect(cellSummaryText(s)).toBe(
      'pfn 4096–4111 (16 pages): 12 in use · sent, 4 never touched · to send; sent 12 times',
    );
  });

  it('handles one state, one send, and a single page', () => {
    expect(cellStatesText(summary(0, [[pageCode(MIG_SENT, GUEST_USED), 4]], 1))).toBe('4 in use · sent; sent once');
    expect(cellSummaryText(summary(7, [[pageCode(MIG_PENDING, GUEST_USED), 1]], 0))).toBe(
      'pfn 7 (1 page): 1 in use · to send; sent 0 times',
    );
  });
});
