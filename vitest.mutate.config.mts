import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';

// The suite as mutation testing runs it (stryker.config.mjs):
// - without the tests that only run the app, npm, redis-server or a registry in child processes,
//   which load the sources afresh and so never see the mutant under test;
// - without the structure test, which reads the source text that mutation testing instruments;
// - test files share loaded modules within a run, as in `npm test` (isolate: false); each run
//   starts in a fresh worker, so a render cached by one run (test/helpers.ts renderedPlatforms)
//   is never read by a later run with another mutant active;
// - only the test files of the folder being mutated, when stryker.config.mjs names them.
const config = mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/cli.test.ts', 'test/package.test.ts', 'test/release.test.ts', 'test/redis-server.test.ts', 'test/pin.test.ts', 'test/runner.test.ts', 'test/interrupt.test.ts', 'test/structure.test.ts', 'node_modules/**'],
    },
  }),
);
// mergeConfig appends lists; the folder's files replace the include list instead.
if (process.env.MUTATE_TESTS) config.test!.include = process.env.MUTATE_TESTS.split(',');
export default config;
