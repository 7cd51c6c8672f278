import { describe, expect, it } from 'vitest';
import { formatInt } from '../../src/ui/format';

describe('formatInt', () => {
  it('groups thousands with commas as en-US does, rounding first', () => {
    for (const n of [0, 7, 999, 1000, 1234, 12_345, 999_999, 1_000_000, 8_146_291, 2 ** 40, 1234.5, 999.6, -1, -1234567]) {
      expect(formatInt(n)).toBe(Math.round(n).toLocaleString('en-US'));
    }
  });

  it('says non-finite values as they are', () => {
    expect(formatInt(Number.NaN)).toBe('NaN');
    expect(formatInt(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
