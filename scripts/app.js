#!/usr/bin/env node
// The app command of cdk8s.yaml: runs src/main.ts without type-checking (tsc --noEmit runs in
// `npm test`). The project's own TypeScript is bundled by esbuild into one CommonJS file, with
// node_modules left external, and rebuilt only when a source file is newer than the bundle.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// One bundle per checkout: a copy of the project that shares node_modules (a worktree, a test's
// scratch copy) must never run another checkout's code.
const key = require('node:crypto').createHash('sha256').update(root).digest('hex').slice(0, 12);
const bundle = path.join(root, 'node_modules', '.cache', 'trading-platform-manifests', key, 'main.js');
const SOURCES = ['src', 'charts', 'overlays'];

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') || e.name.endsWith('.json')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const s of SOURCES) walk(path.join(root, s));
  return Math.max(newest, fs.statSync(path.join(root, 'package-lock.json')).mtimeMs);
}

function stale() {
  try {
    return fs.statSync(bundle).mtimeMs < newestSource();
  } catch {
    return true;
  }
}

if (stale()) {
  require('esbuild').buildSync({
    entryPoints: [path.join(root, 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    outfile: bundle,
    logLevel: 'warning',
  });
}
process.chdir(root);
require(bundle);
