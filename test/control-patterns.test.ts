import { describe, expect, it } from 'vitest';
import { CONTROL_ANNOTATION } from '../src/ingress';
import { backendReasons, controlReasons, ingressPaths } from '../src/policy/control-routes';
import type { PolicyContext, PolicyObject } from '../src/policy/rule';
import { testEnv } from './helpers';

// What makes a route a control route, judged on a few hand-written documents: which images and
// path segments name an admin or control tool (whole names only, so a shop's /flowers is no
// Celery monitor), and what each reason says.

type Doc = Record<string, any>;
const object = (doc: Doc): PolicyObject => ({ env: 'test', platform: 'demo', constructPath: `demo/${doc.metadata?.name}`, doc });
const context = (docs: Doc[]): PolicyContext => ({ env: testEnv(), namespace: 'demo-test', objects: docs.map(object) });
/** A Deployment `name` running `images` and its Service `name`. */
const app = (name: string, ...images: string[]): Doc[] => [
  { kind: 'Deployment', metadata: { name }, spec: { template: { metadata: { labels: { app: name } }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } } },
  { kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }] } },
];
const ingress = (name: string, paths: Array<[string, string]>, flagged: string[] = []) => ({
  kind: 'Ingress',
  metadata: { name, annotations: flagged.length > 0 ? { [CONTROL_ANNOTATION]: flagged.join(' ') } : {} },
  spec: { rules: [{ host: 'app.example.com', http: { paths: paths.map(([path, service]) => ({ path, pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } })) } }] },
});
/** Why a Service running `image` is a control backend. */
const imageReasons = (image: string) => backendReasons(context(app('b', image)), 'b');
/** Why `path` to a plain shop is a control route. */
const pathReasons = (path: string) => {
  const ctx = context([...app('b', 'ghcr.io/acme/shop:1.2.3'), ingress('web', [[path, 'b']])]);
  return controlReasons(ctx, ctx.objects[2], { path, service: 'b' });
};

describe('control images', () => {
  // Each image, and a word of what the reason must say about it.
  const known: Array<[string, string]> = [
    ['grafana/grafana:11.3.0', 'Grafana: dashboards'],
    ['docker.io/bitnami/grafana-oss:11', 'Grafana: dashboards'],
    ['grafana/grafana-enterprise:11', 'Grafana: dashboards'],
    ['dpage/pgadmin4:8.12', 'pgAdmin: a SQL console'],
    ['acme/pgadmin:1', 'pgAdmin: a SQL console'],
    ['adminer:4.8.1', 'a database console'],
    ['sosedoff/pgweb:0.16', 'a database console'],
    ['phpmyadmin:5.2', 'phpMyAdmin: a MySQL console'],
    ['rediscommander/redis-commander:0.8', 'a Redis console'],
    ['acme/rediscommander:1', 'a Redis console'],
    ['redis/redisinsight:2.60', 'a Redis console'],
    ['mongo-express:1.0', 'mongo-express: a MongoDB console'],
    ['prom/prometheus:v2.55.0', 'Prometheus: every metric'],
    ['prom/alertmanager:v0.27.0', 'Alertmanager: silences every alert'],
    ['kibana:8.15.0', 'Kibana: every log'],
    ['quay.io/argoproj/argocd:v2.13.0', 'Argo CD: deploys to the cluster'],
    ['kubernetesui/dashboard:v2.7.0', 'the Kubernetes Dashboard'],
    ['acme/kubernetes-dashboard:7', 'the Kubernetes Dashboard'],
    ['kubernetesui/dashboard-api:1.10', 'the Kubernetes Dashboard'],
    ['mher/flower:2.0', "Flower: Celery's monitor"],
    ['provectuslabs/kafka-ui:v0.7.2', 'Kafka UI: reads and writes topics'],
    ['portainer/portainer-ce:2.21', 'Portainer: runs containers'],
    ['portainer/portainer:2.21', 'Portainer: runs containers'],
    ['ghcr.io/acme/trading-engine:1.0', 'named as an engine, a control plane or an admin tool'],
    ['ghcr.io/acme/engine:1.0', 'named as an engine, a control plane or an admin tool'],
    ['ghcr.io/acme/control.plane:1.0', 'named as an engine, a control plane or an admin tool'],
    // Not a valid reference (uppercase), and judged by its name all the same.
    ['ACME/Admin-Console:1', 'named as an engine, a control plane or an admin tool'],
  ];
  it.each(known)('%s is one, and the reason says what it gives', (image, what) => {
    expect(imageReasons(image)).toEqual([expect.stringMatching(new RegExp(`^backend "b" runs ${image.replace(/[.]/g, '\\.')} \\(${what}[^()]*\\)$`))]);
  });

  // Names that only contain or extend a tool's name.
  const plain = [
    'grafana/grafana-agent:0.43', 'acme/mygrafana:1', 'acme/pgadmin4-backup:1', 'acme/mypgadmin:1', 'acme/adminer-theme:1', 'acme/pgweb-exporter:1', 'acme/mypgweb:1',
    'acme/phpmyadmin-exporter:1', 'acme/myphpmyadmin:1', 'acme/redis-commander-exporter:1', 'acme/myredisinsight:1', 'acme/mongo-express-seed:1', 'acme/mymongo-express:1',
    'prom/prometheus-adapter:1', 'acme/myprometheus:1', 'acme/alertmanager-bot:1', 'acme/myalertmanager:1', 'acme/kibana-proxy:1', 'acme/mykibana:1',
    'acme/argocd-notifier:1', 'acme/myargocd:1', 'acme/dashboard-metrics-scraper:1', 'acme/mydashboard:1', 'acme/flower-shop:1', 'acme/cauliflower:1',
    'acme/kafka-ui-seed:1', 'acme/mykafka-ui:1', 'portainer/portainer-agent:2.21', 'acme/myportainer:1', 'acme/enginex:1', 'acme/xengine:1', 'acme/admins:1',
  ];
  it.each(plain)('%s is not one', (image) => {
    expect(imageReasons(image)).toEqual([]);
  });
});

describe('control paths', () => {
  const known: Array<[string, string]> = [
    ['/admin', 'an admin UI'],
    ['/blog/wp-admin', 'an admin UI'],
    ['/grafana', 'an admin or monitoring tool'],
    ['/tools/argo-cd', 'an admin or monitoring tool'],
    ['/api/engine/stop', 'a control API or console'],
    ['/controls', 'a control API or console'],
    ['/management', 'a control API or console'],
    ['/actuator', 'Spring Boot Actuator'],
    ['/debug', 'a debug endpoint'],
    ['/_debug', 'a debug endpoint'],
    ['/debug/pprof', 'a debug endpoint'],
    ['/metrics', 'metrics: internal counters'],
    ['/_metrics', 'metrics: internal counters'],
  ];
  it.each(known)('%s names one, once per kind', (path, what) => {
    expect(pathReasons(path)).toEqual([expect.stringMatching(new RegExp(`^its path names ${what}`))]);
  });

  const plain = ['/shop/flowers', '/recipes/cauliflower', '/docs/grafana-tips', '/learn-grafana', '/engineering', '/search-engine', '/actuators', '/spring-actuator', '/debugging', '/app-debug', '/metrics-explained', '/app-metrics', '/'];
  it.each(plain)('%s names none', (path) => {
    expect(pathReasons(path)).toEqual([]);
  });
});

describe('backend reasons', () => {
  it('name a backend that is not a Service, a Service that runs nothing here, and a Service without a spec', () => {
    const ctx = context([{ kind: 'Service', metadata: { name: 'bare' } }]);
    expect(backendReasons(ctx, undefined)).toEqual(['its backend is not a Service, so what it runs cannot be checked']);
    expect(backendReasons(ctx, 'gone')).toEqual(['its backend "gone" runs no pod of this platform, so what it runs cannot be checked']);
    expect(backendReasons(ctx, 'bare')).toEqual(['its backend "bare" runs no pod of this platform, so what it runs cannot be checked']);
  });

  it('list every control image of the backend, sorted', () => {
    expect(backendReasons(context(app('b', 'grafana/grafana:11.3.0', 'dpage/pgadmin4:8.12')), 'b').map((r) => r.slice(0, r.indexOf(' ('))))
      .toEqual(['backend "b" runs dpage/pgadmin4:8.12', 'backend "b" runs grafana/grafana:11.3.0']);
  });

  it('name every flagged route the same pods serve, on other paths and other Ingresses, but not the route judged', () => {
    const ctx = context([...app('b', 'ghcr.io/acme/shop:1.2.3'), ingress('web', [['/a', 'b'], ['/b', 'b'], ['/c', 'b']], ['/a', '/b']), ingress('other', [['/a', 'b']])]);
    const [web, other] = [ctx.objects[2], ctx.objects[3]];
    expect(controlReasons(ctx, web, { path: '/a', service: 'b' })).toEqual(['it is flagged control: true', 'backend "b" also serves control route "/b" (Ingress/web)']);
    expect(controlReasons(ctx, web, { path: '/c', service: 'b' })).toEqual(['backend "b" also serves control route "/a" (Ingress/web), "/b" (Ingress/web)']);
    expect(controlReasons(ctx, other, { path: '/a', service: 'b' })).toEqual(['backend "b" also serves control route "/a" (Ingress/web), "/b" (Ingress/web)']);
    // A Service of type LoadBalancer judged on its own: every flagged route counts.
    expect(backendReasons(ctx, 'b')).toEqual(['backend "b" also serves control route "/a" (Ingress/web), "/b" (Ingress/web)']);
  });
});

describe('flagged routes', () => {
  it('are none on an Ingress without metadata or annotations', () => {
    const ctx = context([...app('b', 'ghcr.io/acme/shop:1.2.3'), { kind: 'Ingress', metadata: { name: 'web' }, spec: ingress('x', [['/a', 'b']]).spec }, { kind: 'Ingress', spec: ingress('x', [['/a', 'b']]).spec }]);
    expect(controlReasons(ctx, ctx.objects[2], { path: '/a', service: 'b' })).toEqual([]);
    expect(controlReasons(ctx, ctx.objects[3], { path: '/a', service: 'b' })).toEqual([]);
  });
});

describe('ingressPaths', () => {
  it('reads every path with its Service, "/" for a path left out, and the default backend', () => {
    const doc = {
      kind: 'Ingress',
      spec: {
        defaultBackend: { resource: { kind: 'Bucket', name: 'b' } },
        rules: [{ host: 'a.example.com' }, { http: { paths: [{ backend: { service: { name: 'api' } } }, { path: '/files', backend: { resource: { kind: 'Bucket', name: 'b' } } }] } }],
      },
    };
    expect(ingressPaths(doc)).toEqual([{ path: '/', service: 'api' }, { path: '/files', service: undefined }, { path: '(default backend)', service: undefined }]);
    expect(ingressPaths({ kind: 'Ingress' })).toEqual([]);
    expect(ingressPaths({ kind: 'Ingress', spec: { defaultBackend: { service: { name: 'api' } } } })).toEqual([{ path: '(default backend)', service: 'api' }]);
  });
});
