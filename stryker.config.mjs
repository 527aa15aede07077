// Mutation testing: `npm run mutate` over src/, or one folder at a time:
//   npm run mutate -- --mutate 'src/policy/**/*.ts'
// Not part of CI or `npm test`: a full run takes long on a 2-core machine. Results (the HTML
// report, the JSON report and the incremental file that lets a second run retest only what
// changed) go to .stryker/, which git ignores.
// One folder at a time, each against the test files that exercise it: a static mutant (one in code
// that runs while a test file loads or renders in beforeAll, most of this library) runs every test
// file of the suite, and the whole suite takes about a minute. A mutant that only a test file
// outside the folder's list would kill counts as survived, so a folder's score is a lower bound.
// Reports are named after the folder (`--mutate 'src/policy/**/*.ts'` → .stryker/policy.json).
const SUITES = {
  apiserver: ['apiserver', 'api-server', 'apiserver-core', 'apiserver-pod', 'apiserver-networking', 'apiserver-workloads', 'apiserver-scaling', 'apiserver-cron', 'apiserver-meta', 'apiserver-env'],
  capacity: ['capacity', 'quantity'],
  credentials: ['credentials', 'credential-scan', 'properties'],
  delivery: ['delivery', 'delivery-parts', 'protection', 'singleton'],
  docs: ['docs', 'docs-pages', 'docs-topology', 'docs-env-page'],
  pod: ['pod-validate', 'constructs', 'bad-input'],
  policy: ['policy', 'policy-objects', 'egress', 'routes', 'control-routes', 'control-patterns', 'sign-in', 'sign-in-checks', 'pod-security-rules', 'access-rules', 'policy-engine', 'digests', 'images', 'singleton', 'protection'],
  schema: ['inputs', 'schema'],
  // The constructs and settings at the top of src/ (each platform's chart uses them all).
  src: ['src-routes', 'src-env', 'src-grammar', 'src-stores', 'src-chart', 'constructs', 'bad-input', 'inputs', 'quantity', 'egress', 'routes', 'images', 'testing', 'sign-in', 'sign-in-checks', 'credentials', 'access-rules', 'control-routes', 'delivery-parts', 'digests', 'singleton', 'apiserver'],
  synth: ['synth', 'unknown-fields', 'inputs', 'yaml', 'bad-input', 'delivery', 'synth-yaml', 'synth-validate', 'synth-fields', 'synth-render'],
  workload: ['constructs', 'singleton', 'bad-input', 'workload-validate', 'workload-objects'],
};
const at = process.argv.indexOf('--mutate');
const pattern = at > 0 ? (process.argv[at + 1] ?? '') : '';
// `src/<folder>/…` is that folder; files at the top of src/ (`'src/*.ts'`, or a list of them) are `src`.
const folder = /^src\/([\w-]+)\//.exec(pattern)?.[1] ?? (/^src\/[^/]+$/.test(pattern.split(',')[0]) ? 'src' : undefined);
const report = folder ?? 'report';
// Read by vitest.mutate.config.mts in the test runner processes, which inherit this environment.
if (folder && SUITES[folder]) process.env.MUTATE_TESTS = SUITES[folder].map((name) => `test/${name}.test.ts`).join(',');

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
  incrementalFile: `.stryker/${report}.incremental.json`,
  tempDirName: '.stryker/tmp',
  cleanTempDir: 'always',
  // The sandbox copy needs the sources, the tests and dist/ (the credential scan reads it), not
  // the examples or the benchmarks.
  ignorePatterns: ['examples', 'bench', 'docs/api', 'lib', '.cache', 'coverage'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `.stryker/${report}.html` },
  jsonReporter: { fileName: `.stryker/${report}.json` },
  thresholds: { high: 80, low: 60, break: null },
};
