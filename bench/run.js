#!/usr/bin/env node
// npm run bench: renders N = 10, 100, 1000 generated web services through the library and as a
// plain cdk8s-plus-27 chart, and the four real platforms, each run in a fresh process (cold),
// 5 times; prints medians of wall time and peak RSS with the ratios, and writes bench/RESULTS.md.
// Never part of the tests: timings belong here, not in CI.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const bundle = path.join(root, 'node_modules', '.cache', 'trading-platform-manifests', 'bench-case.js');

require('esbuild').buildSync({
  entryPoints: [path.join(__dirname, 'case.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  outfile: bundle,
  logLevel: 'warning',
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs a command RUNS times, each in a fresh process; medians of wall ms and peak RSS MB. */
function measure(label, command, args, parse, prepare) {
  const walls = [];
  const rss = [];
  let objects;
  for (let i = 0; i < RUNS; i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-bench-'));
    if (prepare) prepare(out);
    const start = process.hrtime.bigint();
    const r = spawnSync(command, args(out), { cwd: root, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    fs.rmSync(out, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`${label} failed:\n${r.stderr}`);
    walls.push(wall);
    const parsed = parse ? parse(r) : {};
    if (parsed.rssMb !== undefined) rss.push(parsed.rssMb);
    objects = parsed.objects ?? objects;
  }
  const result = { label, ms: Math.round(median(walls)), rssMb: rss.length ? median(rss) : undefined, objects };
  process.stderr.write(`${label}: ${result.ms} ms${result.rssMb ? `, ${result.rssMb} MB` : ''}${objects ? `, ${objects} objects` : ''}\n`);
  return result;
}

const fromJson = (r) => JSON.parse(r.stdout.trim().split('\n').pop());
const nodeCase = (kind, n) => (out) => [bundle, kind, String(n), out];

const rows = [];
for (const n of SIZES) {
  const ours = measure(`library, ${n} services`, process.execPath, nodeCase('ours', n), fromJson);
  // The common case: render again over an existing output (unchanged files are linked, not written).
  const again = measure(`library, ${n} services, re-render`, process.execPath, nodeCase('ours', n), fromJson, (out) => {
    spawnSync(process.execPath, nodeCase('ours', n)(out), { cwd: root });
  });
  const plain = measure(`plain cdk8s-plus-27, ${n} services`, process.execPath, nodeCase('plain', n), fromJson);
  rows.push({ n, ours, again, plain });
}
const platformsRender = measure('four platforms × three envs, render', process.execPath, nodeCase('platforms', '-'), fromJson);
const cli = measure('four platforms × three envs, npx cdk8s synth', 'npx', () => ['--no-install', 'cdk8s', 'synth', '--check-upgrade', 'false']);

const date = new Date().toISOString().slice(0, 10);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  '# Benchmark results',
  '',
  `Measured ${date} with \`npm run bench\` on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
  `Each figure is the median of ${RUNS} runs, each in a fresh process (cold start included): wall time and peak resident memory.`,
  '',
  '## N generated web services in one env',
  '',
  'The library renders each service as Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy and',
  'a hashed ConfigMap, and runs every check (input, schema, unknown fields, policy) before an atomic write. The plain chart',
  'renders Deployment, Service, ConfigMap and HorizontalPodAutoscaler with cdk8s-plus-27 and `app.synth()`, with no checks.',
  '',
  '"first" writes into an empty folder; "again" renders over the previous output, as a synth after an edit does.',
  '',
  '| N | library first ms | library again ms | library MB | library objects | plain ms | plain MB | plain objects | time ratio first / again | memory ratio |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    ({ n, ours, again, plain }) =>
      `| ${n} | ${ours.ms} | ${again.ms} | ${ours.rssMb} | ${ours.objects} | ${plain.ms} | ${plain.rssMb} | ${plain.objects} | ${(ours.ms / plain.ms).toFixed(2)} / ${(again.ms / plain.ms).toFixed(2)} | ${(ours.rssMb / plain.rssMb).toFixed(2)} |`,
  ),
  '',
  '## The four platforms × three envs',
  '',
  '| what | ms | MB | objects |',
  '| --- | ---: | ---: | ---: |',
  `| render, validate, check policy, write (\`node scripts/app.js\` equivalent) | ${platformsRender.ms} | ${platformsRender.rssMb} | ${platformsRender.objects} |`,
  `| \`npx cdk8s synth\` (CLI start included) | ${cli.ms} | | |`,
  '',
];
fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
