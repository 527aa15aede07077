import { describe, expect, it } from 'vitest';
import type { Environment } from '../src';
import type { PolicyContext } from '../src/policy/rule';
import { signInReasons, signInRouteProblems } from '../src/policy/sign-in';
import { signInAuthUrl } from '../src/sign-in-proxy';
import { SMALL, testEnv } from './helpers';

// Whether an Ingress really asks this platform's sign-in proxy, and whether each authenticated
// host routes /oauth2 to it, judged on a few hand-written documents: the proxy's Service, its
// pods and ports, EndpointSlices past its selector, and incomplete documents as a patch can leave them.

type Doc = Record<string, any>;
const NS = 'demo-test';
const NGINX = 'nginx.ingress.kubernetes.io';
const IMAGE = 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.4';
const env = (): Environment => {
  const base = testEnv();
  return testEnv({ ingress: { ...base.ingress, auth: { issuerUrl: 'https://login.example.com/realms/test', emailDomains: ['example.com'], image: IMAGE, credentials: { secret: 'oauth2-proxy' }, resources: SMALL } } });
};
const context = (docs: Doc[], e = env()): PolicyContext => ({ env: e, namespace: NS, objects: docs.map((doc, i) => ({ env: e.name, platform: 'demo', constructPath: `demo/o${i}`, doc })) });

const LABELS = { app: 'oauth2-proxy' };
const container = (image = IMAGE, ports: Doc[] = [{ name: 'http', containerPort: 4180 }]) => ({ name: 'proxy', image, ports });
const pods = (containers: Doc[] = [container()], metadata: Doc | null = { name: 'oauth2-proxy', namespace: NS }) => ({
  kind: 'Deployment', ...(metadata ? { metadata } : {}), spec: { template: { metadata: { labels: LABELS }, spec: { containers } } },
});
const service = (spec: Doc | null = { selector: LABELS, ports: [{ name: 'http', port: 4180, targetPort: 'http' }] }, namespace = NS) => ({
  kind: 'Service', metadata: { name: 'oauth2-proxy', namespace }, ...(spec ? { spec } : {}),
});
const GOOD = { [`${NGINX}/auth-url`]: signInAuthUrl(NS), [`${NGINX}/auth-signin`]: 'https://$host/oauth2/start?rd=$escaped_request_uri' };
const path = (p: string, backend: Doc, pathType = 'Prefix') => ({ path: p, pathType, backend });
const toProxy = (port: Doc = { number: 4180 }) => ({ service: { name: 'oauth2-proxy', port } });
const ingress = (name: string | undefined, host: string, paths: Doc[], annotations: Doc = {}, className = 'nginx') => ({
  kind: 'Ingress', ...(name ? { metadata: { name, annotations } } : {}), spec: { ingressClassName: className, rules: [{ host, http: { paths } }] },
});
const HOST = 'app.example.com';
/** The app's authenticated Ingress. */
const app = ingress('web', HOST, [path('/', { service: { name: 'shop', port: { number: 80 } } })], GOOD);

describe('signInReasons', () => {
  const because = (docs: Doc[], doc: Doc = app) => signInReasons(context(docs), doc);
  const notProxy = (why: string) => [`auth-url "${signInAuthUrl(NS)}" is not this platform's sign-in proxy: ${why}`];

  it('passes an Ingress that asks the proxy, whose one container on its port runs the env\'s image', () => {
    const sidecar = { name: 'metrics', image: 'acme/exporter:1', ports: [{ containerPort: 9000 }] };
    // The Service's port 4180 is judged, not its first.
    const ports = [{ name: 'metrics', port: 9000, targetPort: 9000 }, { name: 'http', port: 4180, targetPort: 'http' }];
    expect(because([service({ selector: LABELS, ports }), pods([container(IMAGE, [{ name: 'http', containerPort: 4180 }, { name: 'metrics', containerPort: 44180 }]), sidecar]), { kind: 'ConfigMap' }, { kind: 'EndpointSlice' }])).toEqual([]);
    // A numeric target port, and a container port without a name.
    expect(because([service({ selector: LABELS, ports: [{ port: 4180 }] }), pods([container(IMAGE, [{ containerPort: 4180 }])])])).toEqual([]);
    // auth-signin on the Ingress' own host.
    expect(because([service(), pods()], ingress('web', HOST, [], { ...GOOD, [`${NGINX}/auth-signin`]: `https://${HOST}/oauth2/start` }))).toEqual([]);
  });

  it('says why an Ingress without annotations, or with auth-signin on another site, does not', () => {
    expect(because([service(), pods()], { kind: 'Ingress' })).toEqual([
      `auth-url undefined is not this platform's sign-in proxy (${signInAuthUrl(NS)})`,
      'auth-signin undefined is not https://$host/oauth2/start (or the Ingress\' own host): a browser without a session goes to this platform\'s sign-in pages, not elsewhere',
    ]);
    expect(because([service(), pods()], { kind: 'Ingress', metadata: { annotations: { ...GOOD, [`${NGINX}/auth-signin`]: `https://${HOST}/oauth2/start` } } })).toEqual([
      `auth-signin "https://${HOST}/oauth2/start" is not https://$host/oauth2/start (or the Ingress' own host): a browser without a session goes to this platform's sign-in pages, not elsewhere`,
    ]);
  });

  it('says what is wrong with the Service that the expected auth-url names', () => {
    expect(because([service(null, 'other'), pods()])).toEqual(notProxy('Service "oauth2-proxy" is in namespace "other", not demo-test'));
    expect(because([service(null), pods()])).toEqual(notProxy('Service "oauth2-proxy" has no port 4180'));
    expect(because([service({ type: 'LoadBalancer', selector: LABELS, ports: [{ port: 4180 }] }), pods()])).toEqual(notProxy('Service "oauth2-proxy" is of type LoadBalancer, not ClusterIP'));
    expect(because([service({ ports: [{ port: 4180 }] }), pods()])).toEqual(notProxy('Service "oauth2-proxy" selects no pod of this platform ({})'));
  });

  it('says what the selected pods run on the port instead of the env\'s image', () => {
    const wrong = (what: string, kind = 'Deployment/oauth2-proxy', target = '"http"') => notProxy(`Service "oauth2-proxy" selects ${kind}, whose container on port ${target} runs ${what}, not env test's ingress.auth.image ${IMAGE}`);
    expect(because([service(), pods([container('evil/oauth2-proxy:1')], null)])).toEqual(wrong('evil/oauth2-proxy:1', 'Deployment/undefined'));
    expect(because([service(), pods([container(IMAGE, [{ name: 'web', containerPort: 8080 }])])])).toEqual(wrong('nothing'));
    expect(because([service(), pods([container(), { ...container(), name: 'twin' }])])).toEqual(wrong(`${IMAGE}, ${IMAGE}`));
    expect(because([service({ selector: LABELS, ports: [{ port: 4180 }] }), pods([container(IMAGE, [{ containerPort: 4181 }])])])).toEqual(wrong('nothing', 'Deployment/oauth2-proxy', '4180'));
  });

  it('says which EndpointSlices send its traffic past the selector, and ignores other Services\' slices', () => {
    const slice = (name: string, service: string) => ({ kind: 'EndpointSlice', metadata: { name, labels: { 'kubernetes.io/service-name': service } } });
    expect(because([service(), pods(), slice('shop-1', 'shop'), { kind: 'EndpointSlice', metadata: { name: 'unlabelled' } }, { kind: 'ConfigMap', metadata: { name: 'c', labels: { 'kubernetes.io/service-name': 'oauth2-proxy' } } }])).toEqual([]);
    expect(because([service(), pods(), slice('a', 'oauth2-proxy'), slice('b', 'oauth2-proxy')])).toEqual(notProxy('Service "oauth2-proxy" has endpoints past its selector (EndpointSlice/a, EndpointSlice/b)'));
  });
});

describe('signInRouteProblems', () => {
  const problems = (docs: Doc[]) => {
    const ctx = context([app, ...docs]);
    return signInRouteProblems(ctx, [ctx.objects[0]]).map((v) => `${v.object.doc.metadata.name}: ${v.message}`);
  };
  const PROXY = 'the sign-in proxy (Service oauth2-proxy port 4180)';
  const elsewhere = (p: string, ingressName: string, to: string) => `web: host "${HOST}" routes "${p}" (Ingress/${ingressName}) to ${to}, not to ${PROXY}: the sign-in pages of an authenticated host are the proxy's`;
  const none = `web: host "${HOST}" has no public /oauth2 prefix route to ${PROXY}, where auth-signin sends a browser without a session`;
  const svc = service({ selector: LABELS, ports: [{ name: 'metrics', port: 9000 }, { name: 'http', port: 4180 }] });

  it('passes a public /oauth2 prefix to the proxy by port number or by the name of its port 4180', () => {
    expect(problems([svc, ingress('signin', HOST, [path('/oauth2', toProxy())])])).toEqual([]);
    expect(problems([svc, ingress(undefined, HOST, [path('/oauth2', toProxy({ name: 'http' }))])])).toEqual([]);
    // Other classes and hosts, an Ingress without rules and a rule without paths are not this host's routes.
    expect(problems([svc, ingress('signin', HOST, [path('/oauth2', toProxy())]), ingress('other', HOST, [path('/oauth2/x', { service: { name: 'shop', port: { number: 80 } } })], {}, 'traefik'),
      { kind: 'Ingress', metadata: { name: 'empty' }, spec: { ingressClassName: 'nginx' } }, { kind: 'Ingress', metadata: { name: 'hosts' }, spec: { ingressClassName: 'nginx', rules: [{ host: HOST }] } }])).toEqual([]);
    // A proxy route on an Ingress without annotations, one classed by the older annotation and without a spec, a path without a path.
    expect(problems([svc, { kind: 'Ingress', metadata: { name: 'bare' }, spec: { ingressClassName: 'nginx', rules: [{ host: HOST, http: { paths: [path('/oauth2', toProxy()), { pathType: 'ImplementationSpecific', backend: toProxy() }] } }] } },
      { kind: 'Ingress', metadata: { name: 'old', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } }])).toEqual([]);
  });

  it('reports each /oauth2 path of the host that routes elsewhere, naming the Ingress and backend', () => {
    expect(problems([svc, ingress('signin', HOST, [
      path('/oauth2', toProxy({ name: 'metrics' })),
      path('/oauth2/start', { service: { name: 'shop', port: { number: 4180 } } }),
      path('/oauth2/x', toProxy({ number: 80 })),
      path('/oauth2/y', { resource: { kind: 'Bucket', name: 'b' } }),
      path('/oauth2/z', { service: { name: 'oauth2-proxy' } }),
    ])])).toEqual([
      elsewhere('/oauth2', 'signin', 'Service "oauth2-proxy" port metrics'),
      elsewhere('/oauth2/start', 'signin', 'Service "shop" port 4180'),
      elsewhere('/oauth2/x', 'signin', 'Service "oauth2-proxy" port 80'),
      elsewhere('/oauth2/y', 'signin', 'no Service'),
      elsewhere('/oauth2/z', 'signin', 'Service "oauth2-proxy" port undefined'),
    ]);
    expect(problems([service(null), ingress(undefined, HOST, [path('/oauth2', toProxy({ name: 'http' }))])])).toEqual([elsewhere('/oauth2', 'undefined', 'Service "oauth2-proxy" port http')]);
    expect(problems([ingress('signin', HOST, [path('/oauth2', toProxy({ name: 'http' }))])])).toEqual([elsewhere('/oauth2', 'signin', 'Service "oauth2-proxy" port http')]);
    expect(problems([service({ selector: LABELS, ports: [{ port: 4180 }] }), ingress('signin', HOST, [path('/oauth2', toProxy({ number: 80 }))])])).toEqual([elsewhere('/oauth2', 'signin', 'Service "oauth2-proxy" port 80')]);
  });

  it('reports a host whose only route to the proxy is exact, deeper than /oauth2, or itself behind auth-url', () => {
    expect(problems([svc])).toEqual([none]);
    expect(problems([svc, ingress('signin', HOST, [path('/oauth2', toProxy(), 'Exact')])])).toEqual([none]);
    expect(problems([svc, ingress('signin', HOST, [path('/oauth2/start', toProxy())])])).toEqual([none]);
    expect(problems([svc, ingress('signin', HOST, [path('/oauth2', toProxy())], GOOD)])).toEqual([none]);
  });
});
