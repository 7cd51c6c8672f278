/**
 * The verdict before Play, from real engine runs on small guests (the wording of the engine's
 * reasons and the verdict's extraction of them are held together here), and the compare line.
 */
import { describe, expect, it } from 'vitest';
import { simTimeCapReason } from '../../src/engine/migration/outcome';
import { resolveScenario } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import type { QueryMigrate, Scenario } from '../../src/engine/types';
import { compareVerdict, singleVerdict, verdictOf } from '../../src/ui/verdict';

const run = (o: Partial<Scenario>) => new Simulation(resolveScenario('rfc-case-1', o)).runToEnd();

// A 0.5 GiB guest writing a 0.25 GiB working set at 400 MiB/s over 1 Gbit/s (~112 MiB/s sent).
const BUSY: Partial<Scenario> = { workload: 'stress', guestGiB: 0.5, workingSetGiB: 0.25, dirtyMiBs: 400, linkGbps: 1 };

describe('the verdict before Play', () => {
  it('a run that completes says how long it takes', () => {
    const q = run({ guestGiB: 0.25 });
    expect(q.migviz.outcome).toBe('completed');
    expect(q['total-time']).toBeCloseTo(229.432, 3);
    expect(verdictOf(q)).toEqual({ text: 'completes in 0.2 s', detail: '', problem: false });
  });

  it('a run that cannot converge gives both rates, as the engine measured them', () => {
    const q = run(BUSY);
    expect(q.migviz.outcome).toBe('not-converging');
    const v = verdictOf(q);
    expect(v.text).toBe('will not converge: dirty rate 117.5 MB/s ≥ 117.5 MB/s sent');
    expect(v.detail).toBe(q.migviz['failure-reason']);
    expect(v.problem).toBe(true);
  });

  it('auto-converge: the throttle it took, and the time', () => {
    const q = run({ ...BUSY, autoConverge: true });
    expect(q.migviz.outcome).toBe('completed');
    expect(q.migviz['max-cpu-throttle-percentage']).toBe(80);
    expect(verdictOf(q).text).toBe('auto-converge throttles to 80 %, completes in 32 s');
  });

  it('auto-converge that reaches its max and still cannot converge says so', () => {
    const q = run({ ...BUSY, autoConverge: true, maxCpuThrottle: 30 });
    expect(q.migviz.outcome).toBe('not-converging');
    expect(q.migviz['max-cpu-throttle-percentage']).toBe(30);
    expect(verdictOf(q).text).toMatch(/^will not converge even at 30 % CPU throttle: dirty rate [\d.]+ MB\/s ≥ [\d.]+ MB\/s sent$/);
  });

  it('a run stopped at the cap names the cap and what is left, never the dirty rate', () => {
    // The engine's own wording of the reason (a 3600 s run is too long for a unit test).
    const reason = simTimeCapReason({
      capMs: 3_600_000,
      remaining: 573e6,
      linkBytesPerMs: 117_700,
      linkGbps: 1,
      maxBandwidthBytesPerMs: 1_249_902,
      maxBandwidthMiBs: 1192,
    });
    const q = capped(run({ guestGiB: 0.25 }), reason);
    const v = verdictOf(q);
    expect(v.text).toBe('stops at the simulation cap (3600 s) with 573 MB left at 118 MB/s; QEMU would keep going');
    expect(v.text).not.toMatch(/dirty/);
    expect(v.problem).toBe(true);
  });

  it('a completed run whose pages differ is a problem', () => {
    const q = run({ guestGiB: 0.25 });
    const bad: QueryMigrate = { ...q, verification: { ...q.verification, ok: false, mismatches: 3 } };
    expect(verdictOf(bad)).toEqual({ text: 'completes in 0.2 s, but 3 pages differ at the destination', detail: '', problem: true });
  });

  it('says it is simulating until the timeline arrives', () => {
    expect(singleVerdict(null).text).toBe('simulating the run…');
  });
});

describe('the compare verdict names only problems, never a time', () => {
  const ok = run({ guestGiB: 0.25 });
  const stuck = run(BUSY);

  it('both complete: nothing to say', () => {
    expect(compareVerdict([{ mode: 'original', final: ok }, { mode: 'pv', final: ok }])).toEqual({ text: '', detail: '', problem: false });
  });

  it('one side cannot converge: that side, and no time or winner', () => {
    const v = compareVerdict([
      { mode: 'original', final: stuck },
      { mode: 'pv', final: ok },
    ]);
    expect(v.text).toBe('Original: will not converge: dirty rate 117.5 MB/s ≥ 117.5 MB/s sent');
    expect(v.text).not.toMatch(/ s\b|faster|slower/);
    const cap = capped(ok, 'simulation time cap reached: at 3600 s, 1 GB left at 1 MB/s (max-bandwidth 1 MiB/s); needs ~1000 s more to send once; QEMU itself would keep going');
    expect(compareVerdict([{ mode: 'original', final: stuck }, { mode: 'hint', final: cap }]).text).toBe(
      'Original: will not converge: dirty rate 117.5 MB/s ≥ 117.5 MB/s sent · Hinting: stops at the simulation cap',
    );
  });

  it('waits for both runs', () => {
    expect(compareVerdict([{ mode: 'original', final: ok }, { mode: 'pv', final: null }]).text).toBe('simulating both runs…');
  });
});

/** A run's final stats as if it had stopped at the cap with `reason`. */
function capped(q: QueryMigrate, reason: string): QueryMigrate {
  return {
    ...q,
    status: 'failed',
    migviz: { ...q.migviz, outcome: 'sim-time-cap', 'failure-reason': reason },
    verification: { ...q.verification, ok: false },
  };
}
