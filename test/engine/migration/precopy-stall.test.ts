/**
 * The thread's bookkeeping that only bounds or guards (precopy.ts): the stall check's exact bound,
 * the convergence history's length, the 10,000-byte condition on expected-downtime, and a finished
 * thread. Each pins a boundary that a working run never shows. (The harness: precopy-harness.ts.)
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import type { Participant } from '../../../src/engine/migration/modes/mode';
import { CONVERGENCE_WINDOW_SYNCS } from '../../../src/engine/migration/outcome';
import { MAX_STALLED_UNITS, type Precopy } from '../../../src/engine/migration/precopy';
import { until } from '../bounded';
import { costFree, thread, toLoop } from './precopy-harness';

/**
 * A setup step that moves the clock on its first unit, then takes `units` more units without
 * moving it (the last of them finishes the step), or moves it by 1 µs in each when `moving`.
 */
function slowStep(units: number, moving = false): Participant {
  let calls = 0;
  return {
    setupSteps: [
      {
        name: 'a slow participant step',
        at: 'before-dirty-log',
        run: (t) => {
          if (calls === 0 || moving) t.spend(0.001);
          return calls++ === units;
        },
      },
    ],
  };
}

/** Enough units for the slow step plus the run's own few hundred. */
const BOUND = 3 * MAX_STALLED_UNITS;

describe('the stall check: units of work that leave the clock where it was', () => {
  it(`lets exactly MAX_STALLED_UNITS (${MAX_STALLED_UNITS}) such units through; QEMU's next step moves the clock`, () => {
    const { pre } = thread(new GuestMemory(64), { ...costFree, setupFixedMs: 1 }, {}, [slowStep(MAX_STALLED_UNITS)]);
    until(pre, () => pre.status === 'active', BOUND, 'the end of setup');
    expect(pre.now).toBeCloseTo(1.001, 9);
  });

  it('throws at the next one, naming the clock where the thread stood', () => {
    const { pre } = thread(new GuestMemory(64), { ...costFree, setupFixedMs: 1 }, {}, [slowStep(MAX_STALLED_UNITS + 1)]);
    expect(() => until(pre, () => pre.status === 'active', BOUND, 'the end of setup')).toThrow(
      `the migration thread did ${MAX_STALLED_UNITS} units of work at 0.001 ms without its clock moving`,
    );
  });

  it('counts only units in a row: a longer run of units that each move the clock is not a stall', () => {
    const { pre } = thread(new GuestMemory(64), costFree, {}, [slowStep(MAX_STALLED_UNITS + 10, true)]);
    until(pre, () => pre.status === 'active', BOUND, 'the end of setup');
    expect(pre.now).toBeGreaterThan(100);
  });
});

type Inside = {
  syncHistory: unknown[];
  windowStart: number;
  windowStartBytes: number;
  windowCheck(): void;
};
const inside = (pre: Precopy) => pre as unknown as Inside;

describe('the convergence history', () => {
  it(`keeps the last ${CONVERGENCE_WINDOW_SYNCS + 1} syncs, however many the run makes (a long run's memory stays bounded)`, () => {
    const { pre } = thread(new GuestMemory(64), costFree);
    toLoop(pre);
    for (let i = 0; i < 3 * CONVERGENCE_WINDOW_SYNCS; i++) {
      pre.spend(10);
      pre.sync();
    }
    expect(inside(pre).syncHistory).toHaveLength(CONVERGENCE_WINDOW_SYNCS + 1);
  });
});

describe("expected-downtime: QEMU 2.5's migration_thread updates it only when a window moved more than 10,000 bytes", () => {
  /** A thread in the loop with a dirty rate, whose current window moved `bytes` in 100 ms. */
  function windowOf(bytes: number) {
    const mem = new GuestMemory(256);
    const { pre } = thread(mem, costFree, { downtimeLimitMs: 300 });
    toLoop(pre);
    pre.dirtyPagesRate = 1000;
    const w = inside(pre);
    w.windowStart = pre.now;
    w.windowStartBytes = pre.wireBytes - bytes;
    pre.spend(100);
    w.windowCheck();
    return pre;
  }

  it('a window of exactly 10,000 bytes leaves it at the downtime limit', () => {
    expect(windowOf(10_000).expectedDowntime).toBe(300);
  });

  it('one byte more and it is the dirty rate over the bandwidth', () => {
    const pre = windowOf(10_001);
    // 2.5: dirty_bytes_rate / bandwidth, bytes per second over bytes per ms.
    expect(pre.expectedDowntime).toBeCloseTo((1000 * 4096) / (10_001 / 100), 6);
  });
});

describe('a finished thread', () => {
  it('does nothing when advanced again: no event, no time, no bytes', () => {
    const { pre, events } = thread(new GuestMemory(64), costFree);
    until(pre, () => pre.done, 1000, 'the end of the run');
    const seen = { events: events.length, now: pre.now, wire: pre.wireBytes, status: pre.status };
    pre.advance();
    expect({ events: events.length, now: pre.now, wire: pre.wireBytes, status: pre.status }).toEqual(seen);
  });
});
