import { describe, expect, it } from 'vitest';
import { isModeId, MODE_IDS, MODES } from '../../../src/engine/migration/modes';
import { BASE_GUEST_STATES, GUEST_STATES } from '../../../src/engine/model/page-state';
import { resolveScenario, ScenarioError } from '../../../src/engine/scenario';
import { Simulation } from '../../../src/engine/simulation';

describe('the mode registry', () => {
  it('lists every mode once, in order, and nothing else', () => {
    expect(MODE_IDS).toEqual(['original', 'pv', 'pagemap', 'hint', 'report']);
    expect(Object.keys(MODES)).toEqual(MODE_IDS);
  });

  it('accepts only its own ids: inherited names are not modes', () => {
    for (const id of MODE_IDS) expect(isModeId(id)).toBe(true);
    for (const id of ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', '', 'PV', 42, null]) {
      expect(isModeId(id)).toBe(false);
    }
    expect(() => resolveScenario('rfc-case-1', { mode: 'toString' as never })).toThrow(ScenarioError);
  });

  it('gives each mode distinct counter keys and guest states from the vocabulary', () => {
    const keys = MODE_IDS.flatMap((m) => MODES[m].counters.map((c) => c.key));
    expect(new Set(keys).size).toBe(keys.length);
    const known = new Set(GUEST_STATES.map((s) => s.id));
    for (const m of MODE_IDS) for (const g of MODES[m].guestStates) expect(known.has(g) && !BASE_GUEST_STATES.includes(g)).toBe(true);
  });

  it('every mode fills every counter key of every mode, so query-migrate keeps one shape', () => {
    const shapes = MODE_IDS.map((mode) => {
      const q = new Simulation(resolveScenario('rfc-case-1', { mode, guestGiB: 0.0625 })).runToEnd();
      expect(q.status).toBe('completed');
      expect(q.verification.ok).toBe(true);
      return Object.keys(q.migviz).join(',');
    });
    expect(new Set(shapes).size).toBe(1);
    for (const key of ['skipped-pages', 'skipped-free-pages', 'skipped-unmapped-pages', 'hinted-pages', 'hint-rounds', 'free-page-walk-ms', 'reported-pages']) {
      expect(shapes[0].split(',')).toContain(key);
    }
  });
});
