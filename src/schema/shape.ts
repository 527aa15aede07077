/**
 * The building blocks of every input schema (overlays, release files, chart settings), on zod's
 * tree-shakable `zod/mini` build. The TypeScript types of the inputs are inferred from these
 * schemas, so the type an overlay is checked against by `tsc` and the check synth runs are one
 * definition.
 */
import * as z from 'zod/mini';

/**
 * An object whose every key is known: any other key is an error (strict), and its type is
 * readonly, as every input of this library is.
 */
export function strict<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.readonly(z.strictObject(shape));
}

/** A readonly list of `item`. */
export function list<T extends z.core.SomeType>(item: T) {
  return z.readonly(z.array(item));
}

/** A readonly map of free-form names (labels, feature flags, settings) to `value`. */
export function names<T extends z.core.SomeType>(value: T) {
  return z.readonly(z.record(z.string(), value));
}

/** Kubernetes labels: names to strings. */
export const labels = names(z.string());

/** Wrappers that hold one schema and change nothing about the keys it allows. */
const WRAPPERS = new Set(['readonly', 'optional', 'nullable', 'default', 'prefault', 'nonoptional', 'catch']);

/** `schema` with its wrappers (readonly, optional, …) taken off. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let s = schema;
  for (;;) {
    const def = s._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (WRAPPERS.has(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

/**
 * The keys the object schema at `path` inside `schema` allows, for a did-you-mean; `[]` when the
 * path leads to no object schema.
 */
export function keysAt(schema: z.core.$ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let s = unwrap(schema);
  for (const segment of path) {
    const def = s._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; valueType?: z.core.$ZodType };
    if (def.type === 'object' && def.shape && typeof segment === 'string' && segment in def.shape) s = unwrap(def.shape[segment]);
    else if (def.type === 'array' && def.element) s = unwrap(def.element);
    else if (def.type === 'record' && def.valueType) s = unwrap(def.valueType);
    else return [];
  }
  const def = s._zod.def as { type: string; shape?: Record<string, unknown> };
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/**
 * A schema that checks only the keys of the object `schema` describes, taking any value or none:
 * for the top level of a file whose parts are checked one by one, so each problem (an unknown
 * key here, a missing or wrong part by the part's own check) is reported once.
 */
export function keysOnly(schema: z.core.$ZodType) {
  return strict(Object.fromEntries(keysAt(schema, []).map((k) => [k, z.optional(z.unknown())])));
}
