/**
 * Policy rules of access: what a pod may reach (no private, link-local or metadata address
 * unless the env names it or a waiver says why), which pods hold an API token, and who may call a
 * control route.
 */

/** The one env whose control routes may be public: a developer's playground, no real money. */
export const OPEN_CONTROL_ENV = 'dev';
const NGINX = 'nginx.ingress.kubernetes.io';
/** Service types that open their pods outside the cluster, past the ingress controller and its auth. */
const OPEN_SERVICE_TYPES: readonly unknown[] = ['LoadBalancer', 'NodePort'];

/**
 * Who may call the routes of a rendered Ingress by what its annotations ask of the controller (not
 * by what the Ingress says of itself): auth-url and auth-signin ask for authentication, a source
 * range list for internal; anything else is public. Whether the env's controller really enforces
 * that, against this platform's own sign-in proxy, is {@link unenforcedBecause}'s to say.
 */
export function enforcedAccess(doc: Record<string, any>): 'public' | 'authenticated' | 'internal' {
  const a: Record<string, string> = doc.metadata?.annotations ?? {};
  if (a[`${NGINX}/auth-url`] && a[`${NGINX}/auth-signin`]) return 'authenticated';
  const ranges = a[`${NGINX}/whitelist-source-range`] ?? a[`${NGINX}/allowlist-source-range`];
  if (ranges && !ranges.split(',').some((r) => r.trim() === '0.0.0.0/0')) return 'internal';
  return 'public';
}

/**
 * Why the env's controller does not enforce the auth or source ranges an Ingress asks for, or
 * `undefined` when it does: the nginx annotations bind only the controller of the env's class (an
 * Ingress of another class, or of none, is served by someone else or by no one); auth counts only
 * when auth-url asks this platform's own sign-in proxy and auth-signin sends browsers to its pages
 * on the same host (sign-in.ts); and a source range list counts as internal only when the env
 * names every range (`ingress.internalSourceRanges`).
 */
export function unenforcedBecause(doc: Record<string, any>, ctx: PolicyContext): string | undefined {
  const access = enforcedAccess(doc);
  if (access === 'public') return undefined;
  const env = ctx.env;
  const cls = ingressClassOf(doc);
  if (cls !== env.ingress.className) return `its class ${cls === undefined ? 'is unset, not' : `${JSON.stringify(cls)} is not`} "${env.ingress.className}", whose controller alone reads its auth and source-range annotations`;
  if (access === 'authenticated') return signInReasons(ctx, doc).join('; ') || undefined;
  const a: Record<string, string> = doc.metadata?.annotations ?? {};
  const named = new Set(env.ingress.internalSourceRanges ?? []);
  const other = String(a[`${NGINX}/whitelist-source-range`] ?? a[`${NGINX}/allowlist-source-range`]).split(',').map((r) => r.trim()).filter((r) => !named.has(r));
  return other.length === 0 ? undefined : `source range ${other.map((r) => JSON.stringify(r)).join(', ')} is not one of env ${env.name}'s ingress.internalSourceRanges`;
}
import { ingressClassOf, WORKLOAD_KINDS as PODS } from '../documents';
import { ACCESS_ANNOTATION } from '../ingress';
import { specialRangesReached } from '../ipv4';
import { backendReasons, controlReasons, ingressPaths } from './control-routes';
import { PolicyContext, PolicyObject, Rule, Violation, workloads } from './rule';
import { signInReasons, signInRouteProblems } from './sign-in';

/** Network access and API credentials. */
export const ACCESS_RULES: readonly Rule[] = [
  {
    id: 'egress-internal',
    kinds: ['NetworkPolicy'],
    rationale: 'an egress range that reaches a private, shared, loopback or link-local address opens the nodes, the cloud metadata endpoint (169.254.169.254) and every other network the cluster can route to',
    fix: 'declare cluster peers with `uses` or a namespace egress, narrow the range to public addresses, or waive(scope, \'egress-internal\', reason) on the workload',
    check: (ctx) => {
      // What the env itself names: its API server and extra DNS addresses.
      const named = new Set([...(ctx.env.apiServerCidrs ?? []), ...(ctx.env.dns?.cidrs ?? [])]);
      return ctx.objects
        .filter((o) => o.doc.kind === 'NetworkPolicy')
        .flatMap((o) =>
          (o.doc.spec?.egress ?? []).flatMap((rule: any) =>
            (rule.to ?? [])
              .filter((peer: any) => peer.ipBlock && !(named.has(peer.ipBlock.cidr) && !peer.ipBlock.except?.length))
              .flatMap((peer: any) => {
                const reached = specialRangesReached(String(peer.ipBlock.cidr), peer.ipBlock.except ?? [], (s) => s.internal);
                if (reached.length === 0) return [];
                const ports = (rule.ports ?? []).map((p: any) => p.port).join(',') || 'every port';
                const what = reached.map((s) => `${s.cidr} (${s.name}, ${s.rfc})`).join(', ');
                return [{ object: o, message: `egress to ${peer.ipBlock.cidr}${peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.length} ranges` : ''} on ${ports} reaches ${what}` }];
              }),
          ),
        );
    },
  },
  {
    id: 'public-control-route',
    kinds: ['Ingress', 'Service'],
    rationale: 'a control API or admin UI (engine start/stop, Grafana, pgAdmin) open to the internet lets anyone who finds it run or stop the platform',
    fix: "give the route access 'authenticated' (the env's oauth2-proxy) or 'internal' (the env's source ranges), behind a ClusterIP Service; where the app signs its users in itself, waive(ingress, 'public-control-route', reason)",
    // Fails closed: every path the controller serves publicly, and every Service open outside the
    // cluster, is judged on the final documents (after JSON patches); a route is a control route
    // when it is flagged, when what it routes to or its path says so, or when what it routes to
    // cannot be seen (control-routes.ts).
    check: (ctx) => (ctx.env.name === OPEN_CONTROL_ENV ? [] : [...publicPaths(ctx), ...openServices(ctx)]),
  },
  {
    id: 'sign-in-route',
    kinds: ['Ingress'],
    rationale: "an authenticated host whose /oauth2 paths do not all reach the platform's sign-in proxy, publicly, signs nobody in: browsers are sent to sign-in pages that are missing, someone else's, or behind the sign-in itself",
    fix: 'leave /oauth2 on each authenticated host to the route PublicIngress renders to the sign-in proxy; route nothing else under /oauth2',
    // In every env: a sign-in that cannot work is broken in dev too. Judged on the Ingresses whose
    // auth the controller enforces against the proxy; the others are public-control-route's.
    check: (ctx) => signInRouteProblems(ctx, authenticatedIngresses(ctx)),
  },
  {
    id: 'token-automount',
    kinds: PODS,
    rationale: 'a pod that mounts the default ServiceAccount\'s token hands whoever breaks into it an API credential nobody reviewed',
    fix: 'leave automountServiceAccountToken false; a pod that calls the API runs under its own ServiceAccount and Role (as ScheduledRestart does)',
    check: (ctx) =>
      workloads(ctx)
        .filter(({ spec }) => spec.automountServiceAccountToken !== false && (spec.serviceAccountName ?? 'default') === 'default')
        .map(({ o, spec }) => ({
          object: o,
          message: `mounts the default ServiceAccount's API token (automountServiceAccountToken: ${JSON.stringify(spec.automountServiceAccountToken ?? 'unset, which mounts it')})`,
        })),
  },
];

const OUTSIDE = `outside ${OPEN_CONTROL_ENV} a control route is authenticated or internal`;

/** Every control route among the paths the ingress controller serves publicly, and every Ingress whose access annotation says otherwise than its auth. */
function publicPaths(ctx: PolicyContext): Violation[] {
  return ctx.objects
    .filter((o) => o.doc.kind === 'Ingress')
    .flatMap((o) => {
      const because = unenforcedBecause(o.doc, ctx);
      const enforced = because ? 'public' : enforcedAccess(o.doc);
      const declared = o.doc.metadata?.annotations?.[ACCESS_ANNOTATION];
      const out: Violation[] = [];
      if (declared !== undefined && declared !== enforced) out.push({ object: o, message: `says its routes are ${declared}, but the controller enforces ${enforced} (${because ?? 'auth-url and auth-signin, or a source range list'})` });
      if (enforced !== 'public') return out;
      for (const path of ingressPaths(o.doc)) {
        const reasons = controlReasons(ctx, o, path);
        if (reasons.length > 0) out.push({ object: o, message: `route "${path.path}" is public in ${ctx.env.name}${because ? ` (${because})` : ''} and is a control route: ${reasons.join('; ')}; ${OUTSIDE}` });
      }
      return out;
    });
}

/** The Ingresses of the context whose auth the env's controller enforces against this platform's sign-in proxy. */
function authenticatedIngresses(ctx: PolicyContext): PolicyObject[] {
  return ctx.objects.filter((o) => o.doc.kind === 'Ingress' && enforcedAccess(o.doc) === 'authenticated' && unenforcedBecause(o.doc, ctx) === undefined);
}

/** Every Service open outside the cluster (past the controller and its auth) whose pods are a control route. */
function openServices(ctx: PolicyContext): Violation[] {
  return ctx.objects
    .filter((o) => o.doc.kind === 'Service' && OPEN_SERVICE_TYPES.includes(o.doc.spec?.type))
    .flatMap((o) => {
      const reasons = backendReasons(ctx, o.doc.metadata?.name);
      return reasons.length === 0 ? [] : [{ object: o, message: `is of type ${o.doc.spec.type}, open outside the cluster in ${ctx.env.name}, and is a control route: ${reasons.join('; ')}; ${OUTSIDE}` }];
    });
}
