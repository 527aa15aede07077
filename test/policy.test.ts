import { ApiObject, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { BackupCronJob, describeRules, PlatformChart, Postgres, PublicIngress, render, secretKey, Singleton, waive, WebService } from '../src';
import { RULES } from '../src/policy/rules';
import { inputErrorOf, problemsOf, prodTestEnv, renderChart, SMALL, testEnv } from './helpers';

const IMAGE = 'ghcr.io/acme/api:1.2.3';
/** A production env runs images by digest. */
const DIGEST = `sha256:${'c'.repeat(64)}`;
const web = (chart: PlatformChart, id = 'api', over: Record<string, unknown> = {}) =>
  new WebService(chart, id, { image: IMAGE, profile: { replicas: 2, resources: SMALL }, port: 8080, healthPath: '/healthz', ...over });
const objectOf = (c: { node: { tryFindChild(id: string): unknown } }) => c.node.tryFindChild('Resource') as ApiObject;
/** Adds a raw object to the chart, as an escape hatch would. */
const raw = (chart: PlatformChart, id: string, doc: Record<string, any>) =>
  new ApiObject(chart, id, { apiVersion: doc.apiVersion, kind: doc.kind, metadata: { namespace: chart.namespace, ...doc.metadata }, ...doc.body });

/** The one problem line of `rule`; fails unless exactly one. */
function violation(problems: readonly string[], rule: string): string {
  const lines = problems.filter((p) => p.includes(`[${rule}]`));
  expect(lines, `one [${rule}] line among:\n  ${problems.join('\n  ')}`).toHaveLength(1);
  return lines[0];
}

describe('the rules', () => {
  it('have unique ids, a rationale and a fix hint each', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.rationale.length, r.id).toBeGreaterThan(20);
      expect(r.fix.length, r.id).toBeGreaterThan(10);
    }
    expect(describeRules().map((r) => r.id)).toEqual(ids);
  });

  it('pass the library\'s own constructs', () => {
    expect(
      problemsOf((c) => {
        const db = new Postgres(c, 'db', { image: `postgres:16.4@${DIGEST}`, storage: { size: '1Gi' }, resources: SMALL, password: secretKey('db', 'password') });
        const api = web(c, 'api', { uses: [db], image: `${IMAGE}@${DIGEST}` });
        new Singleton(c, 'engine', { image: `${IMAGE}@${DIGEST}`, profile: { resources: SMALL }, port: 8000, healthPath: '/health' });
        new PublicIngress(c, 'web', { host: 'app.example.com', routes: [{ path: '/', service: api, access: 'public', control: false }] });
      }, prodTestEnv()),
    ).toEqual([]);
  });
});

// Each case breaks one rule through an escape hatch and expects exactly that rule to report it,
// naming env, construct path, object and fix.
const cases: Array<{ rule: string; build: (c: PlatformChart) => void; says: string; env?: ReturnType<typeof testEnv> }> = [
  {
    rule: 'pss-restricted',
    build: (c) => objectOf(web(c)).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation', true)),
    says: 'api does not set allowPrivilegeEscalation: false',
  },
  {
    rule: 'pss-restricted',
    build: (c) => objectOf(web(c)).addJsonPatch(JsonPatch.add('/spec/template/spec/volumes/-', { name: 'host', hostPath: { path: '/var/run' } })),
    says: 'volume host is of type hostPath',
  },
  {
    rule: 'read-only-root',
    build: (c) => objectOf(web(c)).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem', false)),
    says: 'api has a writable root filesystem',
  },
  {
    rule: 'resources',
    build: (c) => objectOf(web(c)).addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/resources/limits')),
    says: 'api has no limits.memory',
  },
  {
    rule: 'probes',
    build: (c) => objectOf(web(c)).addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/livenessProbe')),
    says: 'api has no livenessProbe',
  },
  {
    rule: 'image-tag',
    build: (c) => objectOf(web(c)).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/image', 'ghcr.io/acme/api')),
    says: 'has no tag or digest',
  },
  {
    rule: 'image-pinned',
    build: (c) => objectOf(web(c)).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/image', 'ghcr.io/acme/api:main')),
    says: 'runs "ghcr.io/acme/api:main", which is not pinned',
  },
  {
    rule: 'image-pull',
    // A moving tag where the env allows one, patched in after the library chose the pull policy.
    build: (c) => objectOf(web(c)).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/image', 'ghcr.io/acme/api:main')),
    says: 'api pulls the moving reference "ghcr.io/acme/api:main" IfNotPresent',
    env: testEnv({ requirePinnedImages: false }),
  },
  {
    rule: 'no-secret-data',
    build: (c) => raw(c, 'leak', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak' }, body: { stringData: { password: 'x' } } }),
    says: 'holds data',
  },
  {
    rule: 'service-selects-pods',
    build: (c) => (web(c).node.tryFindChild('service') as ApiObject).addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'nothing' })),
    says: 'selects no pod',
  },
  {
    rule: 'service-selects-pods',
    build: (c) => {
      web(c);
      raw(c, 'grpc', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'grpc' },
        body: { spec: { selector: c.selectorLabels('api'), ports: [{ name: 'grpc', port: 9000, targetPort: 'grpc' }] } },
      });
    },
    says: 'targets "grpc", which no selected container declares',
  },
  {
    rule: 'ingress-backend',
    build: (c) => {
      const api = web(c);
      (new PublicIngress(c, 'web', { host: 'app.example.com', routes: [{ path: '/', service: api, access: 'public', control: false }] }).node.tryFindChild('Resource') as ApiObject).addJsonPatch(
        JsonPatch.replace('/spec/rules/0/http/paths/0/backend/service/name', 'gone'),
      );
    },
    says: 'routes to Service "gone", which does not exist',
  },
  {
    rule: 'autoscaler-target',
    build: (c) => raw(c, 'hpa', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'hpa' }, body: { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone' }, maxReplicas: 3 } } }),
    says: 'targets Deployment/gone, which does not exist',
  },
  {
    rule: 'budget-target',
    build: (c) => raw(c, 'pdb', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb' }, body: { spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'gone' } } } } }),
    says: 'selects no pod',
  },
  {
    rule: 'default-deny',
    build: (c) => {
      web(c);
      (c.node.tryFindChild('default-deny') as ApiObject).addJsonPatch(JsonPatch.replace('/spec/policyTypes', ['Ingress']));
    },
    says: 'has workloads but no default-deny NetworkPolicy',
  },
  {
    rule: 'prod-budget',
    build: (c) => (web(c).node.tryFindChild('budget') as ApiObject).addJsonPatch(JsonPatch.replace('/spec/selector/matchLabels', { app: 'other' })),
    says: 'runs several replicas in production without a PodDisruptionBudget',
    env: prodTestEnv(),
  },
  {
    rule: 'singleton',
    build: (c) => objectOf(new Singleton(c, 'engine', { image: IMAGE, profile: { resources: SMALL }, port: 8000, healthPath: '/health' })).addJsonPatch(JsonPatch.replace('/spec/replicas', 2)),
    says: 'has replicas 2; a singleton runs exactly 1',
  },
  {
    rule: 'singleton',
    // A raw Deployment marked as a singleton, as a chart might hand-write one.
    build: (c) => {
      const labels = { 'app.kubernetes.io/name': 'beat', 'app.kubernetes.io/part-of': 'demo' };
      const container = { name: 'beat', image: IMAGE, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } };
      raw(c, 'beat', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'beat', labels, annotations: { 'trading-platform-manifests/singleton': 'true' } },
        body: { spec: { replicas: 1, strategy: { type: 'Recreate' }, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container] } } } },
      });
    },
    says: 'is a Deployment, which starts a replacement while the old pod may still run',
  },
  {
    rule: 'cronjob-no-overlap',
    build: (c) => {
      const db = new Postgres(c, 'db', { image: 'postgres:16.4', storage: { size: '1Gi' }, resources: SMALL, password: secretKey('db', 'password') });
      objectOf(new BackupCronJob(c, 'backup', { database: db, keepDays: 3, storage: { size: '1Gi' }, resources: SMALL })).addJsonPatch(JsonPatch.replace('/spec/concurrencyPolicy', 'Allow'));
    },
    says: 'has concurrencyPolicy "Allow"',
  },
  {
    rule: 'no-job-ttl',
    build: (c) => raw(c, 'job', {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job' },
      body: { spec: { ttlSecondsAfterFinished: 60, template: { spec: { restartPolicy: 'Never', containers: [] } } } },
    }),
    says: 'sets ttlSecondsAfterFinished: 60',
  },
  {
    rule: 'cronjob-time-zone',
    build: (c) => {
      const db = new Postgres(c, 'db', { image: 'postgres:16.4', storage: { size: '1Gi' }, resources: SMALL, password: secretKey('db', 'password') });
      objectOf(new BackupCronJob(c, 'backup', { database: db, keepDays: 3, storage: { size: '1Gi' }, resources: SMALL })).addJsonPatch(JsonPatch.remove('/spec/timeZone'));
    },
    says: 'timeZone is missing',
  },
  {
    rule: 'names',
    build: (c) => raw(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' }, body: { data: {} } }),
    says: 'name "Bad_Name" is not a DNS-1123 label',
  },
  {
    rule: 'namespace-scope',
    build: (c) => raw(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'kube-system' }, body: { data: {} } }),
    says: 'has namespace "kube-system"; expected "demo-test"',
  },
];

describe.each(cases)('policy rule $rule', ({ rule, build, says, env }) => {
  it(`reports: ${says}`, () => {
    const e = env ?? testEnv();
    const line = violation(problemsOf(build, e), rule);
    expect(line.startsWith(`${e.name}/demo/`), line).toBe(true);
    expect(line).toContain(says);
    expect(line).toContain('(fix: ');
  });
});

describe('waivers', () => {
  const writableApi = (c: PlatformChart) => objectOf(web(c)).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem', false));

  it('let one object past one rule, with the reason rendered as an annotation and listed by synth', () => {
    const rendered = renderChart((c) => {
      writableApi(c);
      waive(c.node.findChild('api'), 'read-only-root', 'the vendor image rewrites its config at start');
    });
    expect(rendered.find('Deployment', 'api').metadata.annotations['trading-platform-manifests/waive-read-only-root']).toBe('the vendor image rewrites its config at start');
    expect(rendered.waivers).toEqual([
      { env: 'test', platform: 'demo', object: 'Deployment/api', rule: 'read-only-root', reason: 'the vendor image rewrites its config at start' },
    ]);
  });

  it('do not waive other rules on the same object', () => {
    const problems = problemsOf((c) => {
      writableApi(c);
      objectOf(c.node.findChild('api') as WebService).addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/livenessProbe'));
      waive(c.node.findChild('api'), 'read-only-root', 'the vendor image rewrites its config at start');
    });
    violation(problems, 'probes');
    expect(problems.some((p) => p.includes('[read-only-root]'))).toBe(false);
  });

  it('fail without a reason', () => {
    const problems = problemsOf((c) => {
      writableApi(c);
      waive(c.node.findChild('api'), 'read-only-root', 'because');
    });
    expect(problems.some((p) => p.includes('the reason must say why'))).toBe(true);
  });

  it('fail when they name an unknown rule', () => {
    const problems = problemsOf((c) => {
      web(c);
      objectOf(c.node.findChild('api') as WebService).metadata.addAnnotation('trading-platform-manifests/waive-read-only-rot', 'a typo that waives nothing at all');
    });
    expect(problems.some((p) => p.includes('waiver of unknown rule "read-only-rot"'))).toBe(true);
  });
});

describe('reporting', () => {
  it('reports every violation of every env in one error', () => {
    const build = (scope: any, o: any) => {
      const chart = new PlatformChart(scope, 'demo', { env: o.env });
      objectOf(web(chart)).addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/readinessProbe'));
      return chart;
    };
    const error = inputErrorOf(() => render({ a: { env: testEnv({ name: 'a' }) }, b: { env: testEnv({ name: 'b' }) } }, [{ name: 'demo', build }]));
    const problems = error.problems;
    expect(problems.filter((p) => p.includes('[probes]')).map((p) => p.slice(0, p.indexOf(':')))).toEqual(['a/demo/api/Resource', 'b/demo/api/Resource']);
  });
});

describe('the README', () => {
  it('lists every rule id with its rationale', () => {
    const readme = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'README.md'), 'utf8');
    for (const r of describeRules()) expect(readme, r.id).toContain(`| \`${r.id}\` | ${r.rationale} |`);
  });
});
