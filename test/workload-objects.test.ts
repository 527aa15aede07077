/**
 * The objects WebService, Worker and Singleton render (src/workload/), field by field, from one
 * small platform rendered once: the labels of every object a workload owns, a singleton's
 * StatefulSet, claims and volume archives, the ServiceMonitor defaults, the PodDisruptionBudget
 * rule and the sysctl that lets a non-root process bind a port below 1024.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AppConfig, Singleton, WebService, Worker } from '../src';
import { archiveScript } from '../src/object-storage';
import { problemsOf, renderChart, SMALL, testEnv } from './helpers';

const IMAGE = 'ghcr.io/acme/api:1.2.3';
const PROFILE = { replicas: 1, resources: SMALL };
const REASON = 'writes its lock file under /var/run';
const KEEP = 3;
const env = testEnv({
  storageClass: 'standard',
  monitoring: { namespace: 'monitoring', prometheusUrl: 'http://prometheus.monitoring:9090', prometheusPort: 9090 },
});

let rendered: ReturnType<typeof renderChart>;
const find = (kind: string, name: string) => rendered.find(kind, name);
const podOf = (kind: string, name: string) => find(kind, name).spec.template.spec;
const labelsOf = (kind: string, name: string) => find(kind, name).metadata.labels;

beforeAll(() => {
  rendered = renderChart((c) => {
    const settings = new AppConfig(c, 'settings', { data: { LOG_LEVEL: 'info' } });
    new Singleton(c, 'engine', {
      image: IMAGE,
      profile: { resources: SMALL },
      port: 8080,
      healthPath: '/healthz',
      component: 'trading',
      files: [{ path: '/etc/engine', config: settings }],
      writableRoot: { reason: REASON },
      volumes: [
        { name: 'data', mountPath: '/data', storage: { size: '1Gi' }, backupOnStart: { keep: KEEP, storage: { size: '2Gi' } } },
        { name: 'cache', mountPath: '/cache', storage: { size: '1Gi', storageClass: 'fast' } },
      ],
    });
    const web = (id: string, over: object) => new WebService(c, id, { image: IMAGE, profile: PROFILE, port: 8080, healthPath: '/healthz', ...over });
    web('api', { component: 'frontend', profile: { resources: SMALL, autoscale: { minReplicas: 2, maxReplicas: 4 } }, metrics: { port: 9090 } });
    web('solo', { port: 1024, profile: { resources: SMALL, autoscale: { minReplicas: 1, maxReplicas: 1 } }, metrics: { path: '/stats', interval: '10s' } });
    web('edge', { port: 80, metrics: { port: 9090 } });
    web('tls', { port: 8443, metrics: { port: 443 } });
  }, env);
});

describe('objects of a workload', () => {
  it('labels its Service, autoscaler, budget and claims with its component, and claims with its name', () => {
    for (const kind of ['Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
      expect(labelsOf(kind, 'api'), kind).toMatchObject({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/component': 'frontend' });
    }
    for (const claim of ['engine-data', 'engine-cache']) {
      expect(labelsOf('PersistentVolumeClaim', claim), claim).toMatchObject({ 'app.kubernetes.io/name': 'engine', 'app.kubernetes.io/component': 'trading' });
    }
  });

  it('renders a budget only when the autoscaler may run more than one pod', () => {
    expect(find('PodDisruptionBudget', 'api').spec.maxUnavailable).toBe(1);
    expect(rendered.objects.filter((o) => o.doc.kind === 'PodDisruptionBudget').map((o) => o.doc.metadata.name)).toEqual(['api']);
    expect(find('HorizontalPodAutoscaler', 'solo').spec.maxReplicas).toBe(1);
  });

  it('scrapes /metrics every 30 s unless the metrics endpoint says otherwise', () => {
    expect(find('ServiceMonitor', 'api').spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }]);
    expect(find('ServiceMonitor', 'solo').spec.endpoints).toEqual([{ port: 'http', path: '/stats', interval: '10s', scheme: 'http' }]);
  });

  it('lowers the unprivileged port start to the lowest port below 1024, and only then', () => {
    const sysctls = (name: string) => podOf('Deployment', name).securityContext.sysctls;
    expect(sysctls('edge')).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(sysctls('tls')).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '443' }]);
    expect(sysctls('solo')).toBeUndefined();
    expect(sysctls('api')).toBeUndefined();
  });
});

describe('a singleton with volumes', () => {
  it('renders a StatefulSet that replaces its one pod by rolling update', () => {
    expect(find('StatefulSet', 'engine').spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
  });

  it('claims each volume in its own storage class, else the env one', () => {
    expect(find('PersistentVolumeClaim', 'engine-data').spec.storageClassName).toBe('standard');
    expect(find('PersistentVolumeClaim', 'engine-cache').spec.storageClassName).toBe('fast');
  });

  it('mounts its volumes, and its files read-only, with a writable root when one is asked for', () => {
    const [container] = podOf('StatefulSet', 'engine').containers;
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'volume-data', mountPath: '/data' },
      { name: 'volume-cache', mountPath: '/cache' },
      { name: 'files-0', mountPath: '/etc/engine', readOnly: true },
    ]);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(false);
    expect(find('StatefulSet', 'engine').metadata.annotations['trading-platform-manifests/waive-read-only-root']).toBe(REASON);
  });

  it('archives a volume before start with the archive script, from a read-only mount to a scratch folder of the size given', () => {
    const pod = podOf('StatefulSet', 'engine');
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['backup-data']);
    const [backup] = pod.initContainers;
    expect(backup.command).toEqual(['sh', '-c', archiveScript(KEEP)]);
    const vars = Object.fromEntries(backup.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(vars).toMatchObject({ ARCHIVE_NAME: 'data', SCRATCH_DIR: '/archive', VOLUME_DIR: '/data', BACKUP_PREFIX: `${env.objectStorage!.prefix}/demo/engine-data` });
    expect(backup.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'volume-data', mountPath: '/data', readOnly: true },
      { name: 'volume-data-archive', mountPath: '/archive' },
    ]);
    expect(pod.volumes).toContainEqual({ name: 'volume-data-archive', emptyDir: { sizeLimit: '2Gi' } });
  });

  it('lets its pods reach the object storage', () => {
    const policy = find('NetworkPolicy', 'engine');
    expect(policy.metadata.annotations['trading-platform-manifests/external-egress']).toBe(`object storage (${env.objectStorage!.endpoint}) (tcp 443)`);
    expect(policy.spec.egress.map((r: any) => r.ports)).toEqual([[{ port: 443, protocol: 'TCP' }]]);
  });
});

describe('a workload construct', () => {
  it('says whether it rendered, what kind runs its pods, and its Service port only when it has a port', () => {
    const made: Record<string, WebService | Worker | Singleton> = {};
    problemsOf((c) => {
      made.api = new WebService(c, 'api', { image: IMAGE, profile: PROFILE, port: 8080, healthPath: '/healthz', servicePort: 80 });
      made.bad = new WebService(c, 'bad', { image: IMAGE, profile: PROFILE, port: undefined as never, healthPath: '/healthz', servicePort: 80 });
      made.worker = new Worker(c, 'worker', { image: IMAGE, profile: PROFILE, health: { exec: ['true'] } });
    });
    expect([made.api.rendered, made.bad.rendered, made.worker.rendered]).toEqual([true, false, true]);
    expect([made.api.kind, made.worker.kind]).toEqual(['Deployment', 'Deployment']);
    expect([made.api.servicePort, made.bad.servicePort, made.worker.servicePort]).toEqual([80, undefined, undefined]);
  });
});
