import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseReference } from '../app/registry';
import { containersOf, podSpecOf } from '../src/documents';
import { parseImage } from '../src/image';
import { renderedPlatforms, scratchCopy } from './helpers';
import { bearerFront, pushIndex, REGISTRY_BINARY, startRegistry, TestRegistry } from './registry-server';

// `npm run pin -- prod` on a copy of the project against a real registry (docker-registry) on
// loopback: every registry prod names is mapped to it with --registry, ghcr.io through a front
// that asks for a Bearer token first, as ghcr.io and Docker Hub do.

const run = (dir: string, ...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    // Asynchronous: the token front answers from this process while the command runs.
    execFile(process.execPath, ['scripts/app.js', ...args], { cwd: dir, encoding: 'utf8' }, (e, stdout, stderr) => resolve({ status: e ? Number(e.code ?? 1) : 0, stdout, stderr }));
  });

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe.skipIf(!REGISTRY_BINARY)('npm run pin against a real registry', () => {
  let dir: string;
  let registry: TestRegistry;
  let front: Awaited<ReturnType<typeof bearerFront>>;
  /** Index digest of every tag-only image prod runs, as the registry computed it on push. */
  const pushed = new Map<string, string>();
  const file = (rel: string) => path.join(dir, rel);
  const read = (rel: string) => fs.readFileSync(file(rel), 'utf8');
  const prodImages = () => [
    ...new Set(
      renderedPlatforms()
        .objects.filter((o) => o.env === 'prod')
        .flatMap((o) => (podSpecOf(o.doc) ? containersOf(podSpecOf(o.doc)!).map(({ c }) => c.image as string) : []))
        .filter((image) => !parseImage(image)?.digest),
    ),
  ];
  const registries = () => [...new Set(prodImages().map((i) => normaliseReference(i)!.registry))].flatMap((r) => ['--registry', `${r}=${r === 'ghcr.io' ? front.url : registry.url}`]);

  beforeAll(async () => {
    dir = scratchCopy();
    registry = await startRegistry();
    front = await bearerFront(registry.url);
    for (const image of prodImages()) {
      const ref = normaliseReference(image)!;
      const digest = await pushIndex(registry.url, ref.name, ref.tag!);
      expect(digest.registry).toBe(digest.local);
      pushed.set(image, digest.registry);
    }
  });
  afterAll(async () => {
    await front?.stop();
    await registry?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails when a tag does not exist, a registry announces a digest its manifest does not have or the tag moves while read, naming env, platform, service and image, and writes nothing', async () => {
    const releaseFile = 'overlays/releases/prod.json';
    const before = read(releaseFile);
    const release = JSON.parse(before);
    const platform = Object.keys(release)[0];
    const [service, ...others] = Object.keys(release[platform]);
    const [lied, moved] = others.filter((s) => normaliseReference(release[platform][s])!.registry === 'ghcr.io');
    front.lieAbout.add(normaliseReference(release[platform][lied])!.name);
    front.moveOnGet.add(normaliseReference(release[platform][moved])!.name);
    const missing = `${release[platform][service]}-never-pushed`;
    const edited = `${JSON.stringify({ ...release, [platform]: { ...release[platform], [service]: missing } }, null, 2)}\n`;
    fs.writeFileSync(file(releaseFile), edited);
    const overlay = read('overlays/prod.ts');
    const dist = read(`dist/prod/${platform}/kustomization.yaml`) + fs.readdirSync(file(`dist/prod/${platform}`)).map((f) => read(`dist/prod/${platform}/${f}`)).join('');

    const result = await run(dir, 'pin', 'prod', ...registries());
    const left = read(releaseFile);
    front.lieAbout.clear();
    front.moveOnGet.clear();
    fs.writeFileSync(file(releaseFile), before);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`pin prod failed; nothing was written:\n`);
    expect(result.stderr).toMatch(new RegExp(`  prod/${platform}/${service}: image "${esc(missing)}": http://127\\.0\\.0\\.1:\\d+ \\(.+\\) .+: no such tag \\(HTTP 404`));
    expect(result.stderr).toMatch(new RegExp(`  prod/${platform}/${lied}: image "${esc(release[platform][lied])}": .+: the manifest hashes to ${esc(pushed.get(release[platform][lied])!)}, not to the announced sha256:[0-9a-f]{64}; nothing is recorded from this registry\n`));
    expect(result.stderr).toMatch(new RegExp(`  prod/${platform}/${moved}: image "${esc(release[platform][moved])}": .+: the tag moved from ${esc(pushed.get(release[platform][moved])!)} to sha256:[0-9a-f]{64} while it was read; run again\n`));
    expect(result.stdout).toBe('');
    expect(left).toBe(edited);
    expect(read('overlays/prod.ts')).toBe(overlay);
    expect(read(`dist/prod/${platform}/kustomization.yaml`) + fs.readdirSync(file(`dist/prod/${platform}`)).map((f) => read(`dist/prod/${platform}/${f}`)).join('')).toBe(dist);
  });

  it('writes each tag\'s index digest as the registry computed it, deletes the waivers left unused, and re-renders', async () => {
    const release: Record<string, Record<string, string>> = JSON.parse(read('overlays/releases/prod.json'));
    const result = await run(dir, 'pin', 'prod', ...registries());
    expect(result.status, result.stderr).toBe(0);

    const pinned: Record<string, Record<string, string>> = JSON.parse(read('overlays/releases/prod.json'));
    const expected = Object.fromEntries(Object.entries(release).map(([p, services]) => [p, Object.fromEntries(Object.entries(services).map(([s, image]) => [s, `${image}@${pushed.get(image)}`]))]));
    expect(pinned).toEqual(expected);
    for (const [p, services] of Object.entries(release)) for (const [s, image] of Object.entries(services)) expect(result.stdout).toContain(`prod/${p}/${s}: ${image} -> ${image}@${pushed.get(image)}\n`);
    // ghcr.io's tags were read with the token its challenge pointed to, for their repository.
    const ghcr = Object.values(release).flatMap((s) => Object.values(s)).filter((i) => normaliseReference(i)!.registry === 'ghcr.io');
    for (const image of ghcr) expect(front.scopes).toContain(`test-registry repository:${normaliseReference(image)!.name}:pull`);

    // Images the overlay sets stay tag-only: printed pinned, to paste, and their waivers kept.
    const inRelease = new Set(Object.values(release).flatMap((s) => Object.values(s)));
    const fromOverlay = [...pushed.keys()].filter((i) => !inRelease.has(i));
    const overlay = read('overlays/prod.ts');
    for (const image of fromOverlay) {
      expect(result.stdout).toMatch(new RegExp(`prod: overlays/prod.ts [\\w.]+image: '${esc(image)}@${pushed.get(image)}'`));
      expect(overlay).toContain(`'${image}':`);
    }
    for (const image of inRelease) expect(overlay).not.toContain(`'${image}':`);

    // dist/ was rendered from the pinned release: every pod runs the digest.
    const platform = Object.keys(release)[0];
    const manifests = fs.readdirSync(file(`dist/prod/${platform}`)).map((f) => read(`dist/prod/${platform}/${f}`)).join('\n');
    for (const image of Object.values(pinned[platform])) expect(manifests).toContain(`image: ${image}\n`);
    expect(manifests).not.toMatch(new RegExp(`image: (${Object.values(release[platform]).map(esc).join('|')})\n`));
  });
});

describe.skipIf(REGISTRY_BINARY)('npm run pin against a real registry', () => {
  it.skip('needs docker-registry on PATH (apt-get install docker-registry)', () => {});
});
