#!/usr/bin/env node
// npm run bench: renders N = 10, 100, 1000 generated web services through the library and as a
// plain cdk8s-plus-27 chart, and the four real platforms, each run in a fresh process (cold),
// BENCH_RUNS times (5 by default); prints medians of wall time and peak RSS with the ratios and
// the targets, and writes bench/RESULTS.md. Never part of the tests: timings belong here, not in CI.
//   BENCH_RUNS=9 BENCH_SIZES=10,100,1000,2000 npm run bench
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const CASE = path.join(__dirname, 'case.js');
const RSS = path.join(__dirname, 'rss.js');
const ENV = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (line) => process.stderr.write(`${line}\n`);

/** Peak RSS in MB that bench/rss.js printed, when the command ran under it. */
const rssOf = (r) => Number(/^bench-rss-mb: (\d+)$/m.exec(r.stderr ?? '')?.[1]) || undefined;

/**
 * Runs a command RUNS times, each in a fresh process; medians of wall ms and peak RSS MB.
 * Each run gets an empty output folder, or with `again`, the one folder `prepare` filled once,
 * as repeated synths over the same dist/ find it. Dirty pages are flushed (`sync`) before each
 * run, so one run's writes do not slow the next one down.
 */
function measure(label, command, args, { prepare, again } = {}) {
  const walls = [];
  const rss = [];
  let last;
  const fresh = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-bench-'));
  const kept = again ? fresh() : undefined;
  if (kept && prepare) prepare(kept);
  try {
    for (let i = 0; i < RUNS; i++) {
      const out = kept ?? fresh();
      try {
        if (!kept && prepare) prepare(out);
        spawnSync('sync');
        const start = process.hrtime.bigint();
        const r = spawnSync(command, args(out), { cwd: root, encoding: 'utf8', env: ENV });
        walls.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (r.status !== 0) throw new Error(`${label} failed:\n${r.stderr}`);
        const m = rssOf(r);
        if (m) rss.push(m);
        last = r;
      } finally {
        if (!kept) fs.rmSync(out, { recursive: true, force: true });
      }
    }
  } finally {
    if (kept) fs.rmSync(kept, { recursive: true, force: true });
  }
  // bench/case.js ends with a JSON line that counts the objects it rendered.
  const tail = last.stdout.trim().split('\n').pop() ?? '';
  const objects = tail.startsWith('{') ? JSON.parse(tail).objects : undefined;
  const result = { label, ms: Math.round(median(walls)), min: Math.round(Math.min(...walls)), rssMb: rss.length ? median(rss) : undefined, objects };
  log(`${label}: median ${result.ms} ms (min ${result.min})${result.rssMb ? `, ${result.rssMb} MB` : ''}${objects ? `, ${objects} objects` : ''}`);
  return result;
}

const node = (...args) => (out) => ['-r', RSS, ...args.map((a) => (a === '<out>' ? out : a))];
const nodeCase = (kind, n) => node(CASE, kind, String(n), '<out>');

// What creating files costs on this disk, as a first render of 1,000 services creates them:
// 6,000 files of about 1.5 kB, written by a bare loop.
const PROBE_FILES = 6000;
// The disk's speed varies a lot from one minute to the next: measured RUNS times, median and range.
function fileCreationMs() {
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-bench-files-'));
    spawnSync('sync');
    const start = process.hrtime.bigint();
    for (let i = 0; i < PROBE_FILES; i++) fs.writeFileSync(path.join(dir, `f${i}.yaml`), `kind: ConfigMap\nmetadata:\n  name: f${i}\n${'data: x\n'.repeat(180)}`);
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { ms: median(runs), min: Math.min(...runs), max: Math.max(...runs) };
}

// Builds the bundles and their code caches once, as any synth after the first finds them.
spawnSync(process.execPath, [CASE, 'ours', '1', fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-bench-warm-'))], { cwd: root, env: ENV });
spawnSync(process.execPath, [path.join(root, 'scripts', 'app.js')], { cwd: root, env: ENV });

const creation = fileCreationMs();
log(`creating ${PROBE_FILES} files on this disk: median ${creation.ms.toFixed(0)} ms (${creation.min.toFixed(0)}-${creation.max.toFixed(0)})`);

const rows = [];
for (const n of SIZES) {
  const first = measure(`library, ${n} services, into an empty folder`, process.execPath, nodeCase('ours', n));
  // The common case: render over the previous output (unchanged files are linked, not written).
  const again = measure(`library, ${n} services, over the previous output`, process.execPath, nodeCase('ours', n), {
    again: true,
    prepare: (out) => spawnSync(process.execPath, nodeCase('ours', n)(out), { cwd: root }),
  });
  const plain = measure(`plain cdk8s-plus-27, ${n} services`, process.execPath, nodeCase('plain', n));
  rows.push({ n, first, again, plain });
}

// An edit that changes the code (the runner decides by content: a new time stamp alone rebuilds
// nothing), put back when the runs are done.
const edit = path.join(root, 'charts', 'index.ts');
const original = fs.readFileSync(edit, 'utf8');
let edits = 0;
const platformsFirst = measure('four platforms × three envs into an empty folder', process.execPath, nodeCase('platforms', '-'));
const app = measure('node scripts/app.js (dist/ current)', process.execPath, node(path.join(root, 'scripts', 'app.js')));
let edited;
try {
  edited = measure('node scripts/app.js after an edit', process.execPath, node(path.join(root, 'scripts', 'app.js')), {
    prepare: () => fs.writeFileSync(edit, `${original}\n(globalThis as { benchEdit?: number }).benchEdit = ${++edits};\n`),
  });
} finally {
  fs.writeFileSync(edit, original);
  spawnSync(process.execPath, [path.join(root, 'scripts', 'app.js')], { cwd: root, env: ENV });
}
const cli = measure('npx cdk8s synth', 'npx', () => ['--no-install', 'cdk8s', 'synth', '--check-upgrade', 'false']);
const cliAlone = measure('npx cdk8s --version (the CLI alone)', 'npx', () => ['--no-install', 'cdk8s', '--version']);

const at = (n) => rows.find((r) => r.n === n);
const perService = (a, b, key) => ((b[key].ms - a[key].ms) / (b.n - a.n)).toFixed(2);
const growth = SIZES.length >= 2 ? [at(SIZES[SIZES.length - 2]), at(SIZES[SIZES.length - 1])] : undefined;
const big = at(1000);
const verdict = (ok) => (ok ? 'met' : '**missed**');

const date = new Date().toISOString().slice(0, 10);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  '# Benchmark results',
  '',
  `Measured ${date} with \`npm run bench\` on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
  `Each figure is the median of ${RUNS} runs (min in brackets), each in a fresh process, cold start included: wall time, and peak resident memory.`,
  `Every run loads the synth bundles from their code cache, as every synth after the first does (scripts/bundled.js); the plain chart`,
  `is loaded the same way, so the ratios compare the work, not the loaders. \`sync\` flushes the disk before each run.`,
  `Creating ${PROBE_FILES.toLocaleString('en-US')} files of 1.5 kB with a bare Node loop took ${creation.ms.toFixed(0)} ms on this disk (median; ${creation.min.toFixed(0)} to ${creation.max.toFixed(0)} ms`,
  `over ${RUNS} runs); a first render of 1,000 services creates as many.`,
  '',
  '## Targets',
  '',
  '| target | measured | |',
  '| --- | --- | --- |',
  `| four platforms × three envs rendered, validated, policy-checked and written, no CLI: under 1 s | ${app.ms} ms (\`node scripts/app.js\`); ${edited.ms} ms after an edit; ${platformsFirst.ms} ms into an empty folder | ${verdict(app.ms < 1000)} |`,
  `| the same through \`npx cdk8s synth\`: under 2 s | ${cli.ms} ms, of which the CLI alone (\`npx cdk8s --version\`) takes ${cliAlone.ms} ms | ${verdict(cli.ms < 2000)} |`,
  ...(big
    ? [
        `| 1,000 web services in one env: under 2.5 s | ${big.again.ms} ms over the previous output; ${big.first.ms} ms into an empty folder (${big.first.objects} new files) | ${verdict(big.again.ms < 2500)} / ${verdict(big.first.ms < 2500)} |`,
        `| … and under 300 MB peak RSS | ${big.again.rssMb} MB | ${verdict(big.again.rssMb < 300)} |`,
        `| … no slower than a plain cdk8s-plus-27 chart of 1,000 services | plain ${big.plain.ms} ms: ratio ${(big.again.ms / big.plain.ms).toFixed(2)} over the previous output, ${(big.first.ms / big.plain.ms).toFixed(2)} into an empty folder | ${verdict(big.again.ms <= big.plain.ms)} / ${verdict(big.first.ms <= big.plain.ms)} |`,
      ]
    : []),
  ...(growth
    ? [`| growth stays linear | ${perService(growth[0], growth[1], 'again')} ms per service from ${growth[0].n} to ${growth[1].n} (plain: ${perService(growth[0], growth[1], 'plain')} ms) | |`]
    : []),
  '',
  '## N generated web services in one env',
  '',
  'The library renders each service as Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy and',
  'a hashed ConfigMap, and runs every check (input, schema, unknown fields, policy, capacity) before an atomic write. The plain',
  'chart renders Deployment, Service, ConfigMap and HorizontalPodAutoscaler with cdk8s-plus-27 and `app.synth()` into one file,',
  'with no checks.',
  '',
  '"first" writes into an empty folder; "again" renders over the previous output, as every synth after an edit does.',
  '',
  '| N | library first ms | library again ms | library MB | library objects | plain ms | plain MB | plain objects | time ratio first / again | memory ratio |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    ({ n, first, again, plain }) =>
      `| ${n} | ${first.ms} (${first.min}) | ${again.ms} (${again.min}) | ${again.rssMb} | ${again.objects} | ${plain.ms} (${plain.min}) | ${plain.rssMb} | ${plain.objects} | ${(first.ms / plain.ms).toFixed(2)} / ${(again.ms / plain.ms).toFixed(2)} | ${(again.rssMb / plain.rssMb).toFixed(2)} |`,
  ),
  '',
  '## The four platforms × three envs',
  '',
  '| what | ms | MB |',
  '| --- | ---: | ---: |',
  `| \`node scripts/app.js\` over the committed dist/ | ${app.ms} (${app.min}) | ${app.rssMb} |`,
  `| \`node scripts/app.js\` after an edit (its own bundle rebuilt, no code cache for it yet) | ${edited.ms} (${edited.min}) | ${edited.rssMb} |`,
  `| into an empty folder (${platformsFirst.objects} objects) | ${platformsFirst.ms} (${platformsFirst.min}) | ${platformsFirst.rssMb} |`,
  `| \`npx cdk8s synth\` | ${cli.ms} (${cli.min}) | |`,
  `| \`npx cdk8s --version\`: the CLI's own start, before any app runs | ${cliAlone.ms} (${cliAlone.min}) | |`,
  '',
];
fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
