import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Phase } from '../../src/engine/types';
import type { TimelineMarker } from '../../src/protocol';
import { labelExtent, marksOf } from '../../src/ui/components/Timeline';

const phase = (t: number, p: Phase): TimelineMarker => ({ t, kind: 'phase', phase: p });

describe('timeline labels', () => {
  // rfc-case-2, original: setup at 0, bulk right after, stop-and-copy just before the end.
  const markers = [phase(0, 'setup'), phase(10, 'bulk'), phase(7300, 'stop-copy'), phase(7345, 'completed')];

  it('a label that would run into the one before it is left out (its marker stays)', () => {
    const narrow = marksOf(markers, 7345, 340);
    expect(narrow.map((m) => m.label)).toEqual(['setup', '', 'stop', '']);
    expect(narrow).toHaveLength(4);
    // Near the right end labels read leftwards from their marker and stay on the row.
    const [x0, x1] = labelExtent(narrow[2], 7345, 340);
    expect(x0).toBeCloseTo(302.9, 1);
    expect(x1).toBeCloseTo(334.9, 1);
  });

  it('with room, the labels are all there', () => {
    const wide = marksOf([phase(0, 'setup'), phase(1000, 'bulk'), phase(5000, 'stop-copy'), phase(7345, 'completed')], 7345, 1200);
    expect(wide.map((m) => m.label)).toEqual(['setup', 'bulk', 'stop', 'done']);
  });

  it('never lets two labels overlap or leave the row, at any width', () => {
    const kinds: Phase[] = ['setup', 'bulk', 'iterate', 'stop-copy', 'completed'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(...kinds)), { maxLength: 12 }),
        fc.integer({ min: 120, max: 2000 }),
        (raw, width) => {
          const ms = raw.map(([t, p]) => phase(t, p)).sort((a, b) => a.t - b.t);
          const shown = marksOf(ms, 10_000, width).filter((m) => m.label);
          const ext = shown.map((m) => labelExtent(m, 10_000, width));
          for (const [x0, x1] of ext) {
            expect(x0).toBeGreaterThanOrEqual(0);
            expect(x1).toBeLessThanOrEqual(width);
          }
          for (let i = 1; i < ext.length; i++) expect(ext[i][0]).toBeGreaterThanOrEqual(ext[i - 1][1]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
