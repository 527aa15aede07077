import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDigestWaiver, scratchCopy } from './helpers';

// Ctrl-C, SIGTERM and I/O errors while synth writes dist/: every env folder ends wholly old or
// wholly new, and what synth prints says which folders were replaced. The moment is exact: a
// preload counts the renames into dist/ and sends the signal after one, or fails one with EIO.

let dir: string;
const dist = () => path.join(dir, 'dist');

const HOOK = `const fs = require('node:fs');
const path = require('node:path');
const dist = path.join(process.cwd(), 'dist') + path.sep;
const { HOOK_SIGNAL_AFTER, HOOK_SIGNAL, HOOK_FAIL_AT, HOOK_FAIL_FROM } = process.env;
const rename = fs.renameSync;
let n = 0;
fs.renameSync = function (from, to) {
  const ours = String(from).startsWith(dist) || String(to).startsWith(dist);
  if (ours) n++;
  if (ours && (n === Number(HOOK_FAIL_AT) || (HOOK_FAIL_FROM && n >= Number(HOOK_FAIL_FROM)))) {
    throw Object.assign(new Error('EIO: i/o error, rename ' + from + ' -> ' + to), { code: 'EIO' });
  }
  const result = rename.apply(this, arguments);
  if (ours && n === Number(HOOK_SIGNAL_AFTER)) process.kill(process.pid, HOOK_SIGNAL);
  return result;
};
`;

const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DEBUG'));
function synth(hook?: Record<string, string>) {
  const args = hook ? ['-r', path.join(dir, 'rename-hook.js')] : [];
  return spawnSync(process.execPath, [...args, path.join(dir, 'scripts', 'app.js')], { cwd: dir, encoding: 'utf8', env: { ...ENV, ...hook }, timeout: 30_000 });
}

/** Every file of each top-level entry of dist/ (env folders, pages), by entry. */
function snapshot(): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const walk = (d: string, into: Record<string, string>) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p, into);
      else into[path.relative(dist(), p)] = fs.readFileSync(p, 'utf8');
    }
  };
  for (const e of fs.readdirSync(dist(), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    out[e.name] = {};
    if (e.isDirectory()) walk(path.join(dist(), e.name), out[e.name]);
    else out[e.name][e.name] = fs.readFileSync(path.join(dist(), e.name), 'utf8');
  }
  return out;
}

/**
 * Gives every env a new image (the release file's first one, its last digit changed and pinned by
 * digest, as prod requires): every env folder changes.
 */
function editEveryRelease(): void {
  const folder = path.join(dir, 'overlays', 'releases');
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.json'))) {
    const text = fs.readFileSync(path.join(folder, file), 'utf8');
    const image = /"([^"]+:[^"]*\d)"/.exec(text)![1];
    fs.writeFileSync(path.join(folder, file), text.replace(`"${image}"`, `"${image.slice(0, -1)}${(Number(image.slice(-1)) + 1) % 10}@sha256:${'e'.repeat(64)}"`));
    dropDigestWaiver(dir, path.basename(file, '.json'), image);
  }
}

/**
 * Edits every release, runs synth with the hook, then a plain synth (which must clean up and
 * write the rest); returns the entries of dist/ before, as the hooked run left them, and after.
 */
function interrupted(hook: Record<string, string>) {
  editEveryRelease();
  const before = snapshot();
  const run = synth(hook);
  const left = snapshot();
  const next = synth();
  expect(next.status, next.stderr).toBe(0);
  expect(fs.readdirSync(dist()).filter((e) => e.startsWith('.'))).toEqual([]); // no staging or lock folder left
  const after = snapshot();
  const changed = Object.keys(after).filter((e) => JSON.stringify(after[e]) !== JSON.stringify(before[e]));
  expect(changed.length).toBeGreaterThanOrEqual(3);
  // Wholly old or wholly new, each of them.
  const replaced = changed.filter((e) => JSON.stringify(left[e]) === JSON.stringify(after[e]));
  for (const e of changed) if (!replaced.includes(e)) expect(left[e], e).toEqual(before[e]);
  return { run, replaced: replaced.map((e) => `dist/${e}`).sort() };
}

const listed = (text: string) =>
  text
    .split(', ')
    .map((s) => s.trim())
    .sort();

beforeAll(() => {
  dir = scratchCopy();
  fs.writeFileSync(path.join(dir, 'rename-hook.js'), HOOK);
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a signal while synth writes dist/', () => {
  it.each(['SIGINT', 'SIGTERM'])('%s between two folder swaps exits non-zero and says which folders were replaced', (signal) => {
    const { run, replaced } = interrupted({ HOOK_SIGNAL: signal, HOOK_SIGNAL_AFTER: '2' });
    expect(run.status).not.toBe(0);
    expect(run.signal ?? String(run.status)).toMatch(new RegExp(`^(${signal}|${signal === 'SIGINT' ? 130 : 143})$`));
    const said = new RegExp(`^interrupted by ${signal} while writing dist/ .*: replaced (.*)$`, 'm').exec(run.stderr);
    expect(said, run.stderr).not.toBeNull();
    expect(listed(said![1])).toEqual(replaced);
  });
});

describe('an I/O error while synth swaps folders', () => {
  it('puts back the folders already swapped, and then says dist/ was left as it was', () => {
    // The 4th rename into dist/ (the second folder's new copy into place) fails.
    const { run, replaced } = interrupted({ HOOK_FAIL_AT: '4' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('synth failed; dist/ was left as it was.');
    expect(run.stderr).toContain('EIO');
    expect(replaced).toEqual([]);
  });

  it('names the folders it could not put back, and never says dist/ was left as it was', () => {
    // Every rename from the 3rd on fails: the first folder is swapped in and cannot be put back.
    const { run, replaced } = interrupted({ HOOK_FAIL_FROM: '3' });
    expect(run.status).toBe(1);
    expect(run.stderr).not.toContain('left as it was');
    const said = /^synth failed after it had replaced (.*), which hold the new render; the other folders hold the old one$/m.exec(run.stderr);
    expect(said, run.stderr).not.toBeNull();
    expect(replaced.length).toBeGreaterThan(0);
    expect(listed(said![1])).toEqual(replaced);
  });
});
