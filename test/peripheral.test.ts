// Peripheral's own points; test/platforms.test.ts asserts what every platform shares.
import { beforeAll, describe, expect, it } from 'vitest';
import { overlays } from '../overlays';
import { Rendered, RenderedObject } from '../src';
import { findObject, podSpecsOf, renderedPlatforms } from './helpers';

let rendered: Rendered;
beforeAll(() => {
  rendered = renderedPlatforms();
});

const ENVS = ['dev', 'demo', 'prod'] as const;

const objectsOf = (env: string): RenderedObject[] => rendered.objects.filter((o) => o.env === env && o.platform === 'peripheral');
const docsOf = (env: string, kind: string): any[] => objectsOf(env).filter((o) => o.doc.kind === kind).map((o) => o.doc);
const find = (env: string, kind: string, name: string): any => findObject(rendered.objects, kind, name, env, 'peripheral');

describe.each(ENVS)('peripheral in %s', (env) => {
  it('routes / to the frontend and /api and /ws to the backend over TLS', () => {
    const web = find(env, 'Ingress', 'web');
    const ws = find(env, 'Ingress', 'web-websocket');
    const host = overlays[env].peripheral.host;
    const routes = (ing: any) => Object.fromEntries(ing.spec.rules[0].http.paths.map((p: any) => [p.path, p.backend.service]));
    expect(routes(web)).toEqual({ '/': { name: 'frontend', port: { number: 3000 } }, '/api': { name: 'backend', port: { number: 5058 } } });
    expect(routes(ws)).toEqual({ '/ws': { name: 'backend', port: { number: 5058 } } });
    for (const ing of [web, ws]) {
      expect(ing.spec.rules[0].host).toBe(host);
      expect(ing.spec.tls).toEqual([{ hosts: [host], secretName: 'web-tls' }]);
      for (const p of ing.spec.rules[0].http.paths) {
        const svc = find(env, 'Service', p.backend.service.name);
        expect(svc.spec.ports.map((x: any) => x.port)).toContain(p.backend.service.port.number);
      }
    }
    expect(web.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(overlays[env].env.ingress.tlsIssuer.name);
    expect(ws.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBe('3600');
  });

  it('lets the worker reach only the database and the cache: no internet', () => {
    const policy = find(env, 'NetworkPolicy', 'worker');
    expect(policy.spec.ingress).toEqual([]);
    const egress = policy.spec.egress;
    expect(egress.map((r: any) => r.to[0].podSelector?.matchLabels['app.kubernetes.io/name'])).toEqual(['cache', 'db']);
    expect(JSON.stringify(egress)).not.toContain('ipBlock');
  });

  it('lets the backend reach db, cache and declared HTTPS/SMTP endpoints, and admits the ingress controller', () => {
    const policy = find(env, 'NetworkPolicy', 'backend');
    const external = policy.spec.egress.filter((r: any) => r.to[0].ipBlock);
    expect(external.map((r: any) => r.ports.map((p: any) => p.port))).toEqual([[443], [587]]);
    expect(policy.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'ingress-nginx' });
    expect(policy.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 5058 }]);
    const db = find(env, 'NetworkPolicy', 'db');
    const clients = db.spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name']);
    expect(clients).toEqual(['backend', 'db-backup', 'migrate', 'worker']);
  });

  it('migrates with a hook Job named after its image, after the database and before the backend', () => {
    const jobs = docsOf(env, 'Job');
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    expect(job.metadata.name).toMatch(/^migrate-[0-9a-f]{10}$/);
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/sync-wave': '2',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
    });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    const c = job.spec.template.spec.containers[0];
    expect(c.command).toEqual(['./backend', 'migrate']);
    expect(c.image).toBe(overlays[env].peripheral.images.backend);
    expect(c.envFrom).toBeUndefined(); // under kubectl the Job may start before a new hashed ConfigMap exists
  });

  it('backs the database up nightly, never overlapping, to the env\'s object storage, keeping keepDays', () => {
    const cron = find(env, 'CronJob', 'db-backup');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(cron.spec.schedule).toBe('0 3 * * *');
    expect(cron.spec.timeZone).toBe('UTC');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const store = overlays[env].env.objectStorage!;
    expect(pod.initContainers[0].image).toBe(overlays[env].peripheral.images.db);
    expect(pod.containers[0].image).toBe(store.image);
    expect(pod.containers[0].command[2]).toContain(`--min-age ${overlays[env].peripheral.backup.keepDays}d`);
    const vars = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
    expect(vars).toMatchObject({
      BACKUP_BUCKET: store.bucket,
      BACKUP_PREFIX: `${store.prefix}/peripheral/db-backup`,
      RCLONE_CONFIG_STORE_ENDPOINT: store.endpoint,
      RCLONE_CONFIG_STORE_SECRET_ACCESS_KEY: { name: store.credentials.secret, key: 'AWS_SECRET_ACCESS_KEY' },
    });
    // Nothing of the backup stays in the namespace: the dump's volume lives with the pod.
    expect(docsOf(env, 'PersistentVolumeClaim').map((p: any) => p.metadata.name)).not.toContain('db-backup');
    const scratch = pod.volumes.find((v: any) => v.name === 'backup');
    expect(scratch.ephemeral.volumeClaimTemplate.spec.resources.requests.storage).toBe(overlays[env].peripheral.backup.storage.size);
  });

  it('keeps the database on a PVC sized by the overlay, behind its headless Service', () => {
    expect(find(env, 'Service', 'db').spec.clusterIP).toBe('None');
    expect(find(env, 'Namespace', `peripheral-${env}`).metadata.namespace).toBeUndefined();
    const db = find(env, 'StatefulSet', 'db');
    expect(db.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(overlays[env].peripheral.db.storage.size);
    expect(db.spec.template.spec.containers[0].readinessProbe.exec.command.join(' ')).toContain('pg_isready');
  });

  it('renders no Secret: only references, by name and key', () => {
    expect(docsOf(env, 'Secret')).toEqual([]);
    const refs = new Set<string>();
    for (const o of objectsOf(env)) {
      for (const spec of podSpecsOf(o.doc)) {
        for (const c of spec.containers) for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) refs.add(`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
      }
    }
    const s = overlays[env].peripheral.secrets;
    for (const key of ['JWT_SECRET', 'POLYGON_API_KEY', 'STRIPE_SECRET_KEY', 'GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'SMTP_PASSWORD', 'GEMINI_API_KEY', 'TELEGRAM_BOT_TOKEN']) {
      expect(refs).toContain(`${s.app}/${key}`);
    }
    expect(refs).toContain(`${s.db}/DB_PASSWORD`);
    expect(refs).toContain(`${s.cache}/REDIS_PASSWORD`);
  });

});

describe('peripheral: how the envs differ', () => {
  it('runs one replica of everything in dev', () => {
    for (const d of docsOf('dev', 'Deployment')) expect(d.spec.replicas, d.metadata.name).toBe(1);
    expect(docsOf('dev', 'HorizontalPodAutoscaler')).toEqual([]);
    expect(docsOf('dev', 'PodDisruptionBudget')).toEqual([]);
  });

  it('runs the backend at 2+ replicas behind a PodDisruptionBudget in prod', () => {
    const hpa = find('prod', 'HorizontalPodAutoscaler', 'backend');
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(find('prod', 'Deployment', 'backend').spec.replicas).toBeUndefined(); // the HPA owns replicas
    const pdb = find('prod', 'PodDisruptionBudget', 'backend');
    expect(pdb.spec.selector.matchLabels).toEqual(find('prod', 'Deployment', 'backend').spec.selector.matchLabels);
  });

  it('autoscales the worker from 3 replicas on CPU in prod', () => {
    const hpa = find('prod', 'HorizontalPodAutoscaler', 'worker');
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(3);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' });
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
  });

  it('uses the hosts of the seed per env', () => {
    expect(find('demo', 'Ingress', 'web').spec.rules[0].host).toBe('demo.peripheral.internal');
    expect(find('prod', 'Ingress', 'web').spec.rules[0].host).toBe('app.peripheral.com');
  });

  it('references different Secrets in demo and prod', () => {
    const names = (env: string) => Object.values(overlays[env].peripheral.secrets);
    for (const n of names('demo')) expect(names('prod')).not.toContain(n);
  });
});
