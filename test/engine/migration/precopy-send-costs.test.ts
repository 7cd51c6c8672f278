/**
 * What one bitmap word costs the migration thread (precopy.ts, sendNextWord and pushToLink), to
 * the nanosecond, on a tiny guest: per zero page, per data page, per page's bitmap lock, per
 * clean word scanned; over a NIC the socket buffer lets the thread run ahead of the wire, over
 * loopback the thread pays the socket's copies itself. And the run's whole-migration mbps.
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { hostMappings } from '../../../src/engine/migration/precopy';
import { type HostProfile, RFC_2016, WANG_2018 } from '../../../src/engine/migration/profiles';
import * as wire from '../../../src/engine/migration/wire';
import { until } from '../bounded';
import { costFree, LINK_10G, thread, toLoop } from './precopy-harness';

/** Link goodput of `gbps` on a profile's link, bytes per ms. */
const goodput = (profile: HostProfile, gbps: number) => (gbps * 1e9 * profile.linkEfficiency) / 8 / 1000;

/**
 * 128 pages (4 bitmap words); word 3 holds 16 data pages (96-111) and 16 zero pages. Set up,
 * then words 0-2 dropped from the bitmap (as a free-page participant would): the next send scans
 * three clean words and sends word 3.
 */
function wordThreeAfterThreeClean(profile: HostProfile, linkBytesPerMs: number) {
  const mem = new GuestMemory(128);
  mem.writeRange(96, 112);
  const { pre } = thread(mem, profile, { linkBytesPerMs });
  toLoop(pre);
  expect(pre.dropRange(0, 96)).toBe(96);
  pre.advance(); // the loop turn: iterate
  expect(pre.dirtyPages).toBe(32);
  expect(pre.normal + pre.duplicate).toBe(0);
  const before = pre.now;
  pre.advance(); // the word
  expect(pre.normal).toBe(16);
  expect(pre.duplicate).toBe(16);
  expect(pre.cursor).toBe(128);
  return { pre, spent: pre.now - before };
}

/** The first record carries the block name; 16 zero and 16 data records. */
const WORD_BYTES = 16 * wire.ZERO_PAGE_BYTES + 16 * wire.NORMAL_PAGE_BYTES + wire.BLOCK_NAME_BYTES;

describe('the CPU cost of one word', () => {
  it('rfc-2016 over a NIC: the thread pays 16 zero pages, 16 data pages and 3 clean words; the socket takes the bytes', () => {
    // 65 815 bytes at 10 Gbit/s is 0.056 ms of wire, far less than the 3.6 ms the 4 MiB socket
    // buffer holds: the thread does not block, its clock moves by its own CPU time only.
    const link = goodput(RFC_2016, 10);
    expect(RFC_2016.socketBufferBytes / link).toBeGreaterThan(WORD_BYTES / link);
    const { spent } = wordThreeAfterThreeClean(RFC_2016, link);
    // 16 x 800 ns + 16 x 1000 ns + 32 x 0 ns (no bitmap lock in 2.5) + 3 x 1 ns.
    expect(RFC_2016.zeroPageNs).toBe(800);
    expect(RFC_2016.dataPageNs).toBe(1000);
    expect(RFC_2016.bitmapLockNsPerPage).toBe(0);
    expect(RFC_2016.scanNsPerWord).toBe(1);
    expect(spent).toBeCloseTo(28_803 / 1e6, 9);
  });

  it('wang-2018 over loopback: the thread also takes a bitmap lock per page and pays the socket copies', () => {
    const link = goodput(WANG_2018, 40);
    const { spent } = wordThreeAfterThreeClean(WANG_2018, link);
    // 16 x 737 ns + 16 x 1000 ns + 32 x 20 ns + 3 x 1 ns of CPU, then the bytes at the loopback goodput.
    expect(WANG_2018.loopback).toBe(true);
    expect(WANG_2018.zeroPageNs).toBe(737);
    expect(WANG_2018.bitmapLockNsPerPage).toBe(20);
    expect(WORD_BYTES).toBe(65_815);
    expect(spent).toBeCloseTo(28_435 / 1e6 + 65_815 / link, 9);
  });
});

describe("the whole migration's mbps (2.5: qemu_ftell bytes over total-time)", () => {
  it('a completed run reports its stream bytes over its total time', () => {
    const mem = new GuestMemory(100);
    mem.writeRange(0, 40);
    const { pre } = thread(mem, RFC_2016, { linkBytesPerMs: LINK_10G });
    until(pre, () => pre.done);
    expect(pre.status).toBe('completed');
    // Setup section 31, one PART section (5 + pages 164 707 + EOS 8 + 5), END (5 + EOS 8 + device state + 5).
    expect(pre.wireBytes).toBe(31 + 5 + (60 * 9 + 40 * 4104 + 7) + 8 + 5 + 5 + 8 + RFC_2016.deviceStateBytes + 5);
    // Setup's 83 ms fixed cost and vm_stop's 10 ms dominate: ~93.1 ms in all.
    expect(RFC_2016.setupFixedMs + RFC_2016.vmStopMs).toBe(93);
    expect(pre.totalTime).toBeGreaterThan(93);
    expect(pre.totalTime).toBeLessThan(93.2);
    expect(pre.mbps).toBeCloseTo((pre.wireBytes * 8) / pre.totalTime / 1000, 12);
    expect(pre.mbps).toBeGreaterThan(15);
  });

  it('a run that took no simulated time reports 0 mbps, not a division by zero', () => {
    // A boundary, not a testbed: a profile whose every cost is zero, so the clock never moves
    // (the 164 kB stay within the socket buffer, so the link never blocks the thread either).
    const mem = new GuestMemory(100);
    mem.writeRange(0, 40);
    const { pre } = thread(mem, costFree, { linkBytesPerMs: LINK_10G });
    until(pre, () => pre.done);
    expect(pre.status).toBe('completed');
    expect(pre.totalTime).toBe(0);
    expect(pre.wireBytes).toBeGreaterThan(0);
    expect(pre.mbps).toBe(0);
  });
});

describe('hostMappings with THP', () => {
  it('a 2 MiB region every page of which holds data is one huge mapping, no 4 KiB ones', () => {
    const mem = new GuestMemory(512);
    mem.writeRange(0, 512);
    expect(hostMappings(mem.data, true)).toEqual({ huge: 1, small: 0 });
    expect(hostMappings(mem.data, false)).toEqual({ huge: 0, small: 512 });
  });
});
