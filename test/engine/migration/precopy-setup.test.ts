// The migration thread before and during ram_save_setup: its state before the first unit, who may
// join the run, and the order of the setup steps (QEMU's own around the participants'). Tiny
// guests, a handful of units: these run in milliseconds.
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import type { Participant, SetupStep } from '../../../src/engine/migration/modes/mode';
import { Precopy } from '../../../src/engine/migration/precopy';
import { RFC_2016 } from '../../../src/engine/migration/profiles';
import type { SimEvent } from '../../../src/engine/types';
import { until } from '../bounded';
import { LINK_10G } from './precopy-harness';

function thread(pages = 64, capMs = 600_000) {
  const events: SimEvent[] = [];
  const mem = new GuestMemory(pages);
  const pre = new Precopy(
    mem,
    RFC_2016,
    { linkBytesPerMs: LINK_10G, maxBandwidthBytesPerMs: 1e9, downtimeLimitMs: 300, capMs },
    (e) => events.push(e),
  );
  return { pre, mem, events };
}

describe('the migration thread before it starts', () => {
  it('reports status none, no outcome and no failure reason, as query-migrate before migrate', () => {
    const { pre } = thread();
    expect(pre.status).toBe('none');
    expect(pre.phase).toBe('idle');
    expect(pre.outcome).toBe('');
    expect(pre.failureReason).toBe('');
  });

  it('a completed run keeps an empty failure reason', () => {
    const { pre } = thread();
    pre.attach([]);
    until(pre, () => pre.done, undefined, 'the end of the run');
    expect(pre.outcome).toBe('completed');
    expect(pre.failureReason).toBe('');
  });

  it('its first unit enters setup: status and phase setup, one phase event at 0 ms', () => {
    const { pre, events } = thread();
    pre.attach([]);
    pre.advance();
    expect(pre.status).toBe('setup');
    expect(pre.phase).toBe('setup');
    expect(events).toEqual([{ t: 0, kind: 'phase', phase: 'setup' }]);
  });

  it('participants cannot join once the thread has run a unit', () => {
    const { pre } = thread();
    pre.attach([]);
    pre.advance();
    expect(() => pre.attach([])).toThrow('participants join before the migration starts');
  });
});

describe('ram_save_setup: participant steps around QEMU’s own', () => {
  /** A one-unit step that records when it ran and whether dirty logging was on. */
  function step(name: string, at: SetupStep['at'], mem: GuestMemory, log: string[]): SetupStep {
    return {
      name,
      at,
      run: () => {
        log.push(`${name} logging=${mem.logging}`);
        return true;
      },
    };
  }

  it('lays out before-steps, then QEMU’s three, then after-steps, each once', () => {
    const { pre, mem } = thread();
    const log: string[] = [];
    const a: Participant = { setupSteps: [step('early', 'before-dirty-log', mem, log), step('late', 'after-dirty-log', mem, log)] };
    // A participant without setup steps adds none.
    const b: Participant = {};
    pre.attach([a, b]);
    // The layout is private; its names exist for tests and debugging (SetupStep.name).
    const layout = (pre as unknown as { setupSteps: readonly SetupStep[] }).setupSteps.map((s) => [s.name, s.at]);
    expect(layout).toEqual([
      ['early', 'before-dirty-log'],
      ['savevm header and device setup', 'before-dirty-log'],
      ['allocate and fill the migration bitmap', 'before-dirty-log'],
      ['start dirty logging', 'before-dirty-log'],
      ['late', 'after-dirty-log'],
    ]);
    until(pre, () => pre.status === 'active', undefined, 'status active');
    // The early step runs before KVM logs writes, the late one after; neither runs twice.
    expect(log).toEqual(['early logging=false', 'late logging=true']);
  });
});

describe('the sim-time cap is checked in migration_thread’s loop only', () => {
  it('a setup that outlasts the cap still ends with its first sync; the run fails at the loop', () => {
    // rfc-2016's setup alone costs setupFixedMs; a cap of 1 ms falls inside it.
    expect(RFC_2016.setupFixedMs).toBeGreaterThan(1);
    const { pre } = thread(64, 1);
    pre.attach([]);
    until(pre, () => pre.done, undefined, 'the end of the run');
    expect(pre.outcome).toBe('sim-time-cap');
    expect(pre.syncCount).toBe(1);
    expect(pre.setupTime).toBeGreaterThan(RFC_2016.setupFixedMs);
    expect(pre.totalTime).toBe(pre.setupTime);
  });
});
