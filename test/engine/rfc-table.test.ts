import { describe, expect, it } from 'vitest';
import table from '../../src/data/rfc-2016-table.json';
import { resolveScenario } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import type { ModeId, QueryMigrate } from '../../src/engine/types';

// The RFC's published table, 8 GiB guests on profile rfc-2016: each run takes ~0.1 s.
const results = new Map<string, QueryMigrate>();
function run(id: string, mode: ModeId): QueryMigrate {
  const key = `${id}/${mode}`;
  let r = results.get(key);
  if (!r) {
    r = new Simulation(resolveScenario(id, { mode })).runToEnd();
    results.set(key, r);
  }
  return r;
}

describe('the RFC 2016 table (8 GiB, 10 GbE, profile rfc-2016)', () => {
  it('the published table holds both cases', () => {
    expect(table.cases.map((c) => c.id)).toEqual(['rfc-case-1', 'rfc-case-2']);
  });
  for (const c of table.cases) {
    for (const mode of ['original', 'pv'] as const) {
      const published = c[mode];
      // Case 2 pv is the one cell the evidence-based constants miss (README, "Model and
      // calibration": the dirty-log start cost). It is held where it is, so that a change shows.
      const knownMiss = c.id === 'rfc-case-2' && mode === 'pv';
      const timeBound = knownMiss ? 'between -25% and -20%' : 'within 5%';
      it(`${c.id} ${mode}: total-time ${published.totalTimeMs} ms ${timeBound}, ${published.transferredKB} KB within 5%, verified`, () => {
        const s = run(c.id, mode);
        expect(s.status).toBe('completed');
        expect(s.ram.total).toBe(8 * 1024 ** 3);
        const kb = s.ram.transferred / 1024;
        const timeErr = (s['total-time'] - published.totalTimeMs) / published.totalTimeMs;
        if (knownMiss) {
          expect(timeErr).toBeGreaterThan(-0.25);
          expect(timeErr).toBeLessThan(-0.2);
        } else {
          expect(Math.abs(timeErr)).toBeLessThan(0.05);
        }
        expect(Math.abs(kb - published.transferredKB) / published.transferredKB).toBeLessThan(0.05);
        expect(s.verification.ok).toBe(true);
        expect(s.verification['pages-checked']).toBeGreaterThan(0);
        expect(s.downtime).toBeGreaterThan(0);
        expect(s.downtime).toBeLessThan(400);
        expect(s.ram['dirty-sync-count']).toBeGreaterThanOrEqual(2);
        expect(s.ram['dirty-sync-count']).toBeLessThanOrEqual(5);
        expect(s['setup-time']).toBeLessThan(s['total-time']);
      });
    }
  }

  it('pv skips the free pages and walks the free lists in about 20 ms; original walks nothing', () => {
    for (const id of ['rfc-case-1', 'rfc-case-2']) {
      const pv = run(id, 'pv');
      const orig = run(id, 'original');
      expect(pv.migviz['skipped-free-pages']).toBeGreaterThan(1_500_000); // of 2 Mi pages
      expect(pv.migviz['free-page-walk-ms']).toBeGreaterThan(10);
      expect(pv.migviz['free-page-walk-ms']).toBeLessThan(40);
      // The wait for the bitmap is part of setup.
      expect(pv['setup-time']).toBeGreaterThan(orig['setup-time']);
      expect(orig.migviz['skipped-free-pages']).toBe(0);
      expect(orig.ram.duplicate + orig.ram.normal).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    }
    // Case 2 original sends the hog's stale pages in full; pv does not.
    expect(run('rfc-case-2', 'original').ram.normal).toBeGreaterThan(1_900_000);
    expect(run('rfc-case-2', 'pv').ram.normal).toBeLessThan(200_000);
  });

  // The alternative raised in the RFC thread, and Liang's answer to it: skipping the pages the
  // host never mapped helps the idle guest almost as much as pv, and the hog's guest not at all.
  it('pagemap: case 1 nearly as fast as pv, case 2 as slow as original', () => {
    const c1 = run('rfc-case-1', 'pagemap');
    expect(c1.migviz['skipped-unmapped-pages']).toBeGreaterThan(1_900_000);
    expect(c1['total-time']).toBeLessThan(run('rfc-case-1', 'pv')['total-time'] * 1.2);
    expect(c1['total-time']).toBeLessThan(run('rfc-case-1', 'original')['total-time'] * 0.3);
    // The freed initrd and initramfs are mapped and stale: they still go out in full.
    expect(c1.ram.normal).toBeGreaterThan(run('rfc-case-1', 'pv').ram.normal + 5000);
    const c2 = run('rfc-case-2', 'pagemap');
    const o2 = run('rfc-case-2', 'original');
    expect(c2.migviz['skipped-unmapped-pages']).toBeLessThan(100_000);
    expect(Math.abs(c2['total-time'] - o2['total-time']) / o2['total-time']).toBeLessThan(0.02);
    expect(c1.verification.ok && c2.verification.ok).toBe(true);
  });
});
