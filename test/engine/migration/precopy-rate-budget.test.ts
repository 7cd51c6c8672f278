/** max-bandwidth: what a 100 ms window lets through, to the byte. (The harness: precopy-harness.ts.) */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { costFree, thread, toLoop } from './precopy-harness';

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
