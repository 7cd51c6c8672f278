/** dirty-pages-rate: the 1 s statistics period of QEMU 2.5's migration_bitmap_sync. (The harness: precopy-harness.ts.) */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { costFree, thread, toLoop } from './precopy-harness';

describe("dirty-pages-rate: QEMU 2.5's migration_bitmap_sync closes a period only after more than 1000 ms", () => {
  it('a sync at exactly 1000 ms leaves the rate alone; the next one past it computes fresh pages per second', () => {
    const mem = new GuestMemory(256);
    const { pre } = thread(mem, costFree);
    toLoop(pre);
    // The period starts at setup-sync: 0 ms with costFree. A sync 7 ms later does not close it.
    expect(pre.now).toBe(0);
    pre.spend(7);
    pre.sync();
    expect(pre.dirtyPagesRate).toBe(0);
    // Nothing pending in the bitmap, so every page written is fresh at the next sync.
    pre.dropRange(0, 256);
    for (const p of [0, 1, 2, 3]) mem.write(p);
    pre.spend(1000 - 7);
    expect(pre.now).toBe(1000);
    pre.sync();
    // end_time > start_time + 1000 is false at exactly 1000: not computed, the 4 pages stay in the period.
    expect(pre.dirtyPagesRate).toBe(0);
    for (const p of [10, 11, 12, 13, 14, 15]) mem.write(p);
    pre.spend(250);
    pre.sync();
    // 10 fresh pages over the 1250 ms since the period began.
    expect(pre.dirtyPagesRate).toBe(Math.round((10 * 1000) / 1250));
    expect(pre.dirtyPagesRate).toBe(8);
    // A new period began there: 3 pages 500 ms later do not change the rate.
    for (const p of [20, 21, 22]) mem.write(p);
    pre.spend(500);
    pre.sync();
    expect(pre.dirtyPagesRate).toBe(8);
  });

  it('with a period that did not start at 0 the rate divides by the time since its start', () => {
    const mem = new GuestMemory(256);
    const profile = { ...costFree, setupFixedMs: 400 };
    const { pre } = thread(mem, profile);
    toLoop(pre);
    expect(pre.now).toBe(400);
    pre.dropRange(0, 256);
    mem.writeRange(0, 30);
    pre.spend(1500);
    pre.sync();
    // 30 pages over 1500 ms (not over 1900 ms or 2300 ms).
    expect(pre.dirtyPagesRate).toBe(20);
  });
});
