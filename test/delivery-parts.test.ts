import { App } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import { overlays } from '../overlays';
import type { Rendered } from '../src';
import { ArgoCdChart } from '../src/delivery/argocd';
import { dataObjects, keptDataNote, protectData, SYNC_OPTIONS } from '../src/delivery/protection';
import { externalSecrets, secretsPage, secretUses } from '../src/delivery/secrets';
import { applySyncWaves, SYNC_WAVE } from '../src/delivery/waves';
import { SINGLETON_ANNOTATION } from '../src/documents';
import { renderedPlatforms, testEnv } from './helpers';

// The delivery pieces on small documents: what each decides, field by field, and the input each
// refuses. The env-wide view of the same rules is in delivery.test.ts and protection.test.ts.

let rendered: Rendered;
beforeAll(() => {
  rendered = renderedPlatforms();
});

/** The keys of every object in `value`, recursively, in the order they are stored. */
const keyOrders = (value: unknown): string[][] =>
  Array.isArray(value) ? value.flatMap(keyOrders) : value && typeof value === 'object' ? [Object.keys(value), ...Object.values(value).flatMap(keyOrders)] : [];
const expectSortedKeys = (value: unknown) => {
  for (const keys of keyOrders(value)) expect(keys).toEqual([...keys].sort());
};

describe('ArgoCdChart settings', () => {
  const good = { repoURL: 'https://git.example.com/platform.git', targetRevision: 'main', root: { project: 'test-apps', autoSync: false } };
  const chart = (settings: Record<string, unknown>, production = false) =>
    new ArgoCdChart(new App(), { env: testEnv({ production }), settings: settings as any, platforms: [{ name: 'web', namespace: 'web-test' }], kinds: ['apps/Deployment', '/Service'] });
  const problems = (settings: Record<string, unknown>, production = false) => chart(settings, production).node.validate();

  it('renders valid settings without a problem', () => {
    expect(problems(good)).toEqual([]);
    expect(problems({ ...good, repoURL: 'git@git.example.com:platform.git', server: 'https://10.0.0.1:6443', namespace: 'gitops' })).toEqual([]);
  });

  it('refuses a repository that is not a git URL, the whole value', () => {
    for (const repoURL of ['ftp://git.example.com/platform.git', 'see https://git.example.com/platform.git', 'https://git.example.com/plat form.git']) {
      expect(problems({ ...good, repoURL }), repoURL).toEqual([`env.argocd.repoURL: "${repoURL}" is not a git URL (https://…, ssh://… or git@…)`]);
    }
  });

  it('refuses an empty or missing revision, and a server that is not https', () => {
    expect(problems({ ...good, targetRevision: '' })).toEqual(['env.argocd.targetRevision: "" is not a branch, tag or commit']);
    expect(problems({ ...good, targetRevision: undefined })).toEqual(['env.argocd.targetRevision: nothing is not a branch, tag or commit']);
    expect(problems({ ...good, server: 'http://10.0.0.1:6443' })).toEqual(['env.argocd.server: "http://10.0.0.1:6443" is not an https:// API server URL']);
    expect(problems({ ...good, server: 6443 })).toEqual(['env.argocd.server: 6443 is not an https:// API server URL']);
    expect(problems({ ...good, namespace: 'Argo_CD' }).join('\n')).toMatch(/^env\.argocd\.namespace: "Argo_CD" /);
  });

  it('requires the root\'s settings, and never lets a production root sync on its own', () => {
    expect(problems({ ...good, root: undefined })).toEqual([
      'env.argocd.root.project: expected a name, got nothing',
      'env.argocd.root.autoSync: nothing given; it is required: true or false (false in a production env)',
    ]);
    expect(problems({ ...good, root: { project: 'test-apps' } })).toEqual(['env.argocd.root.autoSync: nothing given; it is required: true or false (false in a production env)']);
    expect(problems({ ...good, root: { project: 'test-apps', autoSync: 'no' } })).toEqual(['env.argocd.root.autoSync: "no" given; it is required: true or false (false in a production env)']);
    expect(problems({ ...good, root: { project: 'test-apps', autoSync: true } }, true).join('\n')).toContain('env.argocd.root.autoSync: true in a production env');
    // A refused chart renders nothing.
    expect(chart({ ...good, repoURL: 'ftp://x' }).node.children).toEqual([]);
  });

  it('renders each object with the env\'s labels, and every Application retrying and pruning last', () => {
    const docs = chart(good).toJson();
    expect(docs.map((d: any) => `${d.kind}/${d.metadata.name}`)).toEqual(['AppProject/test', 'AppProject/test-apps', 'Application/web-test', 'Application/test-apps']);
    const component = { 'AppProject/test': 'project', 'AppProject/test-apps': 'project', 'Application/web-test': 'application', 'Application/test-apps': 'app-of-apps' };
    for (const d of docs) {
      expect(d.metadata.labels).toEqual({
        'app.kubernetes.io/component': component[`${d.kind}/${d.metadata.name}` as keyof typeof component],
        'app.kubernetes.io/managed-by': 'trading-platform-manifests',
        'app.kubernetes.io/name': d.metadata.name,
        'app.kubernetes.io/part-of': 'argocd',
      });
    }
    for (const app of docs.filter((d: any) => d.kind === 'Application')) {
      // PruneLast: what leaves git is pruned after every other object synced and is healthy.
      expect(app.spec.syncPolicy.syncOptions).toEqual(['PruneLast=true']);
      expect(app.spec.syncPolicy.retry).toEqual({ limit: 3, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } });
    }
    expect(docs[0].spec.description).toBe('Platforms of the test env, as rendered by trading-platform-manifests');
    expect(docs[1].spec.description).toBe("The test env's Argo CD objects (app of apps), as rendered by trading-platform-manifests");
    expect(docs[0].spec.namespaceResourceWhitelist).toEqual([{ group: '', kind: 'Service' }, { group: 'apps', kind: 'Deployment' }]);
  });

  it('renders the same policy into dist/ for every env', () => {
    for (const env of Object.keys(overlays)) {
      for (const o of rendered.objects.filter((x) => x.env === env && x.platform === 'argocd' && x.doc.kind === 'Application')) {
        expect(o.doc.spec.syncPolicy.syncOptions, o.path).toEqual(['PruneLast=true']);
        expect(o.doc.metadata.labels['app.kubernetes.io/part-of'], o.path).toBe('argocd');
      }
    }
  });
});

describe('protectData and dataObjects', () => {
  it('lists each PVC and each claim a StatefulSet makes, one per replica (one when replicas is unset)', () => {
    const template = (name: string) => ({ metadata: { name } });
    const docs = [
      { kind: 'Deployment', metadata: { name: 'web' }, spec: {} },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'uploads' } },
      { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 2, volumeClaimTemplates: [template('data'), template('wal')] } },
      { kind: 'StatefulSet', metadata: { name: 'cache' }, spec: { volumeClaimTemplates: [template('data')] } },
      { kind: 'StatefulSet', metadata: { name: 'nodata' }, spec: { replicas: 3 } },
    ];
    expect(dataObjects(docs)).toEqual([
      { kind: 'PersistentVolumeClaim', name: 'uploads' },
      { kind: 'StatefulSet claim', name: 'data-db-0' },
      { kind: 'StatefulSet claim', name: 'data-db-1' },
      { kind: 'StatefulSet claim', name: 'wal-db-0' },
      { kind: 'StatefulSet claim', name: 'wal-db-1' },
      { kind: 'StatefulSet claim', name: 'data-cache-0' },
    ]);
    expect(dataObjects([])).toEqual([]);
  });

  it('keeps the metadata keys sorted, and leaves every other kind as it was', () => {
    const docs: any[] = [
      { kind: 'Namespace', metadata: { name: 'web-test', labels: { a: 'b' }, annotations: { 'x/y': 'z' } } },
      { kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } },
      { kind: 'Service', metadata: { name: 'web' }, spec: {} },
    ];
    protectData(docs);
    expect(Object.keys(docs[0].metadata)).toEqual(['annotations', 'labels', 'name']);
    expect(docs[0].metadata.annotations).toEqual({ [SYNC_OPTIONS]: 'Prune=false,Delete=false', 'x/y': 'z' });
    expectSortedKeys(docs[0]);
    expect(docs[1]).toEqual({ kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } });
    expect(docs[2]).toEqual({ kind: 'Service', metadata: { name: 'web' }, spec: {} });
  });

  it('tells the person who removed a platform what stayed and how to delete it', () => {
    expect(keptDataNote('prod', 'peripheral', 'peripheral-prod', ['data-db-0', 'uploads'])).toBe(
      'prod/peripheral is no longer rendered: Argo CD removes its Application and workloads, and keeps its volumes (data-db-0, uploads) and ' +
        'the Namespace peripheral-prod (Prune=false,Delete=false). To delete the data on purpose, take a backup, then run kubectl delete namespace peripheral-prod',
    );
    expect(keptDataNote('dev', 'signals', 'signals-dev', [])).toBe(
      'dev/signals is no longer rendered: Argo CD removes its Application and workloads, and keeps the Namespace signals-dev (Prune=false,Delete=false). ' +
        'To delete the data on purpose, take a backup, then run kubectl delete namespace signals-dev',
    );
  });
});

describe('sync waves on small documents', () => {
  const pod = (claims: string[]) => ({ spec: { volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) } });
  const waves = (docs: any[]) => {
    applySyncWaves(docs);
    return Object.fromEntries(docs.map((d) => [`${d.kind}/${d.metadata.name}`, d.metadata.annotations?.[SYNC_WAVE]]));
  };

  it('puts every foundation kind in wave 0', () => {
    const kinds = ['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'ExternalSecret', 'SecretStore'];
    expect(Object.values(waves(kinds.map((kind) => ({ kind, metadata: { name: 'x' } }))))).toEqual(kinds.map(() => '0'));
  });

  it('syncs databases first, singletons and deployments with their Services as workloads, and PVCs with the pods that mount them', () => {
    const docs = [
      { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { serviceName: 'db', template: pod(['db-dump']) } },
      { kind: 'Service', metadata: { name: 'db' }, spec: {} },
      { kind: 'PodDisruptionBudget', metadata: { name: 'db' }, spec: {} },
      { kind: 'StatefulSet', metadata: { name: 'bot', annotations: { [SINGLETON_ANNOTATION]: 'true' } }, spec: { serviceName: 'bot', template: pod(['bot-state']) } },
      { kind: 'Service', metadata: { name: 'bot' }, spec: {} },
      { kind: 'Deployment', metadata: { name: 'web' }, spec: { template: pod(['uploads', 'shared']) } },
      { kind: 'CronJob', metadata: { name: 'backup' }, spec: { jobTemplate: { spec: { template: pod(['backups', 'shared']) } } } },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'uploads' } },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'bot-state' } },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'shared' } },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'backups' } },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'db-dump' } },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'unused' } },
      { kind: 'Ingress', metadata: { name: 'web' }, spec: {} },
      { kind: 'Job', metadata: { name: 'migrate', annotations: { 'argocd.argoproj.io/hook': 'Sync', [SYNC_WAVE]: '2' } }, spec: {} },
    ];
    expect(waves(docs)).toEqual({
      'StatefulSet/db': '1',
      'Service/db': '1',
      'PodDisruptionBudget/db': '3',
      'StatefulSet/bot': '3',
      'Service/bot': '3',
      'Deployment/web': '3',
      'CronJob/backup': '5',
      'PersistentVolumeClaim/uploads': '3',
      'PersistentVolumeClaim/bot-state': '3',
      'PersistentVolumeClaim/shared': '3',
      'PersistentVolumeClaim/backups': '5',
      // A PVC only a database mounts waits for nothing the workloads need.
      'PersistentVolumeClaim/db-dump': '5',
      'PersistentVolumeClaim/unused': '5',
      'Ingress/web': '4',
      'Job/migrate': '2',
    });
    // Hooks keep their own annotations as they are.
    for (const d of docs.filter((x) => x.kind !== 'Job')) expectSortedKeys(d.metadata);
  });
});

describe('ExternalSecrets and the secrets page', () => {
  const ref = (name: string, key: string) => ({ name: key, valueFrom: { secretKeyRef: { name, key } } });
  const docs = [
    { kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { initContainers: [{ env: [ref('db', 'user')] }], containers: [{ env: [ref('db', 'password'), ref('api', 'token')] }] } } } },
    { kind: 'CronJob', metadata: { name: 'backup' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ env: [ref('db', 'password')] }], volumes: [{ secret: { secretName: 'cache', items: [{ key: 'pw', path: 'pw' }] } }] } } } } } },
    { kind: 'Service', metadata: { name: 'web' }, spec: {} },
  ];
  const store = { store: { kind: 'ClusterSecretStore' as const, name: 'vault' }, path: 'trading/test' };

  it('collects each Secret once, with its keys and readers sorted', () => {
    expect(secretUses(docs)).toEqual([
      { name: 'api', keys: ['token'], readers: ['Deployment/web'] },
      { name: 'cache', keys: ['pw'], readers: ['CronJob/backup'] },
      { name: 'db', keys: ['password', 'user'], readers: ['CronJob/backup', 'Deployment/web'] },
    ]);
    expect(secretUses([])).toEqual([]);
  });

  it('renders one ExternalSecret per Secret, refreshing hourly unless the env says otherwise, keys sorted as cdk8s sorts them', () => {
    const [api] = externalSecrets(secretUses(docs), store, 'web', 'web-test');
    expect(api).toEqual({
      apiVersion: 'external-secrets.io/v1beta1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'api',
        namespace: 'web-test',
        labels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'web', 'app.kubernetes.io/component': 'secret', 'app.kubernetes.io/managed-by': 'trading-platform-manifests' },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
        target: { name: 'api', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        data: [{ secretKey: 'token', remoteRef: { key: 'trading/test/web/api', property: 'token' } }],
      },
    });
    expectSortedKeys(api);
    expect(externalSecrets(secretUses(docs), { ...store, refreshInterval: '15m' }, 'web', 'web-test').map((x) => x.spec?.refreshInterval)).toEqual(['15m', '15m', '15m']);
  });

  it('lists every Secret, key and reader on the page', () => {
    expect(secretsPage('test', [{ name: 'web', uses: secretUses(docs) }], store)).toBe(
      [
        '# Secrets of test',
        '',
        'Rendered by trading-platform-manifests from the charts; do not edit.',
        '',
        'External Secrets Operator creates these Secrets from the ClusterSecretStore `vault`, remote key `trading/test/<platform>/<Secret>`, one property per key. They must exist in the store before the first sync.',
        '',
        '| platform | namespace | Secret | keys | read by |',
        '| --- | --- | --- | --- | --- |',
        '| web | `web-test` | `api` | `token` | Deployment/web |',
        '| web | `web-test` | `cache` | `pw` | CronJob/backup |',
        '| web | `web-test` | `db` | `password`, `user` | CronJob/backup, Deployment/web |',
        '',
      ].join('\n'),
    );
  });
});
