import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { asList, dnsLabel, dnsSubdomain, httpPath, show } from './checks';
import { NetworkPeer } from './network';
import { PlatformChart } from './platform-chart';
import { Problems } from './problems';

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

/** One path of an Ingress. */
export interface IngressRoute {
  /** Path prefix, e.g. `/api`. */
  readonly path: string;
  /** Where it goes. */
  readonly service: Routable;
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

/**
 * HTTPS entry of a platform: an Ingress of the env's class with TLS from the env's cert-manager
 * issuer (certificate in the Secret `<id>-tls`), HTTP redirected to HTTPS, several paths to
 * several services, and WebSocket paths in a companion Ingress `<id>-websocket`. Each routed
 * service's NetworkPolicy admits the ingress controller on its pod port.
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
      if (seen.has(r.path)) problems.check(`routes[${i}].path`, `"${r.path}" is routed twice`);
      seen.add(r.path);
      const s = r.service;
      if (s === undefined || s === null) problems.check(`routes[${i}].service`, 'is missing; route to a WebService of this platform');
      else if (typeof s !== 'object' || !('connectPorts' in s) || !Array.isArray(s.connectPorts)) problems.check(`routes[${i}].service`, `${show(s)} is not a service of this platform`);
      else if (!s.peer) return; // the service itself failed its checks and reported them
      else if (s.servicePort === undefined) problems.check(`routes[${i}].service`, `"${s.name}" has no Service (a Worker, or a Singleton without a port); route to a WebService`);
      else if (PlatformChart.of(s.peer) !== chart) problems.check(`routes[${i}].service`, `"${s.name}" belongs to another platform or env`);
    });
    if (problems.report(this)) return;

    const issuer = chart.env.ingress.tlsIssuer;
    const tlsSecret = `${id}-tls`;
    const render = (name: string, rs: readonly IngressRoute[], annotations: Record<string, string>) => {
      const paths = [...rs]
        .sort((a, b) => b.path.length - a.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        .map((r) => ({
          path: r.path,
          pathType: r.exact ? 'Exact' : 'Prefix',
          backend: { service: { name: r.service.name, port: { number: r.service.servicePort! } } },
        }));
      new k8s.KubeIngress(this, name === id ? 'Resource' : 'websocket', {
        metadata: chart.metadata(name, {
          component: 'ingress',
          annotations: { [`${NGINX}/ssl-redirect`]: 'true', [`${NGINX}/proxy-body-size`]: props.maxBodySize ?? '8m', ...annotations },
        }),
        spec: {
          ingressClassName: chart.env.ingress.className,
          tls: [{ hosts: [props.host], secretName: tlsSecret }],
          rules: [{ host: props.host, http: { paths } }],
        },
      });
    };
    const plain = routes.filter((r) => !r.websocket);
    const sockets = routes.filter((r) => r.websocket);
    // Only one Ingress asks cert-manager for the certificate; the other reuses its Secret.
    const issuerAnnotation = { [issuer.kind === 'Issuer' ? 'cert-manager.io/issuer' : 'cert-manager.io/cluster-issuer']: issuer.name };
    if (plain.length > 0) render(id, plain, issuerAnnotation);
    if (sockets.length > 0) {
      render(`${id}-websocket`, sockets, {
        ...(plain.length === 0 ? issuerAnnotation : {}),
        [`${NGINX}/proxy-read-timeout`]: '3600',
        [`${NGINX}/proxy-send-timeout`]: '3600',
      });
    }
    for (const r of routes) if (r.service.peer) r.service.peer.allowFromIngressController(r.service.connectPorts);
  }
}
