import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scratchCopy } from './helpers';

const run = (dir: string, ...args: string[]) => spawnSync(process.execPath, ['scripts/app.js', ...args], { cwd: dir, encoding: 'utf8' });
const release = (dir: string, env: string) => JSON.parse(fs.readFileSync(path.join(dir, 'overlays', 'releases', `${env}.json`), 'utf8'));
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

  it('promote copies exactly the versions demo runs into prod, re-renders, and shows the change', () => {
    const demo = release(dir, 'demo');
    const prodBefore = release(dir, 'prod');
    const result = run(dir, 'promote', 'peripheral', 'demo', 'prod');
    expect(result.status, result.stderr).toBe(0);
    const prodAfter = release(dir, 'prod');
    expect(prodAfter.peripheral).toEqual(demo.peripheral);
    expect({ ...prodAfter, peripheral: undefined }).toEqual({ ...prodBefore, peripheral: undefined }); // nothing else moved
    expect(read(dir, 'prod/peripheral/backend-deployment.yaml')).toContain(`image: ${demo.peripheral.backend}`);
    expect(result.stdout).toContain('~ backend-deployment.yaml\n      spec.template.spec.containers[name=backend].image\n');
    expect(result.stdout).toMatch(/\+ migrate-[0-9a-f]{10}-job\.yaml/);
    expect(run(dir, 'diff').status).toBe(0); // dist/ is current after a promotion
  }, 60_000);

  it('promote refuses moving tags into a pinned env, leaves the release and dist/ as they were, and names what it does not know', () => {
    const demoBefore = fs.readFileSync(path.join(dir, 'overlays', 'releases', 'demo.json'), 'utf8');
    const deployment = read(dir, 'demo/tradebot/backend-deployment.yaml');
    const result = run(dir, 'promote', 'tradebot', 'dev', 'demo');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('was undone');
    expect(result.stderr).toContain('uses the moving tag "main"; demo runs only pinned images');
    expect(fs.readFileSync(path.join(dir, 'overlays', 'releases', 'demo.json'), 'utf8')).toBe(demoBefore);
    expect(read(dir, 'demo/tradebot/backend-deployment.yaml')).toBe(deployment);
    // and names what it does not know
    expect(run(dir, 'promote', 'nope', 'demo', 'prod').stderr).toContain('unknown platform "nope"');
    expect(run(dir, 'promote', 'peripheral', 'demo', 'staging').stderr).toContain('unknown env "staging"');
  }, 60_000);
});
