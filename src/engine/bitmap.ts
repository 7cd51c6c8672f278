/**
 * Word-level bitmaps (32 pages per Uint32 word), the representation QEMU and KVM use for the
 * dirty log and the migration bitmap. Bit i of the map lives in word i >>> 5, bit i & 31.
 * Everything here works a word at a time so that an 8 GiB guest (2 Mi pages, 64 Ki words)
 * costs microseconds per pass, not milliseconds.
 */

export function wordsFor(bits: number): number {
  return (bits + 31) >>> 5;
}

export function newBitmap(bits: number): Uint32Array {
  return new Uint32Array(wordsFor(bits));
}

/** Population count of a 32-bit word. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function testBit(map: Uint32Array, i: number): boolean {
  return (map[i >>> 5] & (1 << (i & 31))) !== 0;
}

export function setBit(map: Uint32Array, i: number): void {
  map[i >>> 5] |= 1 << (i & 31);
}

export function clearBit(map: Uint32Array, i: number): void {
  map[i >>> 5] &= ~(1 << (i & 31));
}

/** Mask of bits [lo, hi) within one word, 0 <= lo <= hi <= 32. */
export function rangeMask(lo: number, hi: number): number {
  if (hi <= lo) return 0;
  const upper = hi === 32 ? 0xffffffff : (1 << hi) - 1;
  return (upper & ~((1 << lo) - 1)) >>> 0;
}

/** Sets bits [start, end). */
export function setRange(map: Uint32Array, start: number, end: number): void {
  if (end <= start) return;
  const w0 = start >>> 5;
  const w1 = (end - 1) >>> 5;
  if (w0 === w1) {
    map[w0] |= rangeMask(start & 31, ((end - 1) & 31) + 1);
    return;
  }
  map[w0] |= rangeMask(start & 31, 32);
  map.fill(0xffffffff, w0 + 1, w1);
  map[w1] |= rangeMask(0, ((end - 1) & 31) + 1);
}

/** Clears bits [start, end). */
export function clearRange(map: Uint32Array, start: number, end: number): void {
  if (end <= start) return;
  const w0 = start >>> 5;
  const w1 = (end - 1) >>> 5;
  if (w0 === w1) {
    map[w0] &= ~rangeMask(start & 31, ((end - 1) & 31) + 1);
    return;
  }
  map[w0] &= ~rangeMask(start & 31, 32);
  map.fill(0, w0 + 1, w1);
  map[w1] &= ~rangeMask(0, ((end - 1) & 31) + 1);
}

/** Number of set bits in [start, end). */
export function countRange(map: Uint32Array, start: number, end: number): number {
  if (end <= start) return 0;
  const w0 = start >>> 5;
  const w1 = (end - 1) >>> 5;
  if (w0 === w1) return popcount32(map[w0] & rangeMask(start & 31, ((end - 1) & 31) + 1));
  let n = popcount32(map[w0] & rangeMask(start & 31, 32));
  for (let w = w0 + 1; w < w1; w++) n += popcount32(map[w]);
  return n + popcount32(map[w1] & rangeMask(0, ((end - 1) & 31) + 1));
}

export function countAll(map: Uint32Array): number {
  let n = 0;
  for (let w = 0; w < map.length; w++) if (map[w] !== 0) n += popcount32(map[w]);
  return n;
}

/** True when every bit in [start, end) is set. */
export function allSet(map: Uint32Array, start: number, end: number): boolean {
  return countRange(map, start, end) === end - start;
}

/** Index of the lowest set bit of a non-zero word. */
export function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** First set bit at index >= from and < limit, or -1 (find_next_bit). */
export function findNextSet(map: Uint32Array, from: number, limit: number): number {
  if (from >= limit) return -1;
  let w = from >>> 5;
  let word = map[w] & ~((1 << (from & 31)) - 1);
  const lastWord = (limit - 1) >>> 5;
  while (true) {
    if (word !== 0) {
      const i = (w << 5) + lowestBit(word);
      return i < limit ? i : -1;
    }
    w++;
    if (w > lastWord) return -1;
    word = map[w];
  }
}
