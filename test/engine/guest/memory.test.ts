import { describe, expect, it } from 'vitest';
import { countAll, setRange, testBit } from '../../../src/engine/bitmap';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { PageWatch } from '../../../src/engine/page-probe';

describe('GuestMemory', () => {
  it('a write marks data and changed-since-sent, and is logged only while logging is on', () => {
    const mem = new GuestMemory(100);
    expect(mem.isChangedSinceSent(5)).toBe(false);
    expect(mem.isData(5)).toBe(false);
    mem.write(5);
    expect(mem.isChangedSinceSent(5)).toBe(true);
    expect(mem.isData(5)).toBe(true);
    expect(countAll(mem.dirtyLog)).toBe(0);
    mem.logging = true;
    mem.write(5);
    mem.write(99);
    expect(countAll(mem.changedSinceSent)).toBe(2);
    expect(testBit(mem.dirtyLog, 5)).toBe(true);
    expect(testBit(mem.dirtyLog, 99)).toBe(true);
    expect(countAll(mem.dirtyLog)).toBe(2);
    expect(mem.writes).toBe(3);
  });

  it('only a watched page counts its writes (its version), by every write path', () => {
    const mem = new GuestMemory(100);
    const w = new PageWatch(40);
    mem.watch = w;
    mem.write(40);
    mem.write(41);
    mem.writeRange(35, 45);
    mem.writeRange(0, 40);
    mem.writeWord(1, 1 << 8, 5); // 5 writes to pfn 40 in one batch: written, once more
    mem.writeWord(1, 1 << 9, 5);
    expect(w.writes).toBe(3);
    expect(mem.writes).toBe(1 + 1 + 10 + 40 + 5 + 5);
  });

  it('writeWord writes the selected pages of one word and counts every write', () => {
    const mem = new GuestMemory(100);
    mem.logging = true;
    mem.writeWord(2, 0b1010, 7);
    expect(countAll(mem.data)).toBe(2);
    expect(testBit(mem.dirtyLog, 65)).toBe(true);
    expect(testBit(mem.changedSinceSent, 67)).toBe(true);
    expect(testBit(mem.data, 66)).toBe(false);
    expect(mem.writes).toBe(7);
  });

  it('writeRange writes each page once and logs the range', () => {
    const mem = new GuestMemory(100);
    mem.logging = true;
    mem.writeRange(30, 70);
    expect(countAll(mem.data)).toBe(40);
    expect(countAll(mem.dirtyLog)).toBe(40);
    expect(mem.isChangedSinceSent(29)).toBe(false);
    expect(mem.isChangedSinceSent(30)).toBe(true);
    expect(mem.isChangedSinceSent(69)).toBe(true);
    expect(mem.isChangedSinceSent(70)).toBe(false);
    expect(mem.writes).toBe(40);
  });

  it('allocAndWrite takes pages from the allocator and writes them', () => {
    const mem = new GuestMemory(64);
    setRange(mem.buddy.free, 0, 64);
    mem.buddy.rebuildFromFree();
    expect(mem.isFree(0)).toBe(true);
    const pfn = mem.allocAndWrite(2);
    expect(pfn).toBe(0);
    for (let p = 0; p < 4; p++) {
      expect(mem.isFree(p)).toBe(false);
      expect(mem.isData(p)).toBe(true);
    }
    expect(mem.isData(4)).toBe(false);
    expect(mem.buddy.freePages).toBe(60);
    // Nothing left of order 6.
    expect(mem.allocAndWrite(6)).toBe(-1);
    expect(mem.writes).toBe(4);
  });

  it('state: data, changed-since-sent, dirty-log and free bits + ~2 bits of free lists per page', () => {
    const P = 2 ** 20;
    const mem = new GuestMemory(P);
    let heads = 0;
    let summaries = 0;
    for (let k = 0; k <= 10; k++) {
      heads += (P >>> k) / 8;
      // One bit per 32-bit word of each free list, in whole words.
      summaries += Math.ceil((P >>> k) / 32 / 32) * 4;
    }
    expect(mem.stateBytes()).toBe(4 * (P / 8) + heads + summaries);
    // 6 bits per page: 4 bitmaps and the free lists of orders 0..10 (1 + 1/2 + ... = ~2 bits),
    // and their summaries (1/32 of that).
    expect(mem.stateBytes() / P).toBeCloseTo(0.758, 3);
  });
});
