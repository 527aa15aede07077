import { ApiObject, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { overlays } from '../overlays';
import { releases } from '../overlays/releases';
import { Environment, IngressRoute, PlatformChart, PublicIngress, waive } from '../src';
import { ACCESS_ANNOTATION, CONTROL_ANNOTATION } from '../src/ingress';
import { controlReasons, ingressPaths } from '../src/policy/control-routes';
import { enforcedAccess, OPEN_CONTROL_ENV, unenforcedBecause } from '../src/policy/access';
import { signInRouteProblems } from '../src/policy/sign-in';
import { problemsOf, renderChart, renderedPlatforms, routedWeb, SMALL, testEnv } from './helpers';

// A control route is caught even when nobody flags it: by the image its backend runs, by its
// path, by the pods it shares with a flagged route, or because its backend cannot be seen.

const GRAFANA = releases.prod['breakout-bot'].grafana;
/** An env whose office range may call internal routes (no sign-in proxy needed for these cases). */
const env = (name: string): Environment => {
  const base = testEnv();
  return testEnv({ name, ingress: { ...base.ingress, internalSourceRanges: ['192.0.2.0/24'] } });
};
const web = (chart: PlatformChart, id: string, image = 'ghcr.io/acme/shop:1.2.3') => routedWeb(chart, id, image);
/** An Ingress `web` of a shop at `/` (public, not control) and the routes given, each to its own service. */
const shop =
  (routes: (c: PlatformChart) => IngressRoute[], after: (c: PlatformChart, ingress: PublicIngress) => void = () => {}) =>
  (c: PlatformChart) =>
    after(c, new PublicIngress(c, 'web', { host: 'app.example.com', routes: [{ path: '/', service: web(c, 'shop'), access: 'public', control: false }, ...routes(c)] }));
/** Adds a path to the public Ingress `web` after it rendered, as an escape hatch would. */
const patchPath = (ingress: PublicIngress, path: string, service: string, port = 8080) =>
  (ingress.node.tryFindChild('Resource') as ApiObject).addJsonPatch(JsonPatch.add('/spec/rules/0/http/paths/-', { path, pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }));
const FIX = `(fix: give the route access 'authenticated' (the env's oauth2-proxy) or 'internal' (the env's source ranges), behind a ClusterIP Service; where the app signs its users in itself, waive(ingress, 'public-control-route', reason))`;
/** The `public-control-route` lines among the problems. */
const refused = (problems: readonly string[]) => problems.filter((p) => p.includes('[public-control-route]'));
const line = (e: string, path: string, why: string) =>
  `${e}/demo/web/Resource: [public-control-route] Ingress/web: route "${path}" is public in ${e} and is a control route: ${why}; outside ${OPEN_CONTROL_ENV} a control route is authenticated or internal ${FIX}`;

describe('a public route', () => {
  it('fails when it does not say whether it is a control route, in every env, naming env, platform, construct and field', () => {
    for (const e of ['dev', 'demo', 'prod']) {
      const problems = problemsOf(shop((c) => [{ path: '/admin', service: web(c, 'grafana', GRAFANA), access: 'public' } as IngressRoute]), env(e));
      expect(problems).toEqual([`${e}/demo/web: routes[1].control: is missing; a public route says whether "/admin" is a control API or admin UI: control: true (refused outside dev) or control: false`]);
    }
  });

  it('may leave control unsaid when it is internal', () => {
    expect(problemsOf(shop((c) => [{ path: '/reports', service: web(c, 'reports'), access: 'internal' }]), env('prod'))).toEqual([]);
  });
});

describe('the policy rule public-control-route', () => {
  const grafanaAt = (path: string) => shop((c) => [{ path, service: web(c, 'grafana', GRAFANA), access: 'public', control: false }]);
  const runs = `backend "grafana" runs ${GRAFANA} (Grafana: dashboards, data sources with their credentials, an admin user)`;

  it('fails when a public route to an admin image says control: false, outside dev', () => {
    for (const e of ['demo', 'prod']) expect(refused(problemsOf(grafanaAt('/insights'), env(e)))).toEqual([line(e, '/insights', runs)]);
    expect(problemsOf(grafanaAt('/insights'), env('dev'))).toEqual([]);
  });

  it('fails when the path of a public route names an admin tool, whatever runs behind it', () => {
    const problems = problemsOf(shop((c) => [{ path: '/api/actuator', service: web(c, 'orders'), access: 'public', control: false }]), env('prod'));
    expect(refused(problems)).toEqual([line('prod', '/api/actuator', 'its path names Spring Boot Actuator: environment, heap dumps, shutdown')]);
  });

  it('fails when a JSON patch adds a public /grafana path to a rendered Ingress', () => {
    const patched = shop(
      () => [],
      (c, ingress) => {
        web(c, 'grafana', GRAFANA);
        patchPath(ingress, '/grafana', 'grafana');
      },
    );
    for (const e of ['demo', 'prod']) expect(refused(problemsOf(patched, env(e)))).toEqual([line(e, '/grafana', `${runs}; its path names an admin or monitoring tool`)]);
  });

  it('fails when a JSON patch removes the flag of a public control route: its image still says what it is', () => {
    const unflagged = shop(
      (c) => [{ path: '/insights', service: web(c, 'grafana', GRAFANA), access: 'public', control: true }],
      (_, ingress) => void (ingress.node.tryFindChild('Resource') as ApiObject).addJsonPatch(JsonPatch.remove(`/metadata/annotations/${CONTROL_ANNOTATION.replace('/', '~1')}`)),
    );
    expect(refused(problemsOf(unflagged, env('prod')))).toEqual([line('prod', '/insights', runs)]);
  });

  it('fails when a public route reaches the pods of a flagged route by another path', () => {
    const problems = problemsOf(
      (c) => {
        const engine = web(c, 'engine-api');
        new PublicIngress(c, 'web', {
          host: 'app.example.com',
          routes: [
            { path: '/', service: engine, access: 'public', control: false },
            { path: '/api', service: engine, access: 'internal', control: true },
          ],
        });
      },
      env('prod'),
    );
    expect(refused(problems)).toEqual([line('prod', '/', 'backend "engine-api" also serves control route "/api" (Ingress/web-internal)')]);
  });

  it('fails when what a public path routes to cannot be seen: a Service without pods, or a default backend', () => {
    const outside = shop(
      () => [],
      (c, ingress) => {
        new ApiObject(c, 'vendor', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'vendor', namespace: c.namespace }, spec: { type: 'ExternalName', externalName: 'console.vendor.example', ports: [{ port: 443 }] } } as any);
        patchPath(ingress, '/vendor', 'vendor', 443);
      },
    );
    expect(refused(problemsOf(outside, env('prod')))).toEqual([line('prod', '/vendor', 'its backend "vendor" runs no pod of this platform, so what it runs cannot be checked')]);
    const fallback = shop(
      () => [],
      (c, ingress) => {
        web(c, 'grafana', GRAFANA);
        (ingress.node.tryFindChild('Resource') as ApiObject).addJsonPatch(JsonPatch.add('/spec/defaultBackend', { service: { name: 'grafana', port: { number: 8080 } } }));
      },
    );
    expect(refused(problemsOf(fallback, env('prod')))).toEqual([line('prod', '(default backend)', runs)]);
  });

  it('fails when a JSON patch opens the Service of an admin image outside the cluster, past the controller', () => {
    const opened = (c: PlatformChart) =>
      void (web(c, 'grafana', GRAFANA).node.findAll().find((x) => x instanceof ApiObject && x.kind === 'Service') as ApiObject).addJsonPatch(JsonPatch.add('/spec/type', 'LoadBalancer'));
    expect(refused(problemsOf(opened, env('prod')))).toEqual([
      `prod/demo/grafana/service: [public-control-route] Service/grafana: is of type LoadBalancer, open outside the cluster in prod, and is a control route: ${runs}; outside dev a control route is authenticated or internal ${FIX}`,
    ]);
    expect(refused(problemsOf((c) => void web(c, 'shop'), env('prod')))).toEqual([]);
  });

  it('judges an Ingress public when the env\'s controller does not enforce what it asks: another class, or a source range the env does not name', () => {
    const patched = (path: string, value: string) => (c: PlatformChart) =>
      void (new PublicIngress(c, 'web', { host: 'app.example.com', routes: [{ path: '/api', service: web(c, 'engine'), access: 'internal', control: true }] }).node.tryFindChild('Resource') as ApiObject).addJsonPatch(JsonPatch.replace(path, value));
    const because = (why: string) => [
      `prod/demo/web/Resource: [public-control-route] Ingress/web: says its routes are internal, but the controller enforces public (${why}) ${FIX}`,
      `prod/demo/web/Resource: [public-control-route] Ingress/web: route "/api" is public in prod (${why}) and is a control route: it is flagged control: true; outside dev a control route is authenticated or internal ${FIX}`,
    ];
    expect(refused(problemsOf(patched('/metadata/annotations/nginx.ingress.kubernetes.io~1whitelist-source-range', '192.0.2.0/24,0.0.0.0/1'), env('prod')))).toEqual(
      because('source range "0.0.0.0/1" is not one of env prod\'s ingress.internalSourceRanges'),
    );
    expect(refused(problemsOf(patched('/spec/ingressClassName', 'traefik'), env('prod')))).toEqual(
      because('its class "traefik" is not "nginx", whose controller alone reads its auth and source-range annotations'),
    );
  });

  it('lets a public control route through with a waiver that says why, and lists the waiver', () => {
    const reason = 'the vendor console signs its users in itself (SSO), audited 2026-11';
    const waived = shop(
      (c) => [{ path: '/insights', service: web(c, 'grafana', GRAFANA), access: 'public', control: false }],
      (_, ingress) => waive(ingress, 'public-control-route', reason),
    );
    const r = renderChart(waived, env('prod'));
    expect(r.waivers).toEqual([expect.objectContaining({ object: 'Ingress/web', rule: 'public-control-route', reason })]);
  });
});

describe('an authenticated route', () => {
  // The env's own sign-in settings, with the oauth2-proxy image of the prod overlay.
  const authEnv = (name: string): Environment => {
    const base = testEnv();
    const auth = { issuerUrl: 'https://login.example.com/realms/test', emailDomains: ['example.com'], image: overlays.prod.env.ingress.auth!.image, credentials: { secret: 'oauth2-proxy' }, resources: SMALL };
    return testEnv({ name, ingress: { ...base.ingress, auth } });
  };
  const OWN = 'http://oauth2-proxy.demo-prod.svc.cluster.local:4180/oauth2/auth';
  /** The engine's control API at /api, authenticated, and what `after` does to the rendered documents. */
  const engine = (after: (c: PlatformChart, ingress: ApiObject) => void = () => {}) => (c: PlatformChart) =>
    after(c, new PublicIngress(c, 'web', { host: 'app.example.com', routes: [{ path: '/api', service: web(c, 'engine'), access: 'authenticated', control: true }] }).node.tryFindChild('Resource') as ApiObject);
  const annotate = (key: string, value: string) => engine((_, ingress) => ingress.addJsonPatch(JsonPatch.replace(`/metadata/annotations/nginx.ingress.kubernetes.io~1${key}`, value)));
  /** The two lines of an authenticated Ingress the controller does not really guard, in env `e`. */
  const publicBecause = (e: string, why: string, [at, name, declared] = ['web/Resource', 'web', 'authenticated']) => [
    `${e}/demo/${at}: [public-control-route] Ingress/${name}: says its routes are ${declared}, but the controller enforces public (${why}) ${FIX}`,
    `${e}/demo/${at}: [public-control-route] Ingress/${name}: route "/api" is public in ${e} (${why}) and is a control route: it is flagged control: true; ${OUTSIDE} ${FIX}`,
  ];
  const OUTSIDE = `outside ${OPEN_CONTROL_ENV} a control route is authenticated or internal`;

  it("passes when it asks this platform's sign-in proxy, with auth-signin on $host or its own host", () => {
    expect(problemsOf(engine(), authEnv('prod'))).toEqual([]);
    expect(problemsOf(annotate('auth-signin', 'https://app.example.com/oauth2/start?rd=$escaped_request_uri'), authEnv('prod'))).toEqual([]);
  });

  it('is public when a JSON patch points auth-url at an external URL, outside dev', () => {
    const external = annotate('auth-url', 'https://example.com/ok');
    for (const e of ['demo', 'prod']) {
      const own = `http://oauth2-proxy.demo-${e}.svc.cluster.local:4180/oauth2/auth`;
      expect(problemsOf(external, authEnv(e))).toEqual(publicBecause(e, `auth-url "https://example.com/ok" is not this platform's sign-in proxy (${own})`));
    }
    expect(problemsOf(external, authEnv('dev'))).toEqual([]);
  });

  it("is public when auth-url asks another namespace's sign-in proxy", () => {
    const other = 'http://oauth2-proxy.signals-prod.svc.cluster.local:4180/oauth2/auth';
    expect(problemsOf(annotate('auth-url', other), authEnv('prod'))).toEqual(publicBecause('prod', `auth-url "${other}" is not this platform's sign-in proxy (${OWN})`));
  });

  it('is public when auth-signin sends browsers to another site', () => {
    const away = 'https://login.example.net/oauth2/start?rd=$escaped_request_uri';
    const why = `auth-signin "${away}" is not https://$host/oauth2/start (or the Ingress' own host): a browser without a session goes to this platform's sign-in pages, not elsewhere`;
    expect(problemsOf(annotate('auth-signin', away), authEnv('prod'))).toEqual(publicBecause('prod', why));
  });

  it('is public when the URL is right but what answers it is not the env\'s sign-in proxy', () => {
    const service = (c: PlatformChart) => c.node.findAll().find((x) => x instanceof ApiObject && x.kind === 'Service' && x.name === 'oauth2-proxy') as ApiObject;
    const proxy = (c: PlatformChart) => c.node.findAll().find((x) => x instanceof ApiObject && x.kind === 'Deployment' && x.name === 'oauth2-proxy') as ApiObject;
    const not = (why: string) => publicBecause('prod', `auth-url "${OWN}" is not this platform's sign-in proxy: Service "oauth2-proxy" ${why}`);
    const image = overlays.prod.env.ingress.auth!.image;
    // The engine's pods behind the Service: its public /oauth2 path now reaches a control route too.
    const exposed = `prod/demo/web/sign-in: [public-control-route] Ingress/web-sign-in: route "/oauth2" is public in prod and is a control route: backend "oauth2-proxy" also serves control route "/api" (Ingress/web); ${OUTSIDE} ${FIX}`;
    const unseen = exposed.replace(/backend .*? \(Ingress\/web\)/, 'its backend "oauth2-proxy" runs no pod of this platform, so what it runs cannot be checked');
    const cases: Array<[(c: PlatformChart) => void, string, string[]?]> = [
      [(c) => service(c).addJsonPatch(JsonPatch.replace('/spec/selector', { 'app.kubernetes.io/name': 'engine', 'app.kubernetes.io/part-of': 'demo' })), `selects Deployment/engine, whose container on port "http" runs ghcr.io/acme/shop:1.2.3, not env prod's ingress.auth.image ${image}`, [exposed]],
      [(c) => proxy(c).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/image', 'ghcr.io/someone/oauth2-proxy:v7.15.4')), `selects Deployment/oauth2-proxy, whose container on port "http" runs ghcr.io/someone/oauth2-proxy:v7.15.4, not env prod's ingress.auth.image ${image}`],
      [(c) => service(c).addJsonPatch(JsonPatch.replace('/metadata/name', 'sign-in')), 'does not exist', [unseen]],
      [(c) => service(c).addJsonPatch(JsonPatch.replace('/metadata/namespace', 'signals-prod')), 'is in namespace "signals-prod", not demo-prod'],
      [(c) => service(c).addJsonPatch(JsonPatch.replace('/spec/ports/0/port', 8080)), 'has no port 4180'],
      [(c) => service(c).addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'none' })), 'selects no pod of this platform ({"app":"none"})', [unseen]],
      [(c) => service(c).addJsonPatch(JsonPatch.add('/spec/type', 'ExternalName'), JsonPatch.add('/spec/externalName', 'auth.example.com')), 'is of type ExternalName, not ClusterIP'],
      [(c) => new ApiObject(c, 'slice', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'oauth2-proxy-extra', namespace: c.namespace, labels: { 'kubernetes.io/service-name': 'oauth2-proxy' } }, addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.10'] }] } as any), 'has endpoints past its selector (EndpointSlice/oauth2-proxy-extra)'],
    ];
    // A hand-written auth-url in an env without sign-in settings: no proxy runs to answer it.
    const handWritten = shop((c) => [{ path: '/api', service: web(c, 'engine'), access: 'internal', control: true }], (_, ingress) => {
      for (const [k, v] of [['auth-url', OWN], ['auth-signin', 'https://$host/oauth2/start']]) (ingress.node.tryFindChild('internal') as ApiObject).metadata.addAnnotation(`nginx.ingress.kubernetes.io/${k}`, v);
    });
    const noProxy = `auth-url "${OWN}" is not this platform's sign-in proxy: env prod sets no ingress.auth, so no sign-in proxy runs`;
    expect(refused(problemsOf(handWritten, env('prod')))).toEqual(publicBecause('prod', noProxy, ['web/internal', 'web-internal', 'internal']));
    for (const [patch, why, also = []] of cases) expect(refused(problemsOf(engine((c) => patch(c)), authEnv('prod'))), why).toEqual([...not(why), ...also]);
  });
});

describe('the four platforms', () => {
  // The shared render of the real overlays: it throws when a platform breaks a rule in any env.
  const publicIngresses = () => renderedPlatforms().objects.filter((o) => o.doc.kind === 'Ingress' && enforcedAccess(o.doc) === 'public');
  const ctxOf = (e: string, platform: string) => ({
    env: overlays[e].env,
    namespace: `${platform}-${e}`,
    objects: renderedPlatforms()
      .objects.filter((o) => o.env === e && o.platform === platform)
      .map((o) => ({ env: e, platform, constructPath: o.path, doc: o.doc })),
  });

  it('keep public only routes that are no control route by any sign, in every env, dev included, with no waiver', () => {
    expect(publicIngresses().length).toBeGreaterThan(0);
    for (const o of publicIngresses()) {
      const ctx = ctxOf(o.env, o.platform);
      const ingress = ctx.objects.find((x) => x.doc === o.doc)!;
      for (const path of ingressPaths(o.doc)) expect(controlReasons(ctx, ingress, path), `${o.env}/${o.platform} Ingress/${o.doc.metadata.name} ${path.path}`).toEqual([]);
    }
    expect(renderedPlatforms().waivers.filter((w) => w.rule === 'public-control-route')).toEqual([]);
  });

  it("guard every route they render authenticated with their own sign-in proxy, whose /oauth2 routes reach it, in every env", () => {
    const authenticated = renderedPlatforms().objects.filter((o) => o.doc.kind === 'Ingress' && o.doc.metadata.annotations[ACCESS_ANNOTATION] === 'authenticated');
    expect(new Set(authenticated.map((o) => o.env))).toEqual(new Set(renderedPlatforms().envs));
    for (const o of authenticated) {
      const ctx = ctxOf(o.env, o.platform);
      expect(unenforcedBecause(o.doc, ctx), `${o.env}/${o.platform} Ingress/${o.doc.metadata.name}`).toBeUndefined();
      expect(signInRouteProblems(ctx, ctx.objects.filter((x) => x.doc === o.doc))).toEqual([]);
    }
  });

  it('keep Peripheral\'s and TradeBot\'s sign-in pages and APIs public in every env', () => {
    for (const e of renderedPlatforms().envs) {
      for (const [platform, paths] of [['peripheral', ['/', '/api']], ['tradebot', ['/', '/api/']]] as const) {
        const open = publicIngresses().filter((o) => o.env === e && o.platform === platform).flatMap((o) => ingressPaths(o.doc).map((p) => p.path));
        expect(open, `${e}/${platform}`).toEqual(expect.arrayContaining([...paths]));
      }
    }
  });

});
