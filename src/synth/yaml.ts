import { dump, DumpOptions } from 'js-yaml';

const FIRST = ['apiVersion', 'kind', 'metadata'];
const OPTIONS: DumpOptions = { noRefs: true, lineWidth: -1, quotingType: '"', sortKeys: false };

/** A document with `apiVersion`, `kind`, `metadata` first and the other keys as given (cdk8s sorts them). */
function ordered(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIRST) if (k in doc) out[k] = doc[k];
  for (const k of Object.keys(doc)) if (!FIRST.includes(k)) out[k] = doc[k];
  return out;
}

/** Plain, stable YAML: no anchors, no line folding, double quotes where quoting is needed. */
export function toYaml(doc: Record<string, unknown>, header?: string): string {
  const body = fastDump(ordered(doc));
  return header ? `# ${header}\n${body}` : body;
}

/** What js-yaml itself renders; the reference that {@link toYaml} matches byte for byte. */
export function jsYaml(doc: Record<string, unknown>): string {
  return dump(ordered(doc), OPTIONS);
}

/*
 * js-yaml spends most of its time deciding, for every scalar, whether it may stay plain (it tries
 * each implicit type's pattern on it). Documents repeat the same labels, keys and values
 * thousands of times, so the emitter below asks js-yaml once per distinct scalar and key, caches
 * the answer, and lays out the block mappings and sequences exactly as js-yaml's dumper does (2
 * spaces, sequences indented under their key, `- ` before the first key of a mapping in a
 * sequence, `{}` and `[]` when empty). Anything else (a multi-line string, whose block scalar
 * depends on its indentation; a value that is not plain JSON) is left to js-yaml whole. A test
 * compares both on every rendered document and on generated ones.
 */

class NotPlain extends Error {}

const MAX_CACHED = 100_000;
const strings = new Map<string, string>();
const numbers = new Map<string, string>();
const keys = new Map<string, string>();

function remember(cache: Map<string, string>, key: string, value: string): string {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
  return value;
}

/**
 * What js-yaml wrote, without its final line break, when it is one line; anything on several
 * lines (a block scalar, an explicit `? ` key of over 1024 characters) is left to js-yaml whole.
 */
function oneLine(text: string): string {
  const line = text.slice(0, -1);
  if (line.includes('\n')) throw new NotPlain();
  return line;
}

function scalar(value: string | number): string {
  const [cache, id] = typeof value === 'number' ? [numbers, Object.is(value, -0) ? '-0' : String(value)] : [strings, value];
  const known = cache.get(id);
  if (known !== undefined) return known;
  return remember(cache, id, oneLine(dump(value, OPTIONS)));
}

function key(name: string): string {
  const known = keys.get(name);
  if (known !== undefined) return known;
  // `<key>: null` on one line
  return remember(keys, name, oneLine(dump({ [name]: null }, OPTIONS)).slice(0, -': null'.length));
}

const newline = (level: number): string => `\n${'  '.repeat(level)}`;

function node(value: unknown, level: number, compact: boolean): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
      return scalar(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (Array.isArray(value)) return value.length === 0 ? '[]' : sequence(value, level, compact);
      if (Object.getPrototypeOf(value) === Object.prototype) {
        return Object.keys(value).length === 0 ? '{}' : mapping(value as Record<string, unknown>, level, compact);
      }
      throw new NotPlain();
    default:
      throw new NotPlain(); // undefined, functions, symbols, bigints: js-yaml decides
  }
}

function sequence(items: readonly unknown[], level: number, compact: boolean): string {
  let out = '';
  for (const item of items) {
    const text = node(item, level + 1, true);
    if (!compact || out !== '') out += newline(level);
    out += `- ${text}`; // an item is laid out compact: it never starts on a new line
  }
  return out;
}

function mapping(object: Record<string, unknown>, level: number, compact: boolean): string {
  let out = '';
  for (const name of Object.keys(object)) {
    const text = node(object[name], level + 1, false);
    out += `${!compact || out !== '' ? newline(level) : ''}${key(name)}${text.charCodeAt(0) === 10 ? ':' : ': '}${text}`;
  }
  return out;
}

function fastDump(doc: Record<string, unknown>): string {
  try {
    return `${node(doc, 0, true)}\n`;
  } catch (e) {
    if (e instanceof NotPlain) return dump(doc, OPTIONS);
    throw e;
  }
}
