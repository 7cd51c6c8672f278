/**
 * The guest kernel's buddy allocator: free lists of orders 0..10 (4 KiB .. 4 MiB blocks).
 *
 * Each free list is a bitmap over the blocks of that order ("block i of order k is on free
 * list k"), not a linked list: membership is what matters to the simulation (the free-page
 * walk costs one step per listed block), and bitmaps keep the state at ~2 bits per page.
 * As in Linux, freeing coalesces eagerly with a free buddy, so the lists are always the
 * canonical decomposition of the free pages into maximal aligned blocks.
 *
 * Unlike Linux (LIFO lists), allocation takes the lowest-addressed block of the smallest
 * sufficient order: deterministic and cheap; the visual difference is only where new pages land.
 */
import { clearBit, clearRange, findNextSet, lowestBit, newBitmap, popcount32, setBit, setRange, testBit } from '../bitmap';

export const MAX_ORDER = 10;
export const ORDERS = MAX_ORDER + 1;

/** Keeps the 16 even-position bits of a 32-bit word, packed into the low half. */
function compressEvenBits(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/**
 * Who wants to know about free-list changes (free page reporting keeps its Reported flag by them):
 * `unlisted` = a block left free list `order` (allocated, split, merged or isolated:
 * del_page_from_free_list); `freed` = a free ended at `order` after merging (__free_one_page's
 * page_reporting_notify_free).
 */
export interface BuddyListener {
  unlisted(pfn: number, order: number): void;
  freed(pfn: number, order: number): void;
}

export class BuddyAllocator {
  readonly pages: number;
  /** At most one listener (the guest has one page-reporting device). */
  listener: BuddyListener | null = null;
  /** One bit per page: free in the allocator. Kept in step with the free lists by this class only. */
  readonly free: Uint32Array;
  /** heads[k]: one bit per order-k block: the block is on free list k. */
  readonly heads: Uint32Array[];
  /**
   * summary[k]: one bit per word of heads[k], set when the word may hold a listed block (set when
   * a block is listed, cleared when a search finds the word empty). A search for the lowest
   * block skips 32 empty words at a time, so a sparse list of a big guest is cheap to search.
   */
  readonly summary: Uint32Array[];
  /** Lowest word of heads[k] that may be non-zero: keeps repeated allocation O(1) amortised. */
  private readonly lowWord: Int32Array;
  /** Blocks on each free list, so that an empty list costs nothing to ask. */
  private readonly listCount: Int32Array;
  private freePageCount = 0;

  /** Creates the allocator with every page in use; call `rebuildFromFree` or `freeBlock` to fill it. */
  constructor(pages: number) {
    this.pages = pages;
    this.free = newBitmap(pages);
    this.heads = [];
    for (let k = 0; k < ORDERS; k++) this.heads.push(newBitmap(Math.max(1, pages >>> k)));
    this.summary = this.heads.map((h) => newBitmap(h.length));
    this.lowWord = new Int32Array(ORDERS);
    this.listCount = new Int32Array(ORDERS);
  }

  get freePages(): number {
    return this.freePageCount;
  }

  /**
   * Replaces the free lists by the canonical decomposition of `this.free` (bulk build after a
   * workload generator has written the free-page bitmap directly). Word-parallel, bottom-up:
   * a block of order k+1 is fully free iff both halves are; a fully free block is listed at
   * order k iff its parent is not fully free (or k is the top order).
   */
  rebuildFromFree(): void {
    // Local copies: under tsx (node: CLI, tests, bench) an imported function is a getter call.
    const compress = compressEvenBits;
    const pc = popcount32;
    let full = this.free.slice();
    let count = 0;
    for (let w = 0; w < full.length; w++) {
      const x = full[w];
      // A guest is mostly whole words, all free or all in use: count them without the bit trick.
      count += x === 0 ? 0 : x === 0xffffffff ? 32 : pc(x);
    }
    this.freePageCount = count;
    for (let k = 0; k < ORDERS; k++) {
      const blocks = this.pages >>> k;
      const head = this.heads[k];
      // Only whole blocks inside guest RAM exist at this order.
      const tailBits = blocks & 31;
      const words = (blocks + 31) >>> 5;
      if (blocks === 0) full.fill(0);
      else if (tailBits !== 0) full[words - 1] &= (1 << tailBits) - 1;
      const sum = this.summary[k];
      sum.fill(0);
      // The list's summary bits and block count come with the words, not from more passes.
      let listed = 0;
      const list = (w: number, v: number) => {
        sum[w >>> 5] |= 1 << (w & 31);
        listed += v === 0xffffffff ? 32 : pc(v);
      };
      if (k === MAX_ORDER) {
        head.set(full.subarray(0, head.length));
        for (let w = 0; w < head.length; w++) if (head[w] !== 0) list(w, head[w]);
        this.listCount[k] = listed;
        break;
      }
      const parentBlocks = blocks >>> 1;
      const parent = new Uint32Array(Math.max(1, (parentBlocks + 31) >>> 5));
      // Parent bit: both halves free. Whole words of 0 or 1 bits (most of a big guest) map to a
      // whole half-word of the same; the rest pairs bits up.
      const paired = Math.min(parent.length, full.length >>> 1);
      for (let pw = 0; pw < paired; pw++) {
        const lo = full[2 * pw];
        const hi = full[2 * pw + 1];
        if ((lo | hi) === 0) continue;
        if ((lo & hi) === -1) {
          parent[pw] = 0xffffffff;
          continue;
        }
        parent[pw] = (compress(lo & (lo >>> 1)) | (compress(hi & (hi >>> 1)) << 16)) >>> 0;
      }
      for (let pw = paired; pw < parent.length; pw++) {
        const lo = full[2 * pw] ?? 0;
        const hi = full[2 * pw + 1] ?? 0;
        parent[pw] = (compress(lo & (lo >>> 1)) | (compress(hi & (hi >>> 1)) << 16)) >>> 0;
      }
      const pbits = parentBlocks & 31;
      if (pbits !== 0) parent[parent.length - 1] &= (1 << pbits) - 1;
      for (let w = 0; w < head.length; w++) {
        const f = full[w];
        // Listed at this order: free here, and not inside a fully free parent.
        if (f === 0) {
          head[w] = 0;
          continue;
        }
        const p = parent[w >>> 1] ?? 0;
        const half = (w & 1) === 0 ? p & 0xffff : p >>> 16;
        if (half === 0xffff) {
          head[w] = 0;
          continue;
        }
        // Expand each parent bit to the two child positions it covers.
        let spread = half;
        spread = (spread | (spread << 8)) & 0x00ff00ff;
        spread = (spread | (spread << 4)) & 0x0f0f0f0f;
        spread = (spread | (spread << 2)) & 0x33333333;
        spread = (spread | (spread << 1)) & 0x55555555;
        spread = (spread | (spread << 1)) >>> 0;
        const v = (f & ~spread) >>> 0;
        head[w] = v;
        if (v !== 0) list(w, v);
      }
      this.listCount[k] = listed;
      full = parent;
    }
    this.lowWord.fill(0);
  }

  /** Blocks on free list `order` right now (O(1)). */
  listLength(order: number): number {
    return this.listCount[order];
  }

  /** Number of blocks on each free list (index = order). */
  blockCounts(): number[] {
    const counts: number[] = [];
    for (let k = 0; k < ORDERS; k++) {
      let n = 0;
      const h = this.heads[k];
      for (let w = 0; w < h.length; w++) if (h[w] !== 0) n += popcount32(h[w]);
      counts.push(n);
    }
    return counts;
  }

  /** Allocates a block of 2^order pages; returns its first pfn, or -1 when no block is large enough. */
  alloc(order: number): number {
    for (let k = order; k < ORDERS; k++) {
      const b = this.takeLowest(k);
      if (b < 0) continue;
      // Split down, putting each upper half on the free list of its order.
      let block = b;
      for (let j = k - 1; j >= order; j--) {
        block <<= 1;
        this.listAdd(j, block + 1);
      }
      const pfn = block << order;
      clearRange(this.free, pfn, pfn + (1 << order));
      this.freePageCount -= 1 << order;
      return pfn;
    }
    return -1;
  }

  /**
   * Returns a block to the allocator, merging with its buddy while the buddy is free. `notify`
   * is false when isolated pages are put back (__putback_isolated_page): that free is not news.
   */
  freeBlock(pfn: number, order: number, notify = true): void {
    setRange(this.free, pfn, pfn + (1 << order));
    this.freePageCount += 1 << order;
    let k = order;
    let block = pfn >>> order;
    while (k < MAX_ORDER) {
      const buddy = block ^ 1;
      if (buddy >= this.pages >>> k || !testBit(this.heads[k], buddy)) break;
      clearBit(this.heads[k], buddy);
      this.listCount[k]--;
      this.listener?.unlisted(buddy << k, k);
      block >>>= 1;
      k++;
    }
    this.listAdd(k, block);
    if (notify) this.listener?.freed(block << k, k);
  }

  /** True when the block of 2^order pages at pfn is on free list `order`. */
  isListed(pfn: number, order: number): boolean {
    return testBit(this.heads[order], pfn >>> order);
  }

  /** First block on free list `order` at or after block index `fromBlock`, as a pfn, or -1. */
  nextListed(order: number, fromBlock: number): number {
    const b = findNextSet(this.heads[order], fromBlock, this.pages >>> order);
    return b < 0 ? -1 : b << order;
  }

  /** Takes one listed block off its free list without splitting it (__isolate_free_page). */
  isolate(pfn: number, order: number): void {
    const block = pfn >>> order;
    if (!testBit(this.heads[order], block)) throw new Error(`buddy: block ${pfn} is not on free list ${order}`);
    clearBit(this.heads[order], block);
    this.listCount[order]--;
    clearRange(this.free, pfn, pfn + (1 << order));
    this.freePageCount -= 1 << order;
    this.listener?.unlisted(pfn, order);
  }

  /** Order of the free block containing pfn, or -1 if the page is in use. */
  freeOrderOf(pfn: number): number {
    if (!testBit(this.free, pfn)) return -1;
    for (let k = 0; k < ORDERS; k++) if (testBit(this.heads[k], pfn >>> k)) return k;
    return -1;
  }

  private listAdd(order: number, block: number): void {
    setBit(this.heads[order], block);
    this.listCount[order]++;
    const w = block >>> 5;
    setBit(this.summary[order], w);
    if (w < this.lowWord[order]) this.lowWord[order] = w;
  }

  private takeLowest(order: number): number {
    if (this.listCount[order] === 0) return -1;
    this.listCount[order]--;
    const h = this.heads[order];
    const sum = this.summary[order];
    for (let w = findNextSet(sum, this.lowWord[order], h.length); w >= 0; w = findNextSet(sum, w + 1, h.length)) {
      if (h[w] !== 0) {
        this.lowWord[order] = w;
        const b = (w << 5) + lowestBit(h[w]);
        h[w] &= ~(1 << (b & 31));
        if (h[w] === 0) clearBit(sum, w);
        this.listener?.unlisted(b << order, order);
        return b;
      }
      clearBit(sum, w);
    }
    throw new Error(`buddy: free list ${order} counted a block it does not hold`);
  }
}
