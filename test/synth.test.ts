import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import type { Overlay } from '../charts/types';
import { overlays } from '../overlays';
import { synthesize } from '../app/synthesize';
import { writeAtomically } from '../app/write';
import { InputError, render, Rendered } from '../src';
import { parseImage } from '../src/image';
import { renderedPlatforms } from './helpers';

// One render shared by the tests that exercise the writer or compare with it; the others synthesize for real.
let base: Rendered | undefined;
const rendered = () => (base ??= renderedPlatforms());
const write = (o: { outdir: string; envs?: readonly string[]; listingDir?: string }) =>
  writeAtomically({ files: rendered().files, envs: o.envs ?? rendered().envs, outdir: o.outdir, listingDir: o.listingDir });

/** Every file under `dir` with its content, by relative path. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** The real overlays with prod's backend image replaced. */
/** The repository prod's peripheral backend runs, from the release file: the tests name builds of it. */
const BACKEND = parseImage(overlays.prod.peripheral.images.backend)!.repository;
/** A build of it that no release names. */
const OTHER_BUILD = `${BACKEND}@sha256:${'1'.repeat(64)}`;

function withProdBackendImage(image: string): Record<string, Overlay> {
  const prod = overlays.prod;
  return { ...overlays, prod: { ...prod, peripheral: { ...prod.peripheral, images: { ...prod.peripheral.images, backend: image } } } };
}

describe('determinism', () => {
  it('renders byte-identical files twice in one process', () => {
    const b = render(overlays, platforms);
    expect([...b.files.entries()]).toEqual([...rendered().files.entries()]);
  });

  it('renders the same files whatever the key order of the overlay', () => {
    const reversed = (o: any): any =>
      Array.isArray(o) ? o.map(reversed) : o && typeof o === 'object' ? Object.fromEntries(Object.keys(o).reverse().map((k) => [k, reversed(o[k])])) : o;
    // every object inside each overlay reversed; the order of the envs themselves is the column order of the env pages
    const b = render(Object.fromEntries(Object.entries(overlays).map(([k, v]) => [k, reversed(v)])), platforms);
    expect(Object.fromEntries(b.files)).toEqual(Object.fromEntries(rendered().files));
  });

  it('writes no timestamps, absolute paths or construct addresses', () => {
    const all = [...rendered().files.values()].join('\n');
    expect(all).not.toMatch(/\b20[0-9]{2}-[01][0-9]-[0-3][0-9]T/);
    expect(all).not.toContain(process.cwd());
    expect(all).not.toContain(os.homedir() + '/');
    expect(all).not.toContain('cdk8s.io/metadata.addr');
  });

  it('changes only the objects whose input changed', () => {
    const a = rendered().files;
    const b = render(withProdBackendImage(OTHER_BUILD), platforms).files;
    const changed = [...b.keys()].filter((k) => a.get(k) !== b.get(k));
    const removed = [...a.keys()].filter((k) => !b.has(k));
    // the backend Deployment, and the migration Job (renamed, so the kustomization and the list of
    // Secret readers name a new file)
    expect(changed.sort()).toEqual([
      'README.md', // the overview compares the envs' images
      'prod/SECRETS.md',
      'prod/peripheral/README.md', // the page lists the Job by name
      'prod/peripheral/backend-deployment.yaml',
      'prod/peripheral/kustomization.yaml',
      expect.stringMatching(/^prod\/peripheral\/migrate-[0-9a-f]{10}-job\.yaml$/),
    ]);
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatch(/^prod\/peripheral\/migrate-[0-9a-f]{10}-job\.yaml$/);
  });
});

describe('writing dist/', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-dist-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('writes every env folder, and nothing else once done', () => {
    write({ outdir });
    expect(fs.readdirSync(outdir).sort()).toEqual(['README.md', 'demo', 'dev', 'prod']);
    const written = tree(outdir);
    const expected = Object.fromEntries(rendered().files);
    expect(written).toEqual(expected);
  });

  it('leaves the previous output exactly as it was when the input is wrong', () => {
    write({ outdir });
    const before = tree(outdir);
    expect(() => synthesize({ overlays: withProdBackendImage(`${BACKEND}:latest`), platforms, outdir })).toThrow(InputError);
    expect(tree(outdir)).toEqual(before);
  });

  it('leaves the previous output as it was when a chart crashes', () => {
    write({ outdir });
    const before = tree(outdir);
    const crashing = [{ name: 'peripheral', build: () => { throw new Error('boom'); } }];
    expect(() => synthesize({ overlays, platforms: crashing as any, outdir })).toThrow(/dev\/peripheral: unexpected error .*: boom/);
    expect(tree(outdir)).toEqual(before);
  });

  it('replaces an env folder whole: files of removed objects disappear', () => {
    write({ outdir });
    fs.writeFileSync(path.join(outdir, 'prod', 'peripheral', 'old-deployment.yaml'), 'stale');
    write({ outdir });
    expect(fs.existsSync(path.join(outdir, 'prod', 'peripheral', 'old-deployment.yaml'))).toBe(false);
    expect(fs.readdirSync(outdir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('renders one env without touching the others', () => {
    write({ outdir });
    fs.writeFileSync(path.join(outdir, 'dev', 'marker'), 'kept');
    synthesize({ overlays, platforms, outdir, envs: ['prod'] });
    expect(fs.readFileSync(path.join(outdir, 'dev', 'marker'), 'utf8')).toBe('kept');
  });

  it('writes one platform of one env without touching the other folders or the pages', () => {
    write({ outdir });
    fs.writeFileSync(path.join(outdir, 'prod', 'tradebot', 'marker'), 'kept');
    fs.writeFileSync(path.join(outdir, 'prod', 'README.md'), 'kept');
    fs.writeFileSync(path.join(outdir, 'prod', 'peripheral', 'stale'), 'gone');
    synthesize({ overlays, platforms, outdir, envs: ['prod'], onlyPlatforms: ['peripheral'] });
    expect(fs.readFileSync(path.join(outdir, 'prod', 'tradebot', 'marker'), 'utf8')).toBe('kept');
    expect(fs.readFileSync(path.join(outdir, 'prod', 'README.md'), 'utf8')).toBe('kept');
    expect(fs.existsSync(path.join(outdir, 'prod', 'peripheral', 'stale'))).toBe(false);
    expect(() => synthesize({ overlays, platforms, outdir, onlyPlatforms: ['nope'] })).toThrow(/unknown platform "nope"; known platforms: peripheral, tradebot, breakout-bot, signals/);
  });

  it('refuses to write while another synth holds the lock, and writes nothing', () => {
    fs.mkdirSync(path.join(outdir, '.lock'));
    fs.writeFileSync(path.join(outdir, '.lock', 'pid'), String(process.ppid));
    expect(() => write({ outdir })).toThrow(/another synth \(pid \d+\) is writing/);
    expect(fs.readdirSync(outdir)).toEqual(['.lock']);
  });

  it('takes over a lock left by a process that no longer runs', () => {
    fs.mkdirSync(path.join(outdir, '.lock'));
    fs.writeFileSync(path.join(outdir, '.lock', 'pid'), '2147483646');
    write({ outdir });
    expect(fs.readdirSync(outdir).sort()).toEqual(['README.md', 'demo', 'dev', 'prod']);
  });

  it('restores an env folder that a killed synth had moved aside, and drops its staging folders', () => {
    write({ outdir });
    const prod = tree(path.join(outdir, 'prod'));
    // a synth killed (SIGKILL) between its two renames: prod moved aside, new prod not yet in place
    fs.renameSync(path.join(outdir, 'prod'), path.join(outdir, '.staging-2147483646-prod.old'));
    fs.mkdirSync(path.join(outdir, '.staging-2147483646-dev'));
    write({ outdir, envs: ['dev'] });
    expect(tree(path.join(outdir, 'prod'))).toEqual(prod);
    expect(fs.readdirSync(outdir).sort()).toEqual(['README.md', 'demo', 'dev', 'prod']);
  });

  it('links unchanged files from the previous output and writes changed ones', () => {
    write({ outdir });
    const unchanged = path.join(outdir, 'prod', 'peripheral', 'db-statefulset.yaml');
    const changed = path.join(outdir, 'prod', 'peripheral', 'backend-deployment.yaml');
    fs.writeFileSync(changed, 'edited by hand');
    const [unchangedBefore, changedBefore] = [fs.statSync(unchanged).ino, fs.statSync(changed).ino];
    write({ outdir });
    expect(fs.statSync(unchanged).ino).toBe(unchangedBefore); // the same file, linked into the new folder
    expect(fs.statSync(changed).ino).not.toBe(changedBefore);
    expect(fs.readFileSync(changed, 'utf8')).toContain('kind: Deployment');
  });

  it('leaves a folder whose files are all unchanged as it is, and replaces one that holds a stray file', () => {
    write({ outdir });
    const file = path.join(outdir, 'dev', 'peripheral', 'backend-deployment.yaml');
    const [folderBefore, fileBefore] = [fs.statSync(path.join(outdir, 'dev')).ino, fs.statSync(file).ino];
    write({ outdir });
    expect([fs.statSync(path.join(outdir, 'dev')).ino, fs.statSync(file).ino]).toEqual([folderBefore, fileBefore]);
    const stray = path.join(outdir, 'dev', 'peripheral', 'left-over-job.yaml');
    fs.writeFileSync(stray, 'kind: Job\n');
    write({ outdir });
    expect(fs.existsSync(stray)).toBe(false);
    expect(fs.statSync(path.join(outdir, 'dev')).ino).not.toBe(folderBefore);
    expect(fs.statSync(file).ino).toBe(fileBefore); // still linked, not rewritten
    expect(fs.readdirSync(outdir).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it('holds Ctrl-C and TERM while it writes, until the event loop has turned after it (test/interrupt.test.ts)', async () => {
    const counts = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const turn = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
    await turn(); // the holds of the writes before this one end
    const before = counts();
    write({ outdir });
    write({ outdir });
    // Still held (one handler for both writes): a signal that came during a write reaches its
    // handler only when the loop turns.
    expect(counts()).toEqual(before.map((n) => n + 1));
    await turn();
    expect(counts()).toEqual(before);
  });

  it('links every file into the listing folder for the cdk8s CLI', () => {
    const listing = path.join(outdir, 'listing');
    const out = path.join(outdir, 'dist');
    write({ outdir: out, listingDir: listing });
    expect(tree(listing)).toEqual(tree(out));
  });
});
