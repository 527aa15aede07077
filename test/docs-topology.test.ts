import { describe, expect, it } from 'vitest';
import { capacityOf, capacityTable } from '../src/capacity/capacity';
import { platformPage, topologyDiagram } from '../src/docs/topology';

// The diagram and page of one platform on objects that leave out what Kubernetes lets them leave
// out, or whose pods carry another name than the object: each is still drawn, under the right
// node, and the page keeps its layout.

const NAME = 'app.kubernetes.io/name';
const nodes = (out: string) => out.trimEnd().split('\n').slice(2);

describe('the diagram of objects with few fields', () => {
  it('draws workloads without a spec, template or pod labels under their own names', () => {
    const docs = [
      { kind: 'Deployment', metadata: { name: 'd1' } },
      { kind: 'Deployment', metadata: { name: 'd2' }, spec: {} },
      { kind: 'Deployment', metadata: { name: 'd3' }, spec: { template: {} } },
      { kind: 'Deployment', metadata: { name: 'd4' }, spec: { template: { metadata: {} } } },
      { kind: 'StatefulSet', metadata: { name: 's1' } },
      { kind: 'StatefulSet', metadata: { name: 's2' }, spec: {} },
      { kind: 'StatefulSet', metadata: { name: 's3' }, spec: { template: {} } },
      { kind: 'StatefulSet', metadata: { name: 's4' }, spec: { template: { metadata: {} } } },
      { kind: 'Job', metadata: { name: 'j1' } },
      { kind: 'Job', metadata: { name: 'j2' }, spec: {} },
      { kind: 'Job', metadata: { name: 'j3' }, spec: { template: {} } },
      { kind: 'CronJob', metadata: { name: 'c1' } },
      { kind: 'CronJob', metadata: { name: 'c2' }, spec: { schedule: '@daily' } },
      { kind: 'CronJob', metadata: { name: 'c3' }, spec: { schedule: '@daily', jobTemplate: {} } },
      { kind: 'CronJob', metadata: { name: 'c4' }, spec: { schedule: '@daily', jobTemplate: { spec: {} } } },
      { kind: 'CronJob', metadata: { name: 'c5' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: {} } } } },
      { kind: 'CronJob', metadata: { name: 'c6' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { metadata: {} } } } } },
      { kind: 'HorizontalPodAutoscaler', metadata: { name: 'h1' } },
      { kind: 'HorizontalPodAutoscaler', metadata: { name: 'h2' }, spec: {} },
      { kind: 'Service', metadata: { name: 'd1' } },
      { kind: 'Service', metadata: { name: 's1' } },
      // One connection from each: every node is found under its own name.
      ...['d1', 'd2', 'd3', 'd4', 's1', 's2', 's3', 's4', 'j1', 'j2', 'j3', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((app) => ({
        kind: 'NetworkPolicy',
        metadata: { name: `${app}-egress` },
        spec: { podSelector: { matchLabels: { [NAME]: app } }, egress: [{ ports: [{ port: 53 }], to: [{ ipBlock: { cidr: '10.0.0.10/32' } }] }] },
      })),
    ];
    const out = nodes(topologyDiagram(docs, 'Europe/Zurich'));
    const drawn = out.filter((l) => !l.includes(' -- '));
    expect(drawn).toEqual([
      '  deploy_d1["d1<br/>1 pods"]',
      '  deploy_d2["d2<br/>1 pods"]',
      '  deploy_d3["d3<br/>1 pods"]',
      '  deploy_d4["d4<br/>1 pods"]',
      '  sts_s1[("s1<br/>in memory")]',
      '  sts_s2[("s2<br/>in memory")]',
      '  sts_s3[("s3<br/>in memory")]',
      '  sts_s4[("s4<br/>in memory")]',
      '  job_j1[/"j1<br/>Job"/]',
      '  job_j2[/"j2<br/>Job"/]',
      '  job_j3[/"j3<br/>Job"/]',
      '  cron_c1[/"c1<br/>undefined Europe/Zurich"/]',
      '  cron_c2[/"c2<br/>@daily Europe/Zurich"/]',
      '  cron_c3[/"c3<br/>@daily Europe/Zurich"/]',
      '  cron_c4[/"c4<br/>@daily Europe/Zurich"/]',
      '  cron_c5[/"c5<br/>@daily Europe/Zurich"/]',
      '  cron_c6[/"c6<br/>@daily Europe/Zurich"/]',
      '  cidr_10_0_0_10_32(["10.0.0.10/32"])',
    ]);
    expect(out.filter((l) => l.includes(' -- ')).map((l) => l.trim().split(' ')[0])).toEqual([
      'cron_c1', 'cron_c2', 'cron_c3', 'cron_c4', 'cron_c5', 'cron_c6',
      'deploy_d1', 'deploy_d2', 'deploy_d3', 'deploy_d4',
      'job_j1', 'job_j2', 'job_j3',
      'sts_s1', 'sts_s2', 'sts_s3', 'sts_s4',
    ]);
  });

  it('draws a volume claim without a size as 0, and a database\'s ports in the order of its Service', () => {
    const claim = (spec: unknown) => ({ ...(spec === undefined ? {} : { spec }) });
    const docs = [
      { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { volumeClaimTemplates: [claim(undefined), claim({}), claim({ resources: {} }), claim({ resources: { requests: {} } }), claim({ resources: { requests: { storage: '2Gi' } } })] } },
      { kind: 'Service', metadata: { name: 'db' }, spec: { ports: [{ port: 5432 }, { port: 9187 }] } },
      { kind: 'StatefulSet', metadata: { name: 'kv' }, spec: { template: { metadata: { labels: { [NAME]: 'redis' } } } } },
      { kind: 'Service', metadata: { name: 'kv' }, spec: {} },
    ];
    expect(nodes(topologyDiagram(docs, 'UTC'))).toEqual(['  sts_db[("db :5432 :9187<br/>0 + 0 + 0 + 0 + 2Gi volume")]', '  sts_kv[("kv<br/>in memory")]']);
  });

  it('connects workloads by their pods\' name, not the object\'s', () => {
    const labels = (app: string) => ({ metadata: { labels: { [NAME]: app } } });
    const docs = [
      { kind: 'Deployment', metadata: { name: 'web' }, spec: { template: labels('frontend') } },
      { kind: 'Service', metadata: { name: 'web' }, spec: {} },
      { kind: 'StatefulSet', metadata: { name: 'kv' }, spec: { template: labels('redis') } },
      { kind: 'Job', metadata: { name: 'migrate-0a1b', labels: { [NAME]: 'migrate' } }, spec: { template: labels('migrator') } },
      { kind: 'CronJob', metadata: { name: 'report' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: labels('reporter') } } } },
      ...[
        ['frontend', 'redis'],
        ['migrator', 'redis'],
        ['reporter', 'redis'],
        ['web', 'redis'],
        ['kv', 'redis'],
      ].map(([from, to]) => ({
        kind: 'NetworkPolicy',
        metadata: { name: `${from}-egress` },
        spec: { podSelector: { matchLabels: { [NAME]: from } }, egress: [{ ports: [{ port: 6379 }], to: [{ podSelector: { matchLabels: { [NAME]: to } } }] }] },
      })),
    ];
    expect(nodes(topologyDiagram(docs, 'UTC')).filter((l) => l.includes(' -- '))).toEqual([
      '  deploy_web -- "6379" --> sts_kv',
      '  job_migrate -- "6379" --> sts_kv',
      '  cron_report -- "6379" --> sts_kv',
    ]);
  });

  it('skips Ingress rules and paths that lead nowhere, and policies that select no drawn workload or every pod', () => {
    const docs = [
      { kind: 'Deployment', metadata: { name: 'web' } },
      { kind: 'Service', metadata: { name: 'plain' } },
      { kind: 'Service', metadata: { name: 'web' }, spec: {} },
      { kind: 'Ingress', metadata: { name: 'a' } },
      { kind: 'Ingress', metadata: { name: 'b' }, spec: { rules: [] } },
      { kind: 'Ingress', metadata: { name: 'c' }, spec: { rules: [{ host: 'c.example' }] } },
      { kind: 'Ingress', metadata: { name: 'd' }, spec: { rules: [{ host: 'd.example', http: {} }] } },
      { kind: 'Ingress', metadata: { name: 'e' }, spec: { rules: [{ host: 'e.example', http: { paths: [{ path: '/x' }, { path: '/y', backend: {} }, { path: '/z', backend: { service: { name: 'plain' } } }, { path: '/', backend: { service: { name: 'web' } } }] } }] } },
      { kind: 'NetworkPolicy', metadata: { name: 'p1' } },
      { kind: 'NetworkPolicy', metadata: { name: 'p2' }, spec: {} },
      { kind: 'NetworkPolicy', metadata: { name: 'p3' }, spec: { podSelector: {} } },
      { kind: 'NetworkPolicy', metadata: { name: 'p4' }, spec: { podSelector: { matchLabels: { tier: 'x' } } } },
      { kind: 'NetworkPolicy', metadata: { name: 'p5' }, spec: { podSelector: { matchLabels: { [NAME]: 'web' } }, ingress: [{}] } },
      { kind: 'NetworkPolicy', metadata: { name: 'p6' }, spec: { podSelector: { matchLabels: { [NAME]: 'web' } }, egress: [{ ports: [{ port: 80 }] }, { to: [{ podSelector: {} }, {}] }] } },
    ];
    expect(nodes(topologyDiagram(docs, 'UTC'))).toEqual([
      '  deploy_web["web<br/>1 pods"]',
      '  ing_a{{"<br/>Ingress a"}}',
      '  users --> ing_a',
      '  ing_b{{"<br/>Ingress b"}}',
      '  users --> ing_b',
      '  ing_c{{"c.example<br/>Ingress c"}}',
      '  users --> ing_c',
      '  ing_d{{"d.example<br/>Ingress d"}}',
      '  users --> ing_d',
      '  ing_e{{"e.example<br/>Ingress e"}}',
      '  users --> ing_e',
      '  ing_e -- "/" --> deploy_web',
    ]);
  });
});

describe('the page of one platform', () => {
  it('is laid out as headings, blank lines, the diagram, the tables and the capacity', () => {
    const docs = [
      { kind: 'Deployment', metadata: { name: 'web', annotations: { 'trading-platform-manifests/external-egress': 'not a policy' } } },
      { kind: 'NetworkPolicy', metadata: { name: 'web-egress', annotations: { 'trading-platform-manifests/external-egress': 'api.example.com:443' } }, spec: {} },
    ];
    const capacity = capacityOf(docs);
    const page = platformPage({ env: 'dev', platform: 'shop', docs, secrets: [], capacity, timeZone: 'UTC' });
    expect(page).toBe(
      [
        '# shop in dev',
        '',
        'Rendered by trading-platform-manifests from the charts and the overlay; do not edit.',
        '',
        '```mermaid',
        'flowchart LR',
        '  users(("users"))',
        '  deploy_web["web<br/>1 pods"]',
        '```',
        '',
        '## Traffic leaving the platform',
        '',
        '| workload | to |',
        '| --- | --- |',
        '| web-egress | api.example.com:443 |',
        '',
        '## Secrets read (names and keys only)',
        '',
        'None.',
        '',
        '## Capacity (0 workloads)',
        '',
        'Worst case: every autoscaler at its maximum, one extra pod per rolling update, every Job and CronJob running.',
        '',
        capacityTable(capacity, undefined),
        '',
      ].join('\n'),
    );
  });
});

describe('the connections to other namespaces', () => {
  it('names the namespace a policy reaches by name, and draws any other namespace selector as other namespaces', () => {
    const docs = [
      { kind: 'Deployment', metadata: { name: 'web' } },
      {
        kind: 'NetworkPolicy',
        metadata: { name: 'web-egress' },
        spec: {
          podSelector: { matchLabels: { [NAME]: 'web' } },
          egress: [
            { ports: [{ port: 9090 }], to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
            { ports: [{ port: 8080 }], to: [{ namespaceSelector: {} }] },
            { ports: [{ port: 443 }], to: [{ namespaceSelector: { matchLabels: { team: 'payments' } } }] },
          ],
        },
      },
    ];
    expect(nodes(topologyDiagram(docs, 'UTC'))).toEqual([
      '  deploy_web["web<br/>1 pods"]',
      '  ns_monitoring[["namespace monitoring"]]',
      '  deploy_web -- "9090" --> ns_monitoring',
      '  namespaces[["other namespaces"]]',
      '  deploy_web -- "8080" --> namespaces',
      '  deploy_web -- "443" --> namespaces',
    ]);
  });
});
