/**
 * The migration thread one unit at a time, on guests of a few hundred pages: what each unit costs,
 * the boundaries QEMU 2.5's code draws (MAX_WAIT, the 1 s dirty-rate period, the threshold), the
 * rate-limit budget to the byte, and where the scan cursor goes. Most tests use a host profile
 * whose every cost is 0 (costFree) and set back only the cost under test, with a value no
 * profile has, so that each term of a formula shows on the clock on its own.
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory, PAGE_SIZE } from '../../../src/engine/guest/memory';
import { CONVERGENCE_WINDOW_SYNCS } from '../../../src/engine/migration/outcome';
import { Precopy, type PrecopyParams } from '../../../src/engine/migration/precopy';
import { type HostProfile, RFC_2016 } from '../../../src/engine/migration/profiles';
import * as wire from '../../../src/engine/migration/wire';
import type { SimEvent } from '../../../src/engine/types';

/** RFC_2016 with every time cost of the thread at 0: the clock moves only where a test says. */
const costFree: HostProfile = {
  ...RFC_2016,
  zeroPageNs: 0,
  dataPageNs: 0,
  bitmapLockNsPerPage: 0,
  scanNsPerWord: 0,
  setupFixedMs: 0,
  bitmapInitNsPerPage: 0,
  logStartNsPerPage: 0,
  logStartNsPer4kSpte: 0,
  logStartNsPerHugeSpte: 0,
  syncNsPerPage: 0,
  syncNsPerDirtyPage: 0,
  vmStopMs: 0,
};

/** 1 GB/ms: a link so fast that the socket never fills on these guests (the CPU sets the pace). */
const FAST_LINK = 1e9;

function thread(mem: GuestMemory, profile: HostProfile, params: Partial<PrecopyParams> = {}) {
  const events: SimEvent[] = [];
  const pre = new Precopy(
    mem,
    profile,
    { linkBytesPerMs: FAST_LINK, maxBandwidthBytesPerMs: 1e9, downtimeLimitMs: 300, capMs: 600_000, ...params },
    (e) => events.push(e),
  );
  pre.attach([]);
  return { pre, events };
}

/**
 * Advances one unit at a time until `done` holds. Bounded: these guests need a few dozen units,
 * and a thread that stops making progress must fail the test, not hang it (vitest cannot time
 * out synchronous code).
 */
function until(pre: Precopy, done: () => boolean, maxUnits = 10_000): void {
  for (let i = 0; !done(); i++) {
    if (i === maxUnits) throw new Error(`not reached in ${maxUnits} units (clock ${pre.now} ms, phase ${pre.phase})`);
    pre.advance();
  }
}

/** Advances until setup-sync has run: the next unit is the first turn of the loop. */
function toLoop(pre: Precopy): void {
  until(pre, () => pre.status === 'active');
}

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

describe('the time cap is checked first in every turn of the loop', () => {
  it('a loop turn that starts exactly at the cap fails the run with sim-time-cap', () => {
    const mem = new GuestMemory(256);
    const { pre } = thread(mem, { ...costFree, setupFixedMs: 83 }, { capMs: 100 });
    toLoop(pre);
    expect(pre.now).toBe(83);
    // Time a participant spends between two units (the cap is not checked in spend).
    pre.spend(17);
    expect(pre.now).toBe(100);
    pre.advance();
    expect(pre.status).toBe('failed');
    expect(pre.outcome).toBe('sim-time-cap');
    expect(pre.failureReason).toMatch(/^simulation time cap reached: at 0\.1 s, 1\.05 MB left/);
    expect(pre.duplicate + pre.normal).toBe(0);
  });
});

describe('ram_save_pending against the threshold (bandwidth x downtime limit)', () => {
  // costFree: the thread takes no time, so the first window's bandwidth is the bytes over the
  // time the test spends. Spending exactly as many ms as there are bytes makes it 1 byte/ms,
  // and a downtime limit of 4096 ms a threshold of exactly one page.
  function oneWindow(pages: number) {
    const mem = new GuestMemory(pages);
    const { pre, events } = thread(mem, costFree, { downtimeLimitMs: PAGE_SIZE });
    toLoop(pre);
    until(pre, () => pre.dirtyPages === 0);
    // The next unit is the fruitless circle that ends the section: EOS and footer, then the window.
    const bytes = pre.wireBytes + wire.EOS_BYTES + wire.SECTION_FOOTER_BYTES;
    pre.spend(bytes);
    pre.advance();
    expect(pre.thresholdBytes).toBe(PAGE_SIZE);
    return { mem, pre, events };
  }

  it('exactly one page pending after a sync is not below the threshold: another iteration', () => {
    const { mem, pre } = oneWindow(64);
    mem.write(5);
    const wireBefore = pre.wireBytes;
    pre.advance();
    expect(pre.remaining).toBe(PAGE_SIZE);
    // The sync found it and a ram_save_iterate section began (its header is on the wire).
    expect(pre.wireBytes - wireBefore).toBe(wire.SECTION_HEADER_BYTES);
    pre.advance();
    expect(pre.vmRunning).toBe(true);
    expect(pre.normal).toBe(1);
  });

  it('one page pending at the threshold with no progress over the last syncs is not converging', () => {
    const { mem, pre } = oneWindow(64);
    for (let i = 0; i < CONVERGENCE_WINDOW_SYNCS; i++) {
      pre.spend(1);
      pre.sync();
    }
    mem.write(5);
    pre.advance();
    expect(pre.remaining).toBe(PAGE_SIZE);
    expect(pre.outcome).toBe('not-converging');
    expect(pre.failureReason).toMatch(/^not converging: /);
  });

  it('below the threshold after the sync the VM stops, whatever the last syncs show', () => {
    const { pre } = oneWindow(64);
    // Syncs without any send in between: no progress, which would be not-converging if it were checked.
    for (let i = 0; i < CONVERGENCE_WINDOW_SYNCS; i++) {
      pre.spend(1);
      pre.sync();
    }
    pre.advance();
    expect(pre.outcome).toBe('');
    pre.advance();
    expect(pre.phase).toBe('stop-copy');
    until(pre, () => pre.done);
    expect(pre.outcome).toBe('completed');
    expect(pre.verification.ok).toBe(true);
  });
});

describe('rate limiting: the budget of a 100 ms window, to the byte', () => {
  // 128 zero pages (4 bitmap words) at max-bandwidth 10 bytes/ms: a budget of 1000 bytes a
  // window. Section header 5, zero page record 9, block name 7 (first record), EOS 8, footer 5.
  it('counts section headers, EOS and footers against the budget, and stops at the page that crosses it', () => {
    const mem = new GuestMemory(128);
    const { pre } = thread(mem, costFree, { maxBandwidthBytesPerMs: 10 });
    toLoop(pre);
    pre.advance(); // section header: 5
    pre.advance(); // word 0: 7 + 32 x 9 = 295, 300 in the window
    expect(pre.duplicate).toBe(32);
    pre.spend(51); // past MAX_WAIT: the next word ends the section
    pre.advance(); // word 1: 288, 588; then EOS + footer: 601
    expect(pre.duplicate).toBe(64);
    expect(pre.transferred).toBe(7 + 64 * 9 + 8);
    pre.advance(); // not over budget: a new section, 606
    pre.advance(); // word 2: 288, 894
    expect(pre.duplicate).toBe(96);
    // Word 3: 106 bytes left; the 12th page (108 bytes) crosses them and is the last sent.
    pre.advance();
    expect(pre.duplicate).toBe(108);
    expect(pre.cursor).toBe(96 + 12);
    // The section ended on the rate limit: its EOS is counted.
    expect(pre.transferred).toBe(7 + 108 * 9 + 2 * 8);
    // The loop sleeps to the end of the window (100 ms after the thread started), then sends on.
    pre.advance();
    expect(pre.now).toBe(100);
    pre.advance();
    pre.advance();
    expect(pre.duplicate).toBe(128);
  });

  it('a thread that is already past the window when it finds the budget spent measures the window and does not sleep', () => {
    const mem = new GuestMemory(128);
    const { pre } = thread(mem, costFree, { maxBandwidthBytesPerMs: 10 });
    toLoop(pre);
    pre.advance();
    pre.advance();
    pre.spend(51);
    pre.advance();
    pre.advance();
    pre.advance();
    pre.advance();
    expect(pre.duplicate).toBe(108); // over budget, as above, at 51 ms
    pre.spend(60); // 111 ms: the window (from 0) is over
    pre.advance();
    expect(pre.now).toBe(111);
    // The window was measured at 111 ms: bandwidth = its bytes over 111 ms.
    expect(pre.sendRateBytesPerSec).toBeCloseTo((pre.wireBytes / 111) * 1000, 6);
  });
});

describe('ram_save_iterate: MAX_WAIT, the horizon, the fruitless circle', () => {
  it('a call yields only after more than 50 ms: at exactly 50 ms it sends on', () => {
    const mem = new GuestMemory(128);
    const { pre } = thread(mem, costFree);
    toLoop(pre);
    pre.advance(); // the section begins at iterStart = 0
    pre.spend(50);
    pre.advance(); // one word at 50 ms: t1 > MAX_WAIT is false
    expect(pre.duplicate).toBe(32);
    expect(pre.transferred).toBe(7 + 32 * 9);
    pre.spend(1e-9);
    pre.advance(); // one word past 50 ms: the section ends with its EOS
    expect(pre.duplicate).toBe(64);
    expect(pre.transferred).toBe(7 + 64 * 9 + wire.EOS_BYTES);
  });

  it('a unit sends one word without a horizon, and words until the clock reaches the horizon with one', () => {
    const mem = new GuestMemory(256);
    const profile = { ...costFree, zeroPageNs: 1000 }; // 32 zero pages: 0.032 ms a word
    const { pre } = thread(mem, profile);
    toLoop(pre);
    pre.advance();
    pre.advance();
    expect(pre.duplicate).toBe(32);
    // Up to 0.1 ms: words to 0.064, 0.096, then the one to 0.128 reaches it.
    pre.advance(0.1);
    expect(pre.duplicate).toBe(32 * 4);
    expect(pre.now).toBeCloseTo(0.128, 12);
  });

  it('a horizon at the clock sends one word, even when words take no time', () => {
    const mem = new GuestMemory(256);
    const { pre } = thread(mem, costFree);
    toLoop(pre);
    pre.advance();
    pre.advance(pre.now);
    expect(pre.duplicate).toBe(32);
    expect(pre.now).toBe(0);
    pre.advance(Number.POSITIVE_INFINITY);
    expect(pre.dirtyPages).toBe(0);
    expect(pre.duplicate).toBe(256);
  });

  it('a circle that finds nothing costs a scan of every word, leaves the cursor, and counts a round', () => {
    // Loopback: the thread also pays the bytes' time on the link, here the section's EOS, header and footer.
    const mem = new GuestMemory(100); // 4 words, the last one partial
    const link = 1000; // bytes per ms
    const profile = { ...costFree, loopback: true, scanNsPerWord: 3000 };
    const { pre, events } = thread(mem, profile, { linkBytesPerMs: link });
    toLoop(pre);
    until(pre, () => pre.dirtyPages === 0);
    expect(pre.cursor).toBe(100);
    expect(pre.round).toBe(1);
    const t = pre.now;
    pre.advance();
    expect(pre.round).toBe(2);
    expect(pre.cursor).toBe(100);
    const eos = wire.EOS_BYTES + wire.SECTION_HEADER_BYTES + wire.SECTION_FOOTER_BYTES;
    expect(pre.now - t).toBeCloseTo((4 * 3000) / 1e6 + eos / link, 12);
    expect(pre.now - t).toBeCloseTo(0.012 + 0.018, 12);
    const rounds = events.filter((e) => e.kind === 'round');
    expect(rounds).toEqual([{ t: pre.now - eos / link, kind: 'round', round: 2 }]);
  });
});

describe('sendNextWord: wrapping at the end of RAM', () => {
  // 128 pages (4 words); the scan costs 1 us a word and nothing else takes time, so the clock
  // counts the words scanned.
  function midRam() {
    const mem = new GuestMemory(128);
    const { pre, events } = thread(mem, { ...costFree, scanNsPerWord: 1000 });
    toLoop(pre);
    pre.advance(); // section header
    pre.advance(); // word 0
    pre.advance(); // word 1
    expect(pre.cursor).toBe(64);
    // Words 2 and 3 leave the bitmap unsent: nothing after the cursor.
    pre.dropRange(64, 128);
    return { mem, pre, events };
  }

  it('from the cursor to the end, then from 0 to the page found: page 0 found after the wrap', () => {
    const { mem, pre, events } = midRam();
    mem.write(0);
    pre.sync();
    const t = pre.now;
    pre.advance();
    expect(pre.normal).toBe(1);
    // Words 2 and 3 scanned before the wrap, none after it.
    expect(pre.now - t).toBeCloseTo(2e-3, 12);
    expect(pre.cursor).toBe(32);
    expect(events.filter((e) => e.kind === 'round')).toEqual([{ t, kind: 'round', round: 2 }]);
  });

  it('a page found in word 1 after the wrap adds the word scanned before it', () => {
    const { mem, pre } = midRam();
    mem.write(40);
    pre.sync();
    const t = pre.now;
    pre.advance();
    expect(pre.normal).toBe(1);
    expect(pre.now - t).toBeCloseTo(3e-3, 12);
    expect(pre.cursor).toBe(64);
  });
});

describe('a dirty count the bitmap does not hold', () => {
  // The same invariant as test/engine/invariant.test.ts, on the bare thread one unit at a time and
  // bounded: with the check gone the thread would scan past the end of RAM for ever, and this
  // test fails in milliseconds instead of hanging.
  it('throws when the wrapped scan finds no dirty page, naming the count', () => {
    const mem = new GuestMemory(256);
    const { pre } = thread(mem, costFree);
    toLoop(pre);
    pre.dirtyPages += 64;
    expect(() => until(pre, () => pre.done)).toThrow(/^engine invariant broken: migration_dirty_pages is 64 but the bitmap holds no dirty page$/);
    expect(pre.duplicate).toBe(256);
  });
});
