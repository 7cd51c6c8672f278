/**
 * Drives the migration thread (Precopy) by hand, one unit at a time, on guests of a few hundred
 * pages: the harness of the precopy-*.test.ts unit tests. Most of them use costFree (RFC_2016 with
 * every cost of the thread at 0) and set back only the cost under test, at a value no profile
 * has, so that each term of a formula shows on the clock on its own. Small files, one topic each:
 * test/mutation/vitest.config.ts runs the smallest test files first, so these fail a mutant before
 * a whole-engine test can spin on it.
 */
import type { GuestMemory } from '../../../src/engine/guest/memory';
import type { EngineFaults, Participant } from '../../../src/engine/migration/modes/mode';
import { Precopy, type PrecopyParams } from '../../../src/engine/migration/precopy';
import { type HostProfile, RFC_2016 } from '../../../src/engine/migration/profiles';
import type { SimEvent } from '../../../src/engine/types';
import { until } from '../bounded';

/** RFC_2016 with every time cost of the thread at 0: the clock moves only where a test says. */
export const costFree: HostProfile = {
  ...RFC_2016,
  zeroPageNs: 0,
  dataPageNs: 0,
  bitmapLockNsPerPage: 0,
  scanNsPerWord: 0,
  setupFixedMs: 0,
  bitmapInitNsPerPage: 0,
  logStartNsPerPage: 0,
  logStartNsPer4kSpte: 0,
  logStartNsPerHugeSpte: 0,
  syncNsPerPage: 0,
  syncNsPerDirtyPage: 0,
  vmStopMs: 0,
};

/** 1 GB/ms: a link so fast that the socket never fills on these guests (the CPU sets the pace). */
export const FAST_LINK = 1e9;

/** 10 Gbit/s of goodput on the RFC's testbed (Ethernet, MTU 1500), bytes per ms. */
export const LINK_10G = (10e9 * RFC_2016.linkEfficiency) / 8 / 1000;

/** A thread on `mem`, its participants attached, the events it emits collected. */
export function thread(
  mem: GuestMemory,
  profile: HostProfile,
  params: Partial<PrecopyParams> = {},
  participants: readonly Participant[] = [],
  faults: EngineFaults = {},
) {
  const events: SimEvent[] = [];
  const pre = new Precopy(
    mem,
    profile,
    { linkBytesPerMs: FAST_LINK, maxBandwidthBytesPerMs: 1e9, downtimeLimitMs: 300, capMs: 600_000, ...params },
    (e) => events.push(e),
    faults,
  );
  pre.attach(participants);
  return { pre, events };
}

/** Advances until setup-sync has run: the next unit is the first turn of the loop. */
export function toLoop(pre: Precopy): void {
  until(pre, () => pre.status === 'active');
}

