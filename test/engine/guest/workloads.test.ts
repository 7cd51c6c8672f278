import { describe, expect, it } from 'vitest';
import { countAll } from '../../../src/engine/bitmap';
import { BuddyAllocator, ORDERS } from '../../../src/engine/guest/buddy';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { buildWorkload, KERNEL_COMPILE, STRESS, StressWriter, type Workload, type WorkloadSpec } from '../../../src/engine/guest/workloads';
import { STRESS_DEFAULTS } from '../../../src/engine/scenario';
import { Rng } from '../../../src/engine/rng';
import type { WorkloadId } from '../../../src/engine/types';

const PAGES_8G = 2 * 1024 * 1024;

function build(id: WorkloadId, pages: number, seed = 1, stress: Partial<WorkloadSpec> = {}) {
  const mem = new GuestMemory(pages);
  const w = buildWorkload({ ...STRESS_DEFAULTS, hogPercent: 97, workload: id, ...stress }, mem, new Rng(seed));
  const used = pages - mem.buddy.freePages;
  const data = countAll(mem.data);
  return { mem, w, usedMiB: used / 256, dataMiB: data / 256, staleMiB: (data - used) / 256 };
}

/** The free lists must be exactly what a rebuild from the free bitmap gives. */
function expectCanonical(mem: GuestMemory): void {
  const b = new BuddyAllocator(mem.pages);
  b.free.set(mem.buddy.free);
  b.rebuildFromFree();
  for (let k = 0; k < ORDERS; k++) expect(Array.from(b.heads[k])).toEqual(Array.from(mem.buddy.heads[k]));
  expect(b.freePages).toBe(mem.buddy.freePages);
}

describe('workloads at the RFC size (8 GiB)', () => {
  it('idle-boot: ~350 MB used, a little stale memory (initrd, initramfs), the rest never touched', () => {
    const { mem, usedMiB, staleMiB, dataMiB } = build('idle-boot', PAGES_8G);
    expect(usedMiB).toBeGreaterThan(300);
    expect(usedMiB).toBeLessThan(400);
    expect(staleMiB).toBeGreaterThan(15);
    expect(staleMiB).toBeLessThan(30);
    expect(dataMiB).toBeLessThan(450);
    // Every page in use holds data.
    for (let w = 0; w < mem.data.length; w++) expect((~mem.buddy.free[w] & ~mem.data[w]) >>> 0).toBe(0);
  });

  it('after-hog: about the same used memory, nearly all of RAM free but stale', () => {
    const { mem, usedMiB, staleMiB } = build('after-hog', PAGES_8G);
    expect(usedMiB).toBeGreaterThan(300);
    expect(usedMiB).toBeLessThan(400);
    expect(staleMiB).toBeGreaterThan(7000);
    // The hog's survivors (8 MiB in per-cpu batches of 32 pages) fragment the free lists: more
    // blocks than after a plain boot, and whole 4 MiB blocks broken up.
    const boot = build('idle-boot', PAGES_8G);
    const blocks = (m: GuestMemory) => m.buddy.blockCounts().reduce((a, b) => a + b, 0);
    expect(blocks(mem)).toBeGreaterThan(blocks(boot.mem) + 400);
    expect(mem.buddy.listLength(10)).toBeLessThan(boot.mem.buddy.listLength(10) - 32);
  });

  it('after-hog: hogPercent sets what the hog left zero, (100 − hogPercent) % of RAM', () => {
    const zeroMiB = (hogPercent: number) => {
      const { mem } = build('after-hog', PAGES_8G, 1, { hogPercent });
      return (PAGES_8G - countAll(mem.data)) / 256;
    };
    // 3 % of 8192 MiB = 245.76 MiB; 50 % leaves 4096 MiB less what the boot itself had written there.
    expect(zeroMiB(97)).toBeCloseTo(245.76, 2);
    expect(zeroMiB(50)).toBeGreaterThan(4060);
    expect(zeroMiB(50)).toBeLessThanOrEqual(4096);
    expect(zeroMiB(100)).toBe(0);
    // 0 %: the hog wrote nothing, so what is stale is the booted guest's own (initrd, initramfs).
    expect(build('after-hog', PAGES_8G, 1, { hogPercent: 0 }).staleMiB).toBeLessThan(30);
  });

  it('idle-boot: allocations cluster in some 4 MiB blocks, so most free memory is in whole order-10 blocks', () => {
    const { mem } = build('idle-boot', PAGES_8G);
    expect(mem.buddy.listLength(10) * 1024).toBeGreaterThan(0.85 * mem.buddy.freePages);
  });
});

describe('workloads on small guests', () => {
  for (const id of ['idle-boot', 'after-hog', 'running'] as const) {
    it(`${id}: free lists are canonical after the build and after 200 ms of activity`, () => {
      const { mem, w } = build(id, 65536, 3);
      expectCanonical(mem);
      mem.logging = true;
      const before = mem.writes;
      for (let t = 0; t < 200; t++) w.tick(t, 1);
      expect(mem.writes).toBeGreaterThan(before);
      expect(countAll(mem.dirtyLog)).toBeGreaterThan(0);
      expectCanonical(mem);
      // Every page in use holds data: allocation writes before handing out.
      for (let x = 0; x < mem.data.length; x++) expect((~mem.buddy.free[x] & ~mem.data[x]) >>> 0).toBe(0);
    });
  }

  it('running dirties ~25000 pages/s of its working set plus allocation churn', () => {
    const { mem, w } = build('running', 65536, 5);
    mem.logging = true;
    const before = mem.writes;
    for (let t = 0; t < 1000; t++) w.tick(t, 1);
    const writes = mem.writes - before;
    // 25000 working-set writes + 1500 idle writes + ~2000 allocations of 1..4 pages (while memory lasts).
    expect(writes).toBeGreaterThan(26_000);
    expect(writes).toBeLessThan(36_000);
  });

  it('is deterministic for a seed', () => {
    const a = build('running', 32768, 9).mem;
    const b = build('running', 32768, 9).mem;
    expect(Array.from(a.buddy.free)).toEqual(Array.from(b.buddy.free));
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    expect(Buffer.from(a.changedSinceSent.buffer).equals(Buffer.from(b.changedSinceSent.buffer))).toBe(true);
  });
});

describe('stress (mm_dirty-like writer)', () => {
  const GiB = 262_144;
  /** The writer's own page writes (the idle guest's background writes not counted). */
  const writerWrites = (w: Workload): number => {
    if (!(w instanceof StressWriter)) throw new Error('not a stress writer');
    return w.writes;
  };
  it('allocates its working set (2 MiB blocks, written once) and writes 256 pages per MiB/s per second', () => {
    const { mem, w } = build('stress', GiB, 1, { workingSetGiB: 0.25, dirtyMiBs: 100 });
    expect(w.tickMs).toBe(STRESS.tickMs);
    expect(w.workingSetPages).toBe(65_536);
    // Boot (~130 MiB on a 1 GiB guest) + 256 MiB of working set, all holding data.
    expect((mem.pages - mem.buddy.freePages) / 256).toBeGreaterThan(256 + 100);
    mem.logging = true;
    const before = writerWrites(w);
    for (let t = 0; t < 1000; t += 10) w.tick(t, 10);
    // 100 MiB/s x 256 pages per MiB = 25 600 page writes in one second, exactly (no randomness in the count).
    expect(writerWrites(w) - before).toBe(25_600);
  });

  it('the throttle scales the dirty rate: vCPUs running 30 % of the time write 30 % as much', () => {
    const { w } = build('stress', GiB, 1, { workingSetGiB: 0.25, dirtyMiBs: 100 });
    for (let t = 0; t < 1000; t += 10) w.tick(t, 10, 0.3);
    expect(writerWrites(w)).toBe(7680);
    // 1 MiB/s at 1 % of the time (99 % throttle): 2.56 writes/s, carried over between ticks.
    const slow = build('stress', GiB, 1, { workingSetGiB: 0.25, dirtyMiBs: 1 }).w;
    for (let t = 0; t < 10_000; t += 10) slow.tick(t, 10, 0.01);
    expect(writerWrites(slow)).toBe(25);
  });

  /** The writer's pages: in use after building stress, not after building the same guest idle. */
  function workingSet(pages: number, seed: number, spec: Partial<WorkloadSpec>) {
    const stress = build('stress', pages, seed, spec);
    const idle = build('idle-boot', pages, seed).mem;
    const ws = new Uint8Array(pages);
    let size = 0;
    for (let p = 0; p < pages; p++) {
      if (!stress.mem.isFree(p) && idle.isFree(p)) {
        ws[p] = 1;
        size++;
      }
    }
    expect(size).toBe(stress.w.workingSetPages);
    return { ...stress, ws };
  }
  const loggedIn = (mem: GuestMemory, ws: Uint8Array) => {
    const out: number[] = [];
    for (let p = 0; p < mem.pages; p++) if (ws[p] && mem.dirtyLog[p >>> 5] & (1 << (p & 31))) out.push(p);
    return out;
  };

  it('sequential writes walk the buffer: 256 writes in a tick dirty 256 consecutive pages of it', () => {
    const { mem, w, ws } = workingSet(GiB, 2, { workingSetGiB: 0.25, dirtyMiBs: 100, pattern: 'sequential' });
    mem.logging = true;
    w.tick(0, 10); // 100 MiB/s for 10 ms = 256 writes, into the first 2 MiB block
    const first = loggedIn(mem, ws);
    expect(first).toHaveLength(256);
    expect(first[255] - first[0]).toBe(255);
    mem.dirtyLog.fill(0);
    w.tick(10, 10); // the next 256: the block's second half
    const second = loggedIn(mem, ws);
    expect(second).toHaveLength(256);
    expect(second[0]).toBe(first[255] + 1);
  });

  it('random writes may hit a page again: 512 writes over 1024 pages dirty ~403 of them', () => {
    // 1024 pages = 4 MiB; 512 writes in a 10 ms tick = 51 200 pages/s = 200 MiB/s.
    const { mem, w, ws } = workingSet(GiB / 4, 3, { workingSetGiB: 4 / 1024, dirtyMiBs: 200 });
    expect(w.workingSetPages).toBe(1024);
    mem.logging = true;
    w.tick(0, 0); // a tick of 0 ms writes nothing
    expect(countAll(mem.dirtyLog)).toBe(0);
    w.tick(0, 10);
    expect(writerWrites(w)).toBe(512);
    // 1024 x (1 - e^-0.5) = 403 distinct pages expected (binomial spread ~ +-10).
    const hit = loggedIn(mem, ws).length;
    expect(hit).toBeGreaterThan(370);
    expect(hit).toBeLessThan(435);
  });

  it('a working set larger than the free memory is cut to it, keeping 3 % of RAM for the kernel', () => {
    const { mem, w } = build('stress', GiB / 4, 4, { workingSetGiB: 0.25 });
    expect(w.workingSetPages).toBeLessThan(65_536);
    expect(w.workingSetPages % 32).toBe(0);
    expect(mem.buddy.freePages).toBeGreaterThanOrEqual(Math.round((GiB / 4) * STRESS.reserveFraction));
  });

  it('a random writer whose buffer is dirty everywhere re-dirties only what a send or a sync cleaned', () => {
    // 1024 pages written 41 943 times per 10 ms tick: each page is hit with probability 1 - e^-41.
    const { mem, w, ws } = workingSet(GiB / 4, 6, { workingSetGiB: 1 / 256, dirtyMiBs: 16_384 });
    expect(w.workingSetPages).toBe(1024);
    mem.logging = true;
    w.tick(0, 10);
    expect(loggedIn(mem, ws)).toHaveLength(1024);
    const inBuffer = loggedIn(mem, ws)[0];
    const word = inBuffer >>> 5;
    // The migration thread sends the word: its 32 pages are no longer changed since sent.
    mem.sent(word, 0xffffffff);
    expect(mem.saturated(word, 0xffffffff)).toBe(false);
    const before = mem.writes;
    w.tick(10, 10);
    expect(mem.writes - before).toBeGreaterThanOrEqual(41_943); // every write counted (idle ones on top)
    expect(writerWrites(w)).toBe(2 * 41_943);
    expect(mem.saturated(word, 0xffffffff)).toBe(true);
    // A sync fetches and clears the dirty log: the next tick logs the whole buffer again.
    mem.dirtyLog.fill(0);
    mem.logClears++;
    w.tick(20, 10);
    expect(loggedIn(mem, ws)).toHaveLength(1024);
  });

  it('more writes in a tick than pages: every page of a sequential buffer written once, the count kept', () => {
    const { mem, w } = build('stress', GiB / 4, 5, { workingSetGiB: 1 / 256, dirtyMiBs: 16_384, pattern: 'sequential' });
    expect(w.workingSetPages).toBe(1024);
    mem.logging = true;
    const before = mem.writes;
    w.tick(0, 10); // 16 GiB/s for 10 ms = 41 943 writes over 1024 pages
    expect(writerWrites(w)).toBe(41_943);
    expect(mem.writes - before).toBeGreaterThanOrEqual(41_943);
    expect(countAll(mem.dirtyLog)).toBeGreaterThanOrEqual(1024);
  });
});

describe('kernel-compile (make bzImage -j4 in a 4-vCPU guest)', () => {
  it('holds the idle guest, 2.5 GiB of page cache and four compilers part-way through their heaps', () => {
    const idle = build('idle-boot', PAGES_8G);
    const k = build('kernel-compile', PAGES_8G);
    const extra = k.usedMiB - idle.usedMiB;
    // Page cache plus four cc1 heaps, each between 0 and 64 MiB.
    expect(extra).toBeGreaterThan(KERNEL_COMPILE.pageCacheAtStartMiB);
    expect(extra).toBeLessThan(KERNEL_COMPILE.pageCacheAtStartMiB + KERNEL_COMPILE.jobs * KERNEL_COMPILE.jobPeakMiB);
    expect(k.w.tickMs).toBe(10);
    expectCanonical(k.mem);
  });

  it('writes ~400 k pages/s (heaps grown and rewritten), grows the page cache 4.4 MiB/s, and frees each cc1 at exit', () => {
    const { mem, w } = build('kernel-compile', PAGES_8G);
    const writes0 = mem.writes;
    const free0 = mem.buddy.freePages;
    let freedInATick = 0;
    for (let t = 0; t < 10_000; t += 10) {
      const before = mem.buddy.freePages;
      w.tick(t, 10);
      freedInATick = Math.max(freedInATick, mem.buddy.freePages - before);
    }
    // 4 jobs x (64 MiB grown + 2 x 64 MiB rewritten) per 0.5 s life = 393 k pages/s, give or take
    // the lives' spread.
    const perSec = (mem.writes - writes0) / 10;
    expect(perSec).toBeGreaterThan(300_000);
    expect(perSec).toBeLessThan(600_000);
    // Over 10 s the heaps come and go; what stays is the page cache: 44 MiB, plus the heaps' swing.
    const grownMiB = (free0 - mem.buddy.freePages) / 256;
    expect(grownMiB).toBeGreaterThan(44 - KERNEL_COMPILE.jobs * KERNEL_COMPILE.jobPeakMiB);
    expect(grownMiB).toBeLessThan(44 + KERNEL_COMPILE.jobs * KERNEL_COMPILE.jobPeakMiB);
    // A compiler that exits gives back megabytes at once.
    expect(freedInATick).toBeGreaterThan(256);
    expectCanonical(mem);
  });
});
