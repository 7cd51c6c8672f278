// Drives a migration thread directly (no Simulation, so no work budget) with a bound on the
// number of units: a bug or a mutant that stops the thread from reaching the awaited state makes
// the test fail with a message instead of spinning synchronously until an outside timeout.
import type { Precopy } from '../../../src/engine/migration/precopy';

/** More units than any test's run of a few hundred pages needs (each needs under 1 000). */
const MAX_UNITS = 100_000;

/** Advances `pre` one unit at a time until `reached()`; throws after MAX_UNITS units. */
export function advanceUntil(pre: Precopy, reached: () => boolean, what: string): void {
  for (let units = 0; !reached(); units++) {
    if (units >= MAX_UNITS) throw new Error(`${what} not reached in ${MAX_UNITS} units (step at ${pre.now} ms, phase ${pre.phase})`);
    pre.advance();
  }
}
