import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../src/engine/guest/memory';
import { EngineInvariantError } from '../../src/engine/invariant';
import { Precopy } from '../../src/engine/migration/precopy';
import { RFC_2016 } from '../../src/engine/migration/profiles';
import { resolveScenario } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import { stepUntil, until } from './bounded';

const small = () => new Simulation(resolveScenario('rfc-case-2', { guestGiB: 0.0625 }));

describe('engine invariants fail loudly instead of hanging', () => {
  it('a dirty-page count with no dirty bit behind it throws, naming the count', () => {
    const sim = small();
    stepUntil(sim, () => sim.phase === 'bulk', 'the bulk stage');
    // A miscount like an off-by-one at a sync would leave: 64 pages counted that are not in the bitmap.
    (sim as unknown as { precopy: { dirtyPages: number } }).precopy.dirtyPages += 64;
    expect(() => sim.runToEnd()).toThrow(EngineInvariantError);
    expect(() => sim.runToEnd()).toThrow(/migration_dirty_pages is \d+ but the bitmap holds no dirty page/);
  });

  it('a clock that stops being a number throws at once', () => {
    const mem = new GuestMemory(4096);
    mem.writeRange(0, 4096);
    // A link of 0 bytes/ms makes every send take forever.
    const pre = new Precopy(mem, RFC_2016, { linkBytesPerMs: 0, maxBandwidthBytesPerMs: 1e9, downtimeLimitMs: 300, capMs: 1e6 }, () => {});
    pre.attach([]);
    expect(() => until(pre, () => pre.done, 10_000, 'the end of the run')).toThrow(/the migration thread's clock became (NaN|Infinity) ms/);
  });

  it('work that never moves the clock is stopped by the work budget', () => {
    const sim = small();
    // A setup step that never completes and never spends time: a participant bug.
    const pre = (sim as unknown as { precopy: Precopy }).precopy;
    (pre as unknown as { setupSteps: unknown[] }).setupSteps = [{ name: 'stuck', at: 'after-dirty-log', run: () => false }];
    expect(() => sim.runToEnd()).toThrow(/units of work at 0 ms without its clock moving/);
  });

  // A setup step that charges a cost with the wrong sign or off by 1e12 (ns taken as ms times 1e6):
  // without the checks, the first replays the guest, the second ticks the guest 1 ms at a time
  // up to 1e15 ms, which never ends.
  type Stepper = { setupSteps: { name: string; at: string; run: (t: Precopy) => boolean }[] };
  const withSetupCost = (ms: number) => {
    const sim = small();
    const pre = (sim as unknown as { precopy: Stepper }).precopy;
    const charge = (t: Precopy) => {
      t.spend(ms);
      return true;
    };
    pre.setupSteps = [...pre.setupSteps, { name: 'cost', at: 'after-dirty-log', run: charge }];
    return sim;
  };

  it('a clock that goes back throws, naming both times', () => {
    expect(() => withSetupCost(-5).runToEnd()).toThrow(/clock went back from (\d+(\.\d+)?) ms to -?\d+(\.\d+)? ms \(phase setup\)/);
  });

  it('a clock that jumps past twice the time cap throws before the guest is ticked there', () => {
    const sim = withSetupCost(1e15);
    expect(() => sim.runToEnd()).toThrow(/clock jumped from [\d.]+ ms to 1000000000000\d*(\.\d+)? ms, past 2 times the run's time cap/);
    // A jump to just under the limit is allowed: the run then fails at its cap, as any slow run.
    const capped = withSetupCost(2 * sim.capMs - 10_000);
    const end = capped.runToEnd();
    expect(end.status).toBe('failed');
    expect(end.migviz.outcome).toBe('sim-time-cap');
  });
});
