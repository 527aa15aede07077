/**
 * Runs an input schema over a value and words what is wrong the way every message of this
 * library is worded: where (env, platform), the path of the field, the value, what is allowed;
 * an unknown key gets a did-you-mean.
 */
import { distance } from 'fastest-levenshtein';
import type * as z from 'zod/mini';
import { show } from '../checks';
import { keysAt } from './shape';

/** `a.b[0]["app.kubernetes.io/name"]`: the path of a field as a user writes it. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(p))) out += out === '' ? String(p) : `.${String(p)}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/**
 * The known key `key` was most likely meant as: the closest by edit distance, when it is close
 * (a third of the longer name, at least one edit) or one name starts with the other.
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(key.toLowerCase(), name.toLowerCase());
    const close = d <= Math.max(1, Math.floor(Math.max(key.length, name.length) / 3));
    const prefix = Math.min(key.length, name.length) >= 4 && (name.startsWith(key) || key.startsWith(name));
    if ((close || prefix) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object of names to values',
  array: 'a list',
};

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** One issue of zod as lines `<path>: <message>`, one per unknown key. */
function describe(issue: z.core.$ZodIssue, schema: z.core.$ZodType, base: ReadonlyArray<PropertyKey>): string[] {
  const path = [...base, ...issue.path];
  const at = (p: ReadonlyArray<PropertyKey>, message: string) => (p.length > 0 ? `${formatPath(p)}: ${message}` : message);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const guess = didYouMean(key, known.filter((k) => !(input && typeof input === 'object' && k in input)));
        const hint = guess !== undefined ? `did you mean "${guess}"?` : `allowed: ${known.join(', ')}`;
        return at([...path, key], `unknown key; ${hint}`);
      });
    }
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (input === undefined) return [at(path, `required; expected ${expected}`)];
      return [at(path, `${show(input)} is ${kindOf(input)}; expected ${expected}`)];
    }
    case 'invalid_value':
      return [at(path, `${show(input)} is not allowed; use ${issue.values.map((v) => show(v)).join(' or ')}`)];
    case 'custom':
      return [at(path, issue.message)];
    default:
      return [at(path, `${show(input)} is not allowed: ${issue.message.toLowerCase()}`)];
  }
}

/**
 * What is wrong with `value` against `schema`, one line per problem: `<where>: <path>: <message>`.
 * `base` is the path of `value` inside the file a user edits (e.g. `["env"]`). `[]` when it is fine.
 */
export function inputProblems(schema: z.core.$ZodType, value: unknown, where: string, base: ReadonlyArray<PropertyKey> = []): string[] {
  const result = (schema as z.ZodMiniType).safeParse(value, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => describe(issue, schema, base)).map((line) => `${where}: ${line}`);
}

/** Another input file checked with the overlays, such as a release file. */
export interface CheckedInput {
  /** Where its problems are reported, e.g. `prod: overlays/releases/prod.json`. */
  readonly where: string;
  /** Its content. */
  readonly value: unknown;
  /** What it must look like. */
  readonly schema: z.core.$ZodType;
}

/** One platform's settings in an overlay: the key they sit under and their schema. */
export interface SettingsSchema {
  /** The key of the overlay the settings sit under, e.g. `breakoutBot`. */
  readonly key: string;
  /** What the settings must look like: a schema built with `strict`, as the env's is. */
  readonly schema: z.core.$ZodType;
}
