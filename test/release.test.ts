import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { overlays } from '../overlays';
import { parseImage } from '../src/image';
import { scratchCopy } from './helpers';

const run = (dir: string, ...args: string[]) => spawnSync(process.execPath, ['scripts/app.js', ...args], { cwd: dir, encoding: 'utf8' });
const release = (dir: string, env: string) => JSON.parse(fs.readFileSync(path.join(dir, 'overlays', 'releases', `${env}.json`), 'utf8'));
const releaseFile = (dir: string, env: string) => path.join(dir, 'overlays', 'releases', `${env}.json`);
const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, 'dist', rel), 'utf8');

describe('release commands on a copy of the project', () => {
  let dir: string;
  beforeEach(() => {
    dir = scratchCopy();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('npm run diff exits 0 when dist/ is current, and 1 with the changed fields when an overlay changed, whatever its time stamp', () => {
    expect(run(dir, 'diff').status).toBe(0);
    const prod = path.join(dir, 'overlays', 'prod.ts');
    fs.writeFileSync(prod, fs.readFileSync(prod, 'utf8').replace("restartSchedule: '0 0 * * *'", "restartSchedule: '30 1 * * *'"));
    // An older time stamp than the bundle's (a file put back by a tool that keeps time stamps):
    // the app still sees the change (scripts/bundled.js stamps path, time and size).
    fs.utimesSync(prod, new Date('2001-01-01'), new Date('2001-01-01'));
    const result = run(dir, 'diff');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('prod/signals/\n  ~ README.md\n  ~ daily-restart-cronjob.yaml\n      spec.schedule\n');
    expect(result.stdout).toContain('0 added, 0 removed, 2 changed');
  }, 60_000);

  it('release writes a build\'s digest into dev, and promote carries exactly what dev runs into demo', () => {
    // Made from the release files, whatever they hold: a platform whose every other service
    // already runs a digest, and one service released by the command.
    const dev = release(dir, 'dev');
    const platform = Object.keys(dev)[0];
    const services = Object.keys(dev[platform]);
    const digest = (n: number) => `sha256:${n.toString(16).padStart(64, 'e')}`;
    const at = (ref: string, n: number) => `${parseImage(ref)!.repository}@${digest(n)}`;
    const rest = Object.fromEntries(services.slice(1).map((s, i) => [s, at(dev[platform][s], i + 1)]));
    fs.writeFileSync(path.join(dir, 'overlays', 'releases', 'dev.json'), `${JSON.stringify({ ...dev, [platform]: { ...dev[platform], ...rest } }, null, 2)}\n`);
    const service = services[0];
    const image = at(dev[platform][service], 0);

    const released = run(dir, 'release', platform, service, image);
    expect(released.status, released.stderr).toBe(0);
    expect(release(dir, 'dev')[platform][service]).toBe(image);
    expect(released.stdout).toContain(`released ${image} as dev/${platform}/${service}`);
    const files = (env: string) => fs.readdirSync(path.join(dir, 'dist', env, platform)).map((f) => read(dir, `${env}/${platform}/${f}`));
    expect(files('dev').some((f) => f.includes(`image: ${image}\n`))).toBe(true);
    expect(files('dev').some((f) => f.includes(`image: ${dev[platform][service]}\n`))).toBe(false);

    const demoBefore = release(dir, 'demo');
    const promoted = run(dir, 'promote', platform, 'dev', 'demo');
    expect(promoted.status, promoted.stderr).toBe(0);
    const demoAfter = release(dir, 'demo');
    expect(demoAfter[platform]).toEqual(release(dir, 'dev')[platform]);
    expect({ ...demoAfter, [platform]: undefined }).toEqual({ ...demoBefore, [platform]: undefined }); // nothing else moved
    // A digest is one build: pulled once per node, and a new one is a new manifest, so it rolls out.
    expect(files('demo').some((f) => f.includes(`image: ${image}\n          imagePullPolicy: IfNotPresent\n`))).toBe(true);
    expect(promoted.stdout).toMatch(/containers\[name=[a-z-]+\]\.image\n/);
    expect(run(dir, 'diff').status).toBe(0); // dist/ is current after both
  }, 60_000);

  it('release refuses what is not one build of the service\'s repository, and names what it does not know', () => {
    const dev = release(dir, 'dev');
    const platform = Object.keys(dev)[0];
    const service = Object.keys(dev[platform])[0];
    const repo = parseImage(dev[platform][service])!.repository;
    const refused = (image: string) => run(dir, 'release', platform, service, image);
    expect(refused(`${repo}:main`).stderr).toContain(`dev/${platform}/${service}: image: "${repo}:main" names no digest`);
    expect(refused(`${repo}-other@sha256:${'f'.repeat(64)}`).stderr).toContain(`is from ${repo}-other, and the service runs ${repo}`);
    expect(run(dir, 'release', platform, 'nope', `${repo}@sha256:${'f'.repeat(64)}`).stderr).toContain(`dev/${platform}: unknown service "nope"`);
    expect(run(dir, 'release', 'nope', service, `${repo}@sha256:${'f'.repeat(64)}`).stderr).toContain('unknown platform "nope"');
    expect(release(dir, 'dev')).toEqual(dev);
  }, 60_000);

  it('promote refuses moving tags into a pinned env, leaves the release and dist/ as they were, and names what it does not know', () => {
    // A moving tag in dev, whatever the release file holds today.
    const dev = release(dir, 'dev');
    const platform = Object.keys(dev)[0];
    const service = Object.keys(dev[platform])[0];
    const moving = `${parseImage(dev[platform][service])!.repository}:main`;
    fs.writeFileSync(path.join(dir, 'overlays', 'releases', 'dev.json'), `${JSON.stringify({ ...dev, [platform]: { ...dev[platform], [service]: moving } }, null, 2)}\n`);
    const demoBefore = fs.readFileSync(path.join(dir, 'overlays', 'releases', 'demo.json'), 'utf8');
    const distBefore = fs.readdirSync(path.join(dir, 'dist', 'demo', platform)).map((f) => read(dir, `demo/${platform}/${f}`));
    const result = run(dir, 'promote', platform, 'dev', 'demo');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('was undone');
    expect(result.stderr).toContain(`"${moving}" uses the moving tag "main"; demo runs only pinned images`);
    expect(fs.readFileSync(path.join(dir, 'overlays', 'releases', 'demo.json'), 'utf8')).toBe(demoBefore);
    expect(fs.readdirSync(path.join(dir, 'dist', 'demo', platform)).map((f) => read(dir, `demo/${platform}/${f}`))).toEqual(distBefore);
    // and names what it does not know
    expect(run(dir, 'promote', 'nope', 'demo', 'prod').stderr).toContain('unknown platform "nope"');
    expect(run(dir, 'promote', 'peripheral', 'demo', 'staging').stderr).toContain('unknown env "staging"');
  }, 60_000);

  it('carries demo\'s digests into prod and its manifests, and deletes the waivers left unused', () => {
    const demo = release(dir, 'demo');
    const platform = Object.keys(demo)[0];
    const services = Object.keys(demo[platform]);
    const write = (images: Record<string, string>) => fs.writeFileSync(releaseFile(dir, 'demo'), `${JSON.stringify({ ...demo, [platform]: images }, null, 2)}\n`);

    // (A tag without a digest is refused by prod's image-digest rule, test/digests.test.ts, and a
    // refused promote leaves the release and dist/ as they were, the test above.)
    const prodBefore = fs.readFileSync(releaseFile(dir, 'prod'), 'utf8');
    // Every service by digest (tag kept before the @): promote carries exactly those references.
    const pinned = Object.fromEntries(services.map((s, i) => [s, `${demo[platform][s].split('@')[0]}@sha256:${(i + 1).toString(16).padStart(64, 'c')}`]));
    write(pinned);
    const promoted = run(dir, 'promote', platform, 'demo', 'prod');
    expect(promoted.status, promoted.stderr).toBe(0);
    expect(release(dir, 'prod')[platform]).toEqual(pinned);
    // The waivers of references prod no longer runs by tag went with it (synth refuses a waiver
    // that waives nothing); those another platform still runs by tag stay.
    const overlay = fs.readFileSync(path.join(dir, 'overlays', 'prod.ts'), 'utf8');
    const byTag = new Set(Object.values(release(dir, 'prod')).flatMap((s) => Object.values(s as Record<string, string>)).filter((i) => !parseImage(i)?.digest));
    const waived = Object.values(JSON.parse(prodBefore)[platform] as Record<string, string>).filter((i) => i in (overlays.prod.env.imageDigestWaivers ?? {}));
    expect(waived.length).toBeGreaterThan(0);
    for (const image of waived) expect(overlay.includes(`'${image}':`), image).toBe(byTag.has(image));
    expect(promoted.stdout).toContain(`prod: deleting the digest waiver of ${waived.find((i) => !byTag.has(i))} from overlays/prod.ts`);
    const manifests = fs.readdirSync(path.join(dir, 'dist', 'prod', platform)).map((f) => fs.readFileSync(path.join(dir, 'dist', 'prod', platform, f), 'utf8')).join('\n');
    for (const image of Object.values(pinned)) expect(manifests).toContain(`image: ${image}\n`);
  }, 90_000);
});
