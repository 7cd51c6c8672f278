import { describe, expect, it } from 'vitest';
import { AutoConverge, type AutoConvergeParams } from '../../../src/engine/migration/auto-converge';

const QEMU_DEFAULTS: AutoConvergeParams = { initial: 20, increment: 10, max: 99 };
const MB = 1e6;

/**
 * Drives the class as migration_bitmap_sync would: a setup sync (nothing sent yet, no period),
 * then one sync per 2 s statistics period. Each period sends `sentMB` and newly dirties
 * `dirtyPages[i]`; the dirty-pages-rate handed in is the previous period's, as QEMU updates
 * s->dirty_pages_rate only after the check. Returns the throttle after every sync.
 */
function drive(dirtyPages: readonly number[], params = QEMU_DEFAULTS, sentMB = 100): number[] {
  const ac = new AutoConverge(params);
  const after: number[] = [];
  ac.onSyncStats({ transferred: 0, periodDirtyPages: null, dirtyPagesRate: 0 });
  after.push(ac.throttle);
  let transferred = 0;
  let rate = 0;
  for (const pages of dirtyPages) {
    transferred += sentMB * MB;
    ac.onSyncStats({ transferred, periodDirtyPages: pages, dirtyPagesRate: rate });
    rate = Math.floor((pages * 1000) / 2000);
    after.push(ac.throttle);
  }
  return after;
}

// 20 000 pages = 81.9 MB of new dirty pages per period: more than half of the 100 MB sent.
const HIT = 20_000;
// 10 000 pages = 41 MB: less than half.
const MISS = 10_000;

describe('auto-converge, QEMU 2.5/2.6 rule', () => {
  it('throttles 20, 30, 40 % at the 4th, 7th and 10th period: first period never counts, then every third hit', () => {
    const t = drive(Array(10).fill(HIT));
    // index 0 = setup sync; index k = the sync closing period k.
    expect(t).toEqual([0, 0, 0, 0, 20, 20, 20, 30, 30, 30, 40]);
  });

  it('the first period never counts, however much it dirtied (dirty_pages_rate is still 0)', () => {
    expect(drive([10 * HIT, HIT, HIT])).toEqual([0, 0, 0, 0]);
    expect(drive([10 * HIT, HIT, HIT, HIT])).toEqual([0, 0, 0, 0, 20]);
  });

  it('a miss does not reset the counter: the third hit throttles even with misses between', () => {
    // Hits in periods 2, 4 and 6 (period 1 never counts).
    expect(drive([HIT, HIT, MISS, HIT, MISS, HIT])).toEqual([0, 0, 0, 0, 0, 0, 20]);
  });

  it('a period after one without new dirty pages does not count (its dirty_pages_rate is 0)', () => {
    // Period 4 is not counted: had it been, period 5 would be the third hit.
    expect(drive([HIT, HIT, 0, HIT, HIT, HIT])).toEqual([0, 0, 0, 0, 0, 0, 20]);
  });

  it('the test is "more than half the bytes sent": exactly half is a miss', () => {
    // 100 MB sent per period; 12 207 pages = 49.999 MB, 12 208 pages = 50.004 MB.
    expect(drive(Array(4).fill(12_207))).toEqual([0, 0, 0, 0, 0]);
    expect(drive(Array(4).fill(12_208))).toEqual([0, 0, 0, 0, 20]);
  });

  it('syncs that close no period (less than 1 s since the last) never count', () => {
    const ac = new AutoConverge(QEMU_DEFAULTS);
    ac.onSyncStats({ transferred: 0, periodDirtyPages: null, dirtyPagesRate: 0 });
    for (let i = 1; i <= 20; i++) ac.onSyncStats({ transferred: i * 1e8, periodDirtyPages: null, dirtyPagesRate: 5000 });
    expect(ac.throttle).toBe(0);
  });

  it('increments stop at max-cpu-throttle; the vCPUs run 1 - throttle of the time', () => {
    const t = drive(Array(13).fill(HIT), { initial: 20, increment: 30, max: 60 });
    expect(t.filter((x, i) => i === 0 || x !== t[i - 1])).toEqual([0, 20, 50, 60]);
    expect(t[13]).toBe(60);
    const ac = new AutoConverge({ initial: 30, increment: 10, max: 99 });
    expect(ac.runShare).toBe(1);
    expect(ac.ceiling).toBe(99);
  });

  it('with the QEMU defaults 99 % comes at period 28 (27 hits: 3 + 8 x 3), and the highest is recorded', () => {
    const t = drive(Array(40).fill(HIT));
    expect(t[25]).toBe(90);
    expect(t[27]).toBe(90);
    expect(t[28]).toBe(99); // 90 + 10 clamped to 99
    expect(t[40]).toBe(99);
    const ac = new AutoConverge(QEMU_DEFAULTS);
    ac.onSyncStats({ transferred: 0, periodDirtyPages: null, dirtyPagesRate: 0 });
    for (let i = 1; i <= 4; i++) ac.onSyncStats({ transferred: i * 1e8, periodDirtyPages: HIT, dirtyPagesRate: i > 1 ? 10_000 : 0 });
    expect(ac.throttle).toBe(20);
    expect(ac.runShare).toBeCloseTo(0.8, 12);
    ac.onEnd();
    expect(ac.throttle).toBe(0);
    expect(ac.maxThrottle).toBe(20);
  });
});

describe('auto-converge off', () => {
  it('is inert: no throttle, full run share, nothing for the not-converging verdict to wait for', () => {
    const ac = new AutoConverge(null);
    ac.onSyncStats({ transferred: 0, periodDirtyPages: null, dirtyPagesRate: 0 });
    for (let i = 1; i <= 30; i++) {
      expect(ac.onSyncStats({ transferred: i * 1e6, periodDirtyPages: 1e6, dirtyPagesRate: 1e6 })).toBe(false);
    }
    expect(ac.throttle).toBe(0);
    expect(ac.vcpuRunShare()).toBe(1);
    expect(ac.convergenceAid()).toBeNull();
  });
});
