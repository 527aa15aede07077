import { beforeAll, describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import type { Overlay } from '../charts/types';
import { overlays } from '../overlays';
import { NOT_INTERNET, render, Rendered } from '../src';
import { archiveScript } from '../src/object-storage';
import { findObject, inPlatform, podSpecsOf, renderedPlatforms } from './helpers';

// Breakout Bot (seed 002): one FastAPI trading engine (`api`) with its data, logs and reports
// volumes, a React UI, Redis, Grafana; Prometheus is the cluster's, reached through a ServiceMonitor.

const PLATFORM = 'breakout-bot';
const ENVS = ['dev', 'demo', 'prod'] as const;

let rendered: Rendered;
beforeAll(() => {
  rendered = renderedPlatforms();
});

const { objectsOf, docsOf, find, named, filesIn } = inPlatform(() => rendered, PLATFORM);
const settingsOf = (env: string) => overlays[env].breakoutBot;
const monitoringOf = (env: string) => overlays[env].env.monitoring!;

const podOf = (doc: any) => podSpecsOf(doc)[0];
const mainContainer = (doc: any) => podOf(doc).containers[0];
const secretRefOf = (container: any, name: string) => (container.env ?? []).find((e: any) => e.name === name)?.valueFrom?.secretKeyRef;
const envValueOf = (container: any, name: string) => (container.env ?? []).find((e: any) => e.name === name)?.value;

/** Mount path → claim name, for the PVC-backed mounts of a container in a pod. */
function claimMounts(pod: any, container: any): Record<string, { claim: string; readOnly: boolean }> {
  const claims = Object.fromEntries((pod.volumes ?? []).filter((v: any) => v.persistentVolumeClaim).map((v: any) => [v.name, v.persistentVolumeClaim.claimName]));
  return Object.fromEntries(
    (container.volumeMounts ?? []).filter((m: any) => claims[m.name]).map((m: any) => [m.mountPath, { claim: claims[m.name], readOnly: m.readOnly === true }]),
  );
}

/** Asserts a workload is a singleton: a StatefulSet of one replica, no HPA and no PDB aimed at it. */
function expectSingleton(env: string, name: string): void {
  const deployment = find(env, 'StatefulSet', name);
  expect(deployment.spec.replicas, name).toBe(1);
  expect(deployment.kind, name).toBe('StatefulSet'); // its next pod starts only once the old one is gone
  expect(named(env, 'HorizontalPodAutoscaler', name), name).toEqual([]);
  expect(named(env, 'PodDisruptionBudget', name), name).toEqual([]);
  for (const hpa of docsOf(env, 'HorizontalPodAutoscaler')) expect(hpa.spec.scaleTargetRef.name, name).not.toBe(name);
  for (const pdb of docsOf(env, 'PodDisruptionBudget')) expect(pdb.spec.selector.matchLabels['app.kubernetes.io/name'], name).not.toBe(name);
}

describe.each(ENVS)('breakout-bot in %s', (env) => {
  it('runs the trading engine `api` as a singleton: two engines would trade twice', () => {
    expectSingleton(env, 'api');
    expect(mainContainer(find(env, 'StatefulSet', 'api')).image).toBe(settingsOf(env).images.api);
  });

  it('gates readiness on /api/health but keeps liveness to a TCP check, so an exchange outage restarts nothing', () => {
    const c = mainContainer(find(env, 'StatefulSet', 'api'));
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/api/health', port: 8000 });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 8000 });
    expect(c.livenessProbe.httpGet).toBeUndefined();
    expect(c.livenessProbe.exec).toBeUndefined();
  });

  it('keeps the engine data, logs and reports on PVCs sized by the overlay, mounted in the api container', () => {
    const s = settingsOf(env);
    const deployment = find(env, 'StatefulSet', 'api');
    const mounts = claimMounts(podOf(deployment), mainContainer(deployment));
    for (const [claim, path, size] of [
      ['api-data', '/app/data', s.volumes.data.size],
      ['api-logs', '/app/logs', s.volumes.logs.size],
      ['api-reports', '/app/reports', s.volumes.reports.size],
    ] as const) {
      const pvc = find(env, 'PersistentVolumeClaim', claim);
      expect(pvc.spec.resources.requests.storage, claim).toBe(size);
      expect(pvc.spec.accessModes, claim).toEqual(['ReadWriteOnce']);
      expect(pvc.spec.storageClassName, claim).toBe(overlays[env].env.storageClass);
      expect(mounts[path], claim).toEqual({ claim, readOnly: false });
    }
  });

  it('archives the data volume (read-only) to the object storage before the engine starts, keeping the newest N', () => {
    const s = settingsOf(env);
    const store = overlays[env].env.objectStorage!;
    const sts = find(env, 'StatefulSet', 'api');
    const pod = podOf(sts);
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['backup-data']);
    const init = pod.initContainers[0];
    expect(init.image).toBe(store.image);
    expect(claimMounts(pod, init)).toEqual({ '/app/data': { claim: 'api-data', readOnly: true } });
    expect(init.command).toEqual(['sh', '-c', archiveScript(s.dataBackups.keep)]);
    expect(init.command[2]).toContain(`tail -n +${s.dataBackups.keep + 1}`); // everything but the newest `keep`
    const vars = Object.fromEntries(init.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
    expect(vars).toMatchObject({ ARCHIVE_NAME: 'data', VOLUME_DIR: '/app/data', BACKUP_BUCKET: store.bucket, BACKUP_PREFIX: `${store.prefix}/breakout-bot/api-data` });
    // the archive waits on the node only until it is uploaded, in an emptyDir of bounded size
    const scratch = pod.volumes.find((v: any) => v.name === 'volume-data-archive');
    expect(scratch.emptyDir.sizeLimit).toBe(s.dataBackups.storage.size);
    expect(named(env, 'PersistentVolumeClaim', 'api-data-backups')).toEqual([]);
    // the engine's policy admits the object storage (HTTPS to the internet)
    expect(find(env, 'NetworkPolicy', 'api').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NOT_INTERNET } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });

  it('is scraped by the cluster Prometheus through a ServiceMonitor on the api Service', () => {
    const monitoring = monitoringOf(env);
    const monitors = docsOf(env, 'ServiceMonitor');
    expect(monitors.map((m) => m.metadata.name)).toEqual(['api']);
    const monitor = find(env, 'ServiceMonitor', 'api');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels).toMatchObject(monitoring.serviceMonitorLabels!);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [`breakout-bot-${env}`] });
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    // the selector picks the api Service, and only it
    const selector = monitor.spec.selector.matchLabels;
    const services = docsOf(env, 'Service').filter((svc) => Object.entries(selector).every(([k, v]) => svc.metadata.labels?.[k] === v));
    expect(services.map((svc) => svc.metadata.name)).toEqual(['api']);
    expect(services[0].spec.ports.map((p: any) => p.name)).toContain('http');
    // Prometheus' pods of the monitoring namespace may reach the api pods on 8000
    const policy = find(env, 'NetworkPolicy', 'api');
    expect(policy.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': monitoring.namespace } }, podSelector: { matchLabels: monitoring.podLabels } }],
      ports: [{ protocol: 'TCP', port: 8000 }],
    });
  });

  it('renders no Prometheus of its own', () => {
    for (const kind of ['Deployment', 'StatefulSet']) {
      for (const d of docsOf(env, kind)) {
        expect(d.metadata.name, kind).not.toMatch(/prometheus/i);
        for (const c of podOf(d).containers) expect(c.image, d.metadata.name).not.toMatch(/prometheus/i);
      }
    }
    expect(objectsOf(env).filter((o) => o.doc.kind === 'Prometheus')).toEqual([]);
  });

  it('runs Grafana as a singleton with its own PVC, admin password from a Secret, the cluster Prometheus provisioned', () => {
    const s = settingsOf(env);
    const monitoring = monitoringOf(env);
    expectSingleton(env, 'grafana');
    const deployment = find(env, 'StatefulSet', 'grafana');
    const pod = podOf(deployment);
    const c = mainContainer(deployment);
    expect(c.image).toBe(s.images.grafana);
    // data on its own claim
    const pvc = find(env, 'PersistentVolumeClaim', 'grafana-data');
    expect(pvc.spec.resources.requests.storage).toBe(s.grafana.storage.size);
    expect(claimMounts(pod, c)['/var/lib/grafana']).toEqual({ claim: 'grafana-data', readOnly: false });
    // admin password by reference
    expect(secretRefOf(c, 'GF_SECURITY_ADMIN_PASSWORD')).toEqual({ name: s.secrets.grafana, key: 'GF_SECURITY_ADMIN_PASSWORD' });
    // data source: a hashed ConfigMap mounted read-only in the provisioning folder, naming the overlay's Prometheus
    const mount = c.volumeMounts.find((m: any) => m.mountPath === '/etc/grafana/provisioning/datasources');
    expect(mount?.readOnly).toBe(true);
    const volume = pod.volumes.find((v: any) => v.name === mount.name);
    expect(volume.configMap.name).toMatch(/^grafana-datasources-[0-9a-f]{10}$/);
    const datasources = find(env, 'ConfigMap', volume.configMap.name);
    const content = Object.values(datasources.data as Record<string, string>).join('\n');
    expect(content).toContain(`url: ${monitoring.prometheusUrl}`);
    expect(content).toContain('type: prometheus');
    // egress to the monitoring namespace's Prometheus pods on the Prometheus port, and nothing else
    const policy = find(env, 'NetworkPolicy', 'grafana');
    expect(policy.spec.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': monitoring.namespace } }, podSelector: { matchLabels: monitoring.podLabels } }],
        ports: [{ protocol: 'TCP', port: monitoring.prometheusPort }],
      },
    ]);
    // served under /grafana on the public host
    expect(envValueOf(c, 'GF_SERVER_ROOT_URL')).toBe(`https://${s.host}/grafana/`);
    expect(envValueOf(c, 'GF_SERVER_SERVE_FROM_SUB_PATH')).toBe('true');
  });

  it('routes / to the UI, /api to the engine and /grafana to Grafana, over TLS for the overlay host', () => {
    const host = settingsOf(env).host;
    expect(docsOf(env, 'Ingress').map((i) => i.metadata.name)).toEqual(['web', 'web-sign-in']);
    const web = find(env, 'Ingress', 'web');
    expect(web.spec.rules[0].host).toBe(host);
    const routes = Object.fromEntries(web.spec.rules[0].http.paths.map((p: any) => [p.path, { type: p.pathType, ...p.backend.service }]));
    expect(routes).toEqual({
      '/': { type: 'Prefix', name: 'frontend', port: { number: 3000 } },
      '/api': { type: 'Prefix', name: 'api', port: { number: 8000 } },
      '/grafana': { type: 'Prefix', name: 'grafana', port: { number: 3000 } },
    });
    expect(web.spec.tls).toEqual([{ hosts: [host], secretName: 'web-tls' }]);
    expect(web.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(overlays[env].env.ingress.tlsIssuer.name);
    // Engine control and Grafana only for a signed-in user: the platform's oauth2-proxy, as the UI.
    expect(web.metadata.annotations['nginx.ingress.kubernetes.io/auth-url']).toBe(`http://oauth2-proxy.breakout-bot-${env}.svc.cluster.local:4180/oauth2/auth`);
    expect(web.metadata.annotations['nginx.ingress.kubernetes.io/auth-signin']).toBe('https://$host/oauth2/start?rd=$escaped_request_uri');
  });

  it('keeps Redis behind a password from the cache Secret, which the engine reads too', () => {
    const s = settingsOf(env);
    const redis = mainContainer(find(env, 'StatefulSet', 'cache'));
    expect(redis.command[2]).toContain('requirepass');
    const password = find(env, 'StatefulSet', 'cache').spec.template.spec.volumes.find((v: any) => v.secret);
    expect(password.secret).toMatchObject({ secretName: s.secrets.cache, items: [{ key: 'REDIS_PASSWORD', path: 'password' }] }); // server and probes read it
    const api = mainContainer(find(env, 'StatefulSet', 'api'));
    expect(secretRefOf(api, 'REDIS_PASSWORD')).toEqual({ name: s.secrets.cache, key: 'REDIS_PASSWORD' });
    expect(envValueOf(api, 'REDIS_HOST')).toBe('cache');
    expect(envValueOf(api, 'REDIS_PORT')).toBe('6379');
    // a cache: no persistence
    expect(find(env, 'StatefulSet', 'cache').spec.volumeClaimTemplates).toBeUndefined();
  });

  it('lets the engine reach the exchange over HTTPS with keys from the exchange Secret', () => {
    const s = settingsOf(env);
    const api = mainContainer(find(env, 'StatefulSet', 'api'));
    for (const key of ['EXCHANGE_API_KEY', 'EXCHANGE_API_SECRET']) expect(secretRefOf(api, key), key).toEqual({ name: s.secrets.exchange, key });
    const policy = find(env, 'NetworkPolicy', 'api');
    const external = policy.spec.egress.filter((r: any) => r.to.some((t: any) => t.ipBlock));
    expect(external).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NOT_INTERNET } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(policy.metadata.annotations['trading-platform-manifests/external-egress']).toMatch(/exchange/);
    // nobody else leaves the cluster, but the sign-in proxy for the identity provider (test/sign-in.test.ts)
    for (const p of docsOf(env, 'NetworkPolicy')) {
      if (p.metadata.name === 'api' || p.metadata.name === 'oauth2-proxy') continue;
      expect(JSON.stringify(p.spec.egress ?? []), p.metadata.name).not.toContain('ipBlock');
    }
  });

  it('trades live only in prod', () => {
    const settings = docsOf(env, 'ConfigMap').filter((c) => c.metadata.name.startsWith('settings-'));
    expect(settings).toHaveLength(1);
    expect(settings[0].data.TRADING_MODE).toBe(env === 'prod' ? 'live' : 'paper');
    expect(settings[0].data.LOG_LEVEL).toBe(settingsOf(env).logLevel);
    const api = mainContainer(find(env, 'StatefulSet', 'api'));
    expect(api.envFrom).toEqual([{ configMapRef: { name: settings[0].metadata.name } }]);
    expect((api.env ?? []).map((e: any) => e.name)).not.toContain('TRADING_MODE');
  });
});

describe('breakout-bot: how the envs differ', () => {
  it('uses test exchange keys outside prod: every env names its own Secrets', () => {
    const names = (env: string) => Object.values(overlays[env].breakoutBot.secrets);
    for (const n of names('prod')) {
      expect(names('dev')).not.toContain(n);
      expect(names('demo')).not.toContain(n);
    }
  });

  it('follows the overlay: a bigger Grafana volume (and budget) changes the grafana-data PVC and the quota, nothing else', () => {
    const prod = overlays.prod;
    const modified: Overlay = {
      ...prod,
      breakoutBot: {
        ...prod.breakoutBot,
        budget: { ...prod.breakoutBot.budget, storage: '150Gi' },
        grafana: { ...prod.breakoutBot.grafana, storage: { ...prod.breakoutBot.grafana.storage, size: '50Gi' } },
      },
    };
    const only = platforms.filter((p) => p.name === PLATFORM);
    const before = render({ prod }, only);
    const after = render({ prod: modified }, only);
    expect(findObject(after.objects, 'PersistentVolumeClaim', 'grafana-data', 'prod', PLATFORM).spec.resources.requests.storage).toBe('50Gi');
    const a = filesIn(before, 'prod');
    const b = filesIn(after, 'prod');
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(Object.keys(b).filter((p) => a[p] !== b[p]).sort()).toEqual(['prod/breakout-bot/README.md', 'prod/breakout-bot/budget-resourcequota.yaml', 'prod/breakout-bot/grafana-data-persistentvolumeclaim.yaml']);
    expect(overlays.prod.breakoutBot.grafana.storage.size).toBe('20Gi');
  });
});
