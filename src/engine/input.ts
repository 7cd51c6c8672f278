/**
 * Guards for untrusted input (CLI flags, scenario files, links, worker messages). One home for
 * the three ways text has slipped past validation:
 *
 * - `id in table` and `table[id]` see inherited names: "toString" or "__proto__" passed as a
 *   profile id and the engine ran forever on `Object.prototype.toString` as its host profile.
 *   Every lookup of an id in an object table goes through `hasOwn`/`ownValue`.
 * - `Number(text)` reads "0x10" as 16, "0b1" as 1, "" as 0 and " " as 0. `parseDecimal` reads
 *   only plain decimal notation.
 * - `JSON.parse` keeps the last of two equal keys without a word. `duplicateJsonKeys` finds them.
 */

/** True when `table` itself (not its prototype chain) has the property `key`. */
export function hasOwn(table: object, key: PropertyKey): boolean {
  return Object.hasOwn(table, key);
}

/** `table[key]` when `table` itself has `key`, else undefined (never an inherited member). */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Plain decimal notation: an optional sign, digits with an optional fraction (`0.5`, `.5`, `5.`),
 * and an optional decimal exponent (`1e3`, `2.5E-1`). Exponents are accepted because they are
 * still decimal (JavaScript prints 1e21 and 1e-7 that way, so a value we wrote must read back);
 * what is rejected is every other form `Number()` takes: hex `0x10`, binary `0b1`, octal `0o7`,
 * `Infinity`, `NaN`, the empty string and whitespace, digit separators.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number `text` writes in plain decimal (surrounding whitespace allowed), or null. */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  if (!DECIMAL.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** The UTF-8 byte order mark as a decoded character; editors on Windows start files with it. */
const BOM = '\uFEFF';

export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(BOM.length) : text;
}

/**
 * Keys that occur more than once in the same JSON object, anywhere in `text`, in order of their
 * second occurrence, each named once. `text` must already be valid JSON (run JSON.parse first):
 * this is a scanner, not a parser. Hand-written (about 40 lines) rather than a dependency: the
 * JSON parsers that report duplicates (e.g. json-dup-key-validator, jsonc-parser's visitor) add
 * more code to the page than this, and the only question asked here is "which keys repeat".
 */
export function duplicateJsonKeys(text: string): string[] {
  const dups: string[] = [];
  // One entry per open container: the keys seen so far for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] instanceof Set;
    } else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const seen = stack[stack.length - 1] as Set<string>;
        if (seen.has(key) && !dups.includes(key)) dups.push(key);
        seen.add(key);
        expectKey = false;
      }
      i = j;
    }
  }
  return dups;
}
