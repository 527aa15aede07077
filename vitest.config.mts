import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    isolate: false, // test files share the loaded modules (cdk8s-plus-27 and the validators load once per worker)
    testTimeout: 30_000,
  },
});
