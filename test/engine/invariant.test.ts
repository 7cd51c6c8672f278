import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../src/engine/guest/memory';
import { EngineInvariantError } from '../../src/engine/invariant';
import { Precopy } from '../../src/engine/migration/precopy';
import { RFC_2016 } from '../../src/engine/migration/profiles';
import { resolveScenario } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';

const small = () => new Simulation(resolveScenario('rfc-case-2', { guestGiB: 0.0625 }));

describe('engine invariants fail loudly instead of hanging', () => {
  it('a dirty-page count with no dirty bit behind it throws, naming the count', () => {
    const sim = small();
    while (sim.phase !== 'bulk') sim.step(sim.clockMs + 1);
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
    expect(() => {
      while (!pre.done) pre.advance();
    }).toThrow(/the migration thread's clock became (NaN|Infinity) ms/);
  });

  it('work that never moves the clock is stopped by the work budget', () => {
    const sim = small();
    // A setup step that never completes and never spends time: a participant bug.
    const pre = (sim as unknown as { precopy: Precopy }).precopy;
    (pre as unknown as { setupSteps: unknown[] }).setupSteps = [{ name: 'stuck', at: 'after-dirty-log', run: () => false }];
    expect(() => sim.runToEnd()).toThrow(/units of work at 0 ms without its clock moving/);
  });
});
