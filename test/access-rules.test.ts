import { describe, expect, it } from 'vitest';
import type { Environment } from '../src';
import { CONTROL_ANNOTATION, ACCESS_ANNOTATION } from '../src/ingress';
import { ACCESS_RULES, enforcedAccess, unenforcedBecause } from '../src/policy/access';
import type { PolicyContext, RuleId } from '../src/policy/rule';
import { signInAuthUrl } from '../src/sign-in-proxy';
import { testEnv } from './helpers';

// The access rules on hand-written documents: what an Ingress asks of the controller and whether
// the env's controller enforces it, egress to internal ranges, the default ServiceAccount's token,
// and control routes opened by an Ingress or by a Service of its own.

type Doc = Record<string, any>;
const NS = 'demo-test';
const NGINX = 'nginx.ingress.kubernetes.io';
const env = (name = 'prod'): Environment => {
  const base = testEnv();
  return testEnv({ name, ingress: { ...base.ingress, internalSourceRanges: ['192.0.2.0/24'] } });
};
const context = (docs: Doc[], e = env()): PolicyContext => ({ env: e, namespace: NS, objects: docs.map((doc, i) => ({ env: e.name, platform: 'demo', constructPath: `demo/o${i}`, doc })) });
const says = (id: RuleId, docs: Doc[], e = env()) =>
  ACCESS_RULES.find((r) => r.id === id)!.check(context(docs, e)).map((v) => `${v.object.doc.kind}/${v.object.doc.metadata?.name}: ${v.message}`);
const ingress = (annotations: Doc, className: string | null = 'nginx', extra: Doc = {}) => ({ kind: 'Ingress', metadata: { name: 'web', annotations }, spec: { ...(className ? { ingressClassName: className } : {}), ...extra } });
const AUTH = { [`${NGINX}/auth-url`]: signInAuthUrl(NS), [`${NGINX}/auth-signin`]: 'https://$host/oauth2/start' };

describe('what an Ingress asks of the controller', () => {
  it('is public without annotations or with a range list that includes everyone', () => {
    expect(enforcedAccess({ kind: 'Ingress' })).toBe('public');
    expect(enforcedAccess(ingress({ [`${NGINX}/whitelist-source-range`]: '192.0.2.0/24, 0.0.0.0/0' }))).toBe('public');
    expect(enforcedAccess(ingress({ [`${NGINX}/auth-url`]: signInAuthUrl(NS) }))).toBe('public');
  });

  it('is internal with a source range list under either name, and authenticated with auth-url and auth-signin', () => {
    expect(enforcedAccess(ingress({ [`${NGINX}/allowlist-source-range`]: '192.0.2.0/24' }))).toBe('internal');
    expect(enforcedAccess(ingress(AUTH))).toBe('authenticated');
  });

  it('is not enforced by another class or none, by a proxy that is not there, or by a range the env does not name', () => {
    const ctx = context([]);
    expect(unenforcedBecause(ingress(AUTH, null), ctx)).toBe('its class is unset, not "nginx", whose controller alone reads its auth and source-range annotations');
    expect(unenforcedBecause(ingress(AUTH, 'traefik'), ctx)).toBe('its class "traefik" is not "nginx", whose controller alone reads its auth and source-range annotations');
    expect(unenforcedBecause(ingress({ ...AUTH, [`${NGINX}/auth-signin`]: 'https://evil.example.com/oauth2/start' }), ctx)).toMatch(/^auth-url .* is not this platform's sign-in proxy: .*; auth-signin "https:\/\/evil.example.com\/oauth2\/start" is not /);
    expect(unenforcedBecause(ingress({ [`${NGINX}/allowlist-source-range`]: ' 192.0.2.0/24 , 198.51.100.0/24,203.0.113.0/24' }), ctx)).toBe(
      'source range "198.51.100.0/24", "203.0.113.0/24" is not one of env prod\'s ingress.internalSourceRanges',
    );
    expect(unenforcedBecause(ingress({ [`${NGINX}/whitelist-source-range`]: '192.0.2.0/24' }), ctx)).toBeUndefined();
  });
});

describe('egress-internal', () => {
  const policy = (egress?: Doc[]) => ({ kind: 'NetworkPolicy', metadata: { name: 'np' }, ...(egress ? { spec: { egress } } : {}) });

  it('passes a policy without egress, ranges of the internet, and what the env names', () => {
    // The env's API server, with no exception or an empty list of them (the same to Kubernetes).
    expect(says('egress-internal', [policy(), policy([{}, { to: [{ podSelector: {} }, { ipBlock: { cidr: '8.8.8.8/32' } }] }, { to: [{ ipBlock: { cidr: '10.0.0.1/32' } }, { ipBlock: { cidr: '10.0.0.1/32', except: [] } }] }])])).toEqual([]);
  });

  it('names the range, its exceptions, the ports and each internal range reached', () => {
    const [ports, named, internet] = says('egress-internal', [policy([
      { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 443 }, { port: 6443 }] },
      { to: [{ ipBlock: { cidr: '10.0.0.2/32', except: [] } }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }] },
    ])]);
    expect(ports).toBe('NetworkPolicy/np: egress to 10.0.0.0/8 on 443,6443 reaches 10.0.0.0/8 (private-use, RFC 1918)');
    expect(named).toBe('NetworkPolicy/np: egress to 10.0.0.2/32 on every port reaches 10.0.0.0/8 (private-use, RFC 1918)');
    expect(internet).toMatch(/^NetworkPolicy\/np: egress to 0\.0\.0\.0\/0 except 3 ranges on every port reaches 0\.0\.0\.0\/8 \("this network", RFC 791, RFC 1122\), 100\.64\.0\.0\/10 /);
  });
});

describe('token-automount', () => {
  const pod = (spec: Doc) => ({ kind: 'Deployment', metadata: { name: 'api' }, spec: { template: { spec: { containers: [], ...spec } } } });
  it('reports the default ServiceAccount\'s token mounted, by default or on purpose', () => {
    expect(says('token-automount', [pod({ automountServiceAccountToken: false }), pod({ serviceAccountName: 'restart' })])).toEqual([]);
    expect(says('token-automount', [pod({}), pod({ automountServiceAccountToken: true, serviceAccountName: 'default' })])).toEqual([
      'Deployment/api: mounts the default ServiceAccount\'s API token (automountServiceAccountToken: "unset, which mounts it")',
      'Deployment/api: mounts the default ServiceAccount\'s API token (automountServiceAccountToken: true)',
    ]);
  });
});

describe('public-control-route and sign-in-route', () => {
  const app = (name: string, ...images: string[]): Doc[] => [
    { kind: 'Deployment', metadata: { name }, spec: { template: { metadata: { labels: { app: name } }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } } },
    { kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }] } },
  ];
  const open = (name: string | undefined, type: string) => ({ kind: 'Service', ...(name ? { metadata: { name } } : {}), spec: { type, selector: { app: name ?? 'x' }, ports: [{ port: 80 }] } });
  const OUTSIDE = 'outside dev a control route is authenticated or internal';

  it('reports a Service of type LoadBalancer or NodePort in front of a control image, and nothing in dev', () => {
    const docs = [...app('admin-ui', 'grafana/grafana:11.3.0', 'dpage/pgadmin4:8.12'), ...app('shop', 'ghcr.io/acme/shop:1'), open('admin-ui', 'NodePort'), open('shop', 'LoadBalancer'), open('admin-ui', 'ClusterIP'), { kind: 'Service', metadata: { name: 'bare' } }];
    expect(says('public-control-route', docs)).toEqual([
      `Service/admin-ui: is of type NodePort, open outside the cluster in prod, and is a control route: backend "admin-ui" runs dpage/pgadmin4:8.12 (pgAdmin: a SQL console to every database it can reach); backend "admin-ui" runs grafana/grafana:11.3.0 (Grafana: dashboards, data sources with their credentials, an admin user); ${OUTSIDE}`,
    ]);
    expect(says('public-control-route', [open(undefined, 'LoadBalancer')])).toEqual([`Service/undefined: is of type LoadBalancer, open outside the cluster in prod, and is a control route: its backend is not a Service, so what it runs cannot be checked; ${OUTSIDE}`]);
    expect(says('public-control-route', docs, env('dev'))).toEqual([]);
  });

  it('reports an Ingress whose access annotation says other than what the controller enforces, and passes one without metadata', () => {
    expect(says('public-control-route', [{ kind: 'Ingress' }, ingress({ [ACCESS_ANNOTATION]: 'public', [CONTROL_ANNOTATION]: '' })])).toEqual([]);
    expect(says('public-control-route', [ingress({ [ACCESS_ANNOTATION]: 'internal' })])).toEqual(['Ingress/web: says its routes are internal, but the controller enforces public (auth-url and auth-signin, or a source range list)']);
  });

  it('judges the /oauth2 routes of Ingresses whose auth the controller enforces only', () => {
    const route = { rules: [{ host: 'app.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }] } }] };
    expect(says('sign-in-route', [ingress(AUTH, 'traefik', route), ingress({}, 'nginx', route)])).toEqual([]);
  });
});
