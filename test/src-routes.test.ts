import { describe, expect, it } from 'vitest';
import { IngressRoute, PlatformChart, PublicIngress, PublicIngressProps, WebService } from '../src';
import { ACCESS_ANNOTATION, CONTROL_ANNOTATION } from '../src/ingress';
import { imageProblem, isPinned, parseImage } from '../src/image';
import { problemsOf, renderChart, routedWeb, routesEnv, SMALL, testEnv } from './helpers';

// PublicIngress built directly in one platform `demo`: the props it refuses, naming the field, and
// the Ingress fields and annotations it renders. Then image references: what parses, what is pinned.

const NGINX = 'nginx.ingress.kubernetes.io';
const HOST = 'app.example.com';

/** An Ingress `id` on HOST with the routes `routes` builds, and `over` applied to its props. */
const ingress =
  (routes: (c: PlatformChart) => unknown, over: Partial<PublicIngressProps> = {}, id = 'web') =>
  (c: PlatformChart) =>
    new PublicIngress(c, id, { host: HOST, routes: routes(c) as IngressRoute[], ...over });
/** A public, non-control route of `path` to `service`. */
const pub = (path: string, service: unknown, over: Partial<IngressRoute> = {}) => ({ path, service, access: 'public', control: false, ...over }) as IngressRoute;

describe('PublicIngress input', () => {
  it('refuses an id that is no DNS label, naming the field name', () => {
    const problems = problemsOf(ingress((c) => [pub('/', routedWeb(c, 'api'))], {}, 'Web'));
    expect(problems).toEqual([expect.stringMatching(/^test\/demo\/Web: name: "Web" /)]);
  });

  it('refuses routes that are missing or no list, and builds nothing from them', () => {
    expect(problemsOf(ingress(() => undefined))).toEqual(['test/demo/web: routes: is missing; route at least one path']);
    expect(problemsOf(ingress(() => ({ path: '/' })))).toEqual(['test/demo/web: routes: expected a list of { path, service }, got {"path":"/"}']);
    expect(problemsOf(ingress(() => []))).toEqual(['test/demo/web: routes: is empty; route at least one path']);
  });

  it('refuses a route that is no object, by its index, and checks the routes beside it', () => {
    const problems = problemsOf(ingress((c) => [null, '/api', pub('/', routedWeb(c, 'api'), { control: 'no' as any })]));
    expect(problems).toEqual([
      'test/demo/web: routes[0]: expected { path, service }, got null',
      'test/demo/web: routes[1]: expected { path, service }, got "/api"',
      'test/demo/web: routes[2].control: expected true or false, got "no"',
    ]);
  });

  it('refuses a null route beside an authenticated one, and an authenticated route without a path, with messages, not a TypeError', () => {
    const problems = problemsOf(ingress((c) => [null, { service: routedWeb(c, 'api'), access: 'authenticated' }]), routesEnv('test'));
    expect(problems).toEqual(['test/demo/web: routes[0]: expected { path, service }, got null', expect.stringMatching(/^test\/demo\/web: routes\[1\]\.path: nothing /)]);
  });

  it('refuses a service that is null or no service of this platform', () => {
    const fn = Object.assign(() => {}, { connectPorts: [8080] });
    const problems = problemsOf(ingress(() => [pub('/a', null), pub('/b', 'api'), pub('/c', { name: 'api' }), pub('/d', { name: 'api', connectPorts: 8080 }), pub('/e', fn)]));
    expect(problems).toEqual([
      'test/demo/web: routes[0].service: is missing; route to a WebService of this platform',
      'test/demo/web: routes[1].service: "api" is not a service of this platform',
      'test/demo/web: routes[2].service: {"name":"api"} is not a service of this platform',
      'test/demo/web: routes[3].service: {"name":"api","connectPorts":8080} is not a service of this platform',
      expect.stringMatching(/^test\/demo\/web: routes\[4\]\.service: .* is not a service of this platform$/),
    ]);
  });

  it('leaves a service that failed its own checks to report them, and renders nothing through it', () => {
    const problems = problemsOf(ingress((c) => [pub('/', new WebService(c, 'api', { image: 'Not An Image', profile: { replicas: 1, resources: SMALL }, port: 8080, healthPath: '/healthz' }))]));
    expect(problems).toEqual([expect.stringMatching(/^test\/demo\/api: image: "Not An Image" is not an image reference/)]);
  });

  it('keeps /oauth2 itself for the sign-in proxy on an authenticated host', () => {
    const problems = problemsOf(ingress((c) => [{ path: '/oauth2', service: routedWeb(c, 'api'), access: 'authenticated' }]), routesEnv('test'));
    expect(problems).toEqual([expect.stringMatching(/^test\/demo\/web: routes\[0\]\.path: "\/oauth2" is where the sign-in proxy answers on this host/)]);
  });

  it('refuses an internal route when the env names an empty list of source ranges', () => {
    const problems = problemsOf(ingress((c) => [{ path: '/', service: routedWeb(c, 'api'), access: 'internal' }]), routesEnv('test', { internalSourceRanges: [] }));
    expect(problems).toEqual(["test/demo/web: routes: an internal route needs env test's ingress.internalSourceRanges (the CIDRs that may call it); set them"]);
  });
});

describe('PublicIngress output', () => {
  it('orders paths of one length by name, whatever order they are given in', () => {
    const paths = (order: string[]) =>
      renderChart(ingress((c) => { const api = routedWeb(c, 'api'); return order.map((p) => pub(p, api)); })).find('Ingress', 'web').spec.rules[0].http.paths.map((p: any) => p.path);
    expect(paths(['/b', '/c', '/a', '/'])).toEqual(['/a', '/b', '/c', '/']);
    expect(paths(['/', '/a', '/c', '/b'])).toEqual(['/a', '/b', '/c', '/']);
  });

  it('labels its Ingress as the ingress component and renders exact paths as Exact', () => {
    const doc = renderChart(ingress((c) => [pub('/health', routedWeb(c, 'api'), { exact: true })])).find('Ingress', 'web');
    expect(doc.metadata.labels['app.kubernetes.io/component']).toBe('ingress');
    expect(doc.spec.rules[0].http.paths[0]).toMatchObject({ path: '/health', pathType: 'Exact' });
  });

  it('lists the control paths of an Ingress space-separated, longest first, and says nothing of control where it has none', () => {
    const r = renderChart(
      ingress((c) => {
        const api = routedWeb(c, 'api');
        return [
          { path: '/', service: api, access: 'internal' },
          { path: '/api', service: api, access: 'internal', control: true },
          { path: '/admin', service: api, access: 'internal', control: true },
          pub('/shop', api),
        ];
      }),
      routesEnv('dev'),
    );
    expect(r.find('Ingress', 'web-internal').metadata.annotations).toMatchObject({ [ACCESS_ANNOTATION]: 'internal', [CONTROL_ANNOTATION]: '/admin /api' });
    const open = r.find('Ingress', 'web').metadata.annotations;
    expect(open[ACCESS_ANNOTATION]).toBe('public');
    expect(Object.keys(open)).not.toContain(CONTROL_ANNOTATION);
  });

  it("passes on the response headers the env's sign-in settings name", () => {
    const env = routesEnv('test');
    const r = renderChart(ingress((c) => [{ path: '/', service: routedWeb(c, 'api'), access: 'authenticated' }]), routesEnv('test', { auth: { ...env.ingress.auth!, responseHeaders: ['X-Auth-Request-Groups'] } }));
    expect(r.find('Ingress', 'web').metadata.annotations[`${NGINX}/auth-response-headers`]).toBe('X-Auth-Request-Groups');
  });

  it('admits the ingress controller to every routed service on its pod port', () => {
    const r = renderChart(ingress((c) => [pub('/', routedWeb(c, 'api'))]), testEnv());
    const rules = r.find('NetworkPolicy', 'api').spec.ingress;
    expect(rules).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
  });
});

describe('image references', () => {
  it('parses a registry with a port or capitals, and separators of several dashes', () => {
    expect(parseImage('localhost:5000/acme/api:1.2.3')).toEqual({ repository: 'localhost:5000/acme/api', tag: '1.2.3', digest: undefined });
    expect(parseImage('Registry.Example.com/acme/api:1.2.3')?.repository).toBe('Registry.Example.com/acme/api');
    expect(parseImage('ghcr.io/my--org/my--app:1.2.3')?.repository).toBe('ghcr.io/my--org/my--app');
    expect(parseImage('my--app:1.2.3')?.repository).toBe('my--app');
  });

  it('refuses a reference with capitals in its repository, wherever they stand', () => {
    expect(parseImage('ghcr.io/Acme/api:1.2.3')).toBeUndefined();
    expect(isPinned('ghcr.io/Acme/api:1.2.3')).toBe(false);
    expect(imageProblem('ghcr.io/Acme/api:1.2.3', false, 'dev')).toBe('"ghcr.io/Acme/api:1.2.3" is not an image reference (registry/repository:tag or @sha256:digest)');
  });

  it('tells an empty reference from one that does not parse', () => {
    expect(imageProblem('', false, 'dev')).toBe('expected an image reference, got ""');
    expect(imageProblem(undefined, false, 'dev')).toBe('expected an image reference, got nothing');
  });

  it('pins only a tag that is a version or a commit SHA from start to end', () => {
    const repo = 'ghcr.io/acme/api';
    for (const tag of ['1.2', 'v1.2.3.4', '1.2.3-rc.1', '2.0.0_build.7', '0123abc', 'sha-0123abcdef']) expect(isPinned(`${repo}:${tag}`), tag).toBe(true);
    for (const tag of ['main-1.2.3', '1.2stable', 'nightly-20240101', '20240101-nightly', '1', 'v1']) expect(isPinned(`${repo}:${tag}`), tag).toBe(false);
    expect(imageProblem(`${repo}:nightly-20240101`, true, 'prod')).toBe(
      `"${repo}:nightly-20240101" uses the moving tag "nightly-20240101"; prod runs only pinned images: a version (1.4.2), a commit SHA or a digest (@sha256:…)`,
    );
  });
});
