import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as yaml from 'js-yaml';
import { IngressRoute, PlatformChart, PublicIngress } from '../src';
import { ACCESS_ANNOTATION, CONTROL_ANNOTATION } from '../src/ingress';
import { enforcedAccess } from '../src/policy/access';
import { problemsOf, renderChart, routedWeb, routesEnv, AUTH, TEST_RANGES as RANGES } from './helpers';

const NGINX = 'nginx.ingress.kubernetes.io';
/** What the authenticated Ingresses of platform `demo` in env `name` ask: the platform's own oauth2-proxy. */
const authUrl = (name: string) => `http://oauth2-proxy.demo-${name}.svc.cluster.local:4180/oauth2/auth`;
const SIGNIN = 'https://$host/oauth2/start?rd=$escaped_request_uri';
const env = routesEnv;
const web = (chart: PlatformChart, id: string) => routedWeb(chart, id);
/** An Ingress of the UI at `/` and the engine's control API at `/api`, each at the access given. */
const ingress =
  (ui: IngressRoute['access'], api: IngressRoute['access'], over: Partial<IngressRoute> = {}) =>
  (c: PlatformChart) =>
    new PublicIngress(c, 'web', {
      host: 'app.example.com',
      routes: [
        { path: '/', service: web(c, 'frontend'), access: ui, control: false },
        { path: '/api', service: web(c, 'engine'), access: api, control: true, ...over },
      ],
    });

describe('route access', () => {
  it('fails when a control route is public outside dev, naming env, platform, Ingress and route', () => {
    for (const name of ['demo', 'prod', 'test']) {
      const problems = problemsOf(ingress('public', 'public'), env(name));
      expect(problems).toEqual([
        expect.stringMatching(new RegExp(`^${name}/demo/web/Resource: \\[public-control-route\\] Ingress/web: route "/api" is public in ${name} and is a control route: it is flagged control: true; outside dev`)),
      ]);
    }
  });

  it('lets a control route be public in dev', () => {
    expect(problemsOf(ingress('public', 'public'), env('dev'))).toEqual([]);
  });

  it('fails when a route says nothing or something unknown about its access', () => {
    const missing = problemsOf(ingress('public', undefined as any), env('dev'));
    expect(missing.join('\n')).toContain('dev/demo/web: routes[1].access: is missing; say who may call "/api": public, authenticated, internal');
    const unknown = problemsOf(ingress('public', 'private' as any), env('dev'));
    expect(unknown.join('\n')).toContain('routes[1].access: "private" is not an access level');
  });

  it('renders authenticated routes as ingress-nginx external auth against the platform\'s oauth2-proxy, in their own Ingress', () => {
    const r = renderChart(ingress('public', 'authenticated'), env('prod'));
    const pub = r.find('Ingress', 'web');
    const auth = r.find('Ingress', 'web-authenticated');
    expect(pub.spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/']);
    expect(auth.spec.rules[0].host).toBe('app.example.com');
    expect(auth.spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/api']);
    expect(auth.metadata.annotations).toMatchObject({
      [`${NGINX}/auth-url`]: authUrl('prod'),
      [`${NGINX}/auth-signin`]: SIGNIN,
      [`${NGINX}/auth-response-headers`]: 'X-Auth-Request-User,X-Auth-Request-Email',
      [ACCESS_ANNOTATION]: 'authenticated',
      [CONTROL_ANNOTATION]: '/api',
    });
    for (const k of Object.keys(pub.metadata.annotations)) expect(k).not.toMatch(/auth-|source-range/);
    // One certificate: only the first Ingress asks cert-manager; both use its Secret.
    expect(Object.keys(auth.metadata.annotations)).not.toContain('cert-manager.io/cluster-issuer');
    expect(auth.spec.tls).toEqual(pub.spec.tls);
  });

  it('names the Ingress of the first level present `<id>`, so a platform of one level keeps its names', () => {
    const names = (ui: IngressRoute['access'], api: IngressRoute['access']) =>
      renderChart(ingress(ui, api), env('prod'))
        .objects.filter((o) => o.doc.kind === 'Ingress')
        .map((o) => o.doc.metadata.name);
    expect(names('authenticated', 'authenticated')).toEqual(['web', 'web-sign-in']);
    expect(names('public', 'internal')).toEqual(['web', 'web-internal']);
  });

  it('renders internal routes with the env\'s source ranges, in their own Ingress', () => {
    const r = renderChart(ingress('authenticated', 'internal'), env('prod'));
    const internal = r.find('Ingress', 'web-internal');
    expect(internal.metadata.annotations[`${NGINX}/whitelist-source-range`]).toBe(RANGES.join(','));
    expect(internal.metadata.annotations[`${NGINX}/auth-url`]).toBeUndefined();
    expect(internal.spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/api']);
    expect(r.find('Ingress', 'web').spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/']);
    expect(r.objects.filter((o) => o.doc.kind === 'Ingress').map((o) => o.doc.metadata.name)).toEqual(['web', 'web-internal', 'web-sign-in']);
  });

  it('fails when an env has no oauth2-proxy for an authenticated route or no ranges for an internal one', () => {
    const noAuth = problemsOf(ingress('public', 'authenticated'), env('prod', { auth: undefined }));
    expect(noAuth.join('\n')).toContain('prod/demo/web: routes: an authenticated route needs env.ingress.auth, which env prod does not set');
    const noRanges = problemsOf(ingress('public', 'internal'), env('prod', { internalSourceRanges: undefined }));
    expect(noRanges.join('\n')).toContain("routes: an internal route needs env prod's ingress.internalSourceRanges");
    const open = problemsOf(ingress('public', 'internal'), env('prod', { internalSourceRanges: ['0.0.0.0/0'] }));
    expect(open.join('\n')).toContain('env.ingress.internalSourceRanges[0]: "0.0.0.0/0" admits every address');
    const badUrl = problemsOf(ingress('public', 'authenticated'), env('prod', { auth: { ...AUTH, issuerUrl: 'http://login.example.com' } }));
    expect(badUrl.join('\n')).toContain('prod/demo/sign-in: env.ingress.auth.issuerUrl: "http://login.example.com" is not an https:// URL');
  });

  it('judges what the controller enforces, not what the Ingress says of itself', () => {
    const says = (annotations: Record<string, string>) => enforcedAccess({ metadata: { annotations } });
    expect(says({ [`${NGINX}/auth-url`]: authUrl('prod'), [`${NGINX}/auth-signin`]: SIGNIN })).toBe('authenticated');
    expect(says({ [`${NGINX}/auth-url`]: authUrl('prod') })).toBe('public');
    expect(says({ [`${NGINX}/whitelist-source-range`]: '10.1.0.0/16' })).toBe('internal');
    expect(says({ [`${NGINX}/whitelist-source-range`]: '10.1.0.0/16,0.0.0.0/0' })).toBe('public');
    expect(says({ [ACCESS_ANNOTATION]: 'authenticated' })).toBe('public');
  });
});

describe('dist/', () => {
  const dist = path.join(__dirname, '..', 'dist');
  const ingresses = fs
    .readdirSync(dist, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) =>
      fs
        .readdirSync(path.join(dist, e.name), { withFileTypes: true })
        .filter((p) => p.isDirectory())
        .flatMap((p) =>
          fs
            .readdirSync(path.join(dist, e.name, p.name))
            .filter((f) => f.endsWith('.yaml'))
            .flatMap((f) => (yaml.loadAll(fs.readFileSync(path.join(dist, e.name, p.name, f), 'utf8')) as any[]))
            .filter((d) => d?.kind === 'Ingress')
            .map((doc) => ({ env: e.name, platform: p.name, doc })),
        ),
    );

  it('says who may call every route it renders', () => {
    expect(ingresses.length).toBeGreaterThan(0);
    for (const { env: e, platform, doc } of ingresses) expect(doc.metadata.annotations[ACCESS_ANNOTATION], `${e}/${platform} Ingress/${doc.metadata.name}`).toBe(enforcedAccess(doc));
  });

  it('has no public control route outside dev', () => {
    const control = ingresses.filter((i) => i.env !== 'dev' && i.doc.metadata.annotations[CONTROL_ANNOTATION]);
    expect(control.length).toBeGreaterThan(0);
    for (const { env: e, platform, doc } of control) expect(enforcedAccess(doc), `${e}/${platform} Ingress/${doc.metadata.name}`).not.toBe('public');
  });

  it('keeps the Breakout Bot engine API and Grafana behind the same sign-in as its UI', () => {
    for (const e of ['demo', 'prod']) {
      const bot = ingresses.filter((i) => i.env === e && i.platform === 'breakout-bot');
      const routed = bot.flatMap((i) => i.doc.spec.rules[0].http.paths.map((p: any) => ({ path: p.path, access: enforcedAccess(i.doc) })));
      expect(routed.filter((r) => ['/', '/api', '/grafana'].includes(r.path)).map((r) => r.access), e).toEqual(['authenticated', 'authenticated', 'authenticated']);
    }
  });
});
