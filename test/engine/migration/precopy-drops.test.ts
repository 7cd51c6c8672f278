// What participants may drop from the migration bitmap (MigrationThread.dropPages/dropRange): the
// pages selected, by mask or by its complement, counted as skipped. Guests of 100 pages (a tail
// word of 4 pages) and 96 pages (no tail), no unit of the thread run: milliseconds.
import { describe, expect, it } from 'vitest';
import { countAll, newBitmap, setRange } from '../../../src/engine/bitmap';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { Precopy } from '../../../src/engine/migration/precopy';
import { RFC_2016 } from '../../../src/engine/migration/profiles';

function freshThread(pages: number): Precopy {
  return new Precopy(new GuestMemory(pages), RFC_2016, { linkBytesPerMs: 1e6, maxBandwidthBytesPerMs: 1e9, downtimeLimitMs: 300, capMs: 600_000 }, () => {});
}

/** The pfns set in a bitmap, ascending. */
function pfns(bm: Uint32Array): number[] {
  const out: number[] = [];
  for (let w = 0; w < bm.length; w++) for (let b = 0; b < 32; b++) if ((bm[w] >>> b) & 1) out.push(w * 32 + b);
  return out;
}

describe('dropPages', () => {
  it('drops the pages of the mask still pending, and counts them once', () => {
    const pre = freshThread(100);
    const mask = newBitmap(100);
    setRange(mask, 30, 35);
    expect(pre.dropPages(mask)).toBe(5);
    // Already gone: a second drop finds nothing.
    expect(pre.dropPages(mask)).toBe(0);
    expect(pre.dirtyPages).toBe(95);
    expect(pre.skippedPages).toBe(5);
    expect(pfns(pre.bitmap).slice(29, 31)).toEqual([29, 35]);
  });

  it('with complement, drops every pending page outside the mask, up to the last page of a tail word', () => {
    // 100 pages: words 0-2 whole, word 3 holds pages 96-99.
    const pre = freshThread(100);
    const keep = newBitmap(100);
    setRange(keep, 0, 2);
    expect(pre.dropPages(keep, true)).toBe(98);
    expect(pfns(pre.bitmap)).toEqual([0, 1]);
    expect(pre.dirtyPages).toBe(2);
    expect(pre.skippedPages).toBe(98);
  });

  it('with complement, drops the whole last word when the guest fills it (no tail)', () => {
    // 96 pages: the last word, pages 64-95, is a whole one.
    const pre = freshThread(96);
    const keep = newBitmap(96);
    setRange(keep, 10, 20);
    expect(pre.dropPages(keep, true)).toBe(86);
    expect(pfns(pre.bitmap)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(countAll(pre.bitmap)).toBe(pre.dirtyPages);
  });
});

describe('dropRange', () => {
  it('drops [start, end) clipped to the guest, counted as skipped pages', () => {
    const pre = freshThread(100);
    expect(pre.dropRange(90, 200)).toBe(10);
    expect(pre.dropRange(0, 40)).toBe(40);
    expect(pre.dropRange(0, 40)).toBe(0);
    expect(pre.dirtyPages).toBe(50);
    expect(pre.skippedPages).toBe(50);
    expect(pfns(pre.bitmap)).toEqual(Array.from({ length: 50 }, (_, i) => 40 + i));
  });
});
