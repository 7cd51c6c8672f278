import { describe, expect, it } from 'vitest';
import { countAll, setRange, testBit } from '../../../src/engine/bitmap';
import { GuestMemory } from '../../../src/engine/guest/memory';

describe('GuestMemory', () => {
  it('a write bumps the version, marks data, and is logged only while logging is on', () => {
    const mem = new GuestMemory(100);
    expect(mem.version[5]).toBe(0);
    expect(mem.isData(5)).toBe(false);
    mem.write(5);
    expect(mem.version[5]).toBe(1);
    expect(mem.isData(5)).toBe(true);
    expect(countAll(mem.dirtyLog)).toBe(0);
    mem.logging = true;
    mem.write(5);
    mem.write(99);
    expect(mem.version[5]).toBe(2);
    expect(testBit(mem.dirtyLog, 5)).toBe(true);
    expect(testBit(mem.dirtyLog, 99)).toBe(true);
    expect(countAll(mem.dirtyLog)).toBe(2);
    expect(mem.writes).toBe(3);
  });

  it('versions wrap at 2^16 and skip 0 (0 means never written)', () => {
    const mem = new GuestMemory(1);
    mem.version[0] = 0xffff;
    mem.write(0);
    expect(mem.version[0]).toBe(1);
    mem.version[0] = 0xfffe;
    mem.writeRange(0, 1);
    expect(mem.version[0]).toBe(0xffff);
  });

  it('writeRange writes each page once and logs the range', () => {
    const mem = new GuestMemory(100);
    mem.logging = true;
    mem.writeRange(30, 70);
    expect(countAll(mem.data)).toBe(40);
    expect(countAll(mem.dirtyLog)).toBe(40);
    expect(mem.version[29]).toBe(0);
    expect(mem.version[30]).toBe(1);
    expect(mem.version[69]).toBe(1);
    expect(mem.version[70]).toBe(0);
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
      expect(mem.version[p]).toBe(1);
    }
    expect(mem.isData(4)).toBe(false);
    expect(mem.buddy.freePages).toBe(60);
    // Nothing left of order 6.
    expect(mem.allocAndWrite(6)).toBe(-1);
    expect(mem.writes).toBe(4);
  });

  it('state: 2 bytes of version + data, dirty-log and free bits + ~2 bits of free lists per page', () => {
    const P = 2 ** 20;
    const mem = new GuestMemory(P);
    let heads = 0;
    for (let k = 0; k <= 10; k++) heads += (P >>> k) / 8;
    expect(mem.stateBytes()).toBe(2 * P + 3 * (P / 8) + heads);
    // 2.62 bytes per page (memory.ts's header says ~2.3 bits of allocator; it is ~3: free bit + free lists).
    expect(mem.stateBytes() / P).toBeCloseTo(2.625, 2);
  });
});
