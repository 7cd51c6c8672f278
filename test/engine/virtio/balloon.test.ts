import { describe, expect, it } from 'vitest';
import { setRange } from '../../../src/engine/bitmap';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { RFC_2016 } from '../../../src/engine/migration/profiles';
import type { VirtqueueEvent } from '../../../src/engine/types';
import { FREE_PAGE_VQ_SIZE, FreePageBalloon, formatBytes, type FreePageReply } from '../../../src/engine/virtio/balloon';
import { ManualScheduler } from './manual-scheduler';


const PAGES = 5000; // not a multiple of 32 or 1024

function setup() {
  const mem = new GuestMemory(PAGES);
  setRange(mem.buddy.free, 0, PAGES);
  mem.buddy.rebuildFromFree();
  // Some pages in use, scattered, so the free lists hold blocks of many orders.
  for (const order of [0, 3, 1, 0, 5, 2, 0, 7]) mem.allocAndWrite(order);
  const events: VirtqueueEvent[] = [];
  const sched = new ManualScheduler();
  const balloon = new FreePageBalloon(mem, RFC_2016, sched, (e) => events.push(e));
  return { mem, events, sched, balloon };
}

describe('FreePageBalloon: the request/response exchange end to end', () => {
  it('returns the free bitmap as it was at snapshot time, over the virtqueue, with the RFC event sequence', () => {
    const { mem, events, sched, balloon } = setup();
    balloon.boot(0);
    expect(events.map((e) => e.kind)).toEqual(['add', 'kick']);
    expect(events[0]).toMatchObject({ head: 0, descriptors: 1, bytes: 0, label: 'request buffer' });

    const freeBefore = mem.buddy.freePages;
    const blocksBefore = mem.buddy.blockCounts().reduce((a, b) => a + b, 0);
    const expectedWalk = (blocksBefore * RFC_2016.walkNsPerBlock + freeBefore * RFC_2016.walkNsPerFreePage) / 1e6;
    expect(balloon.walkCostMs()).toBeCloseTo(expectedWalk, 12);

    const replies: { t: number; reply: FreePageReply }[] = [];
    balloon.requestFreePages(10, (t, reply) => replies.push({ t, reply }));
    expect(events.slice(2).map((e) => [e.kind, e.t, e.bytes])).toEqual([
      ['pop', 10, 0],
      ['push', 10, 16],
      ['interrupt', 10, 0],
    ]);
    expect(sched.queue.map((q) => q.t)).toEqual([10 + RFC_2016.guestIrqMs]);

    // The driver's work item: reclaim the request and snapshot the free lists.
    const tSnap = sched.runNext();
    const snapshot = mem.buddy.free.slice();
    expect(events.at(-1)).toMatchObject({ kind: 'reclaim', t: tSnap, head: 0, descriptors: 1, bytes: 16 });
    // The guest keeps allocating during the walk: the reply must not see it.
    const p1 = mem.allocAndWrite(0);
    const p2 = mem.allocAndWrite(4);
    expect(p1).toBeGreaterThanOrEqual(0);
    expect(p2).toBeGreaterThanOrEqual(0);
    expect(Array.from(mem.buddy.free)).not.toEqual(Array.from(snapshot));

    sched.runAll();
    expect(replies.length).toBe(1);
    const { t: tReply, reply } = replies[0];
    expect(Array.from(reply.bitmap)).toEqual(Array.from(snapshot));
    expect(reply.freePages).toBe(freeBefore);
    expect(reply.walkMs).toBeCloseTo(expectedWalk, 12);
    expect(balloon.walkMs).toBeCloseTo(expectedWalk, 12);
    expect(reply.snapshotAt).toBe(10 + RFC_2016.guestIrqMs);

    const bitmapBytes = Math.ceil(PAGES / 8); // 625
    const tAdd = tSnap + expectedWalk;
    const tPop = tAdd + RFC_2016.deviceNotifyMs;
    const tDone = tPop + reply.bitmap.byteLength / RFC_2016.memcpyBytesPerMs;
    expect(tReply).toBeCloseTo(tDone, 9);
    expect(events.map((e) => e.kind)).toEqual([
      'add', 'kick', 'pop', 'push', 'interrupt', 'reclaim',
      'add', 'kick', 'pop', 'push', 'interrupt', 'reclaim',
      'add', 'kick',
    ]);
    const reply3 = events[6];
    expect(reply3).toMatchObject({ kind: 'add', descriptors: 3, bytes: 8 + 8 + bitmapBytes, label: `free-page bitmap ${formatBytes(bitmapBytes)}` });
    expect(reply3.t).toBeCloseTo(tAdd, 9);
    expect(events[8]).toMatchObject({ kind: 'pop', descriptors: 3, bytes: 8 + 8 + bitmapBytes });
    expect(events[8].t).toBeCloseTo(tPop, 9);
    expect(events[9]).toMatchObject({ kind: 'push', descriptors: 3, bytes: 0 });
    expect(events[11]).toMatchObject({ kind: 'reclaim', descriptors: 3 });
    expect(events[11].t).toBeCloseTo(tDone + RFC_2016.guestIrqMs, 9);
    // Times never go backwards.
    for (let i = 1; i < events.length; i++) expect(events[i].t).toBeGreaterThanOrEqual(events[i - 1].t);

    const s = balloon.vq.snapshot();
    expect(s.buffers).toBe(3); // request slot, reply, fresh request slot
    expect(s.kicks).toBe(3);
    expect(s.interrupts).toBe(2);
    expect(s.bytes).toBe(16 + 16 + bitmapBytes);
    expect(s.numFree).toBe(FREE_PAGE_VQ_SIZE - 1);
    expect(s.availIdx).toBe(3);
    expect(s.usedIdx).toBe(2);
    expect(s.lastUsedIdx).toBe(2);
    expect(s.lastAvailIdx).toBe(2);
  });

  it('re-arms: a second request is answered with the allocator as it is then', () => {
    const { mem, sched, balloon } = setup();
    balloon.boot(0);
    const replies: FreePageReply[] = [];
    balloon.requestFreePages(1, (_t, r) => replies.push(r));
    sched.runAll();
    mem.allocAndWrite(6);
    const free2 = mem.buddy.freePages;
    balloon.requestFreePages(5, (_t, r) => replies.push(r));
    sched.runAll();
    expect(replies.length).toBe(2);
    expect(replies[0].freePages - replies[1].freePages).toBe(64);
    expect(replies[1].freePages).toBe(free2);
    expect(Array.from(replies[1].bitmap)).toEqual(Array.from(mem.buddy.free));
    expect(balloon.vq.snapshot().interrupts).toBe(4);
  });

  it('refuses a request when the driver has not posted a buffer', () => {
    const { balloon } = setup();
    expect(() => balloon.requestFreePages(0, () => {})).toThrow(/no request buffer/);
  });
});

describe('FreePageBalloon: walk cost', () => {
  it('is blocks * walkNsPerBlock + freePages * walkNsPerFreePage', () => {
    const mem = new GuestMemory(2048);
    const sched = new ManualScheduler();
    const balloon = new FreePageBalloon(mem, RFC_2016, sched, () => {});
    expect(balloon.walkCostMs()).toBe(0);
    setRange(mem.buddy.free, 0, 2048);
    mem.buddy.rebuildFromFree();
    // Two order-10 blocks, 2048 free pages: (2 * 100 + 2048 * 10) ns.
    expect(balloon.walkCostMs()).toBeCloseTo((2 * 100 + 2048 * 10) / 1e6, 12);
    mem.buddy.alloc(0); // 11 blocks, 2047 pages
    expect(balloon.walkCostMs()).toBeCloseTo((11 * 100 + 2047 * 10) / 1e6, 12);
  });

  it('formats bitmap sizes for labels', () => {
    expect(formatBytes(16)).toBe('16 B');
    expect(formatBytes(625)).toBe('625 B');
    expect(formatBytes(2048)).toBe('2 KiB');
    expect(formatBytes(256 << 10)).toBe('256 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1 << 20)).toBe('1 MiB');
  });
});

describe('FreePageBalloon: edges the mutation run found untested (issue 9)', () => {
  it('its queue is the RFC\'s "free_pages", as every recorded step says', () => {
    const { events, balloon } = setup();
    balloon.boot(0);
    expect(balloon.vq.name).toBe('free_pages');
    expect(events.map((e) => e.queue)).toEqual(['free_pages', 'free_pages']);
  });

  it('a reply that finds the ring full is an error, not a lost bitmap', () => {
    const { sched, balloon } = setup();
    balloon.boot(0);
    balloon.requestFreePages(1, () => {});
    sched.runNext(); // the driver takes the request back and starts its walk
    expect(balloon.vq.numFree).toBe(FREE_PAGE_VQ_SIZE);
    // Something else fills all but two descriptors; the reply needs three.
    for (let i = 0; i < FREE_PAGE_VQ_SIZE - 2; i++) balloon.vq.add(1, [{ len: 16, write: true }], { kind: 'request-slot' }, 'filler');
    expect(() => sched.runNext()).toThrow('balloon: free_pages virtqueue full');
  });

  it('formats sizes from exactly 1 KiB on in KiB, and a MiB size with its fraction', () => {
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536 << 10)).toBe('1.5 MiB');
  });
});
