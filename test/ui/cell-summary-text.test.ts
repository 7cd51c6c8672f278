import { describe, expect, it } from 'vitest';
import { GUEST_FREE_STALE, GUEST_USED, GUEST_ZERO, MIG_PENDING, MIG_SENT, pageCode } from '../../src/engine/model/page-state';
import type { CellSummary } from '../../src/engine/types';
import { cellStatesText, cellSummaryText } from '../../src/ui/cell-summary-text';

function summary(firstPfn: number, counts: [number, number][], bySendCount: [number, number, number, number]): CellSummary {
  const byCode = new Array<number>(32).fill(0);
  for (const [code, n] of counts) byCode[code] = n;
  const timesSent = bySendCount[1] + 2 * bySendCount[2] + 3 * bySendCount[3];
  return { firstPfn, pages: counts.reduce((a, [, n]) => a + n, 0), byCode, timesSent, bySendCount };
}

describe('cell summary text', () => {
  it('says the range, the states most pages first, and the sends per page', () => {
    const s = summary(
      4096,
      [
        [pageCode(MIG_PENDING, GUEST_ZERO), 4],
        [pageCode(MIG_SENT, GUEST_USED), 12],
      ],
      [4, 12, 0, 0],
    );
    expect(cellSummaryText(s)).toBe(
      'pfn 4096–4111 · 16 pages: 12 in use, sent; 4 never touched, to send. 12 sent once, 4 not sent yet.',
    );
  });

  it('a uniform bucket cannot be read as one page sent many times', () => {
    // The "4 free (stale) · sent; sent 4 times" for four pages each sent once.
    expect(cellStatesText(summary(0, [[pageCode(MIG_SENT, GUEST_FREE_STALE), 4]], [0, 4, 0, 0]))).toBe(
      '4 pages: all free (stale), sent. Each sent once.',
    );
    expect(cellStatesText(summary(0, [[pageCode(MIG_SENT, GUEST_USED), 8]], [0, 2, 6, 0]))).toBe(
      '8 pages: all in use, sent. 2 sent once, 6 sent twice.',
    );
    expect(cellStatesText(summary(0, [[pageCode(MIG_PENDING, GUEST_ZERO), 4]], [4, 0, 0, 0]))).toBe(
      '4 pages: all never touched, to send. None sent yet.',
    );
  });

  it('a single page says its own sends', () => {
    expect(cellSummaryText(summary(7, [[pageCode(MIG_PENDING, GUEST_USED), 1]], [1, 0, 0, 0]))).toBe(
      'pfn 7 · 1 page: in use, to send. Not sent yet.',
    );
    expect(cellStatesText(summary(7, [[pageCode(MIG_SENT, GUEST_USED), 1]], [0, 0, 0, 1]))).toBe(
      '1 page: in use, sent. Sent 3 times.',
    );
  });
});
