/**
 * How a pre-copy run says it ended, on tiny guests: the sim-time-cap reason as the thread fills
 * it in, the not-converging verdict with the convergence aids of all participants together, and
 * the verification's first mismatch (precopy.ts: capReason, convergenceAid, fail, verify).
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import type { EngineFaults, Participant } from '../../../src/engine/migration/modes/mode';
import type { PrecopyParams } from '../../../src/engine/migration/precopy';
import { RFC_2016 } from '../../../src/engine/migration/profiles';
import { until } from '../bounded';
import { LINK_10G, thread } from './precopy-harness';

function precopyOn(mem: GuestMemory, params: Partial<PrecopyParams>, participants: readonly Participant[] = [], faults: EngineFaults = {}) {
  return thread(mem, RFC_2016, { linkBytesPerMs: LINK_10G, ...params }, participants, faults);
}

describe('the simulation time cap', () => {
  it("fails the run with the link's speed and what is left, and says so in a 'failed' phase", () => {
    // Setup takes 83 ms: a 50 ms cap is reached in the unit that ends it, all 64 pages unsent.
    const { pre, events } = precopyOn(new GuestMemory(64), { capMs: 50 });
    until(pre, () => pre.done);
    expect(pre.status).toBe('failed');
    expect(pre.outcome).toBe('sim-time-cap');
    // 64 x 4096 = 262 144 bytes; 10 Gbit/s x 1448/1538 = 1.18 GB/s of goodput; 50 ms, shown to one decimal.
    expect(pre.failureReason).toBe(
      "simulation time cap reached: at 0.1 s, 262 kB left at 1.18 GB/s (the 10 Gbit/s link's goodput); " +
        'needs ~0.0 s more to send once; QEMU itself would keep going',
    );
    expect(pre.phase).toBe('failed');
    expect(events.at(-1)).toEqual({ t: pre.now, kind: 'phase', phase: 'failed' });
  });
});

describe('the not-converging verdict and the convergence aids of all participants', () => {
  /** A participant that acts on the dirty rate (as auto-converge does), at its limit or not. */
  const aid = (atLimit: boolean, note: string): Participant => ({ convergenceAid: () => ({ atLimit, note }) });

  /**
   * 64 data pages the guest rewrites after every unit of the thread, sent at 100 bytes/ms (three
   * pages a 100 ms window), with a 1 ms downtime limit: every sync finds all 64 pages dirty again,
   * as many as the pass sent. The sixth sync has a full window of five syncs behind it.
   */
  function rewrittenForever(participants: readonly Participant[]) {
    const mem = new GuestMemory(64);
    mem.writeRange(0, 64);
    const { pre } = precopyOn(mem, { maxBandwidthBytesPerMs: 100, downtimeLimitMs: 1 }, participants);
    // Written again after every unit (the first call, before any unit, finds it written already).
    until(
      pre,
      () => {
        mem.writeRange(0, 64);
        return pre.done || pre.syncCount >= 8;
      },
      10_000,
      'the end of the run or the eighth sync',
    );
    return pre;
  }

  it('an aid at its limit: the verdict comes at the sixth sync and names it', () => {
    const pre = rewrittenForever([aid(true, 'with the throttle at its maximum')]);
    expect(pre.outcome).toBe('not-converging');
    expect(pre.syncCount).toBe(6);
    expect(pre.failureReason).toMatch(
      /^not converging: dirty rate [\d.]+ kB\/s ≥ [\d.]+ kB\/s sent over the last 5 syncs \([\d.]+ s\) with the throttle at its maximum, the guest writing /,
    );
  });

  it('two aids at their limits: both notes, in participant order', () => {
    const pre = rewrittenForever([aid(true, 'with A at its limit'), aid(true, 'with B at its limit')]);
    expect(pre.outcome).toBe('not-converging');
    expect(pre.failureReason).toContain(') with A at its limit, with B at its limit, the guest writing ');
  });

  it('one of two aids still able to act: no verdict, the run goes on', () => {
    const pre = rewrittenForever([aid(true, 'with A at its limit'), aid(false, 'with B still acting')]);
    expect(pre.syncCount).toBe(8);
    expect(pre.status).toBe('active');
    expect(pre.outcome).toBe('');
  });
});

describe('verification names the lowest page that is wrong', () => {
  it('pages 0, 5 and 40 written after they were sent, with the dirty log broken: first mismatch 0', () => {
    const mem = new GuestMemory(100);
    mem.writeRange(0, 40);
    const { pre } = precopyOn(mem, {}, [], { noDirtyLog: true });
    until(pre, () => pre.done || pre.round !== 1);
    expect(pre.duplicate + pre.normal).toBe(100);
    for (const p of [0, 5, 40]) mem.write(p);
    until(pre, () => pre.done);
    expect(pre.status).toBe('completed');
    expect(pre.verification).toEqual({ ok: false, 'pages-checked': 100, mismatches: 3, 'first-mismatch': 0 });
  });
});
