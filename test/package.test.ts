import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The library as another GitOps repo gets it: `npm pack`, the tarball unpacked into a consumer
// folder (examples/consumer) whose other dependencies come from this checkout, offline. The
// consumer uses only the package's entry points; it type-checks, renders, and its own test passes.

const repo = path.resolve(__dirname, '..');
let tmp: string;
let consumer: string;
let packed: string[];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-pack-'));
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: repo, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
  packed = info.files.map((f: { path: string }) => f.path);
  consumer = path.join(tmp, 'consumer');
  fs.cpSync(path.join(repo, 'examples', 'consumer'), consumer, { recursive: true });
  const modules = path.join(consumer, 'node_modules');
  const installed = path.join(modules, '@trading-platform', 'manifests');
  fs.mkdirSync(installed, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', path.join(tmp, info.filename), '-C', installed, '--strip-components=1']);
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  // Everything else the consumer needs, from this checkout (no network).
  for (const entry of fs.readdirSync(path.join(repo, 'node_modules'))) {
    if (entry === '.bin' || entry === '@trading-platform' || entry.startsWith('.')) continue;
    fs.symlinkSync(path.join(repo, 'node_modules', entry), path.join(modules, entry));
  }
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the packed library', () => {
  it('holds compiled JavaScript, declarations and the docs, and nothing of the repo besides', () => {
    expect(packed).toContain('lib/src/index.js');
    expect(packed).toContain('lib/src/index.d.ts');
    expect(packed).toContain('lib/src/testing.js');
    expect(packed).toContain('lib/src/testing.d.ts');
    expect(packed).toContain('lib/app/synthesize.js');
    expect(packed).toContain('lib/app/synthesize.d.ts');
    expect(packed).toContain('README.md');
    for (const p of packed) expect(p, p).toMatch(/^(lib\/|README\.md$|CHANGELOG\.md$|package\.json$)/);
    expect(packed.some((p) => p.includes('main.'))).toBe(false); // the repo's own app is not part of the library
  });

  it('serves a consumer that imports only its entry points: it type-checks, renders and passes its test', () => {
    const sources = ['main.ts', 'platform.ts', 'overlays/index.ts', 'test/platform.test.ts'].map((f) => fs.readFileSync(path.join(consumer, f), 'utf8'));
    for (const s of sources) expect(s).not.toMatch(/from '(\.\.\/)+src|@trading-platform\/manifests\/lib/);

    const tsc = spawnSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'], { cwd: consumer, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr, 'tsc').toBe('');

    const app = path.join(consumer, 'app.js');
    require(path.join(repo, 'node_modules', 'esbuild')).buildSync({ entryPoints: [path.join(consumer, 'main.ts')], bundle: true, platform: 'node', packages: 'external', outfile: app, logLevel: 'error' });
    const run = spawnSync(process.execPath, [app], { cwd: consumer, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(fs.readdirSync(path.join(consumer, 'dist')).sort()).toEqual(['README.md', 'dev', 'prod']);
    expect(fs.readFileSync(path.join(consumer, 'dist', 'prod', 'quotes', 'api-horizontalpodautoscaler.yaml'), 'utf8')).toContain('maxReplicas: 4');

    const vitest = spawnSync(process.execPath, [path.join(repo, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', consumer], { cwd: consumer, encoding: 'utf8' });
    expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toMatch(/2 passed/);
  }, 120_000);
});

describe("the README's consumer install", () => {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const start = readme.indexOf('npm pack --pack-destination /tmp');
  const block = readme.slice(start, readme.indexOf('```', start));
  const installs = block.split('\n').filter((l) => l.startsWith('npm install '));
  const args = installs.flatMap((l) => l.split('#')[0].trim().split(/\s+/).slice(2)).filter((a) => !a.startsWith('-'));
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const consumerPkg = JSON.parse(fs.readFileSync(path.join(repo, 'examples', 'consumer', 'package.json'), 'utf8'));
  const consumerPins: Record<string, string> = { ...consumerPkg.dependencies, ...consumerPkg.devDependencies };
  const rootPins: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };

  it('installs the library from the tarball npm pack writes, and saves exact versions', () => {
    expect(installs.length).toBeGreaterThan(0);
    for (const l of installs) expect(l, l).toContain('--save-exact');
    expect(args).toContain(`/tmp/${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`);
    expect(consumerPins[pkg.name], 'a bare npm install must not fetch the library from a registry').toBeUndefined();
  });

  it('pins every other package to the version the example and this repo use, typescript and @types/node included', () => {
    const pinned = Object.fromEntries(args.filter((a) => !a.startsWith('/')).map((a) => {
      const m = /^(@?[^@\s]+)@(\d+\.\d+\.\d+)$/.exec(a);
      expect(m, `${a} is not pinned to an exact version`).not.toBeNull();
      return [m![1], m![2]];
    }));
    expect(pinned).toEqual(consumerPins);
    expect(Object.keys(pinned)).toEqual(expect.arrayContaining(['typescript', '@types/node']));
    for (const [name, version] of Object.entries(pinned)) if (rootPins[name]) expect(version, name).toBe(rootPins[name]);
  });
});
