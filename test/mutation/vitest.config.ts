// The tests Stryker runs against each mutant: the engine's own (the CLI tests spawn processes,
// which run the unmutated code, and the UI tests exercise the engine only through them).
// Instrumented code runs a few times slower, on a machine shared with other work: a test that
// takes 1-2 s plain (the 64 GiB dirty-log start) passed vitest's 5 s default in the dry run only
// sometimes, and a dry run with a failed test stops Stryker. 60 s per test keeps that honest
// without hiding hangs: a mutant's endless loop trips the engine's invariants or Stryker's own
// timeout (timeoutMS in stryker.config.mjs).
import { statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import base from '../../vite.config';

/**
 * Cheapest test files first. Stryker runs a mutant's covering tests one file at a time and stops
 * at the first failure. vitest's own order is the slowest first and, from its results cache,
 * the last failed first: a mutant that a 5 ms unit test kills waited for the whole-engine runs,
 * and one that only makes a run long (a free-page reply that never comes) was timed out instead
 * of killed. Here: the unit test files by size, then the files that run whole simulations, in
 * the order of their plain run time (0.5 to 12 s, measured Dec 2026).
 */
const WHOLE_ENGINE = [
  'test/engine/rfc-table.test.ts',
  'test/engine/convergence.test.ts',
  'test/engine/guest/workloads.test.ts',
  'test/engine/verification-and-limits.test.ts',
  'test/engine/migration/precopy.test.ts',
  'test/engine/simulation.test.ts',
];

class CheapFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const cost = (f: TestSpecification): number => {
      const rank = WHOLE_ENGINE.indexOf(relative(root, f.moduleId).split(sep).join('/'));
      return rank >= 0 ? 1e9 + rank : statSync(f.moduleId).size;
    };
    return [...files].sort((a, b) => cost(a) - cost(b));
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
