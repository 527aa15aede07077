import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { Rendered, RenderedObject } from '../src';
import { capacityOf } from '../src/capacity/capacity';
import { isPinned } from '../src/image';
import { millicores, quantityValue } from '../src/quantity';
import { hardeningGaps, podLabelsOf, podSpecsOf, renderedPlatforms, scrapeAccess } from './helpers';

// What every platform in every env must satisfy. Each platform's own test file asserts its special points.

let rendered: Rendered;
beforeAll(() => {
  rendered = renderedPlatforms();
});

const ENVS = Object.keys(overlays);
const PLATFORMS = platforms.map((p) => p.name);
const CASES = ENVS.flatMap((env) => PLATFORMS.map((platform) => [env, platform] as const));
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job', 'CronJob'];

const objectsOf = (env: string, platform: string): RenderedObject[] => rendered.objects.filter((o) => o.env === env && o.platform === platform);
const docsOf = (env: string, platform: string, kind: string): any[] => objectsOf(env, platform).filter((o) => o.doc.kind === kind).map((o) => o.doc);
const workloadsOf = (env: string, platform: string) => objectsOf(env, platform).filter((o) => ['Deployment', 'StatefulSet'].includes(o.doc.kind));

describe.each(CASES)('%s/%s', (env, platform) => {
  const namespace = `${platform}-${env}`;

  it('renders its Namespace at Pod Security "restricted" and puts every other object in it', () => {
    const [ns, ...others] = docsOf(env, platform, 'Namespace');
    expect(others).toEqual([]);
    expect(ns.metadata.name).toBe(namespace);
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const o of objectsOf(env, platform).filter((x) => x.doc.kind !== 'Namespace')) expect(o.doc.metadata.namespace, o.path).toBe(namespace);
  });

  it('hardens every pod (init containers too) with requests and a memory limit', () => {
    for (const o of objectsOf(env, platform).filter((x) => WORKLOAD_KINDS.includes(x.doc.kind))) {
      for (const spec of podSpecsOf(o.doc)) {
        const gaps = hardeningGaps(spec);
        // The one declared exception: a writable root, named in an annotation a reviewer sees.
        const writableRoot = o.doc.metadata.annotations?.['trading-platform-manifests/waive-read-only-root'];
        expect(writableRoot ? gaps.filter((g) => !g.endsWith('has a writable root filesystem')) : gaps, o.path).toEqual([]);
        expect(spec.automountServiceAccountToken === true, `${o.path} mounts a token without a ServiceAccount`).toBe(spec.serviceAccountName !== undefined);
      }
    }
  });

  it('puts no Secret-backed env var into a command line ($(VAR) in command or args)', () => {
    for (const o of objectsOf(env, platform).filter((x) => WORKLOAD_KINDS.includes(x.doc.kind))) {
      for (const spec of podSpecsOf(o.doc)) {
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          const secret = new Set((c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => e.name));
          // Kubernetes expands $(VAR) from the container's env before the process starts; $$ escapes it.
          const refs = [...(c.command ?? []), ...(c.args ?? [])].flatMap((a: string) => [...a.replaceAll('$$', '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((m) => m[1]));
          expect(refs.filter((r) => secret.has(r)), `${o.path} ${c.name}`).toEqual([]);
        }
      }
    }
  });

  it('gives every long-running container readiness and liveness probes', () => {
    for (const o of workloadsOf(env, platform)) {
      for (const c of o.doc.spec.template.spec.containers) {
        expect(c.readinessProbe, `${o.path} ${c.name}`).toBeDefined();
        expect(c.livenessProbe, `${o.path} ${c.name}`).toBeDefined();
      }
    }
  });

  it('gives every database (StatefulSet) a startup probe that runs its liveness check for at least five minutes', () => {
    // databases and caches; a singleton's StatefulSet has the probes its construct was given
    for (const o of workloadsOf(env, platform).filter((w) => w.doc.kind === 'StatefulSet' && w.doc.metadata.annotations?.['trading-platform-manifests/singleton'] !== 'true')) {
      for (const c of o.doc.spec.template.spec.containers) {
        const { startupProbe: startup, livenessProbe: liveness } = c;
        expect(startup, `${o.path} ${c.name} has no startupProbe`).toBeDefined();
        expect(startup.exec, `${o.path} ${c.name}`).toEqual(liveness.exec);
        expect(startup.periodSeconds * startup.failureThreshold, `${o.path} ${c.name}`).toBeGreaterThanOrEqual(300);
      }
    }
  });

  it('admits the env\'s Prometheus on exactly the ports its ServiceMonitors scrape', () => {
    const monitoring = overlays[env].env.monitoring;
    const access = monitoring ? scrapeAccess(objectsOf(env, platform), monitoring) : [];
    if (!monitoring) expect(docsOf(env, platform, 'ServiceMonitor')).toEqual([]);
    for (const a of access) {
      expect(a.scraped.length, a.monitor).toBeGreaterThan(0);
      expect(a.admitted, a.monitor).toEqual(a.scraped);
    }
  });

  it('probes only ports its containers declare', () => {
    for (const o of workloadsOf(env, platform)) {
      for (const c of o.doc.spec.template.spec.containers) {
        const declared = (c.ports ?? []).flatMap((p: any) => [p.name, p.containerPort]);
        for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean)) {
          const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
          if (port !== undefined) expect(declared, `${o.path} ${c.name}`).toContain(port);
        }
      }
    }
  });

  it('selects each workload by labels its pod template carries', () => {
    for (const o of workloadsOf(env, platform)) expect(podLabelsOf(o.doc), o.path).toMatchObject(o.doc.spec.selector.matchLabels);
  });

  it('wires every Service to exactly one workload and to named container ports', () => {
    for (const svc of docsOf(env, platform, 'Service')) {
      const targets = workloadsOf(env, platform).filter((w) => Object.entries(svc.spec.selector).every(([k, v]) => podLabelsOf(w.doc)[k] === v));
      expect(targets.length, svc.metadata.name).toBe(1);
      const ports = targets[0].doc.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []).map((p: any) => p.name);
      for (const p of svc.spec.ports) expect(ports, svc.metadata.name).toContain(p.targetPort);
    }
  });

  it('routes every Ingress path to an existing Service port, over TLS', () => {
    const services = new Map(docsOf(env, platform, 'Service').map((s) => [s.metadata.name, s]));
    const ingresses = docsOf(env, platform, 'Ingress');
    expect(ingresses.length).toBeGreaterThan(0);
    for (const ing of ingresses) {
      const host = ing.spec.rules[0].host;
      expect(ing.spec.tls[0].hosts).toEqual([host]);
      for (const p of ing.spec.rules[0].http.paths) {
        const svc = services.get(p.backend.service.name);
        expect(svc, `${ing.metadata.name} ${p.path}`).toBeDefined();
        expect(svc.spec.ports.map((x: any) => x.port)).toContain(p.backend.service.port.number);
      }
    }
    expect(ingresses.filter((i) => i.metadata.annotations?.['cert-manager.io/cluster-issuer'] || i.metadata.annotations?.['cert-manager.io/issuer'])).toHaveLength(1);
  });

  it('targets existing Deployments with its autoscalers and budgets', () => {
    const deployments = docsOf(env, platform, 'Deployment');
    for (const hpa of docsOf(env, platform, 'HorizontalPodAutoscaler')) {
      const target = deployments.find((d) => d.metadata.name === hpa.spec.scaleTargetRef.name);
      expect(target, hpa.metadata.name).toBeDefined();
      expect(target.spec.replicas, `${hpa.metadata.name}: the autoscaler owns replicas`).toBeUndefined();
      expect(target.spec.strategy.type).toBe('RollingUpdate');
    }
    for (const pdb of docsOf(env, platform, 'PodDisruptionBudget')) {
      const target = deployments.find((d) => JSON.stringify(d.spec.selector.matchLabels) === JSON.stringify(pdb.spec.selector.matchLabels));
      expect(target, pdb.metadata.name).toBeDefined();
      expect(target.spec.strategy.type, `${pdb.metadata.name}: never a budget on a singleton`).toBe('RollingUpdate');
    }
  });

  it('never runs latest, and runs only pinned images outside dev', () => {
    for (const o of objectsOf(env, platform)) {
      for (const spec of podSpecsOf(o.doc)) {
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          expect(c.image, o.path).not.toMatch(/:latest$/i);
          if (env !== 'dev') expect(isPinned(c.image), `${o.path} ${c.image}`).toBe(true);
        }
      }
    }
  });

  it('denies all traffic by default, allows DNS, and gives every pod a policy of its own', () => {
    const policies = docsOf(env, platform, 'NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name === 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policies.some((p) => p.metadata.name === 'allow-dns')).toBe(true);
    for (const o of objectsOf(env, platform).filter((x) => WORKLOAD_KINDS.includes(x.doc.kind))) {
      const labels = podLabelsOf(o.doc);
      const own = policies.filter((p) => Object.keys(p.spec.podSelector).length > 0 && Object.entries(p.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v));
      expect(own.length, o.path).toBe(1);
    }
  });

  it('reaches the internet only where a purpose is named', () => {
    for (const p of docsOf(env, platform, 'NetworkPolicy')) {
      const internet = (p.spec.egress ?? []).some((r: any) => (r.to ?? []).some((t: any) => t.ipBlock?.cidr === '0.0.0.0/0'));
      if (internet) expect(p.metadata.annotations?.['trading-platform-manifests/external-egress'], p.metadata.name).toBeTruthy();
      for (const r of p.spec.egress ?? []) {
        for (const t of r.to ?? []) if (t.ipBlock?.cidr === '0.0.0.0/0') expect(t.ipBlock.except).toContain('169.254.0.0/16');
        expect(r.to, `${p.metadata.name}: an egress rule without destinations allows every address`).toBeDefined();
      }
    }
  });

  it('renders no Secret, and no Job that Argo CD would leave OutOfSync', () => {
    expect(docsOf(env, platform, 'Secret')).toEqual([]);
    for (const job of docsOf(env, platform, 'Job')) expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    for (const cron of docsOf(env, platform, 'CronJob')) {
      expect(cron.spec.concurrencyPolicy).toBe('Forbid');
      expect(cron.spec.timeZone).toBeTruthy();
      expect(cron.spec.schedule).not.toMatch(/TZ=/);
    }
  });

  it('renders a ResourceQuota that matches its budget, a LimitRange, and fits its worst case in the budget', () => {
    const budget = (overlays[env] as any)[platform === 'breakout-bot' ? 'breakoutBot' : platform].budget;
    const [quota] = docsOf(env, platform, 'ResourceQuota');
    expect(quota.spec.hard).toEqual({
      'limits.memory': budget.memory,
      pods: String(budget.pods),
      'requests.cpu': budget.cpu,
      'requests.memory': budget.memory,
      'requests.storage': budget.storage,
    });
    expect(docsOf(env, platform, 'LimitRange')[0].spec.limits[0].type).toBe('Container');
    const capacity = capacityOf(objectsOf(env, platform).map((o) => o.doc));
    expect(capacity.worst.cpuRequests).toBeLessThanOrEqual(millicores(budget.cpu));
    expect(capacity.worst.memoryLimits).toBeLessThanOrEqual(quantityValue(budget.memory));
    expect(capacity.storage).toBeLessThanOrEqual(quantityValue(budget.storage));
    expect(capacity.worst.pods).toBeLessThanOrEqual(budget.pods);
  });

  it('lists every file of its folder exactly once in kustomization.yaml, Namespace first', () => {
    const prefix = `${env}/${platform}/`;
    const files = [...rendered.files.keys()].filter((p) => p.startsWith(prefix) && p.endsWith('.yaml')).map((p) => p.slice(prefix.length));
    const listed = rendered.files.get(`${prefix}kustomization.yaml`)!.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4));
    expect([...listed].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
    expect(listed[0]).toBe(`${namespace}-namespace.yaml`);
  });
});

describe('every platform with kubectl', () => {
  const available = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  if (!available) console.warn('kubectl not found: skipping the `kubectl kustomize` checks');

  it.skipIf(!available)('builds every env/platform folder, and every env\'s argocd folder, with kubectl kustomize', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-kustomize-'));
    try {
      for (const [rel, content] of rendered.files) {
        fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
      }
      // One kubectl run per env, over a kustomization of all its folders: kustomize builds each
      // folder's own kustomization, and fails naming the folder when one does not build.
      for (const env of ENVS) {
        const folders = [...CASES.filter(([e]) => e === env).map(([, p]) => p), 'argocd'];
        fs.writeFileSync(path.join(dir, env, 'kustomization.yaml'), `resources:\n${folders.map((f) => `- ${f}\n`).join('')}`);
        const out = execFileSync('kubectl', ['kustomize', path.join(dir, env)], { encoding: 'utf8' });
        const kinds = out.split(/^---$/m).map((doc) => /^kind: (.+)$/m.exec(doc)?.[1]);
        expect(kinds.length, env).toBe(folders.reduce((n, f) => n + objectsOf(env, f).length, 0));
        expect(kinds.every(Boolean), env).toBe(true);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
