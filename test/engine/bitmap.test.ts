import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allSet,
  clearBit,
  clearRange,
  countAll,
  countRange,
  findNextSet,
  newBitmap,
  popcount32,
  rangeMask,
  setBit,
  setRange,
  testBit,
  wordsFor,
} from '../../src/engine/bitmap';

/** The slow reference: one boolean per bit. */
function toBools(map: Uint32Array, bits: number): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < bits; i++) out.push(testBit(map, i));
  return out;
}

describe('popcount32', () => {
  it('counts bits of edge-case words', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(1)).toBe(1);
    expect(popcount32(0x80000000)).toBe(1);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(-1)).toBe(32);
    expect(popcount32(0x55555555)).toBe(16);
    expect(popcount32(0xaaaaaaaa)).toBe(16);
    expect(popcount32(0x0000ffff)).toBe(16);
    expect(popcount32(0xf0f0f0f1)).toBe(17);
  });

  it('matches a bit-by-bit count for any 32-bit word', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (x) => {
        let n = 0;
        for (let i = 0; i < 32; i++) if ((x >>> i) & 1) n++;
        expect(popcount32(x)).toBe(n);
        expect(popcount32(x | 0)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });
});

describe('word layout and masks', () => {
  it('sizes bitmaps in 32-bit words', () => {
    expect(wordsFor(0)).toBe(0);
    expect(wordsFor(1)).toBe(1);
    expect(wordsFor(32)).toBe(1);
    expect(wordsFor(33)).toBe(2);
    expect(wordsFor(64)).toBe(2);
    expect(wordsFor(65)).toBe(3);
    expect(newBitmap(100).length).toBe(4);
  });

  it('rangeMask covers [lo, hi) within a word', () => {
    expect(rangeMask(0, 32)).toBe(0xffffffff);
    expect(rangeMask(0, 1)).toBe(1);
    expect(rangeMask(31, 32)).toBe(0x80000000);
    expect(rangeMask(4, 8)).toBe(0xf0);
    expect(rangeMask(5, 5)).toBe(0);
    expect(rangeMask(8, 4)).toBe(0);
    // The empty range at the top of the word: 1 << 32 is 1 in JavaScript, so without the
    // hi <= lo guard this would be the whole word (a survivor of the mutation run, issue 9).
    expect(rangeMask(32, 32)).toBe(0);
  });

  it('bit i lives in word i >>> 5, bit i & 31', () => {
    const m = newBitmap(128);
    setBit(m, 0);
    setBit(m, 31);
    setBit(m, 32);
    setBit(m, 63);
    setBit(m, 64);
    expect(Array.from(m)).toEqual([0x80000001, 0x80000001, 1, 0]);
    clearBit(m, 31);
    expect(m[0]).toBe(1);
    expect(testBit(m, 32)).toBe(true);
    expect(testBit(m, 33)).toBe(false);
  });
});

describe('setRange / clearRange / countRange at word boundaries', () => {
  it('an empty range at a word boundary clears nothing and counts 0 (the words on either side stay)', () => {
    for (const at of [0, 32, 64]) {
      const map = new Uint32Array([0xffffffff, 0xffffffff, 0xffffffff]);
      clearRange(map, at, at);
      expect(Array.from(map)).toEqual([0xffffffff, 0xffffffff, 0xffffffff]);
      expect(countRange(map, at, at)).toBe(0);
    }
  });

  it('sets exactly the requested bits', () => {
    const cases: [number, number, number[]][] = [
      [0, 1, [1, 0, 0, 0]],
      [31, 32, [0x80000000, 0, 0, 0]],
      [31, 33, [0x80000000, 1, 0, 0]],
      [32, 64, [0, 0xffffffff, 0, 0]],
      [33, 63, [0, 0x7ffffffe, 0, 0]],
      [0, 64, [0xffffffff, 0xffffffff, 0, 0]],
      [63, 65, [0, 0x80000000, 1, 0]],
      [1, 127, [0xfffffffe, 0xffffffff, 0xffffffff, 0x7fffffff]],
      [0, 128, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]],
      [64, 64, [0, 0, 0, 0]],
      [70, 60, [0, 0, 0, 0]],
    ];
    for (const [s, e, words] of cases) {
      const m = newBitmap(128);
      setRange(m, s, e);
      expect(Array.from(m), `setRange(${s}, ${e})`).toEqual(words);
      expect(countRange(m, 0, 128), `count after setRange(${s}, ${e})`).toBe(Math.max(0, e - s));
      expect(countAll(m)).toBe(Math.max(0, e - s));
      if (e > s) expect(allSet(m, s, e)).toBe(true);
    }
  });

  it('clears exactly the requested bits', () => {
    const cases: [number, number, number[]][] = [
      [0, 1, [0xfffffffe, 0xffffffff, 0xffffffff, 0xffffffff]],
      [31, 33, [0x7fffffff, 0xfffffffe, 0xffffffff, 0xffffffff]],
      [32, 64, [0xffffffff, 0, 0xffffffff, 0xffffffff]],
      [33, 95, [0xffffffff, 1, 0x80000000, 0xffffffff]],
      [0, 128, [0, 0, 0, 0]],
    ];
    for (const [s, e, words] of cases) {
      const m = newBitmap(128);
      m.fill(0xffffffff);
      clearRange(m, s, e);
      expect(Array.from(m), `clearRange(${s}, ${e})`).toEqual(words);
      expect(countAll(m)).toBe(128 - (e - s));
    }
  });

  it('counts sub-ranges across words', () => {
    const m = newBitmap(128);
    setRange(m, 30, 70); // 40 bits: 30..69
    expect(countRange(m, 0, 30)).toBe(0);
    expect(countRange(m, 0, 31)).toBe(1);
    expect(countRange(m, 31, 32)).toBe(1);
    expect(countRange(m, 32, 64)).toBe(32);
    expect(countRange(m, 33, 63)).toBe(30);
    expect(countRange(m, 63, 65)).toBe(2);
    expect(countRange(m, 64, 128)).toBe(6);
    expect(countRange(m, 69, 70)).toBe(1);
    expect(countRange(m, 70, 128)).toBe(0);
    expect(countRange(m, 50, 50)).toBe(0);
    expect(allSet(m, 30, 70)).toBe(true);
    expect(allSet(m, 29, 70)).toBe(false);
    expect(allSet(m, 30, 71)).toBe(false);
  });
});

describe('findNextSet', () => {
  it('finds bits at word boundaries and honours the limit', () => {
    const m = newBitmap(128);
    for (const i of [0, 31, 32, 33, 63, 64, 127]) setBit(m, i);
    expect(findNextSet(m, 0, 128)).toBe(0);
    expect(findNextSet(m, 1, 128)).toBe(31);
    expect(findNextSet(m, 31, 128)).toBe(31);
    expect(findNextSet(m, 32, 128)).toBe(32);
    expect(findNextSet(m, 34, 128)).toBe(63);
    expect(findNextSet(m, 64, 128)).toBe(64);
    expect(findNextSet(m, 65, 128)).toBe(127);
    expect(findNextSet(m, 65, 127)).toBe(-1);
    expect(findNextSet(m, 1, 31)).toBe(-1);
    expect(findNextSet(m, 1, 32)).toBe(31);
    expect(findNextSet(m, 128, 128)).toBe(-1);
    expect(findNextSet(m, 5, 3)).toBe(-1);
  });

  it('ignores set bits past the limit in the last word (a tail that is not a whole word)', () => {
    const m = newBitmap(100);
    setBit(m, 99);
    expect(findNextSet(m, 0, 100)).toBe(99);
    expect(findNextSet(m, 0, 99)).toBe(-1);
    expect(findNextSet(newBitmap(100), 0, 100)).toBe(-1);
  });
});

describe('bitmap operations against a boolean-array reference', () => {
  type Op = { kind: 'set' | 'clear'; a: number; b: number };
  const BITS = 200;
  const op = fc.record({
    kind: fc.constantFrom<'set' | 'clear'>('set', 'clear'),
    a: fc.integer({ min: 0, max: BITS }),
    b: fc.integer({ min: 0, max: BITS }),
  });
  const query = fc.tuple(fc.integer({ min: 0, max: BITS }), fc.integer({ min: 0, max: BITS }));

  it('setRange, clearRange, countRange, countAll, allSet and findNextSet agree with the reference', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.array(query, { minLength: 1, maxLength: 20 }), (ops: Op[], queries) => {
        const m = newBitmap(BITS);
        const ref = new Array<boolean>(BITS).fill(false);
        for (const { kind, a, b } of ops) {
          if (kind === 'set') setRange(m, a, b);
          else clearRange(m, a, b);
          for (let i = a; i < b; i++) ref[i] = kind === 'set';
        }
        expect(toBools(m, BITS)).toEqual(ref);
        // No bit beyond BITS is ever touched.
        expect(countAll(m)).toBe(ref.filter(Boolean).length);
        for (const [s, e] of queries) {
          let n = 0;
          for (let i = s; i < e; i++) if (ref[i]) n++;
          expect(countRange(m, s, e)).toBe(n);
          if (e > s) expect(allSet(m, s, e)).toBe(n === e - s);
          let next = -1;
          for (let i = s; i < e; i++) {
            if (ref[i]) {
              next = i;
              break;
            }
          }
          expect(findNextSet(m, s, e)).toBe(next);
        }
      }),
      { numRuns: 300 },
    );
  });
});
