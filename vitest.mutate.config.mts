import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';

// The suite as mutation testing runs it (stryker.config.mjs): without the tests that run the
// app, npm, redis-server or a registry in child processes, which load the sources afresh and so never see
// the mutant under test, and without the structure test, which reads the source text that
// mutation testing instruments.
export default mergeConfig(
  base,
  defineConfig({
    test: { exclude: ['test/cli.test.ts', 'test/package.test.ts', 'test/release.test.ts', 'test/redis-server.test.ts', 'test/pin.test.ts', 'test/structure.test.ts', 'node_modules/**'] },
  }),
);
