// Mutation testing of the engine (npm run mutate): Stryker changes the code one small mutation
// at a time and runs the engine tests that cover it; a mutant no test notices is a gap in the
// tests, or an equivalent change (one that cannot alter behaviour). survivors.md, beside this
// config, lists the equivalent ones with a one-line reason each, and the measured scores. Not
// part of .ci/run: src/engine/migration/precopy.ts alone has 638 mutants, 28 min at
// concurrency 2 on the development machine; a small file takes 3-10 min at concurrency 1.
// A focused run: npm run mutate -- --mutate src/engine/migration/precopy.ts
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.config.ts' },
  mutate: ['src/engine/migration/**/*.ts', 'src/engine/virtio/**/*.ts', 'src/engine/guest/**/*.ts'],
  coverageAnalysis: 'perTest',
  // A mutant that makes a loop endless now trips the engine's invariants (a thrown error, a
  // killed mutant); the timeout catches what is left.
  timeoutMS: 20000,
  concurrency: 2,
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
