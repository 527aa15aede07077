/**
 * Whether the external auth of an Ingress really asks this platform's own sign-in proxy, and
 * whether each authenticated host can sign a browser in, judged on the final documents (after JSON
 * patches), so that an `auth-url` patched or written by hand to anything that answers 200 (an
 * external site, a Service that is no sign-in proxy, another namespace's proxy) does not pass as
 * authenticated.
 *
 * The proxy is known by two things at once, since a patch can forge either alone:
 * - the URL ingress-nginx asks: exactly `http://oauth2-proxy.<namespace>.svc.cluster.local:4180/oauth2/auth`,
 *   the name, namespace, port and path the library renders ({@link signInAuthUrl});
 * - what answers that URL: the platform's Service `oauth2-proxy` in its namespace, of type ClusterIP
 *   (an ExternalName Service of that name sends the subrequest anywhere), with no EndpointSlice of
 *   its own (kube-proxy also sends traffic to a hand-written slice labelled with the Service's
 *   name), whose every selected pod serves its port from a container that runs exactly the env's
 *   `ingress.auth.image`. The env is reviewed input that no patch of a rendered document changes;
 *   a container merely named like oauth2-proxy would let a patch swap in any image so named, and
 *   the Service's name alone would let a patch point its selector at other pods.
 */
import { containersOf, Doc, ingressClassOf, podSpecOf } from '../documents';
import { SIGN_IN_NAME, SIGN_IN_PATH, SIGN_IN_PORT, signInAuthUrl } from '../sign-in-proxy';
import { podIndex, PolicyContext, PolicyObject, servicesByName, Violation } from './rule';

const NGINX = 'nginx.ingress.kubernetes.io';
/** The label by which kube-proxy reads an EndpointSlice as one of a Service's. */
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const PROXY = `the sign-in proxy (Service ${SIGN_IN_NAME} port ${SIGN_IN_PORT})`;

/**
 * Why the controller, asking what the `auth-url` and `auth-signin` of Ingress `doc` say, does not
 * ask this platform's sign-in proxy, one reason each; `[]` when it does.
 */
export function signInReasons(ctx: PolicyContext, doc: Doc): string[] {
  const a: Record<string, unknown> = doc.metadata?.annotations ?? {};
  const url = a[`${NGINX}/auth-url`];
  const expected = signInAuthUrl(ctx.namespace);
  const reasons: string[] = [];
  if (url !== expected) reasons.push(`auth-url ${JSON.stringify(url)} is not this platform's sign-in proxy (${expected})`);
  else {
    const why = proxyProblem(ctx);
    if (why) reasons.push(`auth-url ${JSON.stringify(url)} is not this platform's sign-in proxy: ${why}`);
  }
  const signin = a[`${NGINX}/auth-signin`];
  const at = typeof signin === 'string' ? new RegExp(`^https://([^/?#@]+)${SIGN_IN_PATH}/start([?#].*)?$`).exec(signin) : null;
  if (!at || !(at[1] === '$host' || hostsOf(doc).includes(at[1]))) {
    reasons.push(`auth-signin ${JSON.stringify(signin)} is not https://$host${SIGN_IN_PATH}/start (or the Ingress' own host): a browser without a session goes to this platform's sign-in pages, not elsewhere`);
  }
  return reasons;
}

const proxyMemo = new WeakMap<PolicyContext, { why?: string }>();
/** Why the Service that the expected `auth-url` names is not the env's sign-in proxy, or `undefined` when it is. */
function proxyProblem(ctx: PolicyContext): string | undefined {
  let memo = proxyMemo.get(ctx);
  if (!memo) proxyMemo.set(ctx, (memo = { why: findProxyProblem(ctx) }));
  return memo.why;
}

function findProxyProblem(ctx: PolicyContext): string | undefined {
  const image = ctx.env.ingress.auth?.image;
  if (!image) return `env ${ctx.env.name} sets no ingress.auth, so no sign-in proxy runs`;
  const svc = servicesByName(ctx).get(SIGN_IN_NAME)?.doc;
  const service = `Service "${SIGN_IN_NAME}"`;
  if (!svc) return `${service} does not exist`;
  if (svc.metadata?.namespace !== ctx.namespace) return `${service} is in namespace ${JSON.stringify(svc.metadata?.namespace)}, not ${ctx.namespace}`;
  const type = svc.spec?.type ?? 'ClusterIP';
  if (type !== 'ClusterIP') return `${service} is of type ${type}, not ClusterIP`;
  const port = (svc.spec?.ports ?? []).find((p: Doc) => p.port === SIGN_IN_PORT);
  if (!port) return `${service} has no port ${SIGN_IN_PORT}`;
  const pods = podIndex(ctx).select(svc.spec?.selector);
  if (pods.length === 0) return `${service} selects no pod of this platform (${JSON.stringify(svc.spec?.selector ?? {})})`;
  const target = port.targetPort ?? port.port;
  for (const w of pods) {
    const serving = containersOf(podSpecOf(w.doc) ?? {})
      .filter(({ c }) => (c.ports ?? []).some((p: Doc) => p.name === target || p.containerPort === target))
      .map(({ c }) => String(c.image));
    if (serving.length !== 1 || serving[0] !== image) {
      return `${service} selects ${w.doc.kind}/${w.doc.metadata?.name}, whose container on port ${JSON.stringify(target)} runs ${serving.join(', ') || 'nothing'}, not env ${ctx.env.name}'s ingress.auth.image ${image}`;
    }
  }
  const slices = ctx.objects.filter((o) => o.doc.kind === 'EndpointSlice' && o.doc.metadata?.labels?.[SERVICE_NAME_LABEL] === SIGN_IN_NAME);
  if (slices.length > 0) return `${service} has endpoints past its selector (${slices.map((o) => `EndpointSlice/${o.doc.metadata?.name}`).join(', ')})`;
  return undefined;
}

const hostsOf = (doc: Doc): string[] => (doc.spec?.rules ?? []).flatMap((r: Doc) => (typeof r.host === 'string' ? [r.host] : []));
const underSignIn = (path: unknown): boolean => typeof path === 'string' && (path === SIGN_IN_PATH || path.startsWith(`${SIGN_IN_PATH}/`));

/**
 * Where the sign-in flow of the hosts of `authenticated` (Ingresses whose auth the controller
 * enforces against the proxy) breaks: a path at or under `/oauth2` of such a host that routes
 * elsewhere than the proxy, or no public `/oauth2` prefix to it (auth-signin sends a browser
 * without a session there; behind auth-url itself, it would be sent there forever). Reported once
 * per host, on the first authenticated Ingress of that host.
 */
export function signInRouteProblems(ctx: PolicyContext, authenticated: readonly PolicyObject[]): Violation[] {
  const svcPort = (servicesByName(ctx).get(SIGN_IN_NAME)?.doc.spec?.ports ?? []).find((p: Doc) => p.port === SIGN_IN_PORT);
  const toProxy = (b: Doc | undefined) => b?.name === SIGN_IN_NAME && (b.port?.number === SIGN_IN_PORT || (b.port?.name !== undefined && b.port.name === svcPort?.name));
  const byHost = new Map<string, Array<{ ingress: Doc; p: Doc }>>();
  for (const o of ctx.objects.filter((x) => x.doc.kind === 'Ingress' && ingressClassOf(x.doc) === ctx.env.ingress.className)) {
    for (const r of o.doc.spec?.rules ?? []) {
      for (const p of (r.http?.paths ?? []).filter((x: Doc) => underSignIn(x.path))) byHost.set(r.host, [...(byHost.get(r.host) ?? []), { ingress: o.doc, p }]);
    }
  }
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const o of authenticated) {
    for (const host of hostsOf(o.doc).filter((h) => !seen.has(h))) {
      seen.add(host);
      const paths = byHost.get(host) ?? [];
      const elsewhere = paths.filter(({ p }) => !toProxy(p.backend?.service));
      for (const { ingress, p } of elsewhere) {
        const b = p.backend?.service;
        out.push({ object: o, message: `host "${host}" routes "${p.path}" (Ingress/${ingress.metadata?.name}) to ${b ? `Service "${b.name}" port ${b.port?.number ?? b.port?.name}` : 'no Service'}, not to ${PROXY}: the sign-in pages of an authenticated host are the proxy's` });
      }
      const open = paths.some(({ ingress, p }) => p.path === SIGN_IN_PATH && p.pathType !== 'Exact' && toProxy(p.backend?.service) && !ingress.metadata?.annotations?.[`${NGINX}/auth-url`]);
      if (elsewhere.length === 0 && !open) out.push({ object: o, message: `host "${host}" has no public ${SIGN_IN_PATH} prefix route to ${PROXY}, where auth-signin sends a browser without a session` });
    }
  }
  return out;
}
