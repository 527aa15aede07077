import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDigestWaiver, scratchCopy } from './helpers';

// The runner (scripts/bundled.js) renders the current sources whatever state its caches are in:
// bundles and code caches that other code, other processes or damage left behind are found out,
// discarded with one line on stderr, and rebuilt. One scratch copy for the whole file, with its
// own vendor bundle (the other tests share the checkout's), and node run directly.

let dir: string;
let bundles: string;
let vendorDir: string;

/** A scratch copy whose node_modules links every package of the checkout's but holds its own cache folder. */
function copyWithOwnVendorCache(): string {
  const copy = scratchCopy();
  const modules = path.join(copy, 'node_modules');
  const real = fs.realpathSync(modules);
  fs.unlinkSync(modules);
  fs.mkdirSync(modules);
  for (const name of fs.readdirSync(real)) if (name !== '.cache') fs.symlinkSync(path.join(real, name), path.join(modules, name));
  const shared = path.join(real, '.cache', 'trading-platform-manifests');
  if (fs.existsSync(shared)) fs.cpSync(shared, path.join(modules, '.cache', 'trading-platform-manifests'), { recursive: true });
  return copy;
}

const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DEBUG'));
// V8 fed damaged cached data can crash or spin: a run that hangs fails instead.
const TIMEOUT = 20_000;
const app = (args: string[] = [], preload: string[] = [], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [...preload, path.join(dir, 'scripts', 'app.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...ENV, ...env }, timeout: TIMEOUT });
const runnerLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('runner: '));

/** Runs synth; it must render (exit 0 and its report), and print what the runner says. */
function synth(...preload: string[]): string[] {
  const run = app([], preload);
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/^rendered and checked \d+ objects/m);
  return runnerLines(run.stderr);
}

const releaseFile = (env: string) => path.join(dir, 'overlays', 'releases', `${env}.json`);
const release = (env: string) => JSON.parse(fs.readFileSync(releaseFile(env), 'utf8'));
/** The image with a tag of the same length: its last digit changed. */
function sameLength(image: string): string {
  const m = /(\d)(\D*)$/.exec(image)!;
  return `${image.slice(0, m.index)}${(Number(m[1]) + 1) % 10}${m[2]}`;
}
/** Replaces an image in a release file in place: the same size, when `next` has the same length. */
function setImage(env: string, image: string, next: string): void {
  const text = fs.readFileSync(releaseFile(env), 'utf8');
  expect(text).toContain(`"${image}"`);
  fs.writeFileSync(releaseFile(env), text.replace(`"${image}"`, `"${next}"`));
}
/** The images dist/ holds for Breakout Bot's api in prod. */
// The engine's file: a StatefulSet (a singleton), or a Deployment.
const apiFile = () => fs.readdirSync(path.join(dir, 'dist', 'prod', 'breakout-bot')).find((f) => /^api-(statefulset|deployment)\.yaml$/.test(f))!;
const renderedApi = () => [...new Set([...fs.readFileSync(path.join(dir, 'dist', 'prod', 'breakout-bot', apiFile()), 'utf8').matchAll(/image: (\S*breakout-bot-api\S*)/g)].map((m) => m[1]))];
const prodApi = () => release('prod')['breakout-bot'].api as string;
/** The app's code cache files, by name and content. */
const codeCaches = () =>
  fs
    .readdirSync(bundles)
    .filter((f) => f.endsWith('.cache'))
    .map((f) => ({ f, bytes: fs.readFileSync(path.join(bundles, f)) }));

beforeAll(() => {
  dir = copyWithOwnVendorCache();
  bundles = path.join(dir, '.cache', 'bundles');
  vendorDir = path.join(dir, 'node_modules', '.cache', 'trading-platform-manifests');
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('synth renders the current sources', () => {
  it('after a same-length release edit, promote, then synth (the promote parent ran the old bundle)', () => {
    // Prod runs by digest: the images this test moves get one, then move by one digit of it.
    const pinned = release('prod')['breakout-bot'];
    for (const service of ['api', 'frontend']) {
      setImage('prod', pinned[service], `${pinned[service].split('@')[0]}@sha256:${'1'.repeat(64)}`);
      dropDigestWaiver(dir, 'prod', pinned[service]);
    }
    synth();
    const api = prodApi();
    const next = sameLength(api);
    const prod = release('prod')['breakout-bot'];
    const frontend = sameLength(prod.frontend);
    const demo = release('demo');
    demo['breakout-bot'] = { ...prod, api: next, frontend };
    fs.writeFileSync(releaseFile('demo'), `${JSON.stringify(demo, null, 2)}\n`);

    const promote = app(['promote', 'breakout-bot', 'demo', 'prod']);
    expect(promote.status, promote.stderr).toBe(0);
    expect(prodApi()).toBe(next);
    const caches = codeCaches();
    synth();
    expect(renderedApi()).toEqual([next]);
    // The code cache the promote's render wrote, for the current bundle, is the one used: no
    // process that ran the old bundle replaced it, so this synth had none to write.
    expect(codeCaches()).toEqual(caches);
  });

  it('after a new file changed what an import resolves to', () => {
    // charts/index.ts imports './breakout-bot', today charts/breakout-bot/index.ts; a file
    // charts/breakout-bot.ts comes first. The bundle is current (the last test's synth).
    const shadow = path.join(dir, 'charts', 'breakout-bot.ts');
    expect(fs.readFileSync(path.join(dir, 'charts', 'index.ts'), 'utf8')).toContain("from './breakout-bot'");
    fs.writeFileSync(shadow, "export * from './breakout-bot/index';\nthrow new Error('charts/breakout-bot.ts ran');\n");
    try {
      const run = app();
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('charts/breakout-bot.ts ran');
    } finally {
      fs.rmSync(shadow);
    }
  });
});

// The runs below use a small entry of the same runner, so that each takes a tenth of a synth: it
// prints prod's release as YAML, through js-yaml (its vendor bundle), and a class field whose
// value depends on tsconfig.json (useDefineForClassFields).
const PROBE = `import { dump } from 'js-yaml';
import prod from './overlays/releases/prod.json';
class Base {
  constructor() {
    (this as { field?: string }).field = 'set by the base class';
  }
}
class Child extends Base {
  field?: string;
}
process.stdout.write(dump(prod));
process.stdout.write(\`field: \${new Child().field}\\n\`);
`;

/** Runs the probe; it must print the current prod release and `field`; returns what the runner says. */
function probe(field = 'undefined'): string[] {
  const run = spawnSync(process.execPath, [path.join(dir, 'probe.js')], { cwd: dir, encoding: 'utf8', env: ENV, timeout: TIMEOUT });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toBe(`${dump(release('prod'))}field: ${field}\n`);
  return runnerLines(run.stderr);
}

describe('the runner runs the current sources (a small entry)', () => {
  beforeAll(() => {
    fs.writeFileSync(path.join(dir, 'probe.ts'), PROBE);
    fs.writeFileSync(path.join(dir, 'probe.js'), "require('./scripts/bundled').run('probe.ts');\n");
    probe(); // builds its bundles
  });

  it('after tsconfig.json changed how the code compiles', () => {
    const tsconfig = path.join(dir, 'tsconfig.json');
    const text = fs.readFileSync(tsconfig, 'utf8');
    const changed = JSON.parse(text);
    changed.compilerOptions.useDefineForClassFields = false;
    fs.writeFileSync(tsconfig, JSON.stringify(changed));
    try {
      probe('set by the base class');
    } finally {
      fs.writeFileSync(tsconfig, text);
    }
    probe();
  });

  it('after a same-size edit whose time stamp was put back', () => {
    const fixed = new Date('2026-01-01T00:00:00Z');
    fs.utimesSync(releaseFile('prod'), fixed, fixed);
    probe();
    const before = fs.statSync(releaseFile('prod'));
    setImage('prod', prodApi(), sameLength(prodApi()));
    fs.utimesSync(releaseFile('prod'), fixed, fixed);
    const after = fs.statSync(releaseFile('prod'));
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
    probe();
  });

  it('after a source changed between esbuild reading it and the runner recording what it read', () => {
    // The edit lands when esbuild's build returns, before anything else the runner does.
    const hook = path.join(dir, 'edit-after-build.js');
    fs.writeFileSync(
      hook,
      `const Module = require('node:module');
const fs = require('node:fs');
const { EDIT_FILE, EDIT_FROM, EDIT_TO } = process.env;
const edit = () => fs.writeFileSync(EDIT_FILE, fs.readFileSync(EDIT_FILE, 'utf8').replace(EDIT_FROM, EDIT_TO));
const load = Module._load;
Module._load = function (request) {
  const real = load.apply(this, arguments);
  if (request !== 'esbuild') return real;
  return { ...real, buildSync: (o) => { const r = real.buildSync(o); edit(); return r; }, build: async (o) => { const r = await real.build(o); edit(); return r; } };
};
`,
    );
    const built = sameLength(prodApi());
    setImage('prod', prodApi(), built); // the bundle is stale: the next run builds it
    const edited = sameLength(built);
    const env = { ...ENV, EDIT_FILE: releaseFile('prod'), EDIT_FROM: `"${built}"`, EDIT_TO: `"${edited}"` };
    const during = spawnSync(process.execPath, ['-r', hook, path.join(dir, 'probe.js')], { cwd: dir, encoding: 'utf8', env, timeout: TIMEOUT });
    expect(during.status, during.stderr).toBe(0);
    expect(during.stdout).toContain(built); // what esbuild read
    expect(prodApi()).toBe(edited);
    probe();
  });

  it('when the code cache was made from another bundle of the same length', () => {
    const codeCaches = () => fs.readdirSync(bundles).filter((f) => f.startsWith('probe.js.') && f.endsWith('.cache'));
    probe(); // the current bundle's code cache is there
    expect(codeCaches()).toHaveLength(1);
    const other = fs.readFileSync(path.join(bundles, codeCaches()[0]));
    setImage('prod', prodApi(), sameLength(prodApi()));
    probe();
    expect(codeCaches()).toHaveLength(1);
    for (const f of codeCaches()) fs.writeFileSync(path.join(bundles, f), other);
    expect(probe()).toEqual([expect.stringMatching(/^runner: discarded \.cache\/bundles\/probe\.js\.\w+\.cache: it was made from other code/)]);
  });

});

// Every file the runner keeps for the probe, by what it is: found by name, so the test names no hash.
const FILES = {
  'app bundle': () => path.join(bundles, 'probe.js'),
  'app stamp': () => path.join(bundles, 'probe.json'),
  'app code cache': () => only(bundles, (f) => f.startsWith('probe.js.') && f.endsWith('.cache')),
  'vendor bundle': () => only(vendorDir, (f) => f.startsWith('probe.') && f.endsWith('.js')),
  'vendor stamp': () => only(vendorDir, (f) => f.startsWith('probe.') && f.endsWith('.json')),
  'vendor code cache': () => only(vendorDir, (f) => f.startsWith('probe.') && f.endsWith('.cache')),
} as const;
type Kept = keyof typeof FILES;

function only(folder: string, match: (name: string) => boolean): string {
  const found = fs.readdirSync(folder).filter(match);
  expect(found, `${folder}: ${fs.readdirSync(folder).join(', ')}`).toHaveLength(1);
  return path.join(folder, found[0]);
}

const DAMAGE = {
  // One bit in each of 16 bytes from the middle on; inside a run of hex digits when there is one
  // there (a stamp's hashes), where the file still looks well-formed.
  'flipped bytes': (b: Buffer) => {
    const out = Buffer.from(b);
    const middle = Math.floor(b.length / 2);
    const hex = /[0-9a-f]{16}/.exec(b.subarray(middle).toString('latin1'));
    const at = middle + (hex?.index ?? 0);
    for (let i = at; i < at + 16; i++) out[i] ^= 0x01;
    return out;
  },
  truncation: (b: Buffer) => b.subarray(0, Math.floor(b.length / 2)),
  // The bundle without its last statement (the probe's write, the vendor's exports): valid JavaScript.
  'a cut at its last statement': (b: Buffer) => {
    const text = b.toString('utf8');
    const at = Math.max(text.lastIndexOf('\nprocess.stdout.write('), text.lastIndexOf('\nmodule.exports = '));
    expect(at).toBeGreaterThan(0);
    return Buffer.from(text.slice(0, at + 1));
  },
};

// Pairs damaged in one run: the app's and the vendor's checks are independent of each other.
const RUNS: [keyof typeof DAMAGE, Kept, Kept][] = [
  ['flipped bytes', 'app stamp', 'vendor code cache'],
  ['flipped bytes', 'app bundle', 'vendor stamp'],
  ['flipped bytes', 'app code cache', 'vendor bundle'],
  ['truncation', 'app stamp', 'vendor code cache'],
  ['truncation', 'app bundle', 'vendor stamp'],
  ['truncation', 'app code cache', 'vendor bundle'],
  ['a cut at its last statement', 'app bundle', 'vendor bundle'],
];

describe('a damaged cache file is discarded with one line, and the run renders', () => {
  it.each(RUNS)('%s in the %s and the %s', (damage, ...kept) => {
    const files = kept.map((k) => FILES[k]());
    for (const file of files) fs.writeFileSync(file, DAMAGE[damage](fs.readFileSync(file)));
    const lines = probe();
    expect(lines.map((l) => /^runner: discarded (\S+):/.exec(l)?.[1]).sort()).toEqual(files.map((f) => path.relative(dir, f)).sort());
    // Each damaged file is there again, rebuilt (a code cache is rewritten when the run ends);
    // the next run finds it sound, or says so.
    for (const k of kept) expect(fs.existsSync(FILES[k]()), k).toBe(true);
  });

  it('heals: the run after the last damage has nothing to say', () => {
    expect(probe()).toEqual([]);
  });
});
