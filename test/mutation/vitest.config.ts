// The tests Stryker runs against each mutant: the engine's own (the CLI tests spawn processes,
// which run the unmutated code, and the UI tests exercise the engine only through them).
import { defineConfig } from 'vitest/config';
import base from '../../vite.config';

export default defineConfig({ ...base, test: { ...base.test, include: ['test/engine/**/*.test.ts'] } });
