import { beforeAll, describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import type { Overlay } from '../charts/types';
import { overlays } from '../overlays';
import { NOT_INTERNET, render, Rendered } from '../src';
import { findObject, inPlatform, podSpecsOf, renderedPlatforms } from './helpers';

// TradeBot (seeds 001 and 003): FastAPI backend, nginx/React frontend, Celery worker and beat,
// PostgreSQL, Redis, pgAdmin in dev only, Binance as the only outside destination.

const PLATFORM = 'tradebot';
const ENVS = ['dev', 'demo', 'prod'] as const;
/** "The internet" of an egress rule: everything but cluster networks and the cloud metadata range. */
/** Worker autoscaling per env, as the overlays state it (dev runs one fixed replica). */
const WORKER_AUTOSCALE: Record<string, { min: number; max: number } | undefined> = {
  dev: undefined,
  demo: { min: 2, max: 4 },
  prod: { min: 3, max: 12 },
};

let rendered: Rendered;
beforeAll(() => {
  rendered = renderedPlatforms();
});

const { objectsOf, docsOf, find, named, filesIn } = inPlatform(() => rendered, PLATFORM);
const settingsOf = (env: string) => overlays[env].tradebot;

/** Every container of every pod of the env, init containers included, with where it comes from. */
function containersOf(env: string): Array<{ where: string; pod: any; container: any; init: boolean }> {
  const out: Array<{ where: string; pod: any; container: any; init: boolean }> = [];
  for (const o of objectsOf(env)) {
    for (const pod of podSpecsOf(o.doc)) {
      for (const c of pod.initContainers ?? []) out.push({ where: `${o.path} init ${c.name}`, pod, container: c, init: true });
      for (const c of pod.containers) out.push({ where: `${o.path} ${c.name}`, pod, container: c, init: false });
    }
  }
  return out;
}

/** `name/key` of every secretKeyRef of a container. */
function secretRefs(container: any): string[] {
  return (container.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
}

/** The secretKeyRef of env var `name` in `container`. */
function secretRefOf(container: any, name: string): { name: string; key: string } | undefined {
  return (container.env ?? []).find((e: any) => e.name === name)?.valueFrom?.secretKeyRef;
}

/** Egress rules of a NetworkPolicy that leave the platform (ipBlock or another namespace). */
function externalEgress(policy: any): any[] {
  return (policy.spec.egress ?? []).filter((r: any) => (r.to ?? []).some((t: any) => t.ipBlock || t.namespaceSelector));
}

const mainContainer = (doc: any) => podSpecsOf(doc)[0].containers[0];
/** The object that runs a service's pods: a Deployment, or a singleton's StatefulSet. */
const workloadOf = (env: string, name: string) => {
  const [one, ...more] = [...named(env, 'Deployment', name), ...named(env, 'StatefulSet', name)];
  expect(more, name).toEqual([]);
  return one;
};

describe.each(ENVS)('tradebot in %s', (env) => {
  it('runs Celery beat as a singleton: a StatefulSet of one replica, never autoscaled or budgeted', () => {
    const beat = find(env, 'StatefulSet', 'beat');
    expect(beat.spec.replicas).toBe(1);
    expect(beat.kind).toBe('StatefulSet'); // its next pod starts only once the old one is gone
    expect(named(env, 'HorizontalPodAutoscaler', 'beat')).toEqual([]);
    expect(named(env, 'PodDisruptionBudget', 'beat')).toEqual([]);
    // nothing else scales or budgets it under another name either
    for (const hpa of docsOf(env, 'HorizontalPodAutoscaler')) expect(hpa.spec.scaleTargetRef.name).not.toBe('beat');
    for (const pdb of docsOf(env, 'PodDisruptionBudget')) expect(pdb.spec.selector.matchLabels['app.kubernetes.io/name']).not.toBe('beat');
    const c = mainContainer(beat);
    expect(c.command.slice(0, 4)).toEqual(['celery', '-A', 'app.celery_app', 'beat']);
    expect(c.image).toBe(settingsOf(env).images.backend);
  });

  it('runs the Celery worker from the backend image, autoscaled as the overlay says', () => {
    const worker = find(env, 'Deployment', 'worker');
    const c = mainContainer(worker);
    expect(c.command[0]).toBe('celery');
    expect(c.command).toContain('worker');
    expect(c.image).toBe(settingsOf(env).images.backend);
    const expected = WORKER_AUTOSCALE[env];
    const hpas = named(env, 'HorizontalPodAutoscaler', 'worker');
    if (expected === undefined) {
      expect(hpas).toEqual([]);
      expect(worker.spec.replicas).toBe(1);
    } else {
      expect(hpas).toHaveLength(1);
      expect(hpas[0].spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' });
      expect([hpas[0].spec.minReplicas, hpas[0].spec.maxReplicas]).toEqual([expected.min, expected.max]);
      expect(settingsOf(env).worker.autoscale).toMatchObject({ minReplicas: expected.min, maxReplicas: expected.max });
      expect(worker.spec.replicas).toBeUndefined(); // the HPA owns replicas
    }
  });

  it('renders pgAdmin only in dev, never behind the Ingress', () => {
    const pgadminObjects = objectsOf(env).filter((o) => String(o.doc.metadata?.name).includes('pgadmin'));
    if (env === 'dev') {
      const deployment = find(env, 'Deployment', 'pgadmin');
      find(env, 'Service', 'pgadmin');
      find(env, 'NetworkPolicy', 'pgadmin');
      // its read-only-root exception is a policy waiver a reviewer sees, with a reason
      const reason = deployment.metadata.annotations?.['trading-platform-manifests/waive-read-only-root'];
      expect(typeof reason).toBe('string');
      expect(reason.length).toBeGreaterThanOrEqual(10);
      expect(mainContainer(deployment).securityContext.readOnlyRootFilesystem).toBe(false);
      // its password comes from the pgAdmin Secret
      expect(secretRefOf(mainContainer(deployment), 'PGADMIN_DEFAULT_PASSWORD')).toEqual({ name: settingsOf(env).pgadmin!.secret, key: 'PGADMIN_DEFAULT_PASSWORD' });
      // no Ingress path leads to it; port-forward is the way in
      for (const ing of docsOf(env, 'Ingress')) {
        for (const rule of ing.spec.rules) for (const p of rule.http.paths) expect(p.backend.service.name, ing.metadata.name).not.toBe('pgadmin');
      }
      expect(find(env, 'NetworkPolicy', 'pgadmin').spec.ingress).toEqual([]);
    } else {
      expect(pgadminObjects.map((o) => o.path)).toEqual([]);
      // not even a NetworkPolicy rule or a label mentions it
      for (const [p, content] of Object.entries(filesIn(rendered, env))) expect(content, p).not.toContain('pgadmin');
    }
  });

  it('waives read-only-root on pgAdmin alone, and keeps every other root read-only', () => {
    for (const { where, container } of containersOf(env)) {
      if (env === 'dev' && where.startsWith(`${env}/tradebot/pgadmin-deployment.yaml`)) continue;
      expect(container.securityContext?.readOnlyRootFilesystem, where).toBe(true);
    }
    for (const o of objectsOf(env)) {
      if (o.doc.metadata.name === 'pgadmin' && o.doc.kind === 'Deployment') continue;
      expect(o.doc.metadata.annotations?.['trading-platform-manifests/waive-read-only-root'], o.path).toBeUndefined();
    }
  });

  it('lets only the backend and the worker out of the cluster: Binance REST (443) and streams (9443) on the public internet', () => {
    for (const name of ['backend', 'worker']) {
      const policy = find(env, 'NetworkPolicy', name);
      expect(externalEgress(policy), name).toEqual([
        {
          to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NOT_INTERNET } }],
          ports: [
            { protocol: 'TCP', port: 443 },
            { protocol: 'TCP', port: 9443 },
          ],
        },
      ]);
      expect(policy.metadata.annotations['trading-platform-manifests/external-egress'], name).toMatch(/Binance/);
      // everything else it reaches is a pod of this platform: the database and the cache
      const internal = policy.spec.egress.filter((r: any) => r.to.every((t: any) => t.podSelector && !t.namespaceSelector && !t.ipBlock));
      expect(internal.length + 1, name).toBe(policy.spec.egress.length);
      expect(internal.map((r: any) => [r.to[0].podSelector.matchLabels['app.kubernetes.io/name'], r.ports.map((p: any) => p.port)]), name).toEqual([
        ['cache', [6379]],
        ['db', [5432]],
      ]);
    }
    for (const name of ['beat', 'frontend', 'db', 'cache']) {
      const policy = find(env, 'NetworkPolicy', name);
      expect(JSON.stringify(policy.spec.egress ?? []), name).not.toContain('ipBlock');
      expect(externalEgress(policy), name).toEqual([]);
      expect(policy.metadata.annotations?.['trading-platform-manifests/external-egress'], name).toBeUndefined();
    }
    // the backup reaches the object storage (HTTPS), nothing else
    expect(externalEgress(find(env, 'NetworkPolicy', 'db-backup'))).toEqual([
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NOT_INTERNET } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    // and no other policy of the platform (migration, pgAdmin) opens anything outside; DNS aside
    for (const policy of docsOf(env, 'NetworkPolicy')) {
      if (['backend', 'worker', 'db-backup', 'allow-dns'].includes(policy.metadata.name)) continue;
      expect(externalEgress(policy), policy.metadata.name).toEqual([]);
    }
  });

  it('migrates with `alembic upgrade head` in the backend image, as a sync hook that waits for the database', () => {
    const jobs = docsOf(env, 'Job');
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    expect(job.metadata.name).toMatch(/^migrate-[0-9a-f]{10}$/);
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/sync-wave': '2',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
    });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    const c = pod.containers[0];
    expect(c.command).toEqual(['alembic', 'upgrade', 'head']);
    expect(c.image).toBe(settingsOf(env).images.backend);
    expect(secretRefOf(c, 'DATABASE_URL')).toEqual({ name: settingsOf(env).secrets.app, key: 'DATABASE_URL' });
    expect(c.envFrom).toBeUndefined(); // under kubectl the Job may start before the hashed ConfigMap exists
    const wait = (pod.initContainers ?? []).find((i: any) => i.name === 'wait-for-database');
    expect(wait).toBeDefined();
    expect(wait.image).toBe(settingsOf(env).images.db);
    expect(wait.command.join(' ')).toContain('pg_isready');
    expect(wait.env).toContainEqual({ name: 'PGHOST', value: 'db' });
    // the database admits it
    const db = find(env, 'NetworkPolicy', 'db');
    expect(db.spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'])).toContain('migrate');
  });

  it('routes / to the frontend, /api/ and /health to the backend, over TLS for the overlay host', () => {
    const ingresses = docsOf(env, 'Ingress');
    expect(ingresses.map((i) => i.metadata.name)).toEqual(['web']);
    const web = find(env, 'Ingress', 'web');
    const host = settingsOf(env).host;
    expect(web.spec.rules).toHaveLength(1);
    expect(web.spec.rules[0].host).toBe(host);
    const routes = Object.fromEntries(web.spec.rules[0].http.paths.map((p: any) => [p.path, { type: p.pathType, ...p.backend.service }]));
    expect(routes).toEqual({
      '/': { type: 'Prefix', name: 'frontend', port: { number: 80 } },
      '/api/': { type: 'Prefix', name: 'backend', port: { number: 8000 } },
      '/health': { type: 'Exact', name: 'backend', port: { number: 8000 } },
    });
    expect(web.spec.tls).toEqual([{ hosts: [host], secretName: 'web-tls' }]);
    expect(web.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(overlays[env].env.ingress.tlsIssuer.name);
    expect(web.metadata.annotations['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('true');
    expect(find(env, 'Service', 'frontend').spec.ports).toContainEqual(expect.objectContaining({ port: 80 }));
    expect(find(env, 'Service', 'backend').spec.ports).toContainEqual(expect.objectContaining({ port: 8000 }));
  });

  it('runs the nginx frontend as uid 101 on port 80, read-only root with its three writable folders', () => {
    const deployment = find(env, 'Deployment', 'frontend');
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext.runAsUser).toBe(101);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    const c = pod.containers[0];
    expect(c.ports).toEqual([{ name: 'http', containerPort: 80, protocol: 'TCP' }]);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    const emptyDirs = new Set(pod.volumes.filter((v: any) => v.emptyDir).map((v: any) => v.name));
    const mounts = Object.fromEntries(c.volumeMounts.map((m: any) => [m.mountPath, m.name]));
    for (const path of ['/var/cache/nginx', '/tmp', '/var/run']) {
      expect(mounts[path], path).toBeDefined();
      expect(emptyDirs.has(mounts[path]), path).toBe(true);
    }
    expect(c.image).toBe(settingsOf(env).images.frontend);
  });

  it('keeps Postgres and Redis on PVCs sized by the overlay, Redis behind a password from the cache Secret', () => {
    const s = settingsOf(env);
    const storageClass = overlays[env].env.storageClass;
    for (const [name, size] of [
      ['db', s.db.storage.size],
      ['cache', s.cache.storage.size],
    ] as const) {
      const sts = find(env, 'StatefulSet', name);
      expect(sts.spec.replicas, name).toBe(1);
      expect(sts.spec.volumeClaimTemplates, name).toHaveLength(1);
      const claim = sts.spec.volumeClaimTemplates[0];
      expect(claim.spec.resources.requests.storage, name).toBe(size);
      expect(claim.spec.storageClassName, name).toBe(storageClass);
      expect(mainContainer(sts).volumeMounts.map((m: any) => m.name), name).toContain(claim.metadata.name);
    }
    const redis = mainContainer(find(env, 'StatefulSet', 'cache'));
    expect(redis.command[2]).toContain('requirepass');
    expect(redis.command[2]).toContain('--appendonly yes'); // queued tasks survive a restart
    const password = find(env, 'StatefulSet', 'cache').spec.template.spec.volumes.find((v: any) => v.secret);
    expect(password.secret).toMatchObject({ secretName: s.secrets.cache, items: [{ key: 'REDIS_PASSWORD', path: 'password' }] }); // server and probes read it
    const postgres = mainContainer(find(env, 'StatefulSet', 'db'));
    expect(secretRefOf(postgres, 'POSTGRES_PASSWORD')).toEqual({ name: s.secrets.db, key: 'POSTGRES_PASSWORD' });
  });

  it('references every secret by Secret name and key, and renders no Secret', () => {
    expect(docsOf(env, 'Secret')).toEqual([]);
    const s = settingsOf(env);
    const refs = new Set(containersOf(env).flatMap(({ container }) => secretRefs(container)));
    // Redis reads its password from a Secret volume.
    for (const w of docsOf(env, 'StatefulSet')) for (const v of w.spec.template.spec.volumes ?? []) for (const i of v.secret?.items ?? []) refs.add(`${v.secret.secretName}/${i.key}`);
    for (const ref of [
      `${s.secrets.db}/POSTGRES_PASSWORD`,
      `${s.secrets.cache}/REDIS_PASSWORD`,
      ...['DATABASE_URL', 'SECRET_KEY', 'FERNET_KEY', 'REDIS_URL', 'CELERY_BROKER_URL'].map((k) => `${s.secrets.app}/${k}`),
    ]) {
      expect(refs).toContain(ref);
    }
    // the backend, the worker and beat read exactly the five app keys
    for (const name of ['backend', 'worker', 'beat']) {
      const c = mainContainer(workloadOf(env, name));
      for (const key of ['DATABASE_URL', 'SECRET_KEY', 'FERNET_KEY', 'REDIS_URL', 'CELERY_BROKER_URL']) {
        expect(secretRefOf(c, key), `${name} ${key}`).toEqual({ name: s.secrets.app, key });
      }
      // no credential as a literal value
      for (const e of c.env ?? []) if (/PASSWORD|SECRET|KEY|URL/.test(e.name)) expect(e.value, `${name} ${e.name}`).toBeUndefined();
    }
  });

  it('takes LOG_LEVEL from the hashed settings ConfigMap, through envFrom', () => {
    const configMaps = docsOf(env, 'ConfigMap');
    expect(configMaps).toHaveLength(1);
    const settings = configMaps[0];
    expect(settings.metadata.name).toMatch(/^settings-[0-9a-f]{10}$/);
    expect(settings.immutable).toBe(true);
    expect(settings.data).toEqual({ LOG_LEVEL: settingsOf(env).logLevel });
    for (const name of ['backend', 'worker', 'beat']) {
      const c = mainContainer(workloadOf(env, name));
      expect(c.envFrom, name).toEqual([{ configMapRef: { name: settings.metadata.name } }]);
      expect((c.env ?? []).map((e: any) => e.name), name).not.toContain('LOG_LEVEL');
    }
  });

  it('hardens every container of every pod, init containers included (seed: no-new-privileges, cap_drop ALL, read-only)', () => {
    const all = containersOf(env);
    expect(all.some((c) => c.init)).toBe(true); // the migration's database wait at least
    for (const { where, pod, container } of all) {
      const sc = container.securityContext ?? {};
      expect(sc.runAsNonRoot, where).toBe(true);
      expect(sc.allowPrivilegeEscalation, where).toBe(false);
      expect(sc.capabilities?.drop, where).toEqual(['ALL']);
      expect(sc.seccompProfile, where).toEqual({ type: 'RuntimeDefault' });
      expect(sc.privileged, where).not.toBe(true);
      const pgadmin = env === 'dev' && where.startsWith('dev/tradebot/pgadmin-deployment.yaml');
      expect(sc.readOnlyRootFilesystem, where).toBe(!pgadmin);
      expect(pod.securityContext.runAsNonRoot, where).toBe(true);
      expect(pod.securityContext.runAsUser, where).toBeGreaterThan(0);
      expect(pod.securityContext.seccompProfile, where).toEqual({ type: 'RuntimeDefault' });
    }
  });

  // bug: the worker's probes run `celery inspect ping --timeout 4` (plus a Python start that imports the
  // app), but the exec probe is killed after timeoutSeconds 3 (readiness) / 5 (liveness). An unanswered
  // ping can never be reported as such, and a slow start alone fails readiness: with maxUnavailable 0 a
  // rollout stalls on the new worker pod, and its PodDisruptionBudget counts it as unhealthy.
  it('gives the worker probes more time than the ping they run', () => {
    const c = mainContainer(find(env, 'Deployment', 'worker'));
    const command = c.readinessProbe.exec.command.join(' ');
    const pingTimeout = Number(/--timeout[ =](\d+)/.exec(command)?.[1]);
    expect(pingTimeout).toBeGreaterThan(0);
    expect(c.readinessProbe.timeoutSeconds).toBeGreaterThan(pingTimeout + 2);
    expect(c.livenessProbe.timeoutSeconds).toBeGreaterThan(pingTimeout + 2);
  });

  // bug: TradeBotSettings.logLevel is documented as "LOG_LEVEL of the backend and the Celery processes",
  // but the worker and beat commands pin `--loglevel=INFO`, which overrides it: dev's DEBUG never
  // reaches Celery. Expected: the flag follows the setting, e.g. `--loglevel=$(LOG_LEVEL)`.
  it('runs the Celery processes at the overlay log level', () => {
    for (const name of ['worker', 'beat']) {
      const command: string[] = mainContainer(workloadOf(env, name)).command;
      const flag = command.find((a) => a.startsWith('--loglevel='));
      if (flag !== undefined) expect([`--loglevel=${settingsOf(env).logLevel}`, '--loglevel=$(LOG_LEVEL)'], name).toContain(flag);
    }
  });
});

describe('tradebot: how the envs differ', () => {
  it('autoscales the backend only in prod, and budgets every multi-pod workload', () => {
    expect(docsOf('dev', 'HorizontalPodAutoscaler')).toEqual([]);
    expect(docsOf('dev', 'PodDisruptionBudget')).toEqual([]);
    const backend = find('prod', 'HorizontalPodAutoscaler', 'backend');
    expect([backend.spec.minReplicas, backend.spec.maxReplicas]).toEqual([2, 6]);
    expect(named('demo', 'HorizontalPodAutoscaler', 'backend')).toEqual([]);
    expect(find('demo', 'Deployment', 'backend').spec.replicas).toBe(2);
    for (const env of ['demo', 'prod']) {
      expect(docsOf(env, 'PodDisruptionBudget').map((p) => p.metadata.name).sort(), env).toEqual(
        env === 'prod' ? ['backend', 'frontend', 'worker'] : ['backend', 'worker'],
      );
    }
  });

  // bug: dpage/pgadmin4 sets the file capability cap_net_bind_service=+ep on its python binary; with
  // `capabilities.drop: [ALL]` the kernel refuses to exec a binary whose forced (file-permitted)
  // capabilities are outside the bounding set (EPERM, "/venv/bin/python3: Operation not permitted",
  // pgadmin-org/pgadmin4#6694 and #7721), so the dev pgAdmin pod never starts. PSS "restricted" allows
  // adding NET_BIND_SERVICE, which is what the container needs (still dropping ALL else).
  it('lets pgAdmin exec its setcap python in dev: adds NET_BIND_SERVICE, drops everything else', () => {
    const c = mainContainer(find('dev', 'Deployment', 'pgadmin'));
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
  });

  it('references different Secrets in every env', () => {
    const names = (env: string) => Object.values(overlays[env].tradebot.secrets);
    for (const [a, b] of [
      ['dev', 'demo'],
      ['demo', 'prod'],
      ['dev', 'prod'],
    ]) {
      for (const n of names(a)) expect(names(b), `${a}/${b}`).not.toContain(n);
    }
  });

  it('follows the overlay: a higher prod worker maxReplicas changes the worker HPA and nothing else', () => {
    const prod = overlays.prod;
    const worker = prod.tradebot.worker;
    // 8 more workers need a bigger budget: the quota follows
    const modified: Overlay = {
      ...prod,
      tradebot: { ...prod.tradebot, budget: { ...prod.tradebot.budget, cpu: '16', memory: '64Gi' }, worker: { ...worker, autoscale: { ...worker.autoscale!, maxReplicas: 20 } } },
    };
    const tradebotOnly = platforms.filter((p) => p.name === PLATFORM);
    const before = render({ prod }, tradebotOnly);
    const after = render({ prod: modified }, tradebotOnly);
    expect(findObject(after.objects, 'HorizontalPodAutoscaler', 'worker', 'prod', PLATFORM).spec.maxReplicas).toBe(20);
    expect(findObject(after.objects, 'HorizontalPodAutoscaler', 'worker', 'prod', PLATFORM).spec.minReplicas).toBe(worker.autoscale!.minReplicas);
    const a = filesIn(before, 'prod');
    const b = filesIn(after, 'prod');
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(Object.keys(b).filter((p) => a[p] !== b[p]).sort()).toEqual(['prod/tradebot/README.md', 'prod/tradebot/budget-resourcequota.yaml', 'prod/tradebot/worker-horizontalpodautoscaler.yaml']);
    // the page follows: the diagram shows the new range, the capacity table the new worst case
    expect(a['prod/tradebot/README.md']).toContain('worker<br/>3–12 pods (HPA)');
    expect(b['prod/tradebot/README.md']).toContain('worker<br/>3–20 pods (HPA)');
    expect(a['prod/tradebot/README.md']).toContain('| Deployment/worker | 3 / 13 |');
    expect(b['prod/tradebot/README.md']).toContain('| Deployment/worker | 3 / 21 |');
    // the real overlay is untouched
    expect(overlays.prod.tradebot.worker.autoscale!.maxReplicas).toBe(12);
    expect(findObject(rendered.objects, 'HorizontalPodAutoscaler', 'worker', 'prod', PLATFORM).spec.maxReplicas).toBe(12);
  });

  it('fails over budget, with the capacity table and the biggest contributors, when the budget does not follow', () => {
    const prod = overlays.prod;
    const worker = prod.tradebot.worker;
    const modified: Overlay = { ...prod, tradebot: { ...prod.tradebot, worker: { ...worker, autoscale: { ...worker.autoscale!, maxReplicas: 20 } } } };
    let message = '';
    try {
      render({ prod: modified }, platforms.filter((p) => p.name === PLATFORM));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('prod/tradebot: over budget: CPU requests reach');
    expect(message).toContain('the budget is 12');
    expect(message).toContain('memory limits reach');
    expect(message).toContain('| worst case |');
    expect(message).toContain('| budget (ResourceQuota) | 12 |');
    expect(message).toMatch(/\| Deployment\/worker \| 3 \/ 21 \|/); // 20 at most, plus one surge pod
  });
});
