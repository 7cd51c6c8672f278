import { describe, expect, it } from 'vitest';
import type { VirtqueueEvent } from '../../../src/engine/types';
import {
  DESC_AVAIL,
  DESC_DEVICE,
  DESC_FREE,
  DESC_USED,
  SplitVirtqueue,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
  type BufferElement,
} from '../../../src/engine/virtio/virtqueue';

const out = (len: number): BufferElement => ({ len, write: false });
const inb = (len: number): BufferElement => ({ len, write: true });
const chain = (n: number): BufferElement[] => Array.from({ length: n }, (_, i) => out(i + 1));

/**
 * Calls `next` until it returns null, at most `max` times; a queue that does not run dry by then
 * fails the test instead of hanging it (a bug in the index arithmetic would loop for ever).
 */
function drain<T>(next: () => T | null, max: number): T[] {
  const out: T[] = [];
  for (let i = 0; i <= max; i++) {
    const x = next();
    if (x === null) return out;
    out.push(x);
  }
  throw new Error(`still not empty after ${max} items`);
}

function recorded(): { events: VirtqueueEvent[]; vq: SplitVirtqueue<number> } {
  const events: VirtqueueEvent[] = [];
  return { events, vq: new SplitVirtqueue<number>('q', 4, (e) => events.push(e)) };
}

describe('SplitVirtqueue: construction', () => {
  it('accepts power-of-two sizes 1..32768 only', () => {
    for (const bad of [0, 3, 6, 100, 65536, -4]) expect(() => new SplitVirtqueue('q', bad)).toThrow(RangeError);
    for (const good of [1, 2, 128, 32768]) expect(new SplitVirtqueue('q', good).numFree).toBe(good);
  });

  it('starts with every descriptor free and all indices at 0', () => {
    const vq = new SplitVirtqueue<number>('q', 8);
    const s = vq.snapshot();
    expect(s).toMatchObject({ name: 'q', size: 8, numFree: 8, availIdx: 0, usedIdx: 0, lastAvailIdx: 0, lastUsedIdx: 0 });
    expect(Array.from(s.descState)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(vq.pop(0)).toBeNull();
    expect(vq.reclaim(0)).toBeNull();
  });

  it('rejects a buffer without elements', () => {
    expect(() => new SplitVirtqueue<number>('q', 4).add(0, [], 1, 'x')).toThrow(RangeError);
  });
});

describe('SplitVirtqueue: one buffer round trip', () => {
  it('moves descriptors free -> avail -> device -> used -> free, counting and recording each step', () => {
    const { vq, events } = recorded();
    expect(vq.add(1, [out(16), inb(100)], 42, 'req')).toBe(0);
    expect(vq.numFree).toBe(2);
    expect(Array.from(vq.descState)).toEqual([DESC_AVAIL, DESC_AVAIL, DESC_FREE, DESC_FREE]);
    expect(vq.descFlags[0]).toBe(VIRTQ_DESC_F_NEXT);
    expect(vq.descFlags[1]).toBe(VIRTQ_DESC_F_WRITE);
    expect(vq.descNext[0]).toBe(1);
    expect(vq.descLen[0]).toBe(16);
    expect(vq.descLen[1]).toBe(100);
    expect(vq.availIdx).toBe(1);
    expect(vq.availRing[0]).toBe(0);
    expect(vq.buffers).toBe(1);
    expect(vq.bytes).toBe(16); // only driver->device bytes count at add

    vq.kick(2);
    expect(vq.kicks).toBe(1);

    const popped = vq.pop(3);
    expect(popped).toEqual({ head: 0, elements: [out(16), inb(100)], payload: 42, label: 'req' });
    expect(vq.lastAvailIdx).toBe(1);
    expect(Array.from(vq.descState)).toEqual([DESC_DEVICE, DESC_DEVICE, DESC_FREE, DESC_FREE]);
    expect(vq.pop(3)).toBeNull();

    vq.pushUsed(4, 0, 60);
    expect(vq.usedIdx).toBe(1);
    expect(vq.usedId[0]).toBe(0);
    expect(vq.usedLen[0]).toBe(60);
    expect(vq.bytes).toBe(76);
    expect(Array.from(vq.descState)).toEqual([DESC_USED, DESC_USED, DESC_FREE, DESC_FREE]);
    vq.interrupt(5);
    expect(vq.interrupts).toBe(1);

    expect(vq.reclaim(6)).toEqual({ head: 0, len: 60, payload: 42 });
    expect(vq.numFree).toBe(4);
    expect(vq.lastUsedIdx).toBe(1);
    expect(Array.from(vq.descState)).toEqual([0, 0, 0, 0]);
    expect(vq.reclaim(6)).toBeNull();

    expect(events).toEqual([
      { t: 1, queue: 'q', kind: 'add', head: 0, descriptors: 2, bytes: 16, label: 'req' },
      { t: 2, queue: 'q', kind: 'kick', head: -1, descriptors: 0, bytes: 0, label: 'kick' },
      { t: 3, queue: 'q', kind: 'pop', head: 0, descriptors: 2, bytes: 16, label: 'req' },
      { t: 4, queue: 'q', kind: 'push', head: 0, descriptors: 2, bytes: 60, label: 'req' },
      { t: 5, queue: 'q', kind: 'interrupt', head: -1, descriptors: 0, bytes: 0, label: 'interrupt' },
      { t: 6, queue: 'q', kind: 'reclaim', head: 0, descriptors: 2, bytes: 60, label: 'req' },
    ]);
  });

  it('lets the device replace the payload when it pushes the buffer used', () => {
    const vq = new SplitVirtqueue<string>('q', 2);
    const h = vq.add(0, [inb(8)], 'slot', 'x');
    vq.pop(0);
    vq.pushUsed(0, h, 8, 'answer');
    expect(vq.reclaim(0)?.payload).toBe('answer');
  });
});

describe('SplitVirtqueue: full ring and free-descriptor accounting', () => {
  it('add returns -1 when fewer descriptors are free than the chain needs, without side effects', () => {
    const { vq, events } = recorded();
    expect(vq.add(0, chain(3), 1, 'a')).toBe(0);
    expect(vq.numFree).toBe(1);
    expect(vq.add(0, chain(2), 2, 'b')).toBe(-1);
    expect(vq.numFree).toBe(1);
    expect(vq.availIdx).toBe(1);
    expect(vq.buffers).toBe(1);
    expect(events.length).toBe(1);
    expect(vq.add(0, chain(1), 3, 'c')).toBe(3);
    expect(vq.numFree).toBe(0);
    expect(vq.add(0, chain(1), 4, 'd')).toBe(-1);
    expect(Array.from(vq.descState)).toEqual([1, 1, 1, 1]);
    // A chain longer than the ring never fits.
    const big = new SplitVirtqueue<number>('q', 4);
    expect(big.add(0, chain(5), 0, 'x')).toBe(-1);
    expect(big.add(0, chain(4), 0, 'x')).toBe(0);
  });

  it('reclaiming chains of different lengths, out of order, returns exactly their descriptors', () => {
    const vq = new SplitVirtqueue<string>('q', 8);
    const a = vq.add(0, chain(3), 'a', 'a'); // descriptors 0,1,2
    const b = vq.add(0, chain(1), 'b', 'b'); // 3
    const c = vq.add(0, chain(4), 'c', 'c'); // 4,5,6,7
    expect([a, b, c]).toEqual([0, 3, 4]);
    expect(vq.numFree).toBe(0);
    for (let i = 0; i < 3; i++) vq.pop(0);
    // The device completes them in the order c, a, b.
    vq.pushUsed(0, c, 0);
    vq.pushUsed(0, a, 0);
    expect(vq.reclaim(0)?.payload).toBe('c');
    expect(vq.numFree).toBe(4);
    expect(Array.from(vq.descState)).toEqual([DESC_USED, DESC_USED, DESC_USED, DESC_DEVICE, 0, 0, 0, 0]);
    expect(vq.reclaim(0)?.payload).toBe('a');
    expect(vq.numFree).toBe(7);
    expect(vq.reclaim(0)).toBeNull(); // b is still with the device
    // A 7-descriptor chain fits now and uses only free descriptors (the most recently freed first).
    const d = vq.add(0, chain(7), 'd', 'd');
    expect(d).toBe(0);
    expect(vq.numFree).toBe(0);
    expect(Array.from(vq.descState)).toEqual([1, 1, 1, DESC_DEVICE, 1, 1, 1, 1]);
    const seen = new Set<number>();
    let x = d;
    seen.add(x);
    for (let i = 0; i < 8 && vq.descFlags[x] & VIRTQ_DESC_F_NEXT; i++) {
      x = vq.descNext[x];
      seen.add(x);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 4, 5, 6, 7]);
    vq.pushUsed(0, b, 0);
    expect(vq.reclaim(0)?.payload).toBe('b');
    expect(vq.numFree).toBe(1);
  });
});

describe('SplitVirtqueue: 16-bit index wrap-around', () => {
  it('stays consistent over 70000 add/pop/push/reclaim cycles on an 8-entry ring', () => {
    const vq = new SplitVirtqueue<number>('q', 8);
    const CYCLES = 70_000;
    let nextPayload = 0;
    let expectedPop = 0;
    let expectedReclaim = 0;
    const inFlight: number[] = []; // heads popped, not yet pushed
    let bytes = 0;
    let wrong = 0; // counted rather than expect()ed per step: expect() in a 70000-step loop is slow
    for (let i = 0; i < CYCLES; i++) {
      // Keep several buffers of lengths 1..3 in flight so slots and descriptors rotate irregularly.
      const n = 1 + (i % 3);
      while (vq.numFree >= n) {
        const h = vq.add(i, chain(n), nextPayload++, 'x');
        if (h < 0) wrong++;
        bytes += (n * (n + 1)) / 2;
        if (nextPayload - expectedReclaim >= 3) break;
      }
      const p = vq.pop(i);
      if (p) {
        if (p.payload !== expectedPop++) wrong++;
        inFlight.push(p.head);
      }
      if (inFlight.length > 0) {
        vq.pushUsed(i, inFlight.shift() as number, 1);
        bytes += 1;
      }
      const r = vq.reclaim(i);
      if (r && r.payload !== expectedReclaim++) wrong++;
    }
    expect(wrong).toBe(0);
    // Drain (at most one ring's worth: more would be a queue that never runs dry).
    for (const p of drain(() => vq.pop(0), 8)) {
      expect(p.payload).toBe(expectedPop++);
      inFlight.push(p.head);
    }
    for (const h of inFlight) {
      vq.pushUsed(0, h, 1);
      bytes += 1;
    }
    for (const r of drain(() => vq.reclaim(0), 8)) expect(r.payload).toBe(expectedReclaim++);

    expect(nextPayload).toBeGreaterThan(65_536);
    expect(expectedPop).toBe(nextPayload);
    expect(expectedReclaim).toBe(nextPayload);
    expect(vq.availIdx).toBe(nextPayload & 0xffff);
    expect(vq.usedIdx).toBe(nextPayload & 0xffff);
    expect(vq.lastAvailIdx).toBe(vq.availIdx);
    expect(vq.lastUsedIdx).toBe(vq.usedIdx);
    expect(vq.numFree).toBe(8);
    expect(vq.buffers).toBe(nextPayload);
    expect(vq.bytes).toBe(bytes);
    expect(Array.from(vq.descState)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // The free list is intact: one chain over the whole ring still fits.
    expect(vq.add(0, chain(8), -1, 'all')).toBeGreaterThanOrEqual(0);
    expect(vq.numFree).toBe(0);
  });

  it('crosses 65535 -> 0 with buffers in flight', () => {
    const vq = new SplitVirtqueue<number>('q', 4);
    // Advance the indices to just below the wrap with single-descriptor buffers.
    for (let i = 0; i < 65_534; i++) {
      const h = vq.add(0, [out(1)], i, 'x');
      vq.pop(0);
      vq.pushUsed(0, h, 0);
      vq.reclaim(0);
    }
    expect(vq.availIdx).toBe(65_534);
    for (let i = 0; i < 4; i++) vq.add(0, [out(1)], 1000 + i, 'x');
    expect(vq.availIdx).toBe(2); // 65534 + 4 wrapped
    // Ring slots are index mod 4: 65534 % 4 = 2, so the four heads sit in slots 2, 3, 0, 1.
    const popped: number[] = [];
    for (const p of drain(() => vq.pop(0), 4)) {
      popped.push(p.payload);
      vq.pushUsed(0, p.head, 0);
    }
    expect(popped).toEqual([1000, 1001, 1002, 1003]);
    expect(vq.lastAvailIdx).toBe(2);
    expect(vq.usedIdx).toBe(2);
    const back = drain(() => vq.reclaim(0), 4).map((r) => r.payload);
    expect(back).toEqual([1000, 1001, 1002, 1003]);
    expect(vq.numFree).toBe(4);
  });
});

describe('SplitVirtqueue: edges the mutation run found untested (issue 9)', () => {
  it('says what is wrong with a bad size or an empty buffer', () => {
    expect(() => new SplitVirtqueue('q', 3)).toThrow('virtqueue size must be a power of two in 1..32768, got 3');
    expect(() => new SplitVirtqueue<number>('q', 4).add(0, [], 1, 'x')).toThrow('a buffer needs at least one element');
  });

  it('a snapshot is a copy: later ring traffic does not change what was drawn', () => {
    const vq = new SplitVirtqueue<number>('q', 4);
    const before = vq.snapshot();
    vq.add(0, chain(2), 1, 'a');
    expect(Array.from(before.descState)).toEqual([DESC_FREE, DESC_FREE, DESC_FREE, DESC_FREE]);
    expect(Array.from(vq.snapshot().descState)).toEqual([DESC_AVAIL, DESC_AVAIL, DESC_FREE, DESC_FREE]);
  });
});

describe('SplitVirtqueue: a looped descriptor chain (a corrupted ring)', () => {
  /** Points the last descriptor of the 2-descriptor chain at `head` back to its head. */
  function loopBack(vq: SplitVirtqueue<number>, head: number) {
    const last = vq.descNext[head];
    vq.descFlags[last] |= VIRTQ_DESC_F_NEXT;
    vq.descNext[last] = head;
  }

  it('pop throws after walking as many descriptors as the queue has, instead of walking for ever', () => {
    const vq = new SplitVirtqueue<number>('vq', 4);
    const head = vq.add(0, chain(2), 0, 'req');
    loopBack(vq, head);
    expect(() => vq.pop(1)).toThrow(`loop detected in the descriptor chain at head ${head} of vq (more than its 4 descriptors)`);
  });

  it('pushing it used throws the same way', () => {
    const vq = new SplitVirtqueue<number>('vq', 4);
    const head = vq.add(0, chain(2), 0, 'req');
    vq.pop(1);
    loopBack(vq, head);
    expect(() => vq.pushUsed(2, head, 0)).toThrow(/loop detected in the descriptor chain at head \d of vq/);
  });

  it('a chain of exactly the queue size is no loop', () => {
    const vq = new SplitVirtqueue<number>('vq', 4);
    const head = vq.add(0, chain(4), 0, 'req');
    expect(vq.pop(1)?.elements).toHaveLength(4);
    vq.pushUsed(2, head, 0);
    expect(vq.reclaim(3)?.head).toBe(head);
  });
});
