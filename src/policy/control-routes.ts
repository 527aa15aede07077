/**
 * Which paths of a rendered Ingress are control routes (a control API or an admin UI), judged on
 * the final documents, so a route nobody flagged and a path added by a JSON patch are judged too.
 * A path is a control route when any of these holds, and every reason that holds is named:
 * - it is flagged: `control: true` on its route (the Ingress' control-paths annotation);
 * - its backend's pods run a known admin or control image ({@link CONTROL_IMAGES});
 * - its backend's pods also serve a flagged route: the same program behind another door;
 * - its backend runs no pod this platform renders (a missing, ExternalName or selector-less
 *   Service), so nothing here can say what it runs: unknown counts as control;
 * - its path names an admin or control tool ({@link CONTROL_PATHS}).
 * A Service of type LoadBalancer or NodePort is a door of its own, past the controller: it is
 * judged by what it sends traffic to ({@link backendReasons}).
 * The lists of images and paths live here and nowhere else.
 */
import { containersOf, Doc, podSpecOf } from '../documents';
import { parseImage } from '../image';
import { CONTROL_ANNOTATION } from '../ingress';
import { podIndex, PolicyContext, PolicyObject, servicesByName } from './rule';

/** A name pattern and what whoever reaches such a server can do. */
export interface ControlPattern {
  /** Matched against the last part of an image's repository, or against each segment of a path, lowercased. */
  readonly pattern: RegExp;
  /** What it is and what it gives whoever reaches it. */
  readonly what: string;
}

/**
 * Images whose server is an admin UI or a control API, matched on the last part of the
 * repository (`grafana` in `docker.io/grafana/grafana:11.3.0`), whatever the registry or
 * publisher (`bitnami/grafana` too).
 */
export const CONTROL_IMAGES: readonly ControlPattern[] = [
  { pattern: /^grafana(-oss|-enterprise)?$/, what: 'Grafana: dashboards, data sources with their credentials, an admin user' },
  { pattern: /^pgadmin4?$/, what: 'pgAdmin: a SQL console to every database it can reach' },
  { pattern: /^(adminer|pgweb)$/, what: 'a database console' },
  { pattern: /^phpmyadmin$/, what: 'phpMyAdmin: a MySQL console' },
  { pattern: /^(redis-?commander|redisinsight)$/, what: 'a Redis console: reads and writes every key' },
  { pattern: /^mongo-express$/, what: 'mongo-express: a MongoDB console' },
  { pattern: /^prometheus$/, what: 'Prometheus: every metric of the cluster, and its admin API when enabled' },
  { pattern: /^alertmanager$/, what: 'Alertmanager: silences every alert' },
  { pattern: /^kibana$/, what: 'Kibana: every log, and Elasticsearch as its user' },
  { pattern: /^argocd$/, what: 'Argo CD: deploys to the cluster' },
  { pattern: /^(kubernetes-)?dashboard(-api|-web|-auth)?$/, what: 'the Kubernetes Dashboard: the cluster API' },
  { pattern: /^flower$/, what: "Flower: Celery's monitor, which revokes tasks and shuts workers down" },
  { pattern: /^kafka-ui$/, what: 'Kafka UI: reads and writes topics and offsets' },
  { pattern: /^portainer(-ce|-ee)?$/, what: 'Portainer: runs containers' },
  // Our own: a trading engine's API starts and stops trading (Breakout Bot's engine is `…-api`
  // and flagged); an image named as an engine, a control plane or an admin tool is taken at its word.
  { pattern: /(^|[-_.])(engine|control|admin)([-_.]|$)/, what: 'named as an engine, a control plane or an admin tool' },
];

/**
 * Path segments that name an admin or control tool (`/admin`, `/api/engine/stop`), matched
 * against each segment of a path, so a tool mounted under a prefix is found too.
 */
export const CONTROL_PATHS: readonly ControlPattern[] = [
  { pattern: /admin/, what: 'an admin UI (/admin, /pgadmin, /phpmyadmin, /adminer, /wp-admin)' },
  { pattern: /^(grafana|kibana|prometheus|alertmanager|argocd|argo-cd|dashboard|flower|kafka-ui|redis-commander|mongo-express|portainer|pgweb|redisinsight)$/, what: 'an admin or monitoring tool' },
  { pattern: /^(control|controls|engine|engines|console|manage|management)$/, what: 'a control API or console' },
  { pattern: /^actuator$/, what: 'Spring Boot Actuator: environment, heap dumps, shutdown' },
  { pattern: /^(_?debug|__debug__|pprof|expvar)$/, what: 'a debug endpoint: memory, goroutines, settings' },
  { pattern: /^_?metrics$/, what: 'metrics: internal counters, every route and queue by name' },
];

/** One path an Ingress serves, with what it routes to. */
export interface IngressPath {
  /** The path, or `(default backend)` for `spec.defaultBackend`. */
  readonly path: string;
  /** The backend Service's name, when the backend is a Service. */
  readonly service?: string;
}

/** Every path of a rendered Ingress, its default backend included. */
export function ingressPaths(doc: Doc): IngressPath[] {
  const paths: IngressPath[] = (doc.spec?.rules ?? []).flatMap((r: Doc) => (r.http?.paths ?? []).map((p: Doc) => ({ path: String(p.path ?? '/'), service: p.backend?.service?.name })));
  if (doc.spec?.defaultBackend) paths.push({ path: '(default backend)', service: doc.spec.defaultBackend.service?.name });
  return paths;
}

const flaggedPaths = (doc: Doc): string[] => String(doc.metadata?.annotations?.[CONTROL_ANNOTATION] ?? '').split(' ').filter(Boolean);

/** The workloads a Service's selector picks in the context, `[]` for a missing or selector-less one. */
function podsBehind(ctx: PolicyContext, service: string | undefined): PolicyObject[] {
  const svc = service === undefined ? undefined : servicesByName(ctx).get(service);
  return svc ? podIndex(ctx).select(svc.doc.spec?.selector) : [];
}

/** A flagged route: its Ingress and path. */
type Flagged = { readonly ingress: PolicyObject; readonly path: string };
const flaggedMemo = new WeakMap<PolicyContext, Map<PolicyObject, Flagged[]>>();
/** The workloads behind the flagged routes of the context, each with those routes. */
function flaggedWorkloads(ctx: PolicyContext): Map<PolicyObject, Flagged[]> {
  let out = flaggedMemo.get(ctx);
  if (out) return out;
  out = new Map();
  for (const ingress of ctx.objects.filter((x) => x.doc.kind === 'Ingress')) {
    const flagged = new Set(flaggedPaths(ingress.doc));
    for (const p of ingressPaths(ingress.doc).filter((x) => flagged.has(x.path))) {
      for (const w of podsBehind(ctx, p.service)) out.set(w, [...(out.get(w) ?? []), { ingress, path: p.path }]);
    }
  }
  flaggedMemo.set(ctx, out);
  return out;
}

/** Why `path` of Ingress `o` is a control route, one reason each; `[]` when it is not one. */
export function controlReasons(ctx: PolicyContext, o: PolicyObject, path: IngressPath): string[] {
  const reasons: string[] = [];
  if (flaggedPaths(o.doc).includes(path.path)) reasons.push('it is flagged control: true');
  reasons.push(...backendReasons(ctx, path.service, (f) => f.ingress === o && f.path === path.path));
  const named = path.path.toLowerCase().split('/').flatMap((segment) => CONTROL_PATHS.find((k) => k.pattern.test(segment)) ?? []);
  for (const known of new Set(named)) reasons.push(`its path names ${known.what}`);
  return reasons;
}

/**
 * Why what Service `service` sends traffic to is a control API or admin UI, one reason each: it
 * cannot be seen, it runs a known image, or it also serves a flagged route (other than `self`).
 */
export function backendReasons(ctx: PolicyContext, service: string | undefined, self: (f: Flagged) => boolean = () => false): string[] {
  const reasons: string[] = [];
  const pods = podsBehind(ctx, service);
  if (pods.length === 0) reasons.push(`its backend ${service === undefined ? 'is not a Service' : `"${service}" runs no pod of this platform`}, so what it runs cannot be checked`);
  const images = new Set<string>();
  for (const w of pods) for (const { c } of containersOf(podSpecOf(w.doc) ?? {})) images.add(String(c.image));
  for (const image of [...images].sort()) {
    const name = (parseImage(image)?.repository ?? image).split('/').pop()!.toLowerCase();
    const known = CONTROL_IMAGES.find((k) => k.pattern.test(name));
    if (known) reasons.push(`backend "${service}" runs ${image} (${known.what})`);
  }
  const flagged = flaggedWorkloads(ctx);
  const elsewhere = pods.flatMap((w) => flagged.get(w) ?? []).filter((f) => !self(f));
  const also = [...new Set(elsewhere.map((f) => `"${f.path}" (Ingress/${f.ingress.doc.metadata?.name})`))];
  if (also.length > 0) reasons.push(`backend "${service}" also serves control route ${also.join(', ')}`);
  return reasons;
}
