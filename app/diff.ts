import { create, type Delta } from 'jsondiffpatch';
import { load } from 'js-yaml';

/** What changed in one file of the output. */
export interface FileChange {
  /** Path under the output folder, `<env>/<platform>/<file>`. */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  /**
   * For a changed YAML document, one line per change: `spec.replicas` (a value changed),
   * `spec.rules[host=a.example].http.paths[path=/alerts]: added` (a field or list item added or
   * removed), `resources: + alerts-service.yaml` (a value added to or removed from a list).
   */
  readonly fields: readonly string[];
}

// The fields that name a list item, most specific first: a volume mount by its mount path (one
// volume can be mounted twice), env vars, containers, volumes and ports by name, Ingress rules by
// host and paths by path, ConfigMap items by key, NetworkPolicy ports by port.
const IDENTITY = ['mountPath', 'name', 'host', 'path', 'key', 'port', 'containerPort'] as const;

/** `name=api` for an item of a list that has a name (or path, port, key), else undefined. */
function identity(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  for (const k of IDENTITY) {
    const v = (item as Record<string, unknown>)[k];
    if (typeof v === 'string' || typeof v === 'number') return `${k}=${v}`;
  }
  return undefined;
}

// jsondiffpatch matches list items by this hash (a longest common subsequence, so an insertion in
// the middle of a list is one change and a reordering is a move); items without an identity are
// matched by position, values (strings, numbers) by equality.
const differ = create({ objectHash: (item, index) => identity(item) ?? `#${index}`, arrays: { detectMove: true } });

/**
 * Compares the files of the committed output with a fresh render, file by file, and for YAML
 * documents field by field, matching list items by identity, so a reviewer reads
 * "prod/peripheral/backend-deployment.yaml: spec.template.spec.containers[name=backend].image"
 * or "kustomization.yaml: resources: + alerts-service.yaml" instead of a text diff. Sorted by path.
 */
export function diffFiles(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): FileChange[] {
  const out: FileChange[] = [];
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const path of paths) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    if (a === undefined) out.push({ path, change: 'added', fields: [] });
    else if (b === undefined) out.push({ path, change: 'removed', fields: [] });
    else out.push({ path, change: 'changed', fields: path.endsWith('.yaml') ? changedFields(load(a), load(b)) : [] });
  }
  return out;
}

/** The changes between two documents, one line each, in document order. */
function changedFields(before: unknown, after: unknown): string[] {
  const out: string[] = [];
  describe(differ.diff(before, after), after, '', out);
  // Only a change of layout (quoting, key order) leaves nothing to name.
  return out.length > 0 || before === after ? out : ['(document)'];
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const at = (path: string) => path || '(document)';

function describe(delta: Delta, after: unknown, path: string, out: string[]): void {
  if (delta === undefined) return;
  if (Array.isArray(delta)) {
    // [new]: added, [old, 0, 0]: removed, [old, new]: changed.
    if (delta.length === 1) out.push(`${at(path)}: added`);
    else if (delta.length === 3 && delta[2] === 0) out.push(`${at(path)}: removed`);
    else out.push(at(path));
    return;
  }
  if ('_t' in delta && delta._t === 'a') return describeList(delta as Record<string, Delta>, Array.isArray(after) ? after : [], path, out);
  const values = (after ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(delta).sort()) describe((delta as Record<string, Delta>)[key], values[key], join(path, key), out);
}

/** A list's changes: `_i` keys are old positions (removed or moved), `i` keys new positions. */
function describeList(delta: Record<string, Delta>, after: readonly unknown[], path: string, out: string[]): void {
  const lines: { at: number; order: number; text: string[] }[] = [];
  const item = (value: unknown, index: number) => `${path}[${identity(value) ?? index}]`;
  for (const [key, d] of Object.entries(delta)) {
    if (key === '_t' || !Array.isArray(d) && key.startsWith('_')) continue;
    if (key.startsWith('_')) {
      const [old, to, kind] = d as unknown[];
      if (kind === 0) lines.push({ at: Number(key.slice(1)), order: 0, text: [isValue(old) ? `${at(path)}: - ${show(old)}` : `${item(old, Number(key.slice(1)))}: removed`] });
      else lines.push({ at: to as number, order: 1, text: [isValue(after[to as number]) ? `${at(path)}: moved ${show(after[to as number])}` : `${item(after[to as number], to as number)}: moved`] });
      continue;
    }
    const index = Number(key);
    if (Array.isArray(d) && d.length === 1) {
      lines.push({ at: index, order: 2, text: [isValue(d[0]) ? `${at(path)}: + ${show(d[0])}` : `${item(d[0], index)}: added`] });
    } else {
      const text: string[] = [];
      describe(d, after[index], item(after[index], index), text);
      lines.push({ at: index, order: 2, text });
    }
  }
  lines.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const l of lines) out.push(...l.text);
}

const isValue = (v: unknown) => v === null || typeof v !== 'object';

/** A list value on one line: as it is when short, else its start. */
function show(value: unknown): string {
  const text = typeof value === 'string' && !/[\s"]/.test(value) ? value : JSON.stringify(value);
  return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}

/** The diff as text for a terminal or a pull request, grouped by env and folder, one change a line. */
export function formatDiff(changes: readonly FileChange[]): string {
  if (changes.length === 0) return 'no changes: dist/ is what the sources render\n';
  const lines: string[] = [];
  let group = '';
  for (const c of changes) {
    const folder = c.path.split('/').slice(0, -1).join('/') || '.';
    if (folder !== group) {
      group = folder;
      lines.push(`${folder}/`);
    }
    const file = c.path.slice(folder === '.' ? 0 : folder.length + 1);
    const sign = c.change === 'added' ? '+' : c.change === 'removed' ? '-' : '~';
    lines.push(`  ${sign} ${file}`, ...c.fields.map((f) => `      ${f}`));
  }
  const count = (k: FileChange['change']) => changes.filter((c) => c.change === k).length;
  lines.push(`${count('added')} added, ${count('removed')} removed, ${count('changed')} changed`);
  return `${lines.join('\n')}\n`;
}
