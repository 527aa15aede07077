import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './helpers';

// The layout's rules, read from the sources: src/ is a library that renders in memory. The file
// system, env vars and the project's own charts and overlays belong to app/ (and the tests).

const repo = path.resolve(__dirname, '..');

/** The module specifiers a file imports or re-exports (static and dynamic), and its require calls. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)) found.push(m[1]);
  return found;
}

describe('src/ is a library', () => {
  const files = sourceFiles('src');

  it('finds the sources it checks', () => {
    expect(files).toContain('src/index.ts');
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)('%s imports neither the file system, nor charts/ or overlays/, nor app/', (file) => {
    const imports = importsOf(fs.readFileSync(path.join(repo, file), 'utf8'));
    const bad = imports.filter((spec) => {
      if (/^(node:)?(fs|fs\/promises|child_process)$/.test(spec)) return true;
      if (!spec.startsWith('.')) return false;
      const top = path.relative(repo, path.resolve(repo, path.dirname(file), spec)).split(path.sep)[0];
      return top !== 'src';
    });
    expect(bad).toEqual([]);
  });

  it.each(files)('%s reads no env var', (file) => {
    expect(fs.readFileSync(path.join(repo, file), 'utf8')).not.toMatch(/\bprocess\.(env|argv|cwd|chdir|exit)\b/);
  });
});

describe('rooms', () => {
  // One concept per file: a file that outgrows this is split by concern (see README, Layout).
  const LIMIT = 300;
  const files = sourceFiles('src', 'app', 'charts', 'overlays');

  it.each(files)(`%s has at most ${LIMIT} lines`, (file) => {
    expect(fs.readFileSync(path.join(repo, file), 'utf8').split('\n').length).toBeLessThanOrEqual(LIMIT);
  });
});
