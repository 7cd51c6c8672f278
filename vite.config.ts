/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { eagerCjsWrappersPlugin } from './src/build/eager-cjs-wrappers.ts';

export default defineConfig({
  plugins: [react(), eagerCjsWrappersPlugin()],
  worker: { format: 'es' },
  test: {
    globals: true,
    environment: 'node',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
  },
});
