import { describe, expect, it } from 'vitest';
import { duplicateJsonKeys, hasOwn, ownValue, parseDecimal, stripBom } from '../../src/engine/input';
import { INHERITED_NAMES } from '../inherited-names';

describe('own-property lookups', () => {
  it('an inherited name is not in a table, an own one is', () => {
    const table: Record<string, number> = { a: 1 };
    for (const name of INHERITED_NAMES) {
      expect(name in table).toBe(true); // what went wrong before
      expect(hasOwn(table, name)).toBe(false);
      expect(ownValue(table, name)).toBeUndefined();
    }
    expect(hasOwn(table, 'a')).toBe(true);
    expect(ownValue(table, 'a')).toBe(1);
  });
});

describe('parseDecimal', () => {
  it('reads plain decimals, with a fraction, a sign, an exponent and surrounding spaces', () => {
    expect(parseDecimal('8')).toBe(8);
    expect(parseDecimal('0.5')).toBe(0.5);
    expect(parseDecimal('.5')).toBe(0.5);
    expect(parseDecimal('5.')).toBe(5);
    expect(parseDecimal('-4')).toBe(-4);
    expect(parseDecimal('+4')).toBe(4);
    expect(parseDecimal('1e3')).toBe(1000);
    expect(parseDecimal('2.5E-1')).toBe(0.25);
    expect(parseDecimal(' 16 ')).toBe(16);
  });

  it('rejects every other form Number() takes', () => {
    for (const t of ['0x10', '0X1', '0b1', '0o7', 'Infinity', '-Infinity', 'NaN', '', ' ', '1_000', '1e', 'e3', '.', '1.2.3', '--1', '1e999']) {
      expect(parseDecimal(t), t).toBeNull();
    }
    expect(Number('0x10')).toBe(16); // what went wrong before
  });
});

describe('stripBom', () => {
  it('drops one leading U+FEFF and nothing else', () => {
    expect(stripBom('\uFEFF{}')).toBe('{}');
    expect(stripBom('{}')).toBe('{}');
    expect(stripBom('{"a":"\uFEFF"}')).toBe('{"a":"\uFEFF"}');
  });
});

describe('duplicateJsonKeys', () => {
  it('finds keys repeated in one object, at any depth, each once', () => {
    expect(duplicateJsonKeys('{"a":1,"b":2,"a":3,"a":4}')).toEqual(['a']);
    expect(duplicateJsonKeys('{"x":{"k":1,"k":2},"y":[{"j":1,"j":2}]}')).toEqual(['k', 'j']);
    // Escapes decode before comparing: "\u0061" is "a".
    expect(duplicateJsonKeys('{"a":1,"\\u0061":2}')).toEqual(['a']);
  });

  it('the same key in different objects, or as a value, is no duplicate', () => {
    expect(duplicateJsonKeys('{"a":{"a":1},"b":"a","c":["a","a"]}')).toEqual([]);
    expect(duplicateJsonKeys('[{"a":1},{"a":2}]')).toEqual([]);
    expect(duplicateJsonKeys('{"a\\"":1,"a":2}')).toEqual([]);
    expect(duplicateJsonKeys('{}')).toEqual([]);
  });

  it('JSON.parse alone keeps the last value silently', () => {
    expect(JSON.parse('{"a":1,"a":2}')).toEqual({ a: 2 });
  });
});
