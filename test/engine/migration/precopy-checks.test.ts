/**
 * The thread's own checks (precopy.ts): states a correct run never reaches, each of which would
 * otherwise hang the run or end it wrong without a word. Each test reaches the state by hand and
 * expects EngineInvariantError naming it. (The harness: precopy-harness.ts.)
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { EngineInvariantError } from '../../../src/engine/invariant';
import type { Participant } from '../../../src/engine/migration/modes/mode';
import { Precopy } from '../../../src/engine/migration/precopy';
import { RFC_2016 } from '../../../src/engine/migration/profiles';
import { until } from '../bounded';
import { costFree, thread, toLoop } from './precopy-harness';

/** The thread's private counters a bug elsewhere could leave wrong. */
type Inside = { dirtyPages: number; step: string };
const inside = (pre: Precopy) => pre as unknown as Inside;

describe("the migration thread's own checks", () => {
  it('advancing before attach throws: the setup plan, dirty-log start included, would be empty', () => {
    const pre = new Precopy(new GuestMemory(64), RFC_2016, { linkBytesPerMs: 1e9, maxBandwidthBytesPerMs: 1e9, downtimeLimitMs: 300, capMs: 1000 }, () => {});
    expect(() => pre.advance()).toThrow(/attach\(participants\) must come before the first advance/);
  });

  it('a dirty count below what the bitmap holds throws at the send that takes it below zero', () => {
    const mem = new GuestMemory(128);
    mem.writeRange(0, 128);
    const { pre } = thread(mem, costFree);
    toLoop(pre);
    pre.advance(); // the section header: the next unit sends a word
    // A miscount at a sync: 128 pages in the bitmap, 1 counted.
    inside(pre).dirtyPages = 1;
    expect(() => pre.advance()).toThrow(/the bitmap held 31 more dirty pages than migration_dirty_pages counted/);
  });

  it('a second full circle that finds nothing with no sync between throws', () => {
    const mem = new GuestMemory(64);
    const { pre } = thread(mem, costFree);
    toLoop(pre);
    until(pre, () => pre.remaining === 0, 100, 'the bulk stage sent');
    // The loop syncs or completes after an empty circle; a bug that iterates again instead:
    inside(pre).step = 'iterate';
    pre.advance();
    inside(pre).step = 'iterate';
    expect(() => pre.advance()).toThrow(EngineInvariantError);
    inside(pre).step = 'iterate';
    expect(() => pre.advance()).toThrow(/a second full circle found no dirty page with no bitmap sync since the first/);
  });

  it('a rate limit that no window can meet throws at the first sleep instead of sleeping until the cap', () => {
    // A budget below zero: even an empty window exceeds it (scenario validation never lets one in).
    const { pre } = thread(new GuestMemory(64), costFree, { maxBandwidthBytesPerMs: -1 });
    toLoop(pre);
    expect(() => until(pre, () => pre.done, 100, 'the end of the run')).toThrow(
      /the rate limit is still exceeded after sleeping to the end of its window at 100 ms/,
    );
  });

  it('the clock checks hold for a thread driven by hand: a setup cost below zero throws in that unit', () => {
    const refund: Participant = {
      setupSteps: [
        {
          name: 'a cost with the wrong sign',
          at: 'after-dirty-log',
          run: (t) => {
            t.spend(-5);
            return true;
          },
        },
      ],
    };
    const { pre } = thread(new GuestMemory(64), { ...costFree, setupFixedMs: 1 }, {}, [refund]);
    expect(() => until(pre, () => pre.done, 100, 'the end of the run')).toThrow(/clock went back from 1 ms to -4 ms \(phase setup\)/);
  });
});
