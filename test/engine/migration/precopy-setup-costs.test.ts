/** The dirty-log start and the bitmap sync: what each costs the migration thread. (The harness: precopy-harness.ts.) */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { until } from '../bounded';
import { costFree, thread, toLoop } from './precopy-harness';

describe('setup costs', () => {
  it('the dirty-log start costs pages x per-page + 4 KiB sptes x per-spte + 2 MiB sptes x per-huge-spte', () => {
    // 3 regions of 512 pages and a 100-page tail (in 4 KiB units): region 0 fully written (one
    // 2 MiB spte with THP), region 1 three pages (one more), the tail 5 pages (5 small sptes).
    const pages = 3 * 512 + 100;
    const mem = new GuestMemory(pages);
    mem.writeRange(0, 512);
    for (const p of [600, 700, 800]) mem.write(p);
    mem.writeRange(1536, 1541);
    const profile = { ...costFree, hostHugePages: true, logStartNsPerPage: 3, logStartNsPer4kSpte: 13, logStartNsPerHugeSpte: 61 };
    const { pre } = thread(mem, profile);
    let before = pre.now;
    until(pre, () => {
      if (mem.logging) return true;
      before = pre.now;
      return false;
    });
    // Under one 10 ms slice: all of it in the unit that turned logging on.
    expect(pre.now - before).toBeCloseTo((pages * 3 + 5 * 13 + 2 * 61) / 1e6, 12);
    expect(pre.now - before).toBeCloseTo(0.005_095, 12); // 1636 x 3 + 65 + 122 ns
  });

  it('a dirty-log start longer than 10 ms is spent in 10 ms slices, the last one the rest', () => {
    // 1 ms a page (a cost no profile has): 64 pages take 64 ms, six slices of 10 and one of 4.
    const mem = new GuestMemory(64);
    const { pre } = thread(mem, { ...costFree, logStartNsPerPage: 1e6 });
    until(pre, () => mem.logging);
    const clock: number[] = [];
    until(
      pre,
      () => {
        clock.push(pre.now);
        return pre.status === 'active';
      },
      20,
    );
    // The clock after each unit: the slices, then setup-sync's two units (no cost here).
    expect(clock).toEqual([10, 20, 30, 40, 50, 60, 64, 64, 64]);
    expect(pre.setupTime).toBe(64);
  });

  it('a sync costs pages x per-page + logged pages x per-dirty-page (the dirty ones counted in the log)', () => {
    const mem = new GuestMemory(256);
    const profile = { ...costFree, syncNsPerPage: 0.5, syncNsPerDirtyPage: 50 };
    const { pre } = thread(mem, profile);
    toLoop(pre);
    for (const p of [1, 2, 3, 100, 200]) mem.write(p);
    const t = pre.now;
    pre.sync();
    expect(pre.now - t).toBeCloseTo((256 * 0.5 + 5 * 50) / 1e6, 12);
    // The pages were still set in the migration bitmap (not yet sent): logged, not fresh.
    expect(pre.dirtyPages).toBe(256);
  });
});
