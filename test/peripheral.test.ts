import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { isPinned, render, Rendered, RenderedObject } from '../src';
import { findObject, hardeningGaps, podLabelsOf, podSpecsOf } from './helpers';

let rendered: Rendered;
beforeAll(() => {
  rendered = render(overlays, platforms);
});

const ENVS = ['dev', 'demo', 'prod'] as const;
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job', 'CronJob'];
const LONG_RUNNING = ['Deployment', 'StatefulSet'];

const objectsOf = (env: string): RenderedObject[] => rendered.objects.filter((o) => o.env === env && o.platform === 'peripheral');
const docsOf = (env: string, kind: string): any[] => objectsOf(env).filter((o) => o.doc.kind === kind).map((o) => o.doc);
const find = (env: string, kind: string, name: string): any => findObject(rendered.objects, kind, name, env, 'peripheral');

describe.each(ENVS)('peripheral in %s', (env) => {
  it('matches the snapshot of every rendered file', () => {
    const files = Object.fromEntries([...rendered.files].filter(([p]) => p.startsWith(`${env}/peripheral/`)));
    expect(files).toMatchSnapshot();
  });

  it('puts every namespaced object in peripheral-<env>, and renders that Namespace at PSS restricted', () => {
    const ns = find(env, 'Namespace', `peripheral-${env}`);
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const o of objectsOf(env).filter((x) => x.doc.kind !== 'Namespace')) {
      expect(o.doc.metadata.namespace, o.path).toBe(`peripheral-${env}`);
    }
  });

  it('hardens every pod and gives it requests and a memory limit', () => {
    for (const o of objectsOf(env).filter((x) => WORKLOAD_KINDS.includes(x.doc.kind))) {
      for (const spec of podSpecsOf(o.doc)) expect(hardeningGaps(spec), o.path).toEqual([]);
    }
  });

  it('gives every long-running container readiness and liveness probes', () => {
    for (const o of objectsOf(env).filter((x) => LONG_RUNNING.includes(x.doc.kind))) {
      for (const c of o.doc.spec.template.spec.containers) {
        expect(c.readinessProbe, `${o.path} ${c.name}`).toBeDefined();
        expect(c.livenessProbe, `${o.path} ${c.name}`).toBeDefined();
      }
    }
  });

  it('selects each workload by labels its pod template carries', () => {
    for (const o of objectsOf(env).filter((x) => ['Deployment', 'StatefulSet'].includes(x.doc.kind))) {
      expect(podLabelsOf(o.doc), o.path).toMatchObject(o.doc.spec.selector.matchLabels);
    }
  });

  it('wires every Service to pods and to a named container port', () => {
    const workloads = objectsOf(env).filter((x) => ['Deployment', 'StatefulSet'].includes(x.doc.kind));
    for (const svc of docsOf(env, 'Service')) {
      const targets = workloads.filter((w) => Object.entries(svc.spec.selector).every(([k, v]) => podLabelsOf(w.doc)[k] === v));
      expect(targets.length, svc.metadata.name).toBe(1);
      const ports = targets[0].doc.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []);
      for (const p of svc.spec.ports) expect(ports.map((cp: any) => cp.name), svc.metadata.name).toContain(p.targetPort);
    }
  });

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

  it('never runs latest, and runs only pinned images outside dev', () => {
    for (const o of objectsOf(env)) {
      for (const spec of podSpecsOf(o.doc)) {
        for (const c of spec.containers) {
          expect(c.image, o.path).not.toMatch(/:latest$/);
          if (env !== 'dev') expect(isPinned(c.image), `${o.path} ${c.image}`).toBe(true);
        }
      }
    }
  });

  it('denies all traffic by default and allows DNS', () => {
    const deny = find(env, 'NetworkPolicy', 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = find(env, 'NetworkPolicy', 'allow-dns');
    expect(dns.spec.egress[0].ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
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

  it('migrates with a PreSync hook Job named after its image, before the backend serves', () => {
    const jobs = docsOf(env, 'Job');
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    expect(job.metadata.name).toMatch(/^migrate-[0-9a-f]{10}$/);
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    const c = job.spec.template.spec.containers[0];
    expect(c.command).toEqual(['./backend', 'migrate']);
    expect(c.image).toBe(overlays[env].peripheral.images.backend);
    expect(c.envFrom).toBeUndefined(); // PreSync runs before ConfigMaps sync
  });

  it('backs the database up nightly, never overlapping, to its own volume', () => {
    const cron = find(env, 'CronJob', 'db-backup');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(cron.spec.schedule).toBe('0 3 * * *');
    expect(cron.spec.timeZone).toBe('UTC');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'db-backup' } });
    expect(pod.containers[0].command[2]).toContain(`-mmin +${overlays[env].peripheral.backup.keepDays * 1440}`);
    const pvc = find(env, 'PersistentVolumeClaim', 'db-backup');
    expect(pvc.spec.resources.requests.storage).toBe(overlays[env].peripheral.backup.storage.size);
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

  it('lists every file of the folder exactly once in kustomization.yaml, Namespace first', () => {
    const prefix = `${env}/peripheral/`;
    const files = [...rendered.files.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
    const kustomization = rendered.files.get(`${prefix}kustomization.yaml`)!;
    const listed = kustomization.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4));
    expect([...listed].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
    expect(listed[0]).toBe(`peripheral-${env}-namespace.yaml`);
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

describe('peripheral with kubectl', () => {
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  const available = kubectl.status === 0;
  if (!available) console.warn('kubectl not found: skipping the `kubectl kustomize` checks');

  it.skipIf(!available)('builds every env folder with kubectl kustomize', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-kustomize-'));
    try {
      for (const [rel, content] of rendered.files) {
        fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
      }
      for (const env of ENVS) {
        const out = execFileSync('kubectl', ['kustomize', path.join(dir, env, 'peripheral')], { encoding: 'utf8' });
        expect(out.match(/^kind: /gm)?.length).toBe(objectsOf(env).length);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
