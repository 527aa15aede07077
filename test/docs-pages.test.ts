import { describe, expect, it } from 'vitest';
import { capacityOf } from '../src/capacity/capacity';
import { comparePage, envPage, PlatformDocs } from '../src/docs/env-page';
import { platformPage, topologyDiagram } from '../src/docs/topology';
import { SINGLETON_ANNOTATION } from '../src/documents';

// The generated pages on small hand-made document sets: each fact a reviewer reads (which
// objects are drawn, their ports, replicas and volumes, who calls whom on which port, what
// leaves the platform, which Secrets each object reads, how the envs differ).

const NAME = 'app.kubernetes.io/name';
const pod = (app: string, image = `registry.example/team/${app}:1.0`) => ({ metadata: { labels: { [NAME]: app } }, spec: { containers: [{ name: app, image }] } });
const deployment = (name: string, replicas?: number, app = name) => ({ kind: 'Deployment', metadata: { name }, spec: { ...(replicas === undefined ? {} : { replicas }), template: pod(app) } });
const singleton = (name: string) => ({ kind: 'StatefulSet', metadata: { name, annotations: { [SINGLETON_ANNOTATION]: 'true' } }, spec: { replicas: 1, template: pod(name) } });
const statefulSet = (name: string, ...sizes: string[]) => ({
  kind: 'StatefulSet',
  metadata: { name },
  spec: { template: pod(name), volumeClaimTemplates: sizes.map((s) => ({ spec: { resources: { requests: { storage: s } } } })) },
});
const service = (name: string, ports: number[], app = name) => ({ kind: 'Service', metadata: { name }, spec: { selector: { [NAME]: app }, ports: ports.map((port) => ({ port })) } });
const hpa = (target: string, min: number, max: number) => ({ kind: 'HorizontalPodAutoscaler', metadata: { name: target }, spec: { scaleTargetRef: { name: target }, minReplicas: min, maxReplicas: max } });
const ingress = (name: string, host: string, paths: [string, string][]) => ({
  kind: 'Ingress',
  metadata: { name },
  spec: { rules: [{ host, http: { paths: paths.map(([path, svc]) => ({ path, backend: { service: { name: svc } } })) } }] },
});
const egress = (app: string, rules: any[], external?: string) => ({
  kind: 'NetworkPolicy',
  metadata: { name: `${app}-egress`, ...(external ? { annotations: { 'trading-platform-manifests/external-egress': external } } : {}) },
  spec: { podSelector: { matchLabels: { [NAME]: app } }, egress: rules },
});

const lines = (s: string) => s.trimEnd().split('\n');

describe('the diagram of one platform', () => {
  const docs = [
    deployment('web', 2),
    deployment('api'),
    service('api', [8080, 9090]),
    hpa('web', 2, 5),
    service('web', [80]),
    singleton('leader'),
    statefulSet('db', '10Gi', '1Gi'),
    service('db', [5432]),
    statefulSet('cache'),
    { kind: 'Job', metadata: { name: 'migrate-abc123', labels: { [NAME]: 'migrate' }, annotations: { 'argocd.argoproj.io/hook': 'Sync' } }, spec: { template: pod('migrate') } },
    { kind: 'Job', metadata: { name: 'seed' }, spec: { template: { metadata: {}, spec: { containers: [] } } } },
    { kind: 'CronJob', metadata: { name: 'report' }, spec: { schedule: '0 6 * * *', jobTemplate: { spec: { template: pod('report') } } } },
    { kind: 'CronJob', metadata: { name: 'sweep' }, spec: { schedule: '*/5 * * * *', timeZone: 'UTC', jobTemplate: { spec: { template: pod('sweeper') } } } },
    ingress('site', 'app.example.com', [['/', 'web'], ['/api/', 'api'], ['/gone/', 'missing']]),
    egress('web', [{ ports: [{ port: 8080 }, { port: 9090 }], to: [{ podSelector: { matchLabels: { [NAME]: 'api' } } }] }]),
    egress('api', [
      { ports: [{ port: 5432 }], to: [{ podSelector: { matchLabels: { [NAME]: 'db' } } }, { podSelector: { matchLabels: { [NAME]: 'nobody' } } }] },
      { ports: [{ port: 9090 }], to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { [NAME]: 'prometheus' } } }] },
      { ports: [{ port: 443 }], to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '10.1.0.0/16' } }] },
      { to: [{}] },
    ]),
    egress('sweeper', [{ ports: [{ port: 443 }], to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }]),
    egress('stranger', [{ ports: [{ port: 1 }], to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }]),
  ];

  it('draws each object once with its ports, pods, volumes and schedules, each connection with its ports', () => {
    expect(lines(topologyDiagram(docs, 'Europe/Zurich'))).toEqual([
      'flowchart LR',
      '  users(("users"))',
      '  deploy_api["api :8080 :9090<br/>1 pods"]',
      '  deploy_leader["leader<br/>singleton"]',
      '  deploy_web["web :80<br/>2–5 pods (HPA)"]',
      '  sts_cache[("cache<br/>in memory")]',
      '  sts_db[("db :5432<br/>10Gi + 1Gi volume")]',
      '  job_migrate[/"migrate<br/>Job, Sync hook"/]',
      '  job_seed[/"seed<br/>Job"/]',
      '  cron_report[/"report<br/>0 6 * * * Europe/Zurich"/]',
      '  cron_sweep[/"sweep<br/>*/5 * * * * UTC"/]',
      '  ing_site{{"app.example.com<br/>Ingress site"}}',
      '  users --> ing_site',
      '  ing_site -- "/" --> deploy_web',
      '  ing_site -- "/api/" --> deploy_api',
      '  deploy_api -- "5432" --> sts_db',
      '  ns_monitoring[["namespace monitoring"]]',
      '  deploy_api -- "9090" --> ns_monitoring',
      '  internet(["internet"])',
      '  deploy_api -- "443" --> internet',
      '  cidr_10_1_0_0_16(["10.1.0.0/16"])',
      '  deploy_api -- "443" --> cidr_10_1_0_0_16',
      '  cron_sweep -- "443" --> internet',
      '  deploy_web -- "8080,9090" --> deploy_api',
    ]);
  });

  it('quotes names that would break the chart, and draws Deployments by their pods\' name', () => {
    const out = topologyDiagram([deployment('a.b', 3, 'ab'), { kind: 'Ingress', metadata: { name: 'i' }, spec: {} }, ingress('j', 'x"y', [['/"', 'a.b']]), service('a.b', [], 'ab')], 'UTC');
    expect(lines(out)).toEqual([
      'flowchart LR',
      '  users(("users"))',
      '  deploy_a_b["a.b<br/>3 pods"]',
      '  ing_i{{"<br/>Ingress i"}}',
      '  users --> ing_i',
      '  ing_j{{"x#quot;y<br/>Ingress j"}}',
      '  users --> ing_j',
      '  ing_j -- "/#quot;" --> deploy_a_b',
    ]);
  });
});

const capacity = capacityOf([]);

describe('the page of one platform', () => {
  const page = (docs: any[], secrets: any[] = [], description?: string) =>
    platformPage({ env: 'prod', platform: 'shop', description, docs, secrets, capacity, timeZone: 'UTC' });

  it('names the platform and env, lists the traffic that leaves it by workload, and the Secrets each object reads', () => {
    const out = page(
      [deployment('web'), egress('web', [], 'payments.example.com:443'), egress('api', [], 'the internet on 443'), egress('quiet', [])],
      [
        { name: 'db-pass', keys: ['password', 'user'], readers: ['Deployment/web'] },
        { name: 'api-key', keys: ['key'], readers: ['Deployment/web', 'CronJob/report'] },
      ],
      'A shop.',
    );
    const at = (s: string) => lines(out).indexOf(s);
    expect(lines(out).slice(0, 5)).toEqual(['# shop in prod', '', 'Rendered by trading-platform-manifests from the charts and the overlay; do not edit.', '', 'A shop.']);
    expect(at('| workload | to |')).toBeGreaterThan(at('## Traffic leaving the platform'));
    expect(lines(out).slice(at('| workload | to |'), at('| workload | to |') + 4)).toEqual(['| workload | to |', '| --- | --- |', '| api-egress | the internet on 443 |', '| web-egress | payments.example.com:443 |']);
    expect(lines(out).slice(at('| object | Secrets and keys |'), at('| object | Secrets and keys |') + 4)).toEqual([
      '| object | Secrets and keys |',
      '| --- | --- |',
      '| CronJob/report | `api-key`: `key` |',
      '| Deployment/web | `db-pass`: `password`, `user`; `api-key`: `key` |',
    ]);
    expect(out).toContain('## Capacity (1 workloads)');
    expect(out).toContain('```mermaid\nflowchart LR\n');
    expect(out).not.toContain('None');
  });

  it('says so when nothing leaves the platform and no Secret is read', () => {
    const out = page([egress('web', [])]);
    expect(out).toContain('## Traffic leaving the platform\n\nNone: no pod reaches anything outside the platform but DNS.\n');
    expect(out).toContain('## Secrets read (names and keys only)\n\nNone.\n');
    expect(out).toContain('## Capacity (0 workloads)');
    expect(out).not.toContain('| workload | to |');
    expect(lines(out).slice(0, 4)).toEqual(['# shop in prod', '', 'Rendered by trading-platform-manifests from the charts and the overlay; do not edit.', '']);
  });
});

const ns = (name: string, description?: string) => ({ kind: 'Namespace', metadata: { name, ...(description ? { annotations: { 'trading-platform-manifests/description': description } } : {}) } });
const pvc = (name: string, size: string) => ({ kind: 'PersistentVolumeClaim', metadata: { name }, spec: { resources: { requests: { storage: size } } } });
const cron = (name: string) => ({ kind: 'CronJob', metadata: { name }, spec: { jobTemplate: { spec: { template: pod(name) } } } });
const job = (name: string, image: string) => ({ kind: 'Job', metadata: { name }, spec: { template: pod(name, image) } });

describe('the page of one env', () => {
  const all: PlatformDocs[] = [
    { env: 'prod', platform: 'shop', docs: [ns('shop-prod', 'The shop.'), ingress('a', 'shop.example.com', []), ingress('b', 'shop.example.com', []), ingress('c', 'admin.example.com', []), deployment('web'), statefulSet('db'), cron('report'), job('once', 'x'), service('web', [80])] },
    { env: 'prod', platform: 'bare', docs: [{ kind: 'ConfigMap', metadata: { name: 'c' } }, { kind: 'Ingress', metadata: { name: 'i' }, spec: {} }] },
    { env: 'dev', platform: 'shop', docs: [ns('shop-dev')] },
  ];

  it('has a row per platform of the env: namespace, description, hosts once each, workloads and objects counted', () => {
    expect(lines(envPage('prod', all))).toEqual([
      '# prod',
      '',
      'Rendered by trading-platform-manifests; do not edit. Each platform folder is a kustomization (`kubectl apply -k`) and an Argo CD Application.',
      '',
      '| platform | namespace | what | hosts | workloads | objects |',
      '| --- | --- | --- | --- | ---: | ---: |',
      '| [shop](./shop/README.md) | `shop-prod` | The shop. | shop.example.com, admin.example.com | 3 | 9 |',
      '| [bare](./bare/README.md) | `` |  |  | 0 | 2 |',
      '',
      'Secrets each platform reads: [SECRETS.md](./SECRETS.md). How the envs differ: [../README.md](../README.md).',
    ]);
  });
});

describe('the page of how the envs differ', () => {
  const shop = (env: string, extra: any[]) => ({ env, platform: 'shop', docs: [ingress('site', `${env}.shop.example`, []), ...extra] });
  const ss = (name: string, size: string, annotations?: any) => ({ ...statefulSet(name, size), metadata: { name, annotations } });

  it('lists every env and, per subject, the value in each env where they differ (— where absent)', () => {
    const out = comparePage(
      [
        shop('dev', [deployment('web'), deployment('api', 1), pvc('data', '1Gi'), ss('db', '1Gi'), job('migrate', 'registry/migrate:1'), singleton('leader')]),
        shop('prod', [deployment('web', 3), deployment('api', 1), hpa('api', 2, 6), pvc('data', '100Gi'), ss('db', '50Gi'), job('migrate', 'registry/migrate:2'), singleton('leader'), { kind: 'Ingress', metadata: { name: 'z' }, spec: {} }, ingress('admin', 'admin.shop.example', [])]),
        { env: 'prod', platform: 'extra', docs: [deployment('solo', 2)] },
      ],
      ['dev', 'prod'],
    );
    expect(lines(out)).toEqual([
      '# Rendered manifests',
      '',
      'Rendered by trading-platform-manifests (`npx cdk8s synth`); do not edit. One folder per env:',
      '',
      '- [dev](./dev/README.md)',
      '- [prod](./prod/README.md)',
      '',
      '## How the envs differ',
      '',
      '| | dev | prod |',
      '| --- | --- | --- |',
      '| extra · solo image | — | solo:1.0 |',
      '| extra · solo pods | — | 2 |',
      '| shop · api pods | 1 | 2–6 |',
      '| shop · data volume | 1Gi | 100Gi |',
      '| shop · db volume | 1Gi | 50Gi |',
      '| shop · host | dev.shop.example | prod.shop.example, admin.shop.example |',
      '| shop · web pods | 1 | 3 |',
    ]);
  });

  it('says the envs are alike when nothing differs, singletons and images included', () => {
    const same = (env: string) => ({ env, platform: 'shop', docs: [singleton('leader'), deployment('web', 2), cron('report')] });
    expect(lines(comparePage([same('dev'), same('prod')], ['dev', 'prod'])).slice(-2)).toEqual(['', 'Nothing: the envs are alike.']);
    const img = (env: string, tag: string) => ({ env, platform: 'shop', docs: [{ ...deployment('web'), spec: { template: pod('web', `registry.example/team/web:${tag}`) } }, { ...singleton('leader'), spec: { template: pod('leader', `leader:${tag}`) } }] });
    expect(comparePage([img('dev', '1'), img('prod', '2')], ['dev', 'prod'])).toContain('| shop · leader image | leader:1 | leader:2 |\n| shop · web image | web:1 | web:2 |');
  });
});
