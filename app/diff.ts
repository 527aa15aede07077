import { load } from 'js-yaml';

/** What changed in one file of the output. */
export interface FileChange {
  /** Path under the output folder, `<env>/<platform>/<file>`. */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** For a changed YAML document: the dotted paths of the fields that differ. */
  readonly fields: readonly string[];
}

/**
 * Compares the files of the committed output with a fresh render, file by file, and for YAML
 * documents field by field, so a reviewer reads "prod/peripheral/backend-deployment.yaml:
 * spec.template.spec.containers[0].image" instead of a text diff. Sorted by path.
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
    else out.push({ path, change: 'changed', fields: path.endsWith('.yaml') ? changedFields(load(a), load(b), '') : [] });
  }
  return out;
}

function changedFields(a: unknown, b: unknown, path: string): string[] {
  if (a === b) return [];
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = !bothArrays && a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b);
  if (bothArrays) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedFields(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  if (bothObjects) {
    const out: string[] = [];
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    for (const k of keys) out.push(...changedFields((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
    return out;
  }
  return [path || '(document)'];
}

/** The diff as text for a terminal or a pull request, grouped by env and folder. */
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
    lines.push(`  ${sign} ${file}${c.fields.length > 0 ? `: ${c.fields.join(', ')}` : ''}`);
  }
  const count = (k: FileChange['change']) => changes.filter((c) => c.change === k).length;
  lines.push(`${count('added')} added, ${count('removed')} removed, ${count('changed')} changed`);
  return `${lines.join('\n')}\n`;
}
