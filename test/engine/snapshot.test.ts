import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODE_IDS } from '../../src/engine/migration/modes';
import { resolveScenario } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import type { Snapshot } from '../../src/engine/snapshot';
import type { ModeId, Scenario, WorkloadId } from '../../src/engine/types';

const small = (o: Partial<Scenario>): Scenario => resolveScenario('rfc-case-1', { guestGiB: 0.0625, ...o });

function pageMap(sim: Simulation): Uint8Array {
  const out = new Uint8Array(sim.pageCount);
  sim.renderPageMap(out, 0);
  return out;
}

function firstDiff(x: Uint8Array, y: Uint8Array): number {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return x.length === y.length ? -1 : x.length;
}

/** Everything the UI shows of a run at its clock. */
function view(sim: Simulation) {
  return {
    clock: sim.clockMs,
    phase: sim.phase,
    round: sim.round,
    cursor: sim.cursor,
    stats: sim.stats(),
    events: sim.events.length,
    series: Array.from(sim.series.t.subarray(0, sim.series.length)),
    remaining: Array.from(sim.series.remaining.subarray(0, sim.series.length)),
    vq: sim.virtqueue(),
  };
}

describe('snapshot and restore (checkpoints, Reset)', () => {
  it('a seek from any checkpoint to any time equals playing to it, in every mode (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ModeId>(...MODE_IDS),
        fc.constantFrom<WorkloadId>('idle-boot', 'after-hog', 'running', 'stress', 'kernel-compile'),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.constantFrom(0, 2500),
        fc.boolean(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 5 }),
        fc.double({ min: 0, max: 1.05, noNaN: true }),
        (mode, workload, seed, settleMs, autoConverge, checkpointAt, targetAt) => {
          const scenario = small({ mode, workload, seed, settleMs, autoConverge, workingSetGiB: 0.01, dirtyMiBs: 400 });
          const end = new Simulation(scenario);
          end.runToEnd();
          const endMs = end.clockMs;
          // One run takes checkpoints at random times (the first at its start) and plays to the end.
          const run = new Simulation(scenario);
          const snaps: Snapshot[] = [run.snapshot()];
          for (const f of [...checkpointAt].sort((a, b) => a - b)) {
            run.step(f * endMs);
            snaps.push(run.snapshot(snaps[snaps.length - 1]));
          }
          run.runToEnd();
          // Seek: the nearest checkpoint at or before the target, then play to it.
          const target = targetAt * endMs;
          const from = snaps.filter((s) => s.t <= target).at(-1) ?? snaps[0];
          run.restore(from);
          run.step(target);
          const played = new Simulation(scenario);
          played.step(target);
          expect(view(run)).toEqual(view(played));
          expect(firstDiff(pageMap(run), pageMap(played))).toBe(-1);
          // And on to the end from there, as one run.
          run.runToEnd();
          expect(run.stats()).toEqual(end.stats());
          expect(run.events).toEqual(end.events);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('back to an early checkpoint, a little further, then to a later one: the later moment exactly', () => {
    // The event log is cut back by the first restore; the later checkpoint puts its events back.
    for (const mode of MODE_IDS) {
      const scenario = small({ mode, workload: 'running', seed: 3 });
      const sim = new Simulation(scenario);
      const early = sim.snapshot();
      sim.step(150);
      const late = sim.snapshot(early);
      sim.step(400);
      sim.restore(early);
      sim.step(20);
      sim.restore(late);
      const played = new Simulation(scenario);
      played.step(150);
      expect(view(sim), mode).toEqual(view(played));
      expect(sim.events).toEqual(played.events);
      sim.runToEnd();
      expect(sim.stats()).toEqual(played.runToEnd());
    }
  });

  it('Reset: restoring the first snapshot is the run as built, and it plays the same again', () => {
    const scenario = small({ mode: 'hint', workload: 'running', seed: 9 });
    const sim = new Simulation(scenario);
    const start = sim.snapshot();
    const first = sim.runToEnd();
    sim.restore(start);
    expect(sim.clockMs).toBe(0);
    expect(sim.done).toBe(false);
    expect(view(sim)).toEqual(view(new Simulation(scenario)));
    expect(sim.runToEnd()).toEqual(first);
  });

  it('checkpoints are small: an idle 8 GiB guest in a few hundred KB, unchanged arrays shared', () => {
    const sim = new Simulation(resolveScenario('rfc-case-1', { mode: 'original' }));
    const a = sim.snapshot();
    sim.step(500);
    const b = sim.snapshot(a);
    // 2 Mi pages: ~2.1 MB of bitmaps and free lists uncompressed.
    expect(sim.stateBytes()).toBeGreaterThan(2_000_000);
    expect(a.bytes).toBeLessThan(600_000);
    expect(b.bytes).toBeLessThan(a.bytes);
    expect(() => new Simulation(resolveScenario('rfc-case-1', { guestGiB: 0.0625 })).restore(a)).toThrow(
      /restores only its own snapshots/,
    );
  });
});
