/**
 * Bounded loops for the tests that drive the engine by hand. vitest cannot time out synchronous
 * code, so a loop that waits for a state the engine never reaches (a bug, or a mutant under
 * `npm run mutate`) would hang the suite, and Stryker would count a timeout instead of a kill.
 * These fail the test instead, naming what they waited for and where the engine stood.
 */
import type { Precopy } from '../../src/engine/migration/precopy';
import type { Simulation } from '../../src/engine/simulation';

/**
 * Advances the migration thread one unit at a time until `done` holds. The guests of the unit
 * tests need a few dozen units; a thread that stops making progress fails at `maxUnits`.
 */
export function until(pre: Precopy, done: () => boolean, maxUnits = 10_000, what = 'the awaited state'): void {
  for (let i = 0; !done(); i++) {
    if (i === maxUnits) throw new Error(`${what} not reached in ${maxUnits} units (clock ${pre.now} ms, phase ${pre.phase})`);
    pre.advance();
  }
}

/**
 * Steps a whole simulation `stepMs` at a time until `done` holds. A run that ends first fails at
 * once (a finished run's step does nothing, so an unbounded loop would spin there), and so does
 * one that is still short of it after `maxSteps` steps.
 */
export function stepUntil(sim: Simulation, done: () => boolean, what: string, stepMs = 1, maxSteps = 1_000_000): void {
  for (let i = 0; !done(); i++) {
    if (sim.done) throw new Error(`the run ended (${sim.phase} at ${sim.clockMs} ms) before ${what}`);
    if (i === maxSteps) throw new Error(`${what} not reached in ${maxSteps} steps of ${stepMs} ms (clock ${sim.clockMs} ms, phase ${sim.phase})`);
    sim.step(sim.clockMs + stepMs);
  }
}
