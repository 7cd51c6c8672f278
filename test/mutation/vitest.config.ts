// The tests Stryker runs against each mutant: the engine's own (the CLI tests spawn processes,
// which run the unmutated code, and the UI tests exercise the engine only through them).
// Instrumented code runs a few times slower, on a machine shared with other work: a test that
// takes 1-2 s plain (the 64 GiB dirty-log start) passed vitest's 5 s default in the dry run only
// sometimes, and a dry run with a failed test stops Stryker. 60 s per test keeps that honest
// without hiding hangs: a mutant's endless loop trips the engine's invariants or Stryker's own
// timeout (timeoutMS in stryker.config.mjs).
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import base from '../../vite.config';

/**
 * Cheapest test files first. Stryker runs a mutant's covering tests one file at a time and stops
 * at the first failure; vitest's own order is the slowest first (for parallel runs), so a mutant
 * that a 5 ms unit test kills waited for the whole-engine property runs, and one that makes a
 * run long (a reply that never comes) was timed out instead of killed.
 */
class CheapFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await super.sort(files)).reverse();
  }
}

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/engine/**/*.test.ts'],
    testTimeout: 60_000,
    sequence: { sequencer: CheapFirstSequencer },
  },
});
