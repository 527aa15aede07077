/**
 * Checks across the objects of one env (every platform), for what the API server accepts but the
 * cluster then gets wrong: two platforms claiming one host (the ingress controller merges their
 * rules, one shadowing the other), one host and path routed twice, and Prefix paths that differ
 * only by a trailing slash (Prefix matching is by path element, so `/api` and `/api/` match the
 * same requests and the controller picks one backend).
 */
import { list } from './field';

/** An object of an env, with where it came from. */
export interface EnvObject {
  readonly env: string;
  readonly platform: string;
  readonly constructPath: string;
  readonly doc: Record<string, any>;
}

/** One finding: the object, the field, the message. */
export interface EnvFinding {
  readonly object: EnvObject;
  readonly field: string;
  readonly message: string;
}

interface Route {
  readonly o: EnvObject;
  /** `spec.rules[i]`. */
  readonly rule: string;
  /** `spec.rules[i].http.paths[j]`. */
  readonly field: string;
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
}

const hostName = (h: string) => (h === '' ? '(any host)' : `"${h}"`);
const where = (r: Route) => `${r.o.platform}'s Ingress/${r.o.doc.metadata?.name} (${r.field})`;

/** Every path of every rule of the Ingresses among `objects`, in order. */
function* routesOf(objects: readonly EnvObject[]): Generator<Route> {
  for (const o of objects) {
    if (o.doc.kind !== 'Ingress') continue;
    for (const [i, rule] of list(o.doc.spec?.rules).entries()) {
      for (const [j, p] of list(rule?.http?.paths).entries()) {
        yield { o, rule: `spec.rules[${i}]`, field: `spec.rules[${i}].http.paths[${j}]`, host: String(rule.host ?? ''), path: String(p?.path ?? ''), pathType: String(p?.pathType ?? '') };
      }
    }
  }
}

/** The env-wide findings over `objects`, which all belong to one env. */
export function envFindings(objects: readonly EnvObject[]): EnvFinding[] {
  const findings: EnvFinding[] = [];
  const hostOwner = new Map<string, Route>();
  const routed = new Map<string, Route>();
  const prefixes = new Map<string, Route>();
  const claimed = new Set<string>();
  for (const r of routesOf(objects)) {
    const owner = hostOwner.get(r.host);
    if (!owner) hostOwner.set(r.host, r);
    else if (owner.o.platform !== r.o.platform) {
      const field = `${r.rule}.host`;
      // One line per rule, however many paths it has.
      const rule = `${r.o.constructPath}\n${field}`;
      if (claimed.has(rule)) continue;
      claimed.add(rule);
      findings.push({ object: r.o, field, message: `${hostName(r.host)} is also a host of platform ${where(owner)}; a host belongs to one platform of an env, or the ingress controller merges their paths and one shadows the other` });
      continue;
    }
    const k = `${r.host}\n${r.pathType}\n${r.path}`;
    const first = routed.get(k);
    if (first) findings.push({ object: r.o, field: `${r.field}.path`, message: `${r.pathType} path "${r.path}" of host ${hostName(r.host)} is already routed by ${where(first)}; each host and path goes to one backend` });
    else routed.set(k, r);
    if (r.pathType !== 'Prefix') continue;
    // The API server refuses `//` in a path, so one trailing slash is all there is to drop.
    const pk = `${r.host}\n${r.path.replace(/\/$/, '')}`;
    const twin = prefixes.get(pk);
    if (!twin) prefixes.set(pk, r);
    else if (twin.path !== r.path) {
      findings.push({ object: r.o, field: `${r.field}.path`, message: `Prefix path "${r.path}" of host ${hostName(r.host)} differs from "${twin.path}" of ${where(twin)} only by a trailing slash; Prefix paths match by element, so both match the same requests and only one backend gets them` });
    }
  }
  return findings;
}
