/**
 * Unknown-field detection for Kubernetes 1.27 kinds, from cdk8s-plus-27's generated `k8s`
 * module. Its `toJson_*` functions list every field of every 1.27 type and silently drop what
 * they do not know; calling one with a probe that answers every property read yields the
 * complete field tree of a kind, both the JSON names it writes and the property names it reads.
 * Two walkers then name what does not belong:
 * - in a raw `ApiObject` of a known kind (an escape hatch), a rendered field the kind lacks,
 *   e.g. `spec.replica`;
 * - in a typed `Kube*` object, a property its `toJson` would drop without a word (a spread or a
 *   JSON patch that used the JSON spelling `clusterIP` for the property `clusterIp`).
 * No schema is copied: the field lists are cdk8s-plus-27's.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

/** A field tree: `LEAF` (any value), `MAP` (any keys), an object of subtrees, or a one-element array. */
type Shape = typeof LEAF | typeof MAP | { readonly [key: string]: Shape } | readonly [Shape];
const LEAF = 'leaf';
const MAP = 'map';
const MAX_DEPTH = 40;
/**
 * Property reads one kind's tree may take. The largest 1.27 kinds take about 1,400 (StatefulSet,
 * CronJob; 15 levels deep). A CustomResourceDefinition's JSON schema is recursive (`items`, `not`,
 * `allOf`, … each a schema again), so its tree has no end: past the budget the kind is left to
 * the schema check instead of probing without end.
 */
const READ_BUDGET = 20_000;
let reads = 0;
class Endless extends Error {}

/** Runs a probe of generated code; null when it would not end within the read budget. */
function probing<T>(run: () => T): T | null {
  reads = 0;
  try {
    return run();
  } catch (e) {
    if (e instanceof Endless) return null;
    throw e;
  }
}

function read(): void {
  if (++reads > READ_BUDGET) throw new Endless();
}

function probe(depth: number): unknown {
  // An arrow function: a callable target whose own keys (`length`, `name`) are not enumerable, so
  // Object.entries of a map gives {}. The depth bound keeps a recursive schema off the stack limit.
  return new Proxy(() => undefined, {
    get(_t, prop) {
      if (typeof prop === 'symbol') return undefined;
      read();
      if (prop === 'map') return (fn: (x: unknown) => unknown) => [fn(probe(depth + 1))];
      return depth >= MAX_DEPTH ? undefined : probe(depth + 1);
    },
  });
}

function toShape(value: unknown): Shape {
  // A probe (a value copied whole) is a function: a leaf like any other value.
  if (value === null || typeof value !== 'object') return LEAF;
  if (Array.isArray(value)) return [toShape(value[0])];
  const keys = Object.keys(value);
  if (keys.length === 0) return MAP; // built from Object.entries of a map (labels, selectors, data)
  const out: Record<string, Shape> = {};
  for (const k of keys) out[k] = toShape((value as Record<string, unknown>)[k]);
  return out;
}

const byKind = new Map<string, Shape | null>();
let index: Map<string, string> | undefined;

/** `apiVersion/kind` → name of the generated `toJson_Kube…Props` function. */
function kindIndex(): Map<string, string> {
  if (!index) {
    index = new Map();
    for (const [name, value] of Object.entries(k8s)) {
      const gvk = (value as { GVK?: { apiVersion: string; kind: string } }).GVK;
      if (name.startsWith('Kube') && gvk && !name.endsWith('List')) {
        // One class per `apiVersion/kind` (KubeHorizontalPodAutoscaler is autoscaling/v1, …V2 autoscaling/v2).
        index.set(`${gvk.apiVersion}/${gvk.kind}`, `toJson_${name}Props`);
      }
    }
  }
  return index;
}

/** The field tree of a 1.27 kind, or `null` when cdk8s-plus-27 does not know it (a custom resource) or it has no end. */
export function shapeOf(apiVersion: string, kind: string): Shape | null {
  const key = `${apiVersion}/${kind}`;
  if (!byKind.has(key)) {
    const fn = (k8s as unknown as Record<string, (x: unknown) => unknown>)[kindIndex().get(key) ?? ''];
    byKind.set(key, typeof fn === 'function' ? probing(() => toShape(fn(probe(0)))) : null);
  }
  return byKind.get(key)!;
}

/**
 * What a probe saw the generated code read: property names and the elements of arrays (`.map`).
 * A map (`Object.entries`) reads nothing of its probe, so it is a node without keys, like a value.
 */
interface ReadNode {
  readonly keys: Map<string, ReadNode>;
  element?: ReadNode;
}

function recordingProbe(node: ReadNode, depth: number): unknown {
  return new Proxy(() => undefined, {
    get(_t, prop) {
      if (typeof prop === 'symbol') return undefined;
      read();
      if (prop === 'map') {
        return (fn: (x: unknown) => unknown) => {
          node.element ??= { keys: new Map() };
          return [fn(recordingProbe(node.element, depth + 1))];
        };
      }
      if (depth >= MAX_DEPTH) return undefined;
      let child = node.keys.get(prop);
      if (!child) node.keys.set(prop, (child = { keys: new Map() }));
      return recordingProbe(child, depth + 1);
    },
  });
}

const readShapes = new Map<string, ReadNode | null>();

/** The property tree a generated class's conversion reads, or null when it has no end. */
function readShapeOf(typed: Typed): ReadNode | null {
  if (!readShapes.has(typed.name)) {
    const node: ReadNode = { keys: new Map() };
    readShapes.set(typed.name, probing(() => (typed.convert(recordingProbe(node, 0)), node)));
  }
  return readShapes.get(typed.name)!;
}

function walkRead(value: unknown, node: ReadNode, path: string, className: string, out: string[]): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object') {
    // The generated code reads properties of this value (`.value` of an IntOrString or Quantity):
    // a bare string or number would be dropped.
    if (node.keys.size > 0) {
      out.push(`${path} is ${JSON.stringify(value)}, which ${className} would drop; give an object (e.g. k8s.IntOrString.fromString, k8s.Quantity.fromString)`);
    }
    return;
  }
  if (Array.isArray(value)) {
    if (node.element) value.forEach((v, i) => walkRead(v, node.element!, `${path}[${i}]`, className, out));
    return;
  }
  if (node.keys.size === 0) return; // a scalar, a map or a value copied whole
  for (const key of Object.keys(value as object)) {
    const here = path ? `${path}.${key}` : key;
    const child = node.keys.get(key);
    if (!child) {
      const near = nearest(key, [...node.keys.keys()]);
      out.push(`${here} is not a property of ${className} and would be dropped from the output without a word${near ? `; did you mean "${near}"?` : ''}`);
    } else walkRead((value as Record<string, unknown>)[key], child, here, className, out);
  }
}

/** A generated `Kube*` class: its export name and its conversion `toJson_<name>Props`. */
interface Typed {
  readonly name: string;
  readonly convert: (props: unknown) => Record<string, unknown>;
}

let classes: Map<unknown, Typed> | undefined;

/**
 * The generated classes by constructor, with their export names. Not `constructor.name`: a
 * bundler renames classes (esbuild turns `KubeDeployment` into `_KubeDeployment`), which would
 * silently switch the check off in the synth app's bundle.
 */
function typedClasses(): Map<unknown, Typed> {
  if (!classes) {
    classes = new Map();
    const generated = k8s as unknown as Record<string, Typed['convert'] | undefined>;
    for (const [name, value] of Object.entries(k8s)) {
      const convert = generated[`toJson_${name}Props`];
      if (convert) classes.set(value, { name, convert });
    }
  }
  return classes;
}

/**
 * Renders an ApiObject to its document and checks its fields: for a typed `Kube*` object, every
 * property must be one its generated `toJson` writes; for any other object of a Kubernetes 1.27
 * kind, every field must belong to the kind. Renders once (the typed conversion is applied to
 * the same resolved props), so the check costs a walk, not a second render.
 */
export function renderChecked(o: ApiObject): { doc: Record<string, any>; problems: string[] } {
  const typed = typedClasses().get(o.constructor);
  const read = typed && readShapeOf(typed);
  if (read) {
    const raw = ApiObject.prototype.toJson.call(o) as Record<string, unknown>;
    const problems: string[] = [];
    const { apiVersion, kind, ...props } = raw;
    walkRead(props, read, '', typed.name, problems);
    return { doc: { apiVersion, kind, ...typed.convert(raw) }, problems };
  }
  const doc = o.toJson() as Record<string, any>;
  return { doc, problems: unknownFields(doc) };
}

/** Every field of `doc` that its kind does not have, as `path: message`. Empty for unknown kinds. */
export function unknownFields(doc: Record<string, unknown>): string[] {
  const shape = shapeOf(String(doc.apiVersion), String(doc.kind));
  if (!shape) return [];
  const out: string[] = [];
  const { apiVersion: _a, kind: _k, ...rest } = doc;
  walk(rest, shape, '', String(doc.kind), out);
  return out;
}

function walk(value: unknown, shape: Shape, path: string, kind: string, out: string[]): void {
  if (shape === LEAF || shape === MAP || value === null || typeof value !== 'object') return;
  if (Array.isArray(shape)) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, shape[0], `${path}[${i}]`, kind, out));
    return;
  }
  const fields = shape as Record<string, Shape>;
  for (const key of Object.keys(value as object)) {
    const here = path ? `${path}.${key}` : key;
    if (!(key in fields)) {
      const near = nearest(key, Object.keys(fields));
      out.push(`${here} is not a field of ${kind} in Kubernetes 1.27${near ? `; did you mean "${near}"?` : ''}`);
    } else walk((value as Record<string, unknown>)[key], fields[key], here, kind, out);
  }
}

/** The known field closest to a misspelt one, when it is close enough to be a typo. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
