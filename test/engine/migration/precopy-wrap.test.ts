/** sendNextWord at the end of RAM: the wrap, its scan cost, and a dirty count with no dirty bit. (The harness: precopy-harness.ts.) */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { until } from '../bounded';
import { costFree, thread, toLoop } from './precopy-harness';

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
