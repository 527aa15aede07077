import { ApiObject, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { releases } from '../overlays/releases';
import { Environment, IngressRoute, PlatformChart, PublicIngress, waive, WebService } from '../src';
import { CONTROL_ANNOTATION } from '../src/ingress';
import { controlReasons, ingressPaths } from '../src/policy/control-routes';
import { enforcedAccess, OPEN_CONTROL_ENV } from '../src/policy/access';
import { problemsOf, renderChart, renderedPlatforms, SMALL, testEnv } from './helpers';

// A control route is caught even when nobody flags it: by the image its backend runs, by its
// path, by the pods it shares with a flagged route, or because its backend cannot be seen.

const GRAFANA = releases.prod['breakout-bot'].grafana;
/** An env whose office range may call internal routes (no sign-in proxy needed for these cases). */
const env = (name: string): Environment => {
  const base = testEnv();
  return testEnv({ name, ingress: { ...base.ingress, internalSourceRanges: ['192.0.2.0/24'] } });
};
const web = (chart: PlatformChart, id: string, image = 'ghcr.io/acme/shop:1.2.3') =>
  new WebService(chart, id, { image, profile: { replicas: 1, resources: SMALL }, port: 8080, healthPath: '/healthz' });
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

describe('the four platforms', () => {
  // The shared render of the real overlays: it throws when a platform breaks a rule in any env.
  const publicIngresses = () => renderedPlatforms().objects.filter((o) => o.doc.kind === 'Ingress' && enforcedAccess(o.doc) === 'public');
  const ctxOf = (e: string, platform: string) => ({
    env: testEnv({ name: e }),
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

  it('keep Peripheral\'s and TradeBot\'s sign-in pages and APIs public in every env', () => {
    for (const e of renderedPlatforms().envs) {
      for (const [platform, paths] of [['peripheral', ['/', '/api']], ['tradebot', ['/', '/api/']]] as const) {
        const open = publicIngresses().filter((o) => o.env === e && o.platform === platform).flatMap((o) => ingressPaths(o.doc).map((p) => p.path));
        expect(open, `${e}/${platform}`).toEqual(expect.arrayContaining([...paths]));
      }
    }
  });

});
