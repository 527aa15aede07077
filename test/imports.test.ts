import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './helpers';

// No import circle anywhere in the project's own code (type-only imports count: they tie the
// files together for a reader as much as any other). Read from the sources, so a new circle
// fails here with the files that form it.

const repo = path.resolve(__dirname, '..');
const ROOTS = ['src', 'app', 'charts', 'overlays'];

/** The project files a file imports (relative specifiers resolved to `.ts` or `/index.ts`). */
function edges(file: string, known: Set<string>): string[] {
  const text = fs.readFileSync(path.join(repo, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.[^'"]*)['"]/g)) {
    const base = path.relative(repo, path.resolve(repo, path.dirname(file), m[1])).split(path.sep).join('/');
    const hit = [`${base}.ts`, `${base}/index.ts`, base].find((c) => known.has(c));
    if (hit) out.push(hit);
  }
  return out;
}

/** Strongly connected components of more than one file, or of one file importing itself (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('imports', () => {
  const files = sourceFiles(...ROOTS);
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, edges(f, known)]));

  it('reads the import graph it checks', () => {
    expect(graph.get('src/policy/engine.ts')).toContain('src/policy/rules.ts');
    expect(graph.get('app/main.ts')).toEqual(expect.arrayContaining(['charts/index.ts', 'overlays/index.ts']));
  });

  it('form no circle', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('form no circle between rooms either (a folder such as src/policy/ counts as one room)', () => {
    const room = (f: string) => {
      const parts = f.split('/');
      return parts.length > 2 ? parts.slice(0, 2).join('/') : f;
    };
    const rooms = new Map<string, string[]>();
    for (const [f, to] of graph) {
      const from = room(f);
      rooms.set(from, [...new Set([...(rooms.get(from) ?? []), ...to.map(room).filter((r) => r !== from)])]);
    }
    expect(circles(rooms)).toEqual([]);
  });
});
