/**
 * The stylesheet keeps to the two font stacks and two weights of src/ui/fonts.ts: each other
 * stack or weight costs the first layouts a synchronous font lookup (see fonts.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../src/ui/styles.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

describe('fonts', () => {
  it('the stylesheet names no font family but through the two variables', () => {
    const families = [...css.matchAll(/font-family:\s*([^;}]+)/g)].map((m) => m[1].trim());
    expect(families.length).toBeGreaterThan(0);
    for (const f of families) expect(f).toMatch(/^(var\(--font-(sans|mono)\)|inherit)$/);
    // The `font` shorthand: what follows the size (and line height) is the family.
    const shorthands = [...css.matchAll(/\bfont:\s*([^;}]+)/g)].map((m) => m[1].trim());
    for (const f of shorthands) expect(f).toMatch(/(\d+px(\/[\d.]+)?\s+(var\(--font-(sans|mono)\)|sans-serif)|^inherit)$/);
  });

  it('uses weights 400 and 600 only', () => {
    const weights = [...css.matchAll(/font-weight:\s*([^;}]+)/g)].map((m) => m[1].trim());
    for (const w of weights) expect(['normal', '400', '600']).toContain(w);
    for (const m of css.matchAll(/\bfont:\s*(\d{3})\s/g)) expect(['400', '600']).toContain(m[1]);
  });

});
