import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { asList, dnsLabel, dnsSubdomain, httpPath, ipv4Cidr, show } from './checks';
import { NetworkPeer } from './network';
import { PlatformChart } from './platform-chart';
import { Problems } from './problems';
import { SIGN_IN_PATH, SignInProxy } from './sign-in-proxy';

/** A workload an Ingress can send traffic to: one with a Service. */
export interface Routable {
  /** Service name. */
  readonly name: string;
  /**
   * Service port.
   * @default - none: the workload has no Service, and no Ingress can route to it
   */
  readonly servicePort?: number;
  /** Pod ports, which the NetworkPolicy opens to the ingress controller. */
  readonly connectPorts: readonly number[];
  /** The pods as a network peer. */
  readonly peer: NetworkPeer;
}

/**
 * Who may call a route:
 * - `public`: anyone on the internet;
 * - `authenticated`: only a signed-in user (ingress-nginx external auth against the platform's
 *   oauth2-proxy, which the library renders from the env's `ingress.auth`);
 * - `internal`: only the env's `ingress.internalSourceRanges` (office, VPN).
 */
export type RouteAccess = 'public' | 'authenticated' | 'internal';

/** Every access level, in the order their Ingresses render. */
export const ROUTE_ACCESS: readonly RouteAccess[] = ['public', 'authenticated', 'internal'];

/** One path of an Ingress. */
export interface IngressRoute {
  /** Path prefix, e.g. `/api`. */
  readonly path: string;
  /** Where it goes. */
  readonly service: Routable;
  /**
   * Who may call it. Required: no route is public by omission. Routes of different levels
   * render as separate Ingresses of the same host, since ingress-nginx reads auth and source
   * ranges per Ingress.
   */
  readonly access: RouteAccess;
  /**
   * Whether the route is a control API or an admin UI (engine start/stop, Grafana, pgAdmin): the
   * policy rule `public-control-route` refuses it as `public` outside dev. Required on a `public`
   * route, so its author states it and a reviewer reads it. The rule does not take `false` at its
   * word: it also refuses a public route whose backend runs an admin image or whose path names one.
   * On an `authenticated` or `internal` route it is optional, since the rule lets such a route
   * through either way; flag a control route there all the same, so that a public route to the
   * same pods is refused too.
   * @default - none on a `public` route (a route that does not say is an error); `false` on an
   * `authenticated` or `internal` route
   */
  readonly control?: boolean;
  /**
   * Whether the path carries WebSockets: it is rendered in a second Ingress with hour-long
   * proxy timeouts, so long-lived connections are not cut while normal requests keep the
   * controller's short defaults.
   * @default false
   */
  readonly websocket?: boolean;
  /**
   * Match the path exactly (`pathType: Exact`), e.g. `/health`, rather than as a prefix.
   * @default false
   */
  readonly exact?: boolean;
}

/** Props of {@link PublicIngress}. */
export interface PublicIngressProps {
  /** Public host, e.g. `app.peripheral.com`. */
  readonly host: string;
  /** Paths, each to a service; the longest matching prefix wins. */
  readonly routes: readonly IngressRoute[];
  /**
   * Largest request body the controller accepts (ingress-nginx `proxy-body-size`).
   * @default "8m"
   */
  readonly maxBodySize?: string;
}

const NGINX = 'nginx.ingress.kubernetes.io';
/** Annotation that says who may call the routes of an Ingress; the policy reads it. */
export const ACCESS_ANNOTATION = 'trading-platform-manifests/access';
/** Annotation that lists the control routes of an Ingress (space-separated paths); the policy reads it. */
export const CONTROL_ANNOTATION = 'trading-platform-manifests/control-paths';
/** What an `authenticated` Ingress passes on from oauth2-proxy when the env names nothing. */
export const DEFAULT_AUTH_RESPONSE_HEADERS = ['X-Auth-Request-User', 'X-Auth-Request-Email'];

/**
 * HTTPS entry of a platform: an Ingress of the env's class with TLS from the env's cert-manager
 * issuer (certificate in the Secret `<id>-tls`), HTTP redirected to HTTPS, several paths to
 * several services, and WebSocket paths in a companion Ingress `<id>-websocket`. Each routed
 * service's NetworkPolicy admits the ingress controller on its pod port.
 *
 * With an `authenticated` route, the platform runs its oauth2-proxy (`SignInProxy`) and the
 * host gets a public Ingress `<id>-sign-in` routing `/oauth2` (sign-in, callback, sign-out) to it,
 * the path ingress-nginx's `auth-signin` sends browsers to; the paths under `/oauth2` are its own.
 */
export class PublicIngress extends Construct {
  public constructor(scope: Construct, id: string, props: PublicIngressProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);

    const problems = new Problems();
    problems.check('name', dnsLabel(id, 40));
    problems.check('host', dnsSubdomain(props.host));
    if (props.routes !== undefined && !Array.isArray(props.routes)) problems.check('routes', `expected a list of { path, service }, got ${show(props.routes)}`);
    const routes = asList(props.routes);
    if (Array.isArray(props.routes) && routes.length === 0) problems.check('routes', 'is empty; route at least one path');
    if (props.routes === undefined) problems.check('routes', 'is missing; route at least one path');
    const seen = new Set<string>();
    routes.forEach((r, i) => {
      if (r === null || typeof r !== 'object') return problems.check(`routes[${i}]`, `expected { path, service }, got ${show(r)}`);
      problems.check(`routes[${i}].path`, httpPath(r.path));
      if (!ROUTE_ACCESS.includes(r.access)) {
        problems.check(`routes[${i}].access`, `${r.access === undefined ? 'is missing' : `${show(r.access)} is not an access level`}; say who may call "${r.path}": ${ROUTE_ACCESS.join(', ')}`);
      }
      if (r.control !== undefined && typeof r.control !== 'boolean') problems.check(`routes[${i}].control`, `expected true or false, got ${show(r.control)}`);
      else if (r.control === undefined && r.access === 'public') problems.check(`routes[${i}].control`, `is missing; a public route says whether "${r.path}" is a control API or admin UI: control: true (refused outside dev) or control: false`);
      if (seen.has(r.path)) problems.check(`routes[${i}].path`, `"${r.path}" is routed twice`);
      seen.add(r.path);
      const s = r.service;
      if (s === undefined || s === null) problems.check(`routes[${i}].service`, 'is missing; route to a WebService of this platform');
      else if (typeof s !== 'object' || !Array.isArray(s.connectPorts)) problems.check(`routes[${i}].service`, `${show(s)} is not a service of this platform`);
      else if (!s.peer) return; // the service itself failed its checks and reported them
      else if (s.servicePort === undefined) problems.check(`routes[${i}].service`, `"${s.name}" has no Service (a Worker, or a Singleton without a port); route to a WebService`);
      else if (PlatformChart.of(s.peer) !== chart) problems.check(`routes[${i}].service`, `"${s.name}" belongs to another platform or env`);
    });
    const levels = new Set(routes.map((r) => r?.access));
    const auth = chart.env.ingress.auth;
    const ranges = chart.env.ingress.internalSourceRanges;
    // The platform's sign-in proxy, made by the first Ingress that needs it; its own settings' problems are its own.
    const signIn = levels.has('authenticated') ? SignInProxy.of(chart) : undefined;
    if (levels.has('authenticated')) {
      if (!auth) {
        problems.check(
          'routes',
          `an authenticated route needs env.ingress.auth, which env ${chart.env.name} does not set: the identity provider (issuerUrl), who may sign in (emailDomains or groups), the oauth2-proxy image, its Secret (credentials.secret) and resources; set it, or make the route internal`,
        );
      }
      routes.forEach((r, i) => {
        if (typeof r?.path === 'string' && (r.path === SIGN_IN_PATH || r.path.startsWith(`${SIGN_IN_PATH}/`))) {
          problems.check(`routes[${i}].path`, `"${r.path}" is where the sign-in proxy answers on this host (${SIGN_IN_PATH}: sign-in, callback, sign-out); route the service elsewhere`);
        }
      });
    }
    if (levels.has('internal')) {
      if (!ranges || ranges.length === 0) problems.check('routes', `an internal route needs env ${chart.env.name}'s ingress.internalSourceRanges (the CIDRs that may call it); set them`);
      else ranges.forEach((c, i) => problems.check(`env.ingress.internalSourceRanges[${i}]`, c === '0.0.0.0/0' ? '"0.0.0.0/0" admits every address; name the office and VPN ranges' : ipv4Cidr(c)));
    }
    if (problems.report(this)) return;

    const issuer = chart.env.ingress.tlsIssuer;
    const tlsSecret = `${id}-tls`;
    const render = (name: string, rs: readonly IngressRoute[], annotations: Record<string, string>) => {
      // Longest first, then by name; no two paths are equal (a path routed twice is refused).
      const sorted = [...rs].sort((a, b) => b.path.length - a.path.length || (a.path < b.path ? -1 : 1));
      const paths = sorted.map((r) => ({
        path: r.path,
        pathType: r.exact ? 'Exact' : 'Prefix',
        backend: { service: { name: r.service.name, port: { number: r.service.servicePort! } } },
      }));
      const control = sorted.filter((r) => r.control).map((r) => r.path);
      new k8s.KubeIngress(this, name === id ? 'Resource' : name.slice(id.length + 1), {
        metadata: chart.metadata(name, {
          component: 'ingress',
          annotations: {
            [`${NGINX}/ssl-redirect`]: 'true',
            [`${NGINX}/proxy-body-size`]: props.maxBodySize ?? '8m',
            [ACCESS_ANNOTATION]: rs[0].access,
            ...(control.length > 0 ? { [CONTROL_ANNOTATION]: control.join(' ') } : {}),
            ...annotations,
          },
        }),
        spec: {
          ingressClassName: chart.env.ingress.className,
          tls: [{ hosts: [props.host], secretName: tlsSecret }],
          rules: [{ host: props.host, http: { paths } }],
        },
      });
    };
    const byAccess: Record<RouteAccess, Record<string, string>> = {
      public: {},
      authenticated: signIn
        ? {
            [`${NGINX}/auth-url`]: signIn.authUrl,
            [`${NGINX}/auth-signin`]: signIn.signinUrl,
            // auth is set: an authenticated route without it was refused above.
            [`${NGINX}/auth-response-headers`]: (auth!.responseHeaders ?? DEFAULT_AUTH_RESPONSE_HEADERS).join(','),
          }
        : {},
      internal: ranges ? { [`${NGINX}/whitelist-source-range`]: ranges.join(',') } : {},
    };
    // Only the first Ingress asks cert-manager for the certificate; the others reuse its Secret.
    let issuerAnnotation: Record<string, string> = { [issuer.kind === 'Issuer' ? 'cert-manager.io/issuer' : 'cert-manager.io/cluster-issuer']: issuer.name };
    const once = () => {
      const a = issuerAnnotation;
      issuerAnnotation = {};
      return a;
    };
    // The first level present keeps the names `<id>` and `<id>-websocket`; the others add theirs.
    const first = ROUTE_ACCESS.find((a) => levels.has(a));
    for (const access of ROUTE_ACCESS) {
      const base = access === first ? id : `${id}-${access}`;
      const plain = routes.filter((r) => r.access === access && !r.websocket);
      const sockets = routes.filter((r) => r.access === access && r.websocket);
      if (plain.length > 0) render(base, plain, { ...once(), ...byAccess[access] });
      if (sockets.length > 0) {
        render(`${base}-websocket`, sockets, {
          ...once(),
          ...byAccess[access],
          [`${NGINX}/proxy-read-timeout`]: '3600',
          [`${NGINX}/proxy-send-timeout`]: '3600',
        });
      }
    }
    // Sign-in, callback and sign-out on this host, public: a browser without a session must reach them.
    if (signIn?.service && signIn.claimHost(props.host)) render(`${id}-sign-in`, [{ path: SIGN_IN_PATH, service: signIn.service, access: 'public' }], {});
    for (const r of routes) if (r.service.peer) r.service.peer.allowFromIngressController(r.service.connectPorts);
  }
}
