import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newBitmap, setRange, testBit } from '../../../src/engine/bitmap';
import { BuddyAllocator, MAX_ORDER, ORDERS } from '../../../src/engine/guest/buddy';

/** An allocator of `pages` pages, all free, built the bulk way. */
function allFree(pages: number): BuddyAllocator {
  const b = new BuddyAllocator(pages);
  setRange(b.free, 0, pages);
  b.rebuildFromFree();
  return b;
}

/** Free-list membership as [order, first pfn] pairs, sorted. */
function listed(b: BuddyAllocator): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k < ORDERS; k++) {
    for (let i = 0; i < b.heads[k].length * 32; i++) if (testBit(b.heads[k], i)) out.push([k, i << k]);
  }
  return out;
}

// ---- the slow reference ----

/** Canonical decomposition of free pages into maximal aligned blocks: per order, the block indices. */
function canonical(free: boolean[]): number[][] {
  const pages = free.length;
  const prefix = new Int32Array(pages + 1);
  for (let i = 0; i < pages; i++) prefix[i + 1] = prefix[i] + (free[i] ? 1 : 0);
  const fullyFree = (k: number, i: number): boolean => {
    const s = i << k;
    const e = (i + 1) << k;
    return e <= pages && prefix[e] - prefix[s] === e - s;
  };
  const lists: number[][] = [];
  for (let k = 0; k < ORDERS; k++) {
    const blocks: number[] = [];
    for (let i = 0; i < pages >>> k; i++) {
      if (!fullyFree(k, i)) continue;
      if (k < MAX_ORDER && fullyFree(k + 1, i >> 1)) continue;
      blocks.push(i);
    }
    lists.push(blocks);
  }
  return lists;
}

function expectMatchesReference(b: BuddyAllocator, free: boolean[]): void {
  const pages = free.length;
  const bools: boolean[] = [];
  for (let i = 0; i < pages; i++) bools.push(testBit(b.free, i));
  expect(bools).toEqual(free);
  // No bit past the end of RAM.
  for (let i = pages; i < b.free.length * 32; i++) expect(testBit(b.free, i)).toBe(false);
  expect(b.freePages).toBe(free.filter(Boolean).length);
  const lists = canonical(free);
  expect(b.blockCounts()).toEqual(lists.map((l) => l.length));
  for (let k = 0; k < ORDERS; k++) {
    const ref = newBitmap(b.heads[k].length * 32);
    for (const i of lists[k]) ref[i >>> 5] |= 1 << (i & 31);
    expect(Array.from(b.heads[k]), `free list of order ${k}`).toEqual(Array.from(ref));
  }
}

describe('BuddyAllocator: concrete split and merge', () => {
  it('a fresh 2048-page allocator holds two order-10 blocks', () => {
    const b = allFree(2048);
    expect(b.freePages).toBe(2048);
    expect(b.blockCounts()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(listed(b)).toEqual([
      [10, 0],
      [10, 1024],
    ]);
  });

  it('alloc(0) splits the lowest top block, leaving one block on each order 0..9', () => {
    const b = allFree(2048);
    expect(b.alloc(0)).toBe(0);
    expect(b.freePages).toBe(2047);
    expect(b.blockCounts()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    // The upper halves of the split: pfn 2^j at order j.
    expect(listed(b)).toEqual([
      [0, 1],
      [1, 2],
      [2, 4],
      [3, 8],
      [4, 16],
      [5, 32],
      [6, 64],
      [7, 128],
      [8, 256],
      [9, 512],
      [10, 1024],
    ]);
    expect(b.freeOrderOf(0)).toBe(-1);
    expect(b.freeOrderOf(1)).toBe(0);
    expect(b.freeOrderOf(3)).toBe(1);
    expect(b.freeOrderOf(700)).toBe(9);
    expect(b.freeOrderOf(2047)).toBe(10);
    expect(testBit(b.free, 0)).toBe(false);
    expect(testBit(b.free, 1)).toBe(true);
  });

  it('freeing the page merges all the way back to order 10', () => {
    const b = allFree(2048);
    const pfn = b.alloc(0);
    b.freeBlock(pfn, 0);
    expect(b.freePages).toBe(2048);
    expect(b.blockCounts()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(listed(b)).toEqual([
      [10, 0],
      [10, 1024],
    ]);
  });

  it('takes the smallest sufficient order first, lowest address within it', () => {
    const b = allFree(2048);
    expect(b.alloc(3)).toBe(0); // splits block 0 of order 10 down to order 3; 8..15 stays on list 3
    expect(b.blockCounts()).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(b.alloc(0)).toBe(8); // splits the order-3 block at 8, not a bigger one
    expect(b.blockCounts()).toEqual([1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1]);
    expect(listed(b).slice(0, 3)).toEqual([
      [0, 9],
      [1, 10],
      [2, 12],
    ]);
    expect(b.alloc(0)).toBe(9);
    expect(b.alloc(1)).toBe(10);
    expect(b.freePages).toBe(2048 - 8 - 1 - 1 - 2);
    // Free in an order that exercises partial merges.
    b.freeBlock(9, 0); // buddy 8 in use: stays at order 0
    expect(b.freeOrderOf(9)).toBe(0);
    b.freeBlock(10, 1); // buddy 8..9 not all free: stays at order 1
    expect(b.freeOrderOf(10)).toBe(1);
    b.freeBlock(8, 0); // 8+9 -> order 1, +10..11 -> order 2, +12..15 -> order 3; 0..7 in use
    expect(b.freeOrderOf(8)).toBe(3);
    b.freeBlock(0, 3); // everything merges to order 10
    expect(b.blockCounts()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(b.freePages).toBe(2048);
  });

  it('returns -1 when no block is large enough', () => {
    const b = allFree(1000);
    expect(b.alloc(10)).toBe(-1);
    expect(b.freePages).toBe(1000);
    const empty = new BuddyAllocator(64);
    expect(empty.alloc(0)).toBe(-1);
    expect(empty.freePages).toBe(0);
  });

  it('decomposes a guest whose page count is not a multiple of 1024', () => {
    // 1000 = 512 + 256 + 128 + 64 + 32 + 8
    const b = allFree(1000);
    expect(b.blockCounts()).toEqual([0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0]);
    expect(listed(b)).toEqual([
      [3, 992],
      [5, 960],
      [6, 896],
      [7, 768],
      [8, 512],
      [9, 0],
    ]);
    // 3000 = 2 x 1024 + 512 + 256 + 128 + 32 + 16 + 8
    const c = allFree(3000);
    expect(c.blockCounts()).toEqual([0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 2]);
    expect(c.freePages).toBe(3000);
    // The last block's buddy would lie past the end of RAM: freeing it must not merge.
    expect(b.alloc(3)).toBe(992);
    b.freeBlock(992, 3);
    expect(b.freeOrderOf(999)).toBe(3);
    expect(b.blockCounts()).toEqual([0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0]);
  });

  it('rebuildFromFree of a scattered bitmap gives the canonical decomposition', () => {
    const b = new BuddyAllocator(128);
    // free: 1, 2..3, 4..7, 32..63, 65, 100..127
    setRange(b.free, 1, 8);
    setRange(b.free, 32, 64);
    setRange(b.free, 65, 66);
    setRange(b.free, 100, 128);
    b.rebuildFromFree();
    expect(b.freePages).toBe(7 + 32 + 1 + 28);
    expect(listed(b)).toEqual([
      [0, 1],
      [0, 65],
      [1, 2],
      [2, 4],
      [2, 100],
      [3, 104],
      [4, 112],
      [5, 32],
    ]);
  });
});

describe('BuddyAllocator against a naive reference (model-based)', () => {
  type Op = { kind: 'alloc'; order: number } | { kind: 'free'; pick: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('alloc' as const), order: fc.integer({ min: 0, max: MAX_ORDER }) }),
    fc.record({ kind: fc.constant('alloc' as const), order: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
  );

  it('random alloc/free sequences keep the free bitmap, counts and free lists canonical', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(33, 100, 1000, 1024, 1061, 2048, 3000),
        fc.constantFrom('random', 'all-free', 'all-used'),
        fc.array(fc.boolean(), { minLength: 3000, maxLength: 3000 }),
        fc.array(opArb, { maxLength: 60 }),
        (pages, start, initial, ops) => {
          const b = new BuddyAllocator(pages);
          const free = start === 'random' ? initial.slice(0, pages) : new Array<boolean>(pages).fill(start === 'all-free');
          for (let i = 0; i < pages; i++) if (free[i]) b.free[i >>> 5] |= 1 << (i & 31);
          b.rebuildFromFree();
          expectMatchesReference(b, free);
          // Live blocks that may be freed: the initially used pages, singly, plus every allocation.
          const live: [number, number][] = [];
          for (let i = 0; i < pages; i++) if (!free[i]) live.push([i, 0]);
          for (const op of ops) {
            if (op.kind === 'alloc') {
              const lists = canonical(free);
              let expected = -1;
              for (let k = op.order; k < ORDERS; k++) {
                if (lists[k].length > 0) {
                  expected = lists[k][0] << k;
                  break;
                }
              }
              const pfn = b.alloc(op.order);
              expect(pfn, `alloc(${op.order})`).toBe(expected);
              if (pfn >= 0) {
                for (let i = pfn; i < pfn + (1 << op.order); i++) free[i] = false;
                live.push([pfn, op.order]);
              }
            } else {
              if (live.length === 0) continue;
              const [pfn, order] = live.splice(op.pick % live.length, 1)[0];
              b.freeBlock(pfn, order);
              for (let i = pfn; i < pfn + (1 << order); i++) free[i] = true;
            }
            expectMatchesReference(b, free);
          }
          // The incremental lists equal a bulk rebuild of the same free bitmap.
          const rebuilt = new BuddyAllocator(pages);
          rebuilt.free.set(b.free);
          rebuilt.rebuildFromFree();
          for (let k = 0; k < ORDERS; k++) expect(Array.from(rebuilt.heads[k])).toEqual(Array.from(b.heads[k]));
          expect(rebuilt.freePages).toBe(b.freePages);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rebuildFromFree matches the reference on run-structured bitmaps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4200 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 1500 })), { maxLength: 12 }),
        (pages, runs) => {
          const b = new BuddyAllocator(pages);
          const free = new Array<boolean>(pages).fill(false);
          for (const [s0, len] of runs) {
            const s = s0 % pages;
            const e = Math.min(pages, s + len);
            setRange(b.free, s, e);
            for (let i = s; i < e; i++) free[i] = true;
          }
          b.rebuildFromFree();
          expectMatchesReference(b, free);
        },
      ),
      { numRuns: 150 },
    );
  });
});
