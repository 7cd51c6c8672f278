/**
 * The scan's own check (precopy.ts sendNextWord): a word that the scan chose must send a page.
 * Only a wrong findNextSet reaches it, so this file replaces it with one that is off by one (one
 * past the bit it found), in a file of its own because vi.mock replaces it for the whole file.
 */
import { describe, expect, it, vi } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { until } from '../bounded';
import { costFree, thread, toLoop } from './precopy-harness';

vi.mock('../../../src/engine/bitmap', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/engine/bitmap')>();
  return {
    ...real,
    findNextSet: (bm: Uint32Array, from: number, n: number) => {
      const pfn = real.findNextSet(bm, from, n);
      return pfn < 0 ? pfn : pfn + 1;
    },
  };
});

describe('the scan', () => {
  it('throws when the word it found sends no page, instead of counting a send of nothing', () => {
    const mem = new GuestMemory(64);
    mem.writeRange(0, 64);
    const { pre } = thread(mem, costFree);
    toLoop(pre);
    // Pages 1-31 and 33-63 go; at the wrap the scan finds page 0 and reports page 1, already sent.
    expect(() => until(pre, () => pre.done, 100, 'the end of the run')).toThrow(/the scan found dirty page 1 but its word sends no page/);
  });
});
