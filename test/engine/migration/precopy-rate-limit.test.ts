/**
 * max-bandwidth inside one bitmap word, and migration_thread's 100 ms window bookkeeping, on tiny
 * static guests whose every byte is counted. QEMU 2.5 checks the rate limit before each page
 * (ram_save_iterate: qemu_file_rate_limit), so a window's last page may overshoot the budget by
 * one record; migviz sends a word at a time and, when the budget left is less than a whole word
 * of data pages, stops the word after the page that overshoots (precopy.ts, sendNextWord).
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory, PAGE_SIZE } from '../../../src/engine/guest/memory';
import type { Precopy, PrecopyParams } from '../../../src/engine/migration/precopy';
import { RFC_2016 } from '../../../src/engine/migration/profiles';
import * as wire from '../../../src/engine/migration/wire';
import { until } from '../bounded';
import { LINK_10G, thread } from './precopy-harness';

/** A guest of `pages` pages, all in use and never written (zero pages) unless the test writes them. */
function precopyOn(pages: number, params: Partial<PrecopyParams>) {
  const mem = new GuestMemory(pages);
  return { mem, ...thread(mem, RFC_2016, { linkBytesPerMs: LINK_10G, ...params }) };
}

/** Until `cond` holds or the run ends (bounded: see until). */
function runUntil(pre: Precopy, cond: () => boolean): void {
  until(pre, () => pre.done || cond());
}

describe('the rate limit within one bitmap word', () => {
  // 0.95 bytes/ms: 95 bytes per 100 ms window. The iterate section's header (5 bytes) counts
  // first, so 90 bytes are left for pages: ten zero records (9 bytes each) reach exactly 90, the
  // eleventh overshoots and is the last sent, as QEMU's check before each page would have it.
  const SLOW = { maxBandwidthBytesPerMs: 0.95 };

  it('the budget exactly used is not exceeded: the word goes on to the page that overshoots, and stops there', () => {
    expect(SLOW.maxBandwidthBytesPerMs * 100 - wire.SECTION_HEADER_BYTES).toBe(10 * wire.ZERO_PAGE_BYTES);
    const { pre } = precopyOn(64, SLOW);
    runUntil(pre, () => pre.duplicate > 0);
    expect(pre.duplicate).toBe(11);
    expect(pre.normal).toBe(0);
    // The scan goes on after the last page sent, in the same word.
    expect(pre.cursor).toBe(11);
    expect(pre.dirtyPages).toBe(64 - 11);
    // The page that overshot ends the iterate call: its EOS follows in the same unit.
    expect(pre.transferred).toBe(11 * wire.ZERO_PAGE_BYTES + wire.BLOCK_NAME_BYTES + wire.EOS_BYTES);
    // The next word starts where this one stopped.
    runUntil(pre, () => pre.duplicate > 11);
    expect(pre.duplicate).toBe(22);
    expect(pre.cursor).toBe(22);
  });

  it("the first 100 ms window: the thread sleeps to its end, then measures pages, bandwidth and threshold", () => {
    const { pre } = precopyOn(64, SLOW);
    runUntil(pre, () => pre.thresholdBytes > 0);
    // Setup (83 ms of fixed cost) and eleven pages take less than 100 ms: the over-budget thread
    // slept to the window's end (g_usleep), so the window spans exactly 100 ms.
    expect(pre.now).toBe(100);
    // Setup section 31 + PART header 5 + 11 zero records and the block name 106 + EOS 8 + footer 5.
    expect(wire.SETUP_SECTION_BYTES).toBe(31);
    const bytes = 31 + 5 + 106 + 8 + 5;
    expect(pre.wireBytes).toBe(bytes);
    expect(pre.pagesPerSecond).toBe(110); // 11 pages in 0.1 s
    expect(pre.sendRateBytesPerSec).toBeCloseTo(bytes * 10, 9);
    expect(pre.mbps).toBeCloseTo((bytes * 8) / 100 / 1000, 12);
    expect(pre.thresholdBytes).toBeCloseTo((bytes / 100) * 300, 9);
    // No statistics period has closed (dirty rate 0): expected-downtime keeps the downtime limit.
    expect(pre.dirtyPagesRate).toBe(0);
    expect(pre.expectedDowntime).toBe(300);
  });

  it('a word that fits the budget to the byte does not exceed it: the section goes on to its fruitless circle', () => {
    // 3 bytes/ms: 300 bytes a window = PART header 5 + 32 zero records 288 + the block name 7.
    // At exactly the limit the thread is not over it (QEMU: bytes_xfer > xfer_limit), so the
    // iterate call goes on, finds the bitmap empty and completes a round before its EOS.
    const { pre, events } = precopyOn(32, { maxBandwidthBytesPerMs: 3 });
    runUntil(pre, () => false);
    expect(pre.status).toBe('completed');
    expect(pre.duplicate).toBe(32);
    expect(pre.round).toBe(2);
    expect(events.flatMap((e) => (e.kind === 'phase' ? [e.phase] : []))).toEqual([
      'setup',
      'bulk',
      'iterate',
      'stop-copy',
      'completed',
    ]);
    expect(pre.transferred).toBe(32 * 9 + 7 + 2 * 8);
  });

  it('stop-and-copy is exempt: the final stage sends a whole word of data pages in one unit', () => {
    // migration_completion lifts the rate limit; the budget of the window (95 bytes) would allow
    // no more than one data page.
    const { mem, pre } = precopyOn(64, SLOW);
    runUntil(pre, () => pre.syncCount === 2);
    expect(pre.duplicate).toBe(64);
    expect(pre.dirtyPages).toBe(0);
    // The loop's sync found nothing and chose stop-and-copy; the guest writes 32 pages before the VM stops.
    mem.writeRange(0, 32);
    pre.advance(); // vm_stop and the final sync
    expect(pre.phase).toBe('stop-copy');
    expect(pre.dirtyPages).toBe(32);
    pre.advance(); // one word: all 32 pages, then the completion in the same unit
    expect(pre.normal).toBe(32);
    expect(pre.status).toBe('completed');
    expect(pre.verification).toEqual({ ok: true, 'pages-checked': 64, mismatches: 0, 'first-mismatch': -1 });
  });
});

describe("expected-downtime waits for a dirty rate and a window of more than 10 000 bytes (2.5's migration_thread)", () => {
  it('a window of more than 10 000 bytes before any period closed leaves it at the downtime limit', () => {
    // 200 bytes/ms: 20 000 bytes a window, data pages: the first window carries four of them.
    const mem = new GuestMemory(64);
    mem.writeRange(0, 64);
    const { pre } = thread(mem, RFC_2016, { linkBytesPerMs: LINK_10G, maxBandwidthBytesPerMs: 200 });
    runUntil(pre, () => pre.thresholdBytes > 0);
    expect(pre.now).toBe(100);
    expect(pre.wireBytes).toBeGreaterThan(10_000);
    expect(pre.normal).toBe(5); // 5 + 4 x 4104 = 16 421 <= 19 995 < 5 x 4104 + 5
    expect(pre.dirtyPagesRate).toBe(0);
    expect(pre.expectedDowntime).toBe(300);
  });

  it('with a dirty rate, a window of at most 10 000 bytes still leaves it unchanged', () => {
    // 256 zero pages at 95 bytes a window (11 pages): the bulk pass takes ~2.3 s, so the loop's sync closes
    // the first one-second statistics period. Pages 0-9, written after they were sent, are what
    // that sync finds: a dirty rate of 10 pages over ~2.2 s, 5 pages/s. Then each window
    // carries one data page (budget 90 bytes): less than 10 000 bytes.
    const { mem, pre } = precopyOn(256, { maxBandwidthBytesPerMs: 0.95 });
    runUntil(pre, () => pre.duplicate > 0);
    mem.writeRange(0, 10);
    runUntil(pre, () => pre.syncCount === 2);
    expect(pre.now).toBeGreaterThan(pre.setupTime + 1000);
    expect(pre.dirtyPagesRate).toBe(Math.round((10 * 1000) / (pre.now - pre.setupTime)));
    expect(pre.dirtyPagesRate).toBe(5);
    expect(pre.remaining).toBe(10 * PAGE_SIZE);
    const measured = pre.pagesPerSecond;
    // The next window sends page 0 (4104 bytes) and closes.
    const windowStartBytes = pre.wireBytes;
    runUntil(pre, () => pre.normal === 1 && pre.pagesPerSecond !== measured);
    expect(pre.wireBytes - windowStartBytes).toBeLessThan(10_000);
    expect(pre.expectedDowntime).toBe(300);
  });
});
