import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImage } from '../src/image';
import { scratchCopy } from './helpers';

// The real command a user runs, `npx cdk8s synth`, on a scratch copy of the project whose prod
// overlay is broken: it must print every problem in one block, exit non-zero, and leave dist/
// byte for byte as it was.

let dir: string;

function treeHash(root: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(`${path.relative(root, p)}\0`).update(fs.readFileSync(p));
    }
  };
  walk(root);
  return h.digest('hex');
}

beforeAll(() => {
  dir = scratchCopy();
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npx cdk8s synth with a broken overlay', () => {
  it('prints every problem in one block, exits non-zero, and leaves dist/ byte-identical', () => {
    const prod = path.join(dir, 'overlays', 'prod.ts');
    const text = fs.readFileSync(prod, 'utf8');
    const broken = text
      .replace("host: 'app.tradebot.io'", "host: 'App TradeBot'")
      .replace("restartSchedule: '0 0 * * *'", "restartSchedule: '0 0 * *'")
      .replace("dataBackups: { keep: 14, storage: { size: '20Gi' } }", "dataBackups: { keep: 14, storage: { size: '20Gi', storageClas: 'ssd-retain' } }");
    expect(broken).not.toBe(text);
    fs.writeFileSync(prod, broken);
    const release = path.join(dir, 'overlays', 'releases', 'prod.json');
    const images = JSON.parse(fs.readFileSync(release, 'utf8'));
    const latest = `${parseImage(images.peripheral.backend)!.repository}:latest`; // whatever version prod runs
    fs.writeFileSync(release, JSON.stringify({ peripherals: {}, ...images, peripheral: { ...images.peripheral, backend: latest } }, null, 2));
    const before = treeHash(path.join(dir, 'dist'));

    const run = spawnSync('npx', ['--no-install', 'cdk8s', 'synth', '--check-upgrade', 'false'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });

    expect(run.status).not.toBe(0);
    // The app's block, up to where the cdk8s CLI adds its own "command … returned a non-zero exit code".
    const start = run.stderr.indexOf('synth failed');
    const end = run.stderr.indexOf('Error: command', start);
    const block = run.stderr.slice(start, end < 0 ? undefined : end);
    expect(block).toContain("synth failed; dist/ was left as it was.");
    expect(block).toMatch(/\d+ problems in the input, nothing was written:/);
    expect(block).toContain(`prod/peripheral/backend: image: "${latest}" uses the tag "latest"`);
    expect(block).toContain('prod/tradebot/web: host: "App TradeBot" is not a DNS-1123 subdomain');
    expect(block).toContain('prod/signals/daily-restart: schedule: "0 0 * *" has 4 fields');
    // A misspelt key (esbuild does not type-check) fails with its path and a did-you-mean.
    expect(block).toContain('prod/breakout-bot: dataBackups.storage.storageClas: unknown key; did you mean "storageClass"?');
    expect(block).toContain(`prod: overlays/releases/prod.json: peripherals: unknown key; allowed: ${Object.keys(images).join(', ')}`);
    expect(block).not.toMatch(/^\s+at /m); // no stack trace from the app
    expect(treeHash(path.join(dir, 'dist'))).toBe(before);
  }, 60_000);
});

describe('a chart that crashes', () => {
  it('under DEBUG=1 adds a stack trace that names the TypeScript sources', () => {
    const chart = path.join(dir, 'charts', 'signals', 'index.ts');
    const text = fs.readFileSync(chart, 'utf8');
    const anchor = "    const settings = new AppConfig(this, 'settings'";
    expect(text).toContain(anchor);
    fs.writeFileSync(chart, text.replace(anchor, `    if (env.name === 'prod') throw new Error('boom');\n${anchor}`));
    try {
      // Without DEBUG the crash is one line of the report (test/synth.test.ts); with it, a stack.
      const debug = spawnSync(process.execPath, ['scripts/app.js'], { cwd: dir, encoding: 'utf8', env: { ...process.env, DEBUG: '1' } });
      expect(debug.status).toBe(1);
      expect(debug.stderr).toContain('prod/signals: unexpected error (a bug in the chart or the library; DEBUG=1 shows where): boom');
      expect(debug.stderr).toMatch(/at new SignalsChart \(.*charts\/signals\/index\.ts:\d+:\d+\)/);
    } finally {
      fs.writeFileSync(chart, text);
    }
  }, 60_000);
});

describe('a platform that leaves the app', () => {
  it('removes its folder, and the summary names the data Argo CD keeps and the command that deletes it', () => {
    // Its own copy: the tests above leave theirs broken.
    const copy = scratchCopy();
    try {
      // A folder as a platform that no longer exists left it: a Namespace, a PVC and a StatefulSet with a claim template.
      const prod = path.join(copy, 'dist', 'prod');
      const source = fs.readdirSync(path.join(prod, 'peripheral'));
      const sts = source.find((f) => f.endsWith('-statefulset.yaml') && fs.readFileSync(path.join(prod, 'peripheral', f), 'utf8').includes('volumeClaimTemplates'))!;
      const pvc = fs.readdirSync(path.join(prod, 'breakout-bot')).find((f) => f.endsWith('-persistentvolumeclaim.yaml'))!;
      const gone = path.join(prod, 'legacy');
      fs.mkdirSync(gone);
      fs.writeFileSync(path.join(gone, 'legacy-prod-namespace.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: legacy-prod\n');
      fs.copyFileSync(path.join(prod, 'breakout-bot', pvc), path.join(gone, pvc));
      fs.copyFileSync(path.join(prod, 'peripheral', sts), path.join(gone, sts));
      const run = spawnSync(process.execPath, ['scripts/app.js', '--env', 'prod'], { cwd: copy, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(fs.existsSync(gone)).toBe(false);
      const note = run.stderr.split('data left in the cluster:\n')[1] ?? '';
      expect(note).toContain('prod/legacy is no longer rendered');
      expect(note).not.toContain('prod/peripheral');
      expect(note).toContain(pvc.slice(0, -'-persistentvolumeclaim.yaml'.length));
      expect(note).toContain(`-${sts.slice(0, -'-statefulset.yaml'.length)}-0`); // the claim its template made
      expect(note).toContain('kubectl delete namespace legacy-prod');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
