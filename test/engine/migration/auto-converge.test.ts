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

describe('auto-converge: edges the mutation run found untested (issue 9)', () => {
  it('"more than half" at exactly half: 1000 pages (4.096 MB) against 8.192 MB sent is a miss, 1001 a hit', () => {
    // 8.192 MB sent per period makes half of it a whole number of 4096-byte pages.
    expect(drive(Array(4).fill(1000), QEMU_DEFAULTS, 8.192)).toEqual([0, 0, 0, 0, 0]);
    expect(drive(Array(4).fill(1001), QEMU_DEFAULTS, 8.192)).toEqual([0, 0, 0, 0, 20]);
  });

  it('says true exactly when the throttle moved', () => {
    const ac = new AutoConverge(QEMU_DEFAULTS);
    const moved: boolean[] = [ac.onSyncStats({ transferred: 0, periodDirtyPages: null, dirtyPagesRate: 0 })];
    for (let i = 1; i <= 7; i++) {
      moved.push(ac.onSyncStats({ transferred: i * 1e8, periodDirtyPages: HIT, dirtyPagesRate: i > 1 ? 10_000 : 0 }));
      moved.push(ac.onSyncStats({ transferred: i * 1e8 + 1, periodDirtyPages: null, dirtyPagesRate: 10_000 }));
    }
    // Hits in periods 2-7: the third (period 4) and the sixth (period 7) throttle.
    expect(moved.map((m, i) => (m ? i : -1)).filter((i) => i >= 0)).toEqual([7, 13]);
    expect(ac.throttle).toBe(30);
  });

  it('a sync that closes no period leaves bytes_xfer_prev alone: the next period measures from the last one', () => {
    // Periods of 100 MB; a sync 90 MB into each closes no period. 5000 pages (20.5 MB) is less than
    // half of the 100 MB the period sent (a miss), though more than half of the last 10 MB.
    const ac = new AutoConverge(QEMU_DEFAULTS);
    ac.onSyncStats({ transferred: 0, periodDirtyPages: null, dirtyPagesRate: 0 });
    ac.onSyncStats({ transferred: 1e8, periodDirtyPages: HIT, dirtyPagesRate: 0 });
    for (let i = 2; i <= 8; i++) {
      ac.onSyncStats({ transferred: i * 1e8 - 1e7, periodDirtyPages: null, dirtyPagesRate: 2500 });
      ac.onSyncStats({ transferred: i * 1e8, periodDirtyPages: 5000, dirtyPagesRate: 2500 });
    }
    expect(ac.throttle).toBe(0);
  });

  it('bytes_xfer_prev is taken at the first sync that finds it 0, so that sync measures no bytes sent', () => {
    // QEMU: `if (!bytes_xfer_prev) bytes_xfer_prev = ram_bytes_transferred();` before the check.
    // Nothing was sent by the setup sync; the next one finds 100 MB sent and counts 1000 dirty
    // pages (4.1 MB) as more than half of the 0 bytes it measures: with the two hits after it,
    // that is the third.
    const ac = new AutoConverge(QEMU_DEFAULTS);
    ac.onSyncStats({ transferred: 0, periodDirtyPages: null, dirtyPagesRate: 0 });
    ac.onSyncStats({ transferred: 1e8, periodDirtyPages: 1000, dirtyPagesRate: 500 });
    ac.onSyncStats({ transferred: 2e8, periodDirtyPages: HIT, dirtyPagesRate: 500 });
    expect(ac.throttle).toBe(0);
    ac.onSyncStats({ transferred: 3e8, periodDirtyPages: HIT, dirtyPagesRate: 10_000 });
    expect(ac.throttle).toBe(20);
  });

  it('the ceiling is max-cpu-throttle, or cpu-throttle-initial when that is higher, never above 99 %', () => {
    expect(new AutoConverge({ initial: 20, increment: 10, max: 60 }).ceiling).toBe(60);
    expect(new AutoConverge({ initial: 80, increment: 10, max: 60 }).ceiling).toBe(80);
    expect(new AutoConverge({ initial: 20, increment: 10, max: 100 }).ceiling).toBe(99);
    expect(new AutoConverge(null).ceiling).toBe(0);
  });

  it('tells the not-converging verdict whether it is at its limit, and says so in its note', () => {
    const ac = new AutoConverge({ initial: 20, increment: 10, max: 30 });
    expect(ac.convergenceAid()).toEqual({ atLimit: false, note: 'with auto-converge at its 30 % maximum' });
    ac.onSyncStats({ transferred: 0, periodDirtyPages: null, dirtyPagesRate: 0 });
    for (let i = 1; i <= 4; i++) ac.onSyncStats({ transferred: i * 1e8, periodDirtyPages: HIT, dirtyPagesRate: i > 1 ? 10_000 : 0 });
    expect(ac.throttle).toBe(20);
    expect(ac.convergenceAid()?.atLimit).toBe(false); // 20 < 30
    for (let i = 5; i <= 7; i++) ac.onSyncStats({ transferred: i * 1e8, periodDirtyPages: HIT, dirtyPagesRate: 10_000 });
    expect(ac.throttle).toBe(30);
    expect(ac.convergenceAid()).toEqual({ atLimit: true, note: 'with auto-converge at its 30 % maximum' });
  });
});
