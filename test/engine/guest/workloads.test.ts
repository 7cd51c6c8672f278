import { describe, expect, it } from 'vitest';
import { countAll } from '../../../src/engine/bitmap';
import { BuddyAllocator, ORDERS } from '../../../src/engine/guest/buddy';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { buildWorkload, STRESS, type WorkloadSpec } from '../../../src/engine/guest/workloads';
import { STRESS_DEFAULTS } from '../../../src/engine/scenario';
import { Rng } from '../../../src/engine/rng';
import type { WorkloadId } from '../../../src/engine/types';

const PAGES_8G = 2 * 1024 * 1024;

function build(id: WorkloadId, pages: number, seed = 1, stress: Partial<WorkloadSpec> = {}) {
  const mem = new GuestMemory(pages);
  const w = buildWorkload({ ...STRESS_DEFAULTS, workload: id, ...stress }, mem, new Rng(seed));
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
    expect(Buffer.from(a.version.buffer).equals(Buffer.from(b.version.buffer))).toBe(true);
  });
});
