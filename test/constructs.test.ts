import { describe, expect, it } from 'vitest';
import {
  AppConfig,
  BackupCronJob,
  Environment,
  httpsEgress,
  IngressRoute,
  MigrationJob,
  PlatformChart,
  Postgres,
  PublicIngress,
  Redis,
  render as renderPlatforms,
  Resources,
  SecretRef,
  secretKey,
  Singleton,
  WebService,
  Worker,
} from '../src';
import { DUMP_SCRIPT, uploadScript } from '../src/object-storage';
import { hardeningGaps, podLabelsOf, podSpecsOf, problemsOf, renderChart, scrapeAccess, SMALL, testEnv } from './helpers';
import { REDIS_CONFIG, REDIS_PASSWORD_FILE } from '../src/redis';

const TEST_OBJECT_STORAGE = testEnv().objectStorage!;

// ---------------------------------------------------------------------------------------------
// Fixtures and helpers
// ---------------------------------------------------------------------------------------------

const API_IMAGE = 'ghcr.io/acme/api:1.2.3';
const WORKER_IMAGE = 'ghcr.io/acme/worker:1.2.3';
const ENGINE_IMAGE = 'ghcr.io/acme/engine:1.2.3';
const PG_IMAGE = 'postgres:16.4';
const REDIS_IMAGE = 'redis:7.4.1-alpine';
const NAMESPACE = 'demo-test';

type Build = (chart: PlatformChart) => void;
type Doc = Record<string, any>;

/**
 * What `httpsEgress()` must never reach: every block of the IANA IPv4 Special-Purpose Address
 * Registry (RFC 6890 and its updates) that is not nested in another, plus multicast (RFC 5771).
 */
const NOT_INTERNET = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24', '192.31.196.0/24',
  '192.52.193.0/24', '192.88.99.0/24', '192.168.0.0/16', '192.175.48.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
];

/**
 * Renders through the real pipeline and checks what must hold for every chart of every test:
 * every pod template is hardened and every namespaced object lives in the platform's namespace.
 */
function render(build: Build, env?: Environment) {
  const rendered = renderChart(build, env);
  for (const { doc } of rendered.objects) {
    for (const spec of podSpecsOf(doc)) expect(hardeningGaps(spec), `${doc.kind}/${doc.metadata.name}`).toEqual([]);
    if (doc.kind !== 'Namespace') expect(doc.metadata.namespace, `${doc.kind}/${doc.metadata.name}`).toBe(NAMESPACE);
  }
  return rendered;
}

function docsOf(rendered: { objects: readonly { doc: Doc }[] }): Doc[] {
  return rendered.objects.map((o) => o.doc);
}

function ofKind(rendered: { objects: readonly { doc: Doc }[] }, kind: string): Doc[] {
  return docsOf(rendered).filter((d) => d.kind === kind);
}

function namesOf(rendered: { objects: readonly { doc: Doc }[] }, kind: string): string[] {
  return ofKind(rendered, kind).map((d) => d.metadata.name);
}

function podSpecOf(doc: Doc): Doc {
  const specs = podSpecsOf(doc);
  expect(specs).toHaveLength(1);
  return specs[0];
}

function containerOf(doc: Doc): Doc {
  const spec = podSpecOf(doc);
  expect(spec.containers).toHaveLength(1);
  return spec.containers[0];
}

/** Env vars of a container by name: the literal value, or the `valueFrom`. */
function envOf(container: Doc): Record<string, any> {
  return Object.fromEntries((container.env ?? []).map((e: Doc) => [e.name, e.value ?? e.valueFrom]));
}

function secretRef(name: string, key: string) {
  return { secretKeyRef: { name, key } };
}

/** Whether every label of `selector` is on `labels` with the same value. */
function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Ports of a NetworkPolicy rule, as `[protocol, port]` pairs. */
function portsOf(rule: Doc): Array<[string, number]> {
  return (rule.ports ?? []).map((p: Doc) => [p.protocol, p.port]);
}

/**
 * A startup probe runs the liveness check and allows at least five minutes (Kubernetes runs
 * neither liveness nor readiness until it succeeds), far more than liveness would.
 */
function expectStartupBudget(c: Doc): void {
  const { startupProbe: startup, livenessProbe: liveness } = c;
  expect(startup, `${c.name} has no startupProbe`).toBeDefined();
  expect(startup.exec ?? startup.httpGet ?? startup.tcpSocket).toEqual(liveness.exec ?? liveness.httpGet ?? liveness.tcpSocket);
  expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(300);
  expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThan((liveness.initialDelaySeconds ?? 0) + liveness.periodSeconds * liveness.failureThreshold);
}

function webService(chart: PlatformChart, id: string, extra: Partial<ConstructorParameters<typeof WebService>[2]> = {}): WebService {
  return new WebService(chart, id, {
    image: API_IMAGE,
    profile: { resources: SMALL },
    port: 8080,
    healthPath: '/healthz',
    ...extra,
  });
}

function postgres(chart: PlatformChart, id = 'db', extra: Partial<ConstructorParameters<typeof Postgres>[2]> = {}): Postgres {
  return new Postgres(chart, id, {
    image: PG_IMAGE,
    storage: { size: '10Gi' },
    resources: SMALL,
    password: secretKey('db-credentials', 'password'),
    ...extra,
  });
}

function redis(chart: PlatformChart, id = 'cache', extra: Partial<ConstructorParameters<typeof Redis>[2]> = {}): Redis {
  return new Redis(chart, id, {
    image: REDIS_IMAGE,
    resources: SMALL,
    password: secretKey('cache-credentials', 'password'),
    ...extra,
  });
}

// ---------------------------------------------------------------------------------------------
// PlatformChart
// ---------------------------------------------------------------------------------------------

describe('PlatformChart', () => {
  const empty = () => render(() => {});

  it('renders only the Namespace, default-deny and allow-dns for an empty platform', () => {
    expect(docsOf(empty()).map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/demo-test',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/default-deny',
    ]);
  });

  it('renders the namespace <platform>-<env> with Pod Security "restricted" enforced', () => {
    const ns = empty().find('Namespace', NAMESPACE);
    expect(ns.apiVersion).toBe('v1');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'app.kubernetes.io/part-of': 'demo',
      'app.kubernetes.io/managed-by': 'trading-platform-manifests',
    });
  });

  it('renders no metadata.namespace on the cluster-scoped Namespace', () => {
    const ns = renderChart(() => {}).find('Namespace', NAMESPACE);
    expect(ns.metadata).not.toHaveProperty('namespace');
  });

  it('renders the description as an annotation on the Namespace, and none without one', () => {
    expect(empty().find('Namespace', NAMESPACE).metadata.annotations).not.toHaveProperty(['trading-platform-manifests/description']);
    // renderChart builds the chart without a description: use the same pipeline with one.
    const env = testEnv();
    const described = renderPlatforms({ [env.name]: { env } }, [
      { name: 'demo', build: (scope, o) => new PlatformChart(scope, 'demo', { env: o.env, description: 'Demo trading platform' }) },
    ]);
    const ns = described.objects.find((o) => o.doc.kind === 'Namespace')!.doc;
    expect(ns.metadata.annotations).toMatchObject({ 'trading-platform-manifests/description': 'Demo trading platform' });
  });

  it('renders a default-deny NetworkPolicy on every pod, both directions, with no rules', () => {
    const deny = empty().find('NetworkPolicy', 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('renders allow-dns: egress from every pod to kube-dns on 53 UDP and TCP, nothing else', () => {
    const dns = empty().find('NetworkPolicy', 'allow-dns');
    expect(dns.spec.podSelector).toEqual({});
    expect(dns.spec.policyTypes).toEqual(['Egress']);
    expect(dns.spec.ingress).toBeUndefined();
    expect(dns.spec.egress).toHaveLength(1);
    const [rule] = dns.spec.egress;
    expect(rule.to).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ]);
    expect(portsOf(rule)).toEqual([
      ['UDP', 53],
      ['TCP', 53],
    ]);
  });

  it('sends DNS to the resolvers the env names (e.g. NodeLocal DNSCache)', () => {
    const env = testEnv({ dns: { namespace: 'dns', podLabels: { app: 'coredns' }, cidrs: ['169.254.20.10/32'] } });
    const dns = renderChart(() => {}, env).find('NetworkPolicy', 'allow-dns');
    expect(dns.spec.egress[0].to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } },
      { ipBlock: { cidr: '169.254.20.10/32' } },
    ]);
  });

  it('puts every namespaced object of a full platform in demo-test', () => {
    const rendered = renderChart((chart) => {
      const db = postgres(chart);
      const api = webService(chart, 'api', { uses: [db] });
      new MigrationJob(chart, 'migrate', { image: API_IMAGE, command: ['./api', 'migrate'], resources: SMALL, uses: [db] });
      new BackupCronJob(chart, 'db-backup', { database: db, keepDays: 7, storage: { size: '5Gi' }, resources: SMALL });
      new AppConfig(chart, 'settings', { data: { LOG_LEVEL: 'info' } });
      new PublicIngress(chart, 'web', { host: 'app.example.com', routes: [{ path: '/', service: api, access: 'public', control: false }] });
    });
    const namespaced = docsOf(rendered).filter((d) => d.kind !== 'Namespace');
    expect(namespaced.length).toBeGreaterThan(10);
    for (const d of namespaced) expect(d.metadata.namespace, `${d.kind}/${d.metadata.name}`).toBe(NAMESPACE);
  });

  it('derives the namespace from the env name', () => {
    const rendered = renderChart(() => {}, testEnv({ name: 'staging' }));
    expect(rendered.find('Namespace', 'demo-staging')).toBeDefined();
    for (const d of docsOf(rendered).filter((x) => x.kind !== 'Namespace')) expect(d.metadata.namespace).toBe('demo-staging');
  });
});

// ---------------------------------------------------------------------------------------------
// WebService
// ---------------------------------------------------------------------------------------------

describe('WebService', () => {
  const build: Build = (chart) => {
    webService(chart, 'api', {
      profile: { resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } }, replicas: 3 },
      env: {
        LOG_LEVEL: 'info',
        DB_PASSWORD: secretKey('api-secrets', 'DB_PASSWORD'),
        APP_MODE: 'live',
      },
      metrics: { port: 9090 },
    });
  };

  it('renders a Deployment whose selector matches its pod template labels', () => {
    const dep = render(build).find('Deployment', 'api');
    expect(dep.apiVersion).toBe('apps/v1');
    expect(dep.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'demo' });
    expect(selects(dep.spec.selector.matchLabels, podLabelsOf(dep))).toBe(true);
    expect(podLabelsOf(dep)['app.kubernetes.io/component']).toBe('api');
  });

  it('renders a ClusterIP Service with the Deployment selector and targetPort naming the container port', () => {
    const rendered = render(build);
    const dep = rendered.find('Deployment', 'api');
    const svc = rendered.find('Service', 'api');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    const containerPorts = containerOf(dep).ports.map((p: Doc) => p.name);
    for (const p of svc.spec.ports) expect(containerPorts).toContain(p.targetPort);
    expect(containerOf(dep).ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
  });

  it('renders the Service on servicePort while targeting the container port', () => {
    const rendered = render((chart) => webService(chart, 'api', { servicePort: 80 }));
    expect(rendered.find('Service', 'api').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(containerOf(rendered.find('Deployment', 'api')).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  describe('metrics in an env with monitoring', () => {
    const prometheus = { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
    const monitored = testEnv({ monitoring: { ...prometheus, prometheusUrl: 'http://prometheus.monitoring:9090', prometheusPort: 9090 } });

    it('admits Prometheus on the metrics port it scrapes, not on the app port', () => {
      expect(scrapeAccess(render(build, monitored).objects, prometheus)).toEqual([{ monitor: 'api', scraped: [9090], admitted: [9090] }]);
    });

    it('admits Prometheus on the app port when that port serves the metrics', () => {
      const rendered = render((chart) => webService(chart, 'api', { metrics: { path: '/metrics' } }), monitored);
      expect(scrapeAccess(rendered.objects, prometheus)).toEqual([{ monitor: 'api', scraped: [8080], admitted: [8080] }]);
    });

    it('admits Prometheus on the metrics port of a worker, which has no Service port of its own', () => {
      const rendered = render((chart) => new Worker(chart, 'worker', { image: WORKER_IMAGE, profile: { resources: SMALL }, health: { tcp: 9090 }, metrics: { port: 9090 } }), monitored);
      expect(scrapeAccess(rendered.objects, prometheus)).toEqual([{ monitor: 'worker', scraped: [9090], admitted: [9090] }]);
    });

    it('renders no ServiceMonitor and admits no Prometheus in an env without monitoring', () => {
      const rendered = render(build);
      expect(namesOf(rendered, 'ServiceMonitor')).toEqual([]);
      expect(JSON.stringify(rendered.find('NetworkPolicy', 'api'))).not.toContain('monitoring');
    });
  });

  it('renders readiness and liveness as httpGet on the health path', () => {
    const c = containerOf(render(build).find('Deployment', 'api'));
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
    expect(c.livenessProbe.initialDelaySeconds).toBeGreaterThan(0);
  });

  it('takes a pod out of its Service within 30 s of failing, but restarts it only after a minute of failures', () => {
    const c = containerOf(render(build).find('Deployment', 'api'));
    const budget = (p: Doc) => p.periodSeconds * p.failureThreshold;
    expect(budget(c.readinessProbe)).toBeLessThanOrEqual(30);
    expect(c.readinessProbe.successThreshold).toBe(1);
    expect(budget(c.livenessProbe)).toBeGreaterThanOrEqual(60);
    expect(c.livenessProbe.initialDelaySeconds).toBeGreaterThan(0);
    // the documented defaults: 3 s for readiness, 5 s for liveness
    expect([c.readinessProbe.timeoutSeconds, c.livenessProbe.timeoutSeconds]).toEqual([3, 5]);
  });

  it('gives a check the timeout it names, and only that check', () => {
    const c = containerOf(render((chart) => webService(chart, 'api', { liveness: { exec: ['./ping', '--timeout', '10'], timeoutSeconds: 15 } })).find('Deployment', 'api'));
    expect(c.livenessProbe.timeoutSeconds).toBe(15);
    expect(c.readinessProbe.timeoutSeconds).toBe(3);
    expect(c.livenessProbe.periodSeconds * c.livenessProbe.failureThreshold).toBeGreaterThanOrEqual(60);
  });

  it('renders a separate liveness check when one is given', () => {
    const c = containerOf(render((chart) => webService(chart, 'api', { liveness: { http: '/livez' } })).find('Deployment', 'api'));
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/livez', port: 8080 });
  });

  it('renders a hardened pod', () => {
    const spec = podSpecOf(render(build).find('Deployment', 'api'));
    expect(hardeningGaps(spec)).toEqual([]);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.enableServiceLinks).toBe(false);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 });
    expect(spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(spec.containers[0].image).toBe(API_IMAGE);
  });

  it('renders the pod with the uid given', () => {
    const spec = podSpecOf(render((chart) => webService(chart, 'api', { user: 20000 })).find('Deployment', 'api'));
    expect(spec.securityContext).toMatchObject({ runAsUser: 20000, runAsGroup: 20000, fsGroup: 20000 });
  });

  it('renders resources as given', () => {
    const c = containerOf(render(build).find('Deployment', 'api'));
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
  });

  it('renders no cpu limit when none is given', () => {
    const c = containerOf(render((chart) => webService(chart, 'api')).find('Deployment', 'api'));
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } });
  });

  it('mounts /tmp as a size-limited emptyDir by default', () => {
    const spec = podSpecOf(render(build).find('Deployment', 'api'));
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
  });

  it('mounts each writable path as its own emptyDir', () => {
    const spec = podSpecOf(
      render((chart) => webService(chart, 'api', { writable: ['/tmp', { path: '/var/cache/nginx', sizeLimit: '1Gi', memory: true }] })).find(
        'Deployment',
        'api',
      ),
    );
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'var-cache-nginx', mountPath: '/var/cache/nginx' },
    ]);
    expect(spec.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'var-cache-nginx', emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } },
    ]);
  });

  it('renders env vars sorted by name, secrets as secretKeyRef', () => {
    const c = containerOf(render(build).find('Deployment', 'api'));
    expect(c.env).toEqual([
      { name: 'APP_MODE', value: 'live' },
      { name: 'DB_PASSWORD', valueFrom: secretRef('api-secrets', 'DB_PASSWORD') },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
  });

  it('renders rolling updates that never drop below the desired count', () => {
    const dep = render(build).find('Deployment', 'api');
    expect(dep.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  it('renders fixed replicas and a PDB (maxUnavailable 1, same selector) when replicas > 1', () => {
    const rendered = render(build);
    const dep = rendered.find('Deployment', 'api');
    expect(dep.spec.replicas).toBe(3);
    const pdb = rendered.find('PodDisruptionBudget', 'api');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: dep.spec.selector.matchLabels } });
    expect(namesOf(rendered, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('renders one replica, no PDB and no HPA by default', () => {
    const rendered = render((chart) => webService(chart, 'api'));
    expect(rendered.find('Deployment', 'api').spec.replicas).toBe(1);
    expect(namesOf(rendered, 'PodDisruptionBudget')).toEqual([]);
    expect(namesOf(rendered, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  describe('autoscaled', () => {
    const autoscaled = (cpuUtilization?: number) =>
      render((chart) =>
        webService(chart, 'api', { profile: { resources: SMALL, autoscale: { minReplicas: 2, maxReplicas: 6, ...(cpuUtilization ? { cpuUtilization } : {}) } } }),
      );

    it('renders no replicas field on the Deployment, so the HPA owns the count', () => {
      expect(autoscaled().find('Deployment', 'api').spec).not.toHaveProperty('replicas');
    });

    it('renders an autoscaling/v2 HPA targeting the Deployment on CPU (70% by default)', () => {
      const hpa = autoscaled().find('HorizontalPodAutoscaler', 'api');
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
      expect(hpa.spec.minReplicas).toBe(2);
      expect(hpa.spec.maxReplicas).toBe(6);
      expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    });

    it('renders the CPU target given', () => {
      expect(autoscaled(55).find('HorizontalPodAutoscaler', 'api').spec.metrics[0].resource.target.averageUtilization).toBe(55);
    });

    it('renders a PDB with the Deployment selector', () => {
      const rendered = autoscaled();
      const pdb = rendered.find('PodDisruptionBudget', 'api');
      expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: rendered.find('Deployment', 'api').spec.selector.matchLabels } });
    });
  });

  it('refuses fixed replicas together with autoscale', () => {
    const problems = problemsOf((chart) => {
      webService(chart, 'api', { profile: { resources: SMALL, replicas: 2, autoscale: { minReplicas: 2, maxReplicas: 4 } } });
    });
    expect(problems.some((p) => p.includes('profile.replicas'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Worker
// ---------------------------------------------------------------------------------------------

describe('Worker', () => {
  const health = { exec: ['sh', '-c', 'test -f /tmp/heartbeat'] } as const;
  const build: Build = (chart) => {
    new Worker(chart, 'worker', { image: WORKER_IMAGE, profile: { resources: SMALL }, health, env: { QUEUE: 'orders' } });
  };

  it('renders no Service, no HPA and no PDB with one replica', () => {
    const rendered = render(build);
    expect(namesOf(rendered, 'Deployment')).toEqual(['worker']);
    expect(namesOf(rendered, 'Service')).toEqual([]);
    expect(namesOf(rendered, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(namesOf(rendered, 'PodDisruptionBudget')).toEqual([]);
    expect(rendered.find('Deployment', 'worker').spec.replicas).toBe(1);
  });

  it('renders exec liveness and readiness from health', () => {
    const c = containerOf(render(build).find('Deployment', 'worker'));
    expect(c.livenessProbe.exec).toEqual({ command: ['sh', '-c', 'test -f /tmp/heartbeat'] });
    expect(c.readinessProbe.exec).toEqual({ command: ['sh', '-c', 'test -f /tmp/heartbeat'] });
    expect(c.livenessProbe.httpGet).toBeUndefined();
  });

  it('renders a tcpSocket probe for a tcp health check', () => {
    const c = containerOf(
      render((chart) => new Worker(chart, 'worker', { image: WORKER_IMAGE, profile: { resources: SMALL }, health: { tcp: 7000 } })).find(
        'Deployment',
        'worker',
      ),
    );
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 7000 });
  });

  it('renders component "worker", selector ⊆ pod labels, hardened pod', () => {
    const dep = render(build).find('Deployment', 'worker');
    expect(dep.metadata.labels['app.kubernetes.io/component']).toBe('worker');
    expect(selects(dep.spec.selector.matchLabels, podLabelsOf(dep))).toBe(true);
    expect(hardeningGaps(podSpecOf(dep))).toEqual([]);
    expect(podSpecOf(dep).automountServiceAccountToken).toBe(false);
  });

  it('renders an HPA and a PDB when autoscaled, and no replicas field', () => {
    const rendered = render((chart) => {
      new Worker(chart, 'worker', { image: WORKER_IMAGE, profile: { resources: SMALL, autoscale: { minReplicas: 1, maxReplicas: 5, cpuUtilization: 80 } }, health });
    });
    expect(rendered.find('Deployment', 'worker').spec).not.toHaveProperty('replicas');
    const hpa = rendered.find('HorizontalPodAutoscaler', 'worker');
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' }, minReplicas: 1, maxReplicas: 5 });
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(80);
    expect(rendered.find('PodDisruptionBudget', 'worker').spec.maxUnavailable).toBe(1);
    expect(namesOf(rendered, 'Service')).toEqual([]);
  });

  it('refuses to be used as a server: it accepts no connections', () => {
    const problems = problemsOf((chart) => {
      const worker = new Worker(chart, 'worker', { image: WORKER_IMAGE, profile: { resources: SMALL }, health });
      webService(chart, 'api', { uses: [worker] });
    });
    expect(problems.some((p) => p.includes('uses'))).toBe(true);
  });

  // A Worker has no `http` container port: an `{ http: path }` check without a port would probe
  // a port the container does not declare (never ready, restarted forever).
  it('refuses an http health check without a port', () => {
    const build: Build = (chart) => {
      new Worker(chart, 'worker', { image: WORKER_IMAGE, profile: { resources: SMALL }, health: { http: '/healthz' } });
    };
    const problems = problemsOf(build);
    expect(problems).toEqual([expect.stringMatching(/^test\/demo\/worker: health: an HTTP check needs a port/)]);
  });

  it('probes the port given with an http health check, e.g. the metrics port', () => {
    const c = containerOf(
      render((chart) => {
        new Worker(chart, 'worker', { image: WORKER_IMAGE, profile: { resources: SMALL }, health: { http: '/healthz', port: 9090 }, metrics: { port: 9090 } });
      }).find('Deployment', 'worker'),
    );
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 9090 });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 9090 });
  });
});

// ---------------------------------------------------------------------------------------------
// Singleton
// ---------------------------------------------------------------------------------------------

describe('Singleton', () => {
  const withPort: Build = (chart) => {
    new Singleton(chart, 'engine', { image: ENGINE_IMAGE, profile: { resources: SMALL }, port: 7000, healthPath: '/health' });
  };
  const withoutPort: Build = (chart) => {
    new Singleton(chart, 'scheduler', { image: ENGINE_IMAGE, profile: { resources: SMALL }, health: { exec: ['./scheduler', 'ping'] } });
  };

  it('renders a StatefulSet of exactly one replica and no Deployment', () => {
    const rendered = render(withPort);
    const sts = rendered.find('StatefulSet', 'engine');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.metadata.labels['app.kubernetes.io/component']).toBe('singleton');
    expect(namesOf(rendered, 'Deployment')).toEqual([]);
  });

  it('renders one replica even when the profile says 1 explicitly', () => {
    const rendered = render((chart) => new Singleton(chart, 'engine', { image: ENGINE_IMAGE, profile: { resources: SMALL, replicas: 1 }, port: 7000, healthPath: '/health' }));
    expect(rendered.find('StatefulSet', 'engine').spec.replicas).toBe(1);
  });

  it('renders no HPA and no PDB', () => {
    for (const build of [withPort, withoutPort]) {
      const rendered = render(build);
      expect(namesOf(rendered, 'HorizontalPodAutoscaler')).toEqual([]);
      expect(namesOf(rendered, 'PodDisruptionBudget')).toEqual([]);
    }
  });

  it('renders a Service only when a port is given', () => {
    const rendered = render(withPort);
    const svc = rendered.find('Service', 'engine');
    expect(svc.spec.selector).toEqual(rendered.find('StatefulSet', 'engine').spec.selector.matchLabels);
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 7000, targetPort: 'http', protocol: 'TCP' }]);
    expect(containerOf(rendered.find('StatefulSet', 'engine')).ports).toEqual([{ name: 'http', containerPort: 7000, protocol: 'TCP' }]);
    expect(namesOf(render(withoutPort), 'Service')).toEqual([]);
  });

  it('renders probes from healthPath on the port, or from health', () => {
    const http = containerOf(render(withPort).find('StatefulSet', 'engine'));
    expect(http.readinessProbe.httpGet).toEqual({ path: '/health', port: 7000 });
    expect(http.livenessProbe.httpGet).toEqual({ path: '/health', port: 7000 });
    const exec = containerOf(render(withoutPort).find('StatefulSet', 'scheduler'));
    expect(exec.livenessProbe.exec).toEqual({ command: ['./scheduler', 'ping'] });
  });

  it('refuses replicas other than 1 and autoscale', () => {
    const replicas = problemsOf((chart) => {
      new Singleton(chart, 'engine', { image: ENGINE_IMAGE, profile: { resources: SMALL, replicas: 2 }, port: 7000, healthPath: '/health' });
    });
    expect(replicas.some((p) => p.includes('profile.replicas'))).toBe(true);
    const autoscale = problemsOf((chart) => {
      new Singleton(chart, 'engine', {
        image: ENGINE_IMAGE,
        profile: { resources: SMALL, autoscale: { minReplicas: 1, maxReplicas: 2 } },
        port: 7000,
        healthPath: '/health',
      });
    });
    expect(autoscale.some((p) => p.includes('profile.autoscale'))).toBe(true);
  });

  // `healthPath` without `port` would probe a port the container does not declare.
  it('refuses healthPath without port', () => {
    const build: Build = (chart) => {
      new Singleton(chart, 'engine', { image: ENGINE_IMAGE, profile: { resources: SMALL }, healthPath: '/health' });
    };
    const problems = problemsOf(build);
    expect(problems).toEqual([expect.stringMatching(/^test\/demo\/engine: healthPath: an HTTP check needs a port/)]);
  });
});

// ---------------------------------------------------------------------------------------------
// Postgres
// ---------------------------------------------------------------------------------------------

describe('Postgres', () => {
  const build: Build = (chart) => {
    postgres(chart, 'db', { uid: 70, storage: { size: '20Gi', storageClass: 'premium-ssd' }, user: 'app', database: 'trading' });
  };

  it('renders a one-replica StatefulSet governed by its Service', () => {
    const rendered = render(build);
    const sts = rendered.find('StatefulSet', 'db');
    expect(sts.apiVersion).toBe('apps/v1');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('db');
    expect(rendered.find('Service', sts.spec.serviceName)).toBeDefined();
    expect(selects(sts.spec.selector.matchLabels, podLabelsOf(sts))).toBe(true);
    expect(sts.metadata.labels['app.kubernetes.io/component']).toBe('database');
  });

  it('renders the volumeClaimTemplate "data" with the size and class of the profile', () => {
    const sts = render(build).find('StatefulSet', 'db');
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    const [vct] = sts.spec.volumeClaimTemplates;
    expect(vct.metadata.name).toBe('data');
    expect(vct.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'premium-ssd', resources: { requests: { storage: '20Gi' } } });
    expect(containerOf(sts).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(podSpecOf(sts).volumes.map((v: Doc) => v.name)).not.toContain('data');
  });

  it('takes the storage class from the env when the profile has none, else the cluster default', () => {
    const fromEnv = render((chart) => postgres(chart), testEnv({ storageClass: 'standard-rwo' })).find('StatefulSet', 'db');
    expect(fromEnv.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('standard-rwo');
    const override = render((chart) => postgres(chart, 'db', { storage: { size: '10Gi', storageClass: 'premium-ssd' } }), testEnv({ storageClass: 'standard-rwo' })).find(
      'StatefulSet',
      'db',
    );
    expect(override.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('premium-ssd');
    const clusterDefault = render((chart) => postgres(chart)).find('StatefulSet', 'db');
    expect(clusterDefault.spec.volumeClaimTemplates[0].spec).not.toHaveProperty('storageClassName');
  });

  it('retains the PVC when the StatefulSet is deleted or scaled', () => {
    const sts = render(build).find('StatefulSet', 'db');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  it('renders a Service on 5432 targeting the postgres container port', () => {
    const rendered = render(build);
    const svc = rendered.find('Service', 'db');
    expect(svc.spec.selector).toEqual(rendered.find('StatefulSet', 'db').spec.selector.matchLabels);
    expect(svc.spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }]);
    expect(containerOf(rendered.find('StatefulSet', 'db')).ports).toEqual([{ name: 'postgres', containerPort: 5432, protocol: 'TCP' }]);
  });

  it('renders a headless Service (clusterIP None)', () => {
    const svc = renderChart(build).find('Service', 'db');
    expect(svc.spec.clusterIP).toBe('None');
  });

  it('gives pg_isready five minutes as a startup probe before liveness applies, so a crash recovery is not killed', () => {
    expectStartupBudget(containerOf(render(build).find('StatefulSet', 'db')));
  });

  it('renders pg_isready exec readiness and liveness probes', () => {
    const c = containerOf(render(build).find('StatefulSet', 'db'));
    for (const probe of [c.readinessProbe, c.livenessProbe]) {
      expect(probe.exec.command[0]).toBe('sh');
      expect(probe.exec.command.join(' ')).toContain('pg_isready');
      expect(probe.httpGet).toBeUndefined();
    }
  });

  it('reads POSTGRES_PASSWORD from the Secret and sets user, database and a PGDATA inside the volume', () => {
    const env = envOf(containerOf(render(build).find('StatefulSet', 'db')));
    expect(env.POSTGRES_PASSWORD).toEqual(secretRef('db-credentials', 'password'));
    expect(env.POSTGRES_USER).toBe('app');
    expect(env.POSTGRES_DB).toBe('trading');
    expect(env.PGDATA).toBe('/var/lib/postgresql/data/pgdata');
  });

  it('runs as the uid given, 999 by default', () => {
    expect(podSpecOf(render(build).find('StatefulSet', 'db')).securityContext).toMatchObject({ runAsUser: 70, runAsGroup: 70, fsGroup: 70 });
    expect(podSpecOf(render((chart) => postgres(chart)).find('StatefulSet', 'db')).securityContext.runAsUser).toBe(999);
  });

  it('renders a hardened pod with /tmp and the socket folder writable', () => {
    const sts = render(build).find('StatefulSet', 'db');
    const spec = podSpecOf(sts);
    expect(hardeningGaps(spec)).toEqual([]);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'var-run-postgresql', mountPath: '/var/run/postgresql' },
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
    ]);
    expect(spec.containers[0].image).toBe(PG_IMAGE);
  });
});

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------

describe('Redis', () => {
  const cacheOnly: Build = (chart) => {
    redis(chart);
  };
  const persistent: Build = (chart) => {
    redis(chart, 'cache', { storage: { size: '2Gi' } });
  };

  it('requires the password from the Secret, mounted as a file, never in an argument or the env', () => {
    const sts = render(cacheOnly).find('StatefulSet', 'cache');
    const c = containerOf(sts);
    expect(c.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(c.command[2]).toContain(`od -An -v -tx1 ${REDIS_PASSWORD_FILE} `);
    expect(c.command[2]).toContain(`exec redis-server ${REDIS_CONFIG} `);
    expect(c.args).toBeUndefined();
    expect(c.env).toBeUndefined();
    expect(c.volumeMounts).toContainEqual({ name: 'run-redis', mountPath: '/run/redis' });
    expect(c.volumeMounts).toContainEqual({ name: 'password', mountPath: '/run/secrets/redis', readOnly: true });
    expect(podSpecOf(sts).volumes).toContainEqual({ name: 'password', secret: { secretName: 'cache-credentials', items: [{ key: 'password', path: 'password' }], defaultMode: 0o440 } });
  });

  it('gives redis-cli ping five minutes as a startup probe before liveness applies, so loading a large dataset is not killed', () => {
    expectStartupBudget(containerOf(render(cacheOnly).find('StatefulSet', 'cache')));
    expectStartupBudget(containerOf(render(persistent).find('StatefulSet', 'cache')));
  });

  it('lists the mounted password in the Secrets page, read by the StatefulSet', () => {
    const page = render(cacheOnly).files.get('test/SECRETS.md')!;
    expect(page.split('\n').filter((l) => l.includes('cache-credentials'))).toEqual([expect.stringMatching(/StatefulSet\/cache.*password|password.*StatefulSet\/cache/)]);
  });

  it('renders redis-cli ping probes, authenticated through REDISCLI_AUTH from the password file', () => {
    const c = containerOf(render(cacheOnly).find('StatefulSet', 'cache'));
    for (const probe of [c.readinessProbe, c.livenessProbe]) {
      expect(probe.exec.command.join(' ')).toContain(`cat ${REDIS_PASSWORD_FILE}`);
      expect(probe.exec.command.join(' ')).toContain('REDISCLI_AUTH="${p%.}" redis-cli -h 127.0.0.1 ping');
    }
  });

  it('renders appendonly no and an emptyDir /data without storage', () => {
    const sts = render(cacheOnly).find('StatefulSet', 'cache');
    const c = containerOf(sts);
    expect(c.command[2]).toContain('--appendonly no');
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(podSpecOf(sts).volumes).toContainEqual({ name: 'data', emptyDir: { sizeLimit: '256Mi' } });
  });

  it('renders appendonly yes and a PVC for /data with storage', () => {
    const sts = render(persistent, testEnv({ storageClass: 'standard-rwo' })).find('StatefulSet', 'cache');
    const c = containerOf(sts);
    expect(c.command[2]).toContain('--appendonly yes');
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'standard-rwo',
      resources: { requests: { storage: '2Gi' } },
    });
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect((podSpecOf(sts).volumes ?? []).map((v: Doc) => v.name)).not.toContain('data');
  });

  it('renders a Service on 6379 and a hardened pod running as uid 999', () => {
    const rendered = render(cacheOnly);
    const sts = rendered.find('StatefulSet', 'cache');
    expect(rendered.find('Service', 'cache').spec.ports).toEqual([{ name: 'redis', port: 6379, targetPort: 'redis', protocol: 'TCP' }]);
    expect(rendered.find('Service', 'cache').spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(hardeningGaps(podSpecOf(sts))).toEqual([]);
    expect(podSpecOf(sts).securityContext.runAsUser).toBe(999);
    expect(sts.metadata.labels['app.kubernetes.io/component']).toBe('cache');
  });
});

// ---------------------------------------------------------------------------------------------
// AppConfig
// ---------------------------------------------------------------------------------------------

describe('AppConfig', () => {
  const DATA = { LOG_LEVEL: 'info', FEATURE_ALERTS: 'true', SMTP_HOST: 'smtp.example.com' };
  const configName = (data: Record<string, string>) => {
    let name = '';
    render((chart) => {
      name = new AppConfig(chart, 'settings', { data }).name;
    });
    return name;
  };

  it('renders the name <id>-<10 hex>, immutable, with the data in key order', () => {
    let name = '';
    const rendered = render((chart) => {
      name = new AppConfig(chart, 'settings', { data: DATA }).name;
    });
    expect(name).toMatch(/^settings-[0-9a-f]{10}$/);
    const cm = rendered.find('ConfigMap', name);
    expect(cm.immutable).toBe(true);
    expect(cm.data).toEqual(DATA);
    expect(Object.keys(cm.data)).toEqual(['FEATURE_ALERTS', 'LOG_LEVEL', 'SMTP_HOST']);
    expect(cm.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'settings', 'app.kubernetes.io/component': 'config' });
  });

  it('keeps the name for the same data in another key order', () => {
    expect(configName({ SMTP_HOST: 'smtp.example.com', LOG_LEVEL: 'info', FEATURE_ALERTS: 'true' })).toBe(configName(DATA));
  });

  it('changes the name when the data changes', () => {
    expect(configName({ ...DATA, LOG_LEVEL: 'debug' })).not.toBe(configName(DATA));
    expect(configName({ ...DATA, EXTRA: '1' })).not.toBe(configName(DATA));
  });

  it('is read with envFrom by name, so a content change changes the pod template', () => {
    const podTemplate = (data: Record<string, string>) => {
      let name = '';
      const rendered = render((chart) => {
        const settings = new AppConfig(chart, 'settings', { data });
        name = settings.name;
        webService(chart, 'api', { config: [settings] });
      });
      const dep = rendered.find('Deployment', 'api');
      expect(containerOf(dep).envFrom).toEqual([{ configMapRef: { name } }]);
      return dep.spec.template;
    };
    expect(podTemplate(DATA)).toEqual(podTemplate({ ...DATA }));
    expect(podTemplate({ ...DATA, LOG_LEVEL: 'debug' })).not.toEqual(podTemplate(DATA));
  });

  it('refuses a value that looks like a credential', () => {
    const problems = problemsOf((chart) => {
      new AppConfig(chart, 'settings', { data: { DATABASE_URL: 'postgres://app:hunter2@db:5432/app' } });
    });
    expect(problems.some((p) => p.includes('data.DATABASE_URL'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// secretKey / SecretRef env rendering
// ---------------------------------------------------------------------------------------------

describe('secretKey and SecretRef in env', () => {
  const appSecrets = SecretRef.fromSecretName('api-secrets');
  const build: Build = (chart) => {
    webService(chart, 'api', {
      env: {
        STRIPE_SECRET_KEY: appSecrets.key('STRIPE_SECRET_KEY'),
        JWT_SECRET: secretKey('api-secrets', 'jwt.secret'),
        BASE_URL: 'https://app.example.com',
        ALERTS_TOKEN: appSecrets.key('ALERTS_TOKEN'),
      },
    });
  };

  it('renders secretKey(...) and SecretRef.key(...) as secretKeyRef, literals as value, sorted by name', () => {
    const c = containerOf(render(build).find('Deployment', 'api'));
    expect(c.env).toEqual([
      { name: 'ALERTS_TOKEN', valueFrom: secretRef('api-secrets', 'ALERTS_TOKEN') },
      { name: 'BASE_URL', value: 'https://app.example.com' },
      { name: 'JWT_SECRET', valueFrom: secretRef('api-secrets', 'jwt.secret') },
      { name: 'STRIPE_SECRET_KEY', valueFrom: secretRef('api-secrets', 'STRIPE_SECRET_KEY') },
    ]);
  });

  it('never renders a secret value, only its name and key', () => {
    const yaml = [...render(build).files.values()].join('\n');
    expect(yaml).toContain('secretKeyRef');
    expect(yaml).not.toMatch(/kind: Secret\b/);
  });

  it('renders the same env whatever the key order of the input', () => {
    const a = render((chart) => webService(chart, 'api', { env: { A: 'a', B: secretKey('s', 'b'), C: 'c' } }));
    const b = render((chart) => webService(chart, 'api', { env: { C: 'c', B: secretKey('s', 'b'), A: 'a' } }));
    expect(docsOf(b)).toEqual(docsOf(a));
  });

  it('renders no env field when there is none', () => {
    expect(containerOf(render((chart) => webService(chart, 'api')).find('Deployment', 'api'))).not.toHaveProperty('env');
  });

  it('refuses a literal under a secret-looking name', () => {
    const problems = problemsOf((chart) => webService(chart, 'api', { env: { DB_PASSWORD: 'hunter2' } }));
    expect(problems.some((p) => p.includes('DB_PASSWORD'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// MigrationJob
// ---------------------------------------------------------------------------------------------

describe('MigrationJob', () => {
  const jobBuild =
    (image = API_IMAGE, env: Record<string, string | ReturnType<typeof secretKey>> = { DB_HOST: 'db', DB_PASSWORD: secretKey('db-credentials', 'password') }) =>
    (chart: PlatformChart) => {
      const db = postgres(chart);
      new MigrationJob(chart, 'migrate', { image, command: ['./api', 'migrate'], resources: SMALL, env, uses: [db] });
    };
  const jobOf = (rendered: ReturnType<typeof render>) => {
    const jobs = ofKind(rendered, 'Job');
    expect(jobs).toHaveLength(1);
    return jobs[0];
  };

  it('renders the Argo CD hook annotations: a Sync hook in wave 2, replaced before each sync, deleted once it succeeds', () => {
    const job = jobOf(render(jobBuild()));
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/sync-wave': '2',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
    });
  });

  it('waits for its database with pg_isready in the database image before migrating', () => {
    const rendered = render((chart) => {
      const db = postgres(chart);
      new MigrationJob(chart, 'migrate', { image: API_IMAGE, command: ['./api', 'migrate'], resources: SMALL, database: db });
    });
    const pod = podSpecOf(jobOf(rendered));
    expect(pod.initContainers).toHaveLength(1);
    const [wait] = pod.initContainers;
    expect(wait.image).toBe(rendered.find('StatefulSet', 'db').spec.template.spec.containers[0].image);
    expect(wait.command.join(' ')).toContain('until pg_isready');
    expect(wait.env).toEqual([
      { name: 'PGHOST', value: 'db' },
      { name: 'PGPORT', value: '5432' },
    ]);
    // the database admits the migration without an explicit `uses`
    const clients = rendered.find('NetworkPolicy', 'db').spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name']);
    expect(clients).toEqual(['migrate']);
  });

  it('renders no init container without a database', () => {
    expect(podSpecOf(jobOf(render(jobBuild()))).initContainers).toBeUndefined();
  });

  it('renders no ttlSecondsAfterFinished, restartPolicy Never and a deadline', () => {
    const job = jobOf(render(jobBuild()));
    expect(job.spec).not.toHaveProperty('ttlSecondsAfterFinished');
    expect(podSpecOf(job).restartPolicy).toBe('Never');
    expect(job.spec.activeDeadlineSeconds).toBe(900);
    expect(job.spec.backoffLimit).toBe(2);
  });

  it('runs the command in the image given, with env and no ConfigMaps', () => {
    const c = containerOf(jobOf(render(jobBuild())));
    expect(c.image).toBe(API_IMAGE);
    expect(c.command).toEqual(['./api', 'migrate']);
    expect(c.env).toEqual([
      { name: 'DB_HOST', value: 'db' },
      { name: 'DB_PASSWORD', valueFrom: secretRef('db-credentials', 'password') },
    ]);
    expect(c).not.toHaveProperty('envFrom');
  });

  it('renders the name <id>-<10 hex>, stable for the same input', () => {
    const a = jobOf(render(jobBuild())).metadata.name;
    expect(a).toMatch(/^migrate-[0-9a-f]{10}$/);
    expect(jobOf(render(jobBuild())).metadata.name).toBe(a);
    // The same env in another key order is the same input.
    expect(jobOf(render(jobBuild(API_IMAGE, { DB_PASSWORD: secretKey('db-credentials', 'password'), DB_HOST: 'db' }))).metadata.name).toBe(a);
  });

  it('changes the name when the image changes', () => {
    const a = jobOf(render(jobBuild(API_IMAGE))).metadata.name;
    const b = jobOf(render(jobBuild('ghcr.io/acme/api:1.2.4'))).metadata.name;
    expect(b).toMatch(/^migrate-[0-9a-f]{10}$/);
    expect(b).not.toBe(a);
  });

  it('changes the name when anything else in the pod template changes (resources)', () => {
    const withResources = (resources: Resources) =>
      renderChart((chart) => {
        new MigrationJob(chart, 'migrate', { image: API_IMAGE, command: ['./api', 'migrate'], resources });
      }).objects.find((o) => o.doc.kind === 'Job')!.doc.metadata.name;
    expect(withResources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } })).not.toBe(withResources(SMALL));
  });

  it('renders pod labels that its NetworkPolicy selects, and egress to the database only', () => {
    const rendered = render(jobBuild());
    const job = jobOf(rendered);
    const policy = rendered.find('NetworkPolicy', 'migrate');
    expect(selects(policy.spec.podSelector.matchLabels, podLabelsOf(job))).toBe(true);
    expect(podLabelsOf(job)).toMatchObject({ 'app.kubernetes.io/name': 'migrate', 'app.kubernetes.io/component': 'migration' });
    expect(job.metadata.labels['app.kubernetes.io/name']).toBe('migrate');
    expect(policy.spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: rendered.find('StatefulSet', 'db').spec.selector.matchLabels } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    expect(policy.spec.ingress).toEqual([]);
    const dbIngress = rendered.find('NetworkPolicy', 'db').spec.ingress;
    expect(dbIngress).toContainEqual({ from: [{ podSelector: { matchLabels: policy.spec.podSelector.matchLabels } }], ports: [{ protocol: 'TCP', port: 5432 }] });
  });

  it('renders a hardened pod with no API token', () => {
    const spec = podSpecOf(jobOf(render(jobBuild())));
    expect(hardeningGaps(spec)).toEqual([]);
    expect(spec.automountServiceAccountToken).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// BackupCronJob
// ---------------------------------------------------------------------------------------------

describe('BackupCronJob', () => {
  const backupBuild =
    (extra: { schedule?: string; timeZone?: string; storageClass?: string } = {}) =>
    (chart: PlatformChart) => {
      const db = postgres(chart, 'db', { uid: 70, database: 'trading', user: 'app' });
      new BackupCronJob(chart, 'db-backup', {
        database: db,
        keepDays: 14,
        storage: { size: '50Gi', ...(extra.storageClass ? { storageClass: extra.storageClass } : {}) },
        resources: SMALL,
        ...(extra.schedule ? { schedule: extra.schedule } : {}),
        ...(extra.timeZone ? { timeZone: extra.timeZone } : {}),
      });
    };

  it('never overlaps runs and defaults the schedule to 03:00 nightly in UTC', () => {
    const cj = render(backupBuild()).find('CronJob', 'db-backup');
    expect(cj.apiVersion).toBe('batch/v1');
    expect(cj.spec.concurrencyPolicy).toBe('Forbid');
    expect(cj.spec.schedule).toBe('0 3 * * *');
    expect(cj.spec.timeZone).toBe('UTC');
    expect(podSpecOf(cj).restartPolicy).toBe('Never');
  });

  it('takes the time zone from the env, and the prop over the env', () => {
    expect(render(backupBuild(), testEnv({ timeZone: 'Europe/Berlin' })).find('CronJob', 'db-backup').spec.timeZone).toBe('Europe/Berlin');
    const overridden = render(backupBuild({ timeZone: 'America/New_York', schedule: '30 1 * * 1-5' }), testEnv({ timeZone: 'Europe/Berlin' })).find(
      'CronJob',
      'db-backup',
    );
    expect(overridden.spec.timeZone).toBe('America/New_York');
    expect(overridden.spec.schedule).toBe('30 1 * * 1-5');
  });

  it('writes the dump to a volume that lives with the pod, shared by the dump and the upload', () => {
    const rendered = render(backupBuild());
    expect(rendered.objects.filter((o) => o.doc.kind === 'PersistentVolumeClaim').map((o) => o.doc.metadata.name)).toEqual([]);
    const spec = podSpecOf(rendered.find('CronJob', 'db-backup'));
    const scratch = spec.volumes.find((v: any) => v.name === 'backup');
    expect(scratch.ephemeral.volumeClaimTemplate.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } });
    expect(spec.initContainers[0].volumeMounts).toContainEqual({ name: 'backup', mountPath: '/backup' });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'backup', mountPath: '/backup', readOnly: true });
  });

  it('takes the dump volume\'s storage class from the env, and the profile over the env', () => {
    const classOf = (r: ReturnType<typeof render>) => podSpecOf(r.find('CronJob', 'db-backup')).volumes.find((v: any) => v.name === 'backup').ephemeral.volumeClaimTemplate.spec.storageClassName;
    expect(classOf(render(backupBuild(), testEnv({ storageClass: 'standard-rwo' })))).toBe('standard-rwo');
    expect(classOf(render(backupBuild({ storageClass: 'cold' }), testEnv({ storageClass: 'standard-rwo' })))).toBe('cold');
  });

  it('runs pg_dump in the database image, then uploads in the rclone image with retention of exactly keepDays', () => {
    const spec = podSpecOf(render(backupBuild()).find('CronJob', 'db-backup'));
    const [dump] = spec.initContainers;
    const [upload] = spec.containers;
    expect(dump.image).toBe(PG_IMAGE);
    expect(dump.command).toEqual(['sh', '-c', DUMP_SCRIPT]);
    expect(DUMP_SCRIPT).toContain('pg_dump --format=custom');
    expect(upload.image).toBe(TEST_OBJECT_STORAGE.image);
    expect(upload.command).toEqual(['sh', '-c', uploadScript(14)]);
    expect(upload.command[2]).toContain("--include '/*.dump' --min-age 14d");
  });

  it('connects with the database user, host and password Secret, and to the storage with the key Secret', () => {
    const spec = podSpecOf(render(backupBuild()).find('CronJob', 'db-backup'));
    expect(envOf(spec.initContainers[0])).toEqual({
      BACKUP_DIR: '/backup',
      PGHOST: 'db',
      PGPORT: '5432',
      PGUSER: 'app',
      PGDATABASE: 'trading',
      PGPASSWORD: secretRef('db-credentials', 'password'),
    });
    expect(envOf(spec.containers[0])).toEqual({
      BACKUP_BUCKET: 'backups',
      BACKUP_DIR: '/backup',
      BACKUP_PREFIX: 'test/demo/db-backup',
      HOME: '/tmp',
      RCLONE_CONFIG: '/dev/null',
      RCLONE_CONFIG_STORE_ACCESS_KEY_ID: secretRef('backup-storage', 'AWS_ACCESS_KEY_ID'),
      RCLONE_CONFIG_STORE_ENDPOINT: 'https://s3.example.com',
      RCLONE_CONFIG_STORE_PROVIDER: 'Other',
      RCLONE_CONFIG_STORE_REGION: 'us-east-1',
      RCLONE_CONFIG_STORE_SECRET_ACCESS_KEY: secretRef('backup-storage', 'AWS_SECRET_ACCESS_KEY'),
      RCLONE_CONFIG_STORE_TYPE: 's3',
    });
    // Nothing secret on a command line.
    expect(JSON.stringify([spec.initContainers[0].command, spec.containers[0].command])).not.toMatch(/S3RVER|secret|password/i);
  });

  it('fails when the env has no object storage: backups must leave the namespace', () => {
    expect(problemsOf(backupBuild(), testEnv({ objectStorage: undefined }))).toEqual([
      expect.stringMatching(/^test\/demo\/db-backup: env\.objectStorage: is missing; backups go to object storage outside the namespace/),
    ]);
  });

  it('fails when the dump volume is of size zero (each run\'s pod would be refused, not the CronJob)', () => {
    const zero = (chart: PlatformChart) => {
      const db = postgres(chart, 'db', { uid: 70, database: 'trading', user: 'app' });
      new BackupCronJob(chart, 'db-backup', { database: db, keepDays: 14, storage: { size: '0' }, resources: SMALL });
    };
    expect(problemsOf(zero)).toEqual(['test/demo/db-backup: storage.size: "0" must be greater than zero: one dump is written to a volume of this size']);
  });

  it('fails on object storage settings that are not allowed, naming each field', () => {
    const bad = { ...TEST_OBJECT_STORAGE, endpoint: 'http://minio:9000', bucket: 'Backups', prefix: '/prod/', image: 'rclone/rclone:latest', credentials: { secret: 'Backup_Keys' } };
    const problems = problemsOf(backupBuild(), testEnv({ objectStorage: bad })).join('\n');
    for (const field of ['endpoint', 'bucket', 'prefix', 'image', 'credentials.secret']) expect(problems).toContain(`env.objectStorage.${field}:`);
    expect(problems).toContain('"http://minio:9000" is not an https:// URL');
    // An unknown key is the overlay schema's error.
    expect(problemsOf(backupBuild(), testEnv({ objectStorage: { ...TEST_OBJECT_STORAGE, extra: 1 } as any })).join('\n')).toContain('env.objectStorage.extra: unknown key');
  });

  it('renders a hardened pod running as the database uid', () => {
    const spec = podSpecOf(render(backupBuild()).find('CronJob', 'db-backup'));
    expect(hardeningGaps(spec)).toEqual([]);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.securityContext).toMatchObject({ runAsUser: 70, fsGroup: 70 });
  });

  it('renders pod labels its NetworkPolicy selects, with egress to the database on 5432 and the storage on 443, and the database admitting it', () => {
    const rendered = render(backupBuild());
    const cj = rendered.find('CronJob', 'db-backup');
    const policy = rendered.find('NetworkPolicy', 'db-backup');
    expect(selects(policy.spec.podSelector.matchLabels, podLabelsOf(cj))).toBe(true);
    const dbLabels = rendered.find('StatefulSet', 'db').spec.selector.matchLabels;
    expect(policy.spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: dbLabels } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: expect.arrayContaining(NOT_INTERNET) } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(rendered.find('NetworkPolicy', 'db').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: policy.spec.podSelector.matchLabels } }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    });
  });

});

// ---------------------------------------------------------------------------------------------
// PublicIngress
// ---------------------------------------------------------------------------------------------

describe('PublicIngress', () => {
  const HOST = 'app.example.com';
  const ingressBuild =
    (routes: 'mixed' | 'plain' | 'websocket' = 'mixed', maxBodySize?: string) =>
    (chart: PlatformChart) => {
      const api = webService(chart, 'api', { servicePort: 80 });
      const frontend = webService(chart, 'frontend', { port: 3000, healthPath: '/', component: 'frontend' });
      const all: IngressRoute[] = [
        { path: '/', service: frontend, access: 'public', control: false },
        { path: '/api', service: api, access: 'public', control: false },
        { path: '/ws', service: api, access: 'public', control: false, websocket: true },
      ];
      new PublicIngress(chart, 'web', {
        host: HOST,
        routes: routes === 'mixed' ? all : routes === 'plain' ? all.filter((r) => !r.websocket) : all.filter((r) => r.websocket),
        ...(maxBodySize ? { maxBodySize } : {}),
      });
    };
  const issuerEnv = (kind?: 'Issuer' | 'ClusterIssuer', className = 'nginx') =>
    testEnv({ ingress: { className, controllerNamespace: 'ingress-nginx', tlsIssuer: { name: 'letsencrypt-prod', ...(kind ? { kind } : {}) } } });

  it('renders the ingressClassName of the env and TLS <id>-tls for the host on every Ingress', () => {
    const rendered = render(ingressBuild(), issuerEnv(undefined, 'public-nginx'));
    const ingresses = ofKind(rendered, 'Ingress');
    expect(ingresses.map((i) => i.metadata.name)).toEqual(['web', 'web-websocket']);
    for (const ing of ingresses) {
      expect(ing.apiVersion).toBe('networking.k8s.io/v1');
      expect(ing.spec.ingressClassName).toBe('public-nginx');
      expect(ing.spec.tls).toEqual([{ hosts: [HOST], secretName: 'web-tls' }]);
      expect(ing.spec.rules.map((r: Doc) => r.host)).toEqual([HOST]);
      expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('true');
    }
  });

  it('asks cert-manager for the certificate on exactly one Ingress, with a ClusterIssuer by default', () => {
    const ingresses = ofKind(render(ingressBuild(), issuerEnv()), 'Ingress');
    const annotated = ingresses.filter((i) => 'cert-manager.io/cluster-issuer' in i.metadata.annotations);
    expect(annotated.map((i) => i.metadata.name)).toEqual(['web']);
    expect(annotated[0].metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    for (const i of ingresses) expect(i.metadata.annotations).not.toHaveProperty(['cert-manager.io/issuer']);
  });

  it('uses cert-manager.io/issuer when the env issuer kind is Issuer', () => {
    const ingresses = ofKind(render(ingressBuild(), issuerEnv('Issuer')), 'Ingress');
    const annotated = ingresses.filter((i) => 'cert-manager.io/issuer' in i.metadata.annotations);
    expect(annotated.map((i) => i.metadata.name)).toEqual(['web']);
    expect(annotated[0].metadata.annotations['cert-manager.io/issuer']).toBe('letsencrypt-prod');
    for (const i of ingresses) expect(i.metadata.annotations).not.toHaveProperty(['cert-manager.io/cluster-issuer']);
  });

  it('puts the issuer annotation on the websocket Ingress when it is the only one', () => {
    const ingresses = ofKind(render(ingressBuild('websocket')), 'Ingress');
    expect(ingresses.map((i) => i.metadata.name)).toEqual(['web-websocket']);
    expect(ingresses[0].metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-staging');
  });

  it('renders one Ingress and no websocket Ingress without websocket routes', () => {
    expect(namesOf(render(ingressBuild('plain')), 'Ingress')).toEqual(['web']);
  });

  it('renders websocket routes in <id>-websocket with hour-long proxy timeouts, and only there', () => {
    const rendered = render(ingressBuild());
    const ws = rendered.find('Ingress', 'web-websocket');
    expect(ws.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
    });
    expect(ws.spec.rules[0].http.paths.map((p: Doc) => p.path)).toEqual(['/ws']);
    const plain = rendered.find('Ingress', 'web');
    expect(plain.metadata.annotations).not.toHaveProperty(['nginx.ingress.kubernetes.io/proxy-read-timeout']);
    expect(plain.metadata.annotations).not.toHaveProperty(['nginx.ingress.kubernetes.io/proxy-send-timeout']);
  });

  it('renders paths as Prefix, longest first', () => {
    const paths = render(ingressBuild()).find('Ingress', 'web').spec.rules[0].http.paths;
    expect(paths.map((p: Doc) => [p.path, p.pathType])).toEqual([
      ['/api', 'Prefix'],
      ['/', 'Prefix'],
    ]);
  });

  it('renders every backend as an existing Service and one of its ports', () => {
    const rendered = render(ingressBuild());
    const backends = ofKind(rendered, 'Ingress').flatMap((i) => i.spec.rules.flatMap((r: Doc) => r.http.paths.map((p: Doc) => p.backend.service)));
    expect(backends).toEqual([
      { name: 'api', port: { number: 80 } },
      { name: 'frontend', port: { number: 3000 } },
      { name: 'api', port: { number: 80 } },
    ]);
    for (const b of backends) {
      const svc = rendered.find('Service', b.name);
      expect(svc.spec.ports.map((p: Doc) => p.port)).toContain(b.port.number);
    }
  });

  it('renders the body size limit, 8m by default', () => {
    expect(render(ingressBuild()).find('Ingress', 'web').metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('8m');
    expect(render(ingressBuild('mixed', '50m')).find('Ingress', 'web').metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('50m');
  });

  it('refuses a route to a workload without a Service', () => {
    const problems = problemsOf((chart) => {
      const worker = new Worker(chart, 'worker', { image: WORKER_IMAGE, profile: { resources: SMALL }, health: { tcp: 7000 } });
      new PublicIngress(chart, 'web', { host: HOST, routes: [{ path: '/', service: worker, access: 'public', control: false }] });
    });
    expect(problems.some((p) => p.includes('routes[0].service'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// NetworkPolicies from `uses`, `egress` and ingress routes
// ---------------------------------------------------------------------------------------------

describe('NetworkPolicies', () => {
  const labelsOf = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'demo' });
  const to = (name: string, port: number) => ({ to: [{ podSelector: { matchLabels: labelsOf(name) } }], ports: [{ protocol: 'TCP', port }] });
  const from = (name: string, port: number) => ({ from: [{ podSelector: { matchLabels: labelsOf(name) } }], ports: [{ protocol: 'TCP', port }] });
  const internet = (ports: number[]) => ({
    to: [{ ipBlock: { cidr: '0.0.0.0/0', except: expect.arrayContaining(NOT_INTERNET) } }],
    ports: ports.map((port) => ({ protocol: 'TCP', port })),
  });

  /** A platform whose `uses`, egress and declaration order can be permuted. */
  const platform =
    (order: 'forward' | 'reverse') =>
    (chart: PlatformChart) => {
      const db = postgres(chart);
      const cache = redis(chart);
      const pricing = webService(chart, 'pricing', { port: 8081, servicePort: 80 });
      const egress = [httpsEgress('payments (Stripe)'), httpsEgress('market data (Polygon)'), { description: 'email (SMTP)', ports: [587] }];
      const makeApi = () =>
        webService(chart, 'api', {
          uses: order === 'forward' ? [db, cache, pricing] : [pricing, cache, db],
          egress: order === 'forward' ? egress : [...egress].reverse(),
        });
      const makeWorker = () =>
        new Worker(chart, 'worker', {
          image: WORKER_IMAGE,
          profile: { resources: SMALL },
          health: { exec: ['true'] },
          uses: order === 'forward' ? [db, cache] : [cache, db],
        });
      let api: WebService;
      if (order === 'forward') {
        api = makeApi();
        makeWorker();
      } else {
        makeWorker();
        api = makeApi();
      }
      new PublicIngress(chart, 'web', { host: 'app.example.com', routes: [{ path: '/api', service: api, access: 'public', control: false }] });
    };

  it('selects the pods of its workload', () => {
    const rendered = render(platform('forward'));
    for (const [kind, name] of [
      ['Deployment', 'api'],
      ['Deployment', 'worker'],
      ['Deployment', 'pricing'],
      ['StatefulSet', 'db'],
      ['StatefulSet', 'cache'],
    ]) {
      const policy = rendered.find('NetworkPolicy', name);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(selects(policy.spec.podSelector.matchLabels, podLabelsOf(rendered.find(kind, name)))).toBe(true);
    }
  });

  it('lets a workload reach exactly the pods it uses, on their pod ports', () => {
    const rendered = render(platform('forward'));
    const api = rendered.find('NetworkPolicy', 'api');
    const internal = api.spec.egress.filter((r: Doc) => r.to?.some((p: Doc) => p.podSelector));
    expect(internal).toEqual([to('cache', 6379), to('db', 5432), to('pricing', 8081)]);
    const worker = rendered.find('NetworkPolicy', 'worker');
    expect(worker.spec.egress).toEqual([to('cache', 6379), to('db', 5432)]);
  });

  it('lets each server admit exactly its clients', () => {
    const rendered = render(platform('forward'));
    expect(rendered.find('NetworkPolicy', 'db').spec.ingress).toEqual([from('api', 5432), from('worker', 5432)]);
    expect(rendered.find('NetworkPolicy', 'cache').spec.ingress).toEqual([from('api', 6379), from('worker', 6379)]);
    // Pod port 8081, not the Service port 80: NetworkPolicies match after the Service's DNAT.
    expect(rendered.find('NetworkPolicy', 'pricing').spec.ingress).toEqual([from('api', 8081)]);
    // Servers open no egress of their own (DNS comes from allow-dns).
    expect(rendered.find('NetworkPolicy', 'db').spec.egress).toEqual([]);
    expect(rendered.find('NetworkPolicy', 'pricing').spec.egress).toEqual([]);
  });

  it('admits the ingress controller namespace to a routed service on its pod port', () => {
    const rendered = render(platform('forward'));
    const api = rendered.find('NetworkPolicy', 'api');
    expect(api.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
    // Not routed: nothing admits the controller.
    expect(rendered.find('NetworkPolicy', 'pricing').spec.ingress).toEqual([from('api', 8081)]);
  });

  it('admits only the controller pods when controllerPodLabels is set', () => {
    const env = testEnv({
      ingress: {
        className: 'nginx',
        controllerNamespace: 'ingress-nginx',
        controllerPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
        tlsIssuer: { name: 'letsencrypt-staging' },
      },
    });
    const api = render(platform('forward'), env).find('NetworkPolicy', 'api');
    expect(api.spec.ingress[0].from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      },
    ]);
  });

  it('renders httpsEgress() as 443 to 0.0.0.0/0 except every IANA special-purpose range, described in an annotation', () => {
    const rendered = render((chart) => webService(chart, 'api', { egress: [httpsEgress('payments (Stripe)')] }));
    const policy = rendered.find('NetworkPolicy', 'api');
    expect(policy.spec.egress).toEqual([internet([443])]);
    expect([...policy.spec.egress[0].to[0].ipBlock.except].sort()).toEqual([...NOT_INTERNET].sort());
    expect(policy.metadata.annotations['trading-platform-manifests/external-egress']).toBe('payments (Stripe) (tcp 443)');
  });

  it('shares one rule between purposes with the same ports, and names every purpose', () => {
    const rendered = render(platform('forward'));
    const api = rendered.find('NetworkPolicy', 'api');
    const external = api.spec.egress.filter((r: Doc) => r.to?.some((p: Doc) => p.ipBlock));
    expect(external).toEqual([internet([443]), internet([587])]);
    expect(api.metadata.annotations['trading-platform-manifests/external-egress']).toBe(
      'email (SMTP) (tcp 587); market data (Polygon) (tcp 443); payments (Stripe) (tcp 443)',
    );
  });

  it('renders explicit CIDRs as given, without the private-range exceptions', () => {
    const policy = render((chart) => webService(chart, 'api', { egress: [{ description: 'exchange API', ports: [443, 8443], cidrs: ['203.0.113.0/24'] }] })).find(
      'NetworkPolicy',
      'api',
    );
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 8443 }] }]);
  });

  it('renders no external rule and no annotation for a workload without egress', () => {
    const rendered = render(platform('forward'));
    const worker = rendered.find('NetworkPolicy', 'worker');
    expect(worker.spec.egress.some((r: Doc) => r.to?.some((p: Doc) => p.ipBlock))).toBe(false);
    expect(worker.metadata.annotations).toBeUndefined();
    const alone = render((chart) => webService(chart, 'api')).find('NetworkPolicy', 'api');
    expect(alone.spec.egress).toEqual([]);
    expect(alone.spec.ingress).toEqual([]);
    expect(alone.metadata.annotations).toBeUndefined();
  });

  it('renders the same policies whatever the declaration order of workloads, uses and egress', () => {
    const forward = render(platform('forward'));
    const reverse = render(platform('reverse'));
    expect(ofKind(reverse, 'NetworkPolicy')).toEqual(ofKind(forward, 'NetworkPolicy'));
    expect(docsOf(reverse)).toEqual(docsOf(forward));
  });

  it('refuses to use a server of another platform', () => {
    let foreignDb: Postgres | undefined;
    // Build a database in another chart of the same app, then use it from `demo`.
    const problems = problemsOf((chart) => {
      const other = new PlatformChart(chart.node.scope!, 'other', { env: chart.env });
      foreignDb = postgres(other);
      webService(chart, 'api', { uses: [foreignDb] });
    });
    expect(foreignDb).toBeDefined();
    expect(problems.some((p) => p.includes('another platform'))).toBe(true);
  });
});
