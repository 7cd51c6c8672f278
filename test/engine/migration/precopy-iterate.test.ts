/** ram_save_iterate one word at a time: MAX_WAIT, the caller's horizon, the circle that finds nothing. (The harness: precopy-harness.ts.) */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import * as wire from '../../../src/engine/migration/wire';
import { until } from '../bounded';
import { costFree, thread, toLoop } from './precopy-harness';

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
