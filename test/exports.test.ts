import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// The package's runtime API is what the README lists under "What the package exports", entry
// point by entry point: an internal helper that leaks into an entry point, or a documented name
// that disappears, fails here. The entry points are read from package.json's `exports`.

const repo = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

/** The entry points of package.json, each with the source its compiled file comes from. */
function entryPoints(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, target] of Object.entries<any>(pkg.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    const compiled: string = target.default;
    expect(compiled, key).toMatch(/^\.\/lib\/.+\.js$/);
    out.set(key, compiled.replace(/^\.\/lib\//, '').replace(/\.js$/, '.ts'));
  }
  return out;
}

/** The README's list: `- \`<entry>\`: \`name\`, \`name\`...` lines under "What the package exports". */
function documented(): Map<string, string[]> {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const start = readme.indexOf('### What the package exports');
  expect(start, 'README section "What the package exports"').toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf('\n#', start + 4));
  const out = new Map<string, string[]>();
  for (const item of section.split(/\n- /).slice(1)) {
    const m = /^`([^`]+)`:([\s\S]*)$/.exec(item.split('\n\n')[0].trim());
    if (!m) continue;
    out.set(m[1], [...m[2].matchAll(/`([^`]+)`/g)].map((x) => x[1]).sort());
  }
  return out;
}

describe('the package exports', () => {
  const entries = entryPoints();
  const listed = documented();

  it('the entry points the README lists, and no others', () => {
    expect([...listed.keys()].sort()).toEqual([...entries.keys()].sort());
  });

  it.each([...entries])('%s (%s) exports at run time exactly the names the README lists', async (key, source) => {
    const mod = await import(path.join(repo, source));
    expect(Object.keys(mod).filter((k) => k !== 'default').sort()).toEqual(listed.get(key));
  });
});
