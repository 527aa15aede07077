// Mutation testing: `npm run mutate` over src/, or one folder at a time:
//   npm run mutate -- --mutate 'src/policy/**/*.ts'
// Not part of CI or `npm test`: a full run takes long on a 2-core machine. Results (the HTML
// report, the JSON report and the incremental file that lets a second run retest only what
// changed) go to .stryker/, which git ignores.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.mts', related: false },
  mutate: ['src/**/*.ts'],
  // Each mutant runs only the tests that reach its code.
  coverageAnalysis: 'perTest',
  // Two cores: one test process per core at most.
  concurrency: 2,
  // Stryker rewrites tsconfig paths that leave the sandbox with the TypeScript compiler API, which
  // TypeScript 7 (the native compiler) no longer has; ours has no extends or references to
  // rewrite, so it points at no file and Stryker leaves the tsconfig as it is.
  tsconfigFile: 'tsconfig.none.json',
  incremental: true,
  incrementalFile: '.stryker/incremental.json',
  tempDirName: '.stryker/tmp',
  cleanTempDir: 'always',
  // The sandbox copy needs the sources, the tests and dist/ (the credential scan reads it), not
  // the examples or the benchmarks.
  ignorePatterns: ['examples', 'bench', 'docs/api', 'lib', '.cache', 'coverage'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.stryker/report.html' },
  jsonReporter: { fileName: '.stryker/report.json' },
  thresholds: { high: 80, low: 60, break: null },
};
