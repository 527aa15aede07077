import { ApiObject, App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { waive } from '../src';
import { runPolicy } from '../src/policy/engine';
import type { RuleId } from '../src/policy/rule';
import { RULES } from '../src/policy/rules';
import { prodTestEnv, testEnv } from './helpers';

// The naming, operations and wiring rules, each run on a few hand-written documents: what each
// reports, on which object, and what it leaves alone (incomplete documents included, as a patch
// or a raw object can leave them).

type Doc = Record<string, any>;
const NS = 'demo-test';

/** The lines rule `id` reports over `docs`, as synth prints them. */
function lines(id: RuleId, docs: Doc[], env = testEnv()): string[] {
  const objects = docs.map((doc, i) => ({ env: env.name, platform: 'demo', constructPath: `demo/o${i}`, doc }));
  return [...runPolicy(env, NS, objects, RULES.filter((r) => r.id === id)).violations];
}
/** What rule `id` says over `docs`, one `Kind/name: message` each. */
const says = (id: RuleId, docs: Doc[], env = testEnv()) => lines(id, docs, env).map((l) => l.replace(/^[^:]+: \[[\w-]+\] /, '').replace(/ \(fix: .*\)$/, ''));

const meta = (name: string, extra: Doc = {}) => ({ name, namespace: NS, ...extra });
const labels = { app: 'api' };
const deployment = (name: string, spec: Doc = {}, metadata: Doc = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, metadata),
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'api', image: 'x:1', ports: [{ name: 'http', containerPort: 8080 }] }] } }, ...spec },
});
const hpa = (target: Doc | undefined, max?: number) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('hpa'), ...(target ? { spec: { scaleTargetRef: target, maxReplicas: max } } : {}) });
const SINGLETON = { annotations: { 'trading-platform-manifests/singleton': 'true' } };

describe('names', () => {
  it('reports a missing name with env, platform, object and fix', () => {
    const [line] = lines('names', [{ apiVersion: 'v1', kind: 'ConfigMap' }]);
    expect(line).toBe(`test/demo/o0: [names] ConfigMap/undefined: name expected a name, got nothing (fix: ${RULES.find((r) => r.id === 'names')!.fix})`);
  });

  it('allows 52 characters for a CronJob and 63 for anything else', () => {
    const cron = (n: number) => ({ kind: 'CronJob', metadata: meta('c'.repeat(n)) });
    const dep = (n: number) => ({ kind: 'Deployment', metadata: meta('d'.repeat(n)) });
    expect(says('names', [cron(52), dep(53), dep(63)])).toEqual([]);
    expect(says('names', [cron(53), dep(64)])).toEqual([
      `CronJob/${'c'.repeat(53)}: name "${'c'.repeat(53)}" is 53 characters long; at most 52 are allowed`,
      `Deployment/${'d'.repeat(64)}: name "${'d'.repeat(64)}" is 64 characters long; at most 63 are allowed`,
    ]);
  });

  it('accepts label values of up to 63 characters, empty or one character', () => {
    expect(says('names', [{ kind: 'ConfigMap', metadata: meta('ok', { labels: { a: '', b: 'x', c: 'A-b_c.9', d: 'v'.repeat(63) } }) }])).toEqual([]);
  });

  it('reports each bad label value, naming key and value', () => {
    const bad = { n: 5, long: 'v'.repeat(64), lead: '-a', trail: 'a.', space: 'a b' };
    expect(says('names', [{ kind: 'ConfigMap', metadata: meta('cm', { labels: bad }) }])).toEqual(
      Object.entries(bad).map(([k, v]) => `ConfigMap/cm: label ${k}=${JSON.stringify(v)} is not a valid label value (63 characters, alphanumerics, '-', '_', '.')`),
    );
  });
});

describe('namespace-scope', () => {
  const CLUSTER = ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'CustomResourceDefinition', 'IngressClass'];

  it('passes cluster-scoped kinds without a namespace and namespaced ones in the platform\'s', () => {
    expect(says('namespace-scope', [...CLUSTER.map((kind) => ({ kind, metadata: { name: 'x' } })), { kind: 'ConfigMap', metadata: meta('cm') }])).toEqual([]);
  });

  it('reports a cluster-scoped kind with a namespace', () => {
    expect(says('namespace-scope', CLUSTER.map((kind) => ({ kind, metadata: meta('x') })))).toEqual(CLUSTER.map((kind) => `${kind}/x: is cluster-scoped but has namespace "${NS}"`));
  });

  it('reports a namespaced object without metadata', () => {
    expect(says('namespace-scope', [{ kind: 'ConfigMap' }])).toEqual([`ConfigMap/undefined: has namespace undefined; expected "${NS}"`]);
  });
});

describe('prod-budget', () => {
  it('judges production only', () => {
    expect(says('prod-budget', [deployment('api', { replicas: 3 })], testEnv())).toEqual([]);
    expect(says('prod-budget', [deployment('api', { replicas: 3 })], prodTestEnv())).toEqual(['Deployment/api: runs several replicas in production without a PodDisruptionBudget']);
  });

  it('counts the autoscaler\'s maximum over the fixed count, and one replica by default', () => {
    const env = prodTestEnv();
    expect(says('prod-budget', [deployment('api', { replicas: 1 }), hpa({ kind: 'Deployment', name: 'api' }, 4)], env)).toEqual(['Deployment/api: runs several replicas in production without a PodDisruptionBudget']);
    expect(says('prod-budget', [deployment('api', { replicas: 3 }), hpa({ kind: 'Deployment', name: 'api' })], env)).toEqual([]);
    expect(says('prod-budget', [{ kind: 'Deployment', metadata: meta('bare') }, hpa(undefined), hpa({ kind: 'Deployment' }), { kind: 'HorizontalPodAutoscaler', metadata: meta('norefs'), spec: { maxReplicas: 3 } }], env)).toEqual([]);
  });

  it('passes a Deployment whose pods a budget selects, and ignores a budget without a selector', () => {
    const env = prodTestEnv();
    const pdb = (spec?: Doc) => ({ kind: 'PodDisruptionBudget', metadata: meta('pdb'), ...(spec ? { spec } : {}) });
    expect(says('prod-budget', [deployment('api', { replicas: 3 }), pdb({ maxUnavailable: 1, selector: { matchLabels: labels } })], env)).toEqual([]);
    expect(says('prod-budget', [deployment('api', { replicas: 3 }), pdb(), pdb({ maxUnavailable: 1 })], env)).toHaveLength(1);
  });
});

describe('singleton', () => {
  const set = (name: string, spec?: Doc) => ({ kind: 'StatefulSet', metadata: meta(name, SINGLETON), ...(spec ? { spec } : {}) });

  it('passes a StatefulSet of one replica, and leaves unmarked workloads and other kinds alone', () => {
    expect(says('singleton', [set('engine', { replicas: 1 }), deployment('api', { replicas: 3 }), { kind: 'CronJob', metadata: meta('job', SINGLETON) }, { kind: 'Deployment' }])).toEqual([]);
  });

  it('reports a marked Deployment, a replica count other than 1 and an autoscaler on it', () => {
    expect(says('singleton', [set('two', { replicas: 2 }), set('none'), set('scaled', { replicas: 1 }), hpa({ kind: 'StatefulSet', name: 'scaled' }), hpa(undefined), hpa({ name: 'none' }), { kind: 'HorizontalPodAutoscaler', metadata: meta('norefs'), spec: { maxReplicas: 3 } }])).toEqual([
      'StatefulSet/two: has replicas 2; a singleton runs exactly 1',
      'StatefulSet/none: has replicas undefined; a singleton runs exactly 1',
      'StatefulSet/scaled: is targeted by an autoscaler',
    ]);
    expect(says('singleton', [deployment('beat', { replicas: 1 }, SINGLETON), hpa({ kind: 'StatefulSet', name: 'beat' })])).toEqual([
      'Deployment/beat: is a Deployment, which starts a replacement while the old pod may still run (an unreachable node); a singleton is a StatefulSet',
    ]);
  });
});

describe('Jobs and CronJobs', () => {
  const cron = (spec?: Doc) => ({ kind: 'CronJob', metadata: meta('backup'), ...(spec ? { spec } : {}) });
  const job = (spec?: Doc, metadata?: Doc) => ({ kind: 'Job', ...(metadata ? { metadata } : {}), ...(spec ? { spec } : {}) });

  it('cronjob-no-overlap wants Forbid, and counts a missing policy as Allow', () => {
    expect(says('cronjob-no-overlap', [cron({ concurrencyPolicy: 'Forbid' }), job({ concurrencyPolicy: 'Allow' }, meta('j'))])).toEqual([]);
    expect(says('cronjob-no-overlap', [cron(), cron({ concurrencyPolicy: 'Replace' })])).toEqual(['CronJob/backup: has concurrencyPolicy "Allow"', 'CronJob/backup: has concurrencyPolicy "Replace"']);
  });

  it('no-job-ttl reports a self-deleting Job unless it is an Argo CD hook', () => {
    expect(says('no-job-ttl', [job(), job({}, meta('j')), job({ ttlSecondsAfterFinished: 60 }, meta('hook', { annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }))])).toEqual([]);
    expect(says('no-job-ttl', [job({ ttlSecondsAfterFinished: 0 })])).toEqual(['Job/undefined: sets ttlSecondsAfterFinished: 0']);
  });

  it('cronjob-time-zone reports a missing zone and schedule, and an inline zone', () => {
    expect(says('cronjob-time-zone', [cron({ timeZone: 'Etc/UTC', schedule: '0 3 * * *' }), job({ schedule: 'x' }, meta('j'))])).toEqual([]);
    expect(says('cronjob-time-zone', [cron(), cron({ timeZone: 'Etc/UTC', schedule: 'CRON_TZ=UTC 0 3 * * *' })])).toEqual([
      'CronJob/backup: timeZone is missing',
      'CronJob/backup: schedule expected a cron schedule, got nothing',
      'CronJob/backup: schedule "CRON_TZ=UTC 0 3 * * *" sets its time zone inline; put the zone in timeZone instead',
    ]);
  });
});

describe('service-selects-pods', () => {
  const service = (spec?: Doc) => ({ kind: 'Service', metadata: meta('api'), ...(spec ? { spec } : {}) });

  it('passes a Service without a selector or without ports, and one whose ports are declared', () => {
    expect(says('service-selects-pods', [deployment('api'), service(), service({ selector: labels }), service({ selector: labels, ports: [{ port: 80, targetPort: 'http' }, { port: 8080 }] })])).toEqual([]);
  });

  it('names each port that targets an undeclared one, by name or number', () => {
    expect(says('service-selects-pods', [deployment('api'), service({ selector: labels, ports: [{ name: 'grpc', port: 9000, targetPort: 'grpc' }, { port: 81 }] })])).toEqual([
      'Service/api: port grpc targets "grpc", which no selected container declares',
      'Service/api: port 81 targets 81, which no selected container declares',
    ]);
  });
});

describe('ingress-backend', () => {
  const service = (spec?: Doc) => ({ kind: 'Service', metadata: meta('api'), ...(spec ? { spec } : {}) });
  const ingress = (spec?: Doc) => ({ kind: 'Ingress', metadata: meta('web'), ...(spec ? { spec } : {}) });
  const path = (backend: Doc, p = '/') => ({ path: p, pathType: 'Prefix', backend });

  it('passes an Ingress without rules or paths, and a path to a port the Service exposes by number or name', () => {
    const api = service({ ports: [{ name: 'http', port: 80 }] });
    const ok = ingress({ rules: [{ host: 'a.example.com' }, { http: { paths: [path({ service: { name: 'api', port: { number: 80 } } }), path({ service: { name: 'api', port: { name: 'http' } } })] } }] });
    expect(says('ingress-backend', [api, ingress(), ok])).toEqual([]);
  });

  it('reports a missing Service, a backend that is not a Service, and a port the Service does not expose', () => {
    const paths = [path({ service: { name: 'gone', port: { number: 80 } } }, '/a'), path({ resource: { kind: 'Bucket', name: 'b' } }, '/b'), path({ service: { name: 'api', port: { number: 81 } } }, '/c')];
    expect(says('ingress-backend', [service({ ports: [{ name: 'http', port: 80 }] }), ingress({ rules: [{ http: { paths } }] })])).toEqual([
      'Ingress/web: path /a routes to Service "gone", which does not exist',
      'Ingress/web: path /b routes to Service "undefined", which does not exist',
      'Ingress/web: path /c routes to api:81, which the Service does not expose',
    ]);
    expect(says('ingress-backend', [service(), ingress({ rules: [{ http: { paths: [path({ service: { name: 'api', port: { number: 80 } } })] } }] })])).toEqual(['Ingress/web: path / routes to api:80, which the Service does not expose']);
  });
});

describe('autoscaler-target and budget-target', () => {
  it('report an autoscaler on a missing or non-Deployment target, or on a Deployment that fixes replicas', () => {
    expect(says('autoscaler-target', [deployment('api'), hpa({ kind: 'Deployment', name: 'api' })])).toEqual([]);
    expect(says('autoscaler-target', [deployment('api'), { kind: 'StatefulSet', metadata: meta('db') }, hpa(undefined), hpa({ kind: 'Deployment', name: 'db' }), hpa({ kind: 'StatefulSet', name: 'api' })])).toEqual([
      'HorizontalPodAutoscaler/hpa: targets undefined/undefined, which does not exist',
      'HorizontalPodAutoscaler/hpa: targets Deployment/db, which does not exist',
      'HorizontalPodAutoscaler/hpa: targets StatefulSet/api, which does not exist',
    ]);
    expect(says('autoscaler-target', [deployment('api', { replicas: 2 }), hpa({ kind: 'Deployment', name: 'api' })])).toEqual(['HorizontalPodAutoscaler/hpa: targets Deployment/api, which also fixes replicas: 2']);
    expect(says('autoscaler-target', [{ kind: 'Deployment', metadata: meta('bare') }, hpa({ kind: 'Deployment', name: 'bare' })])).toEqual([]);
  });

  it('budget-target reports a budget without a selector', () => {
    expect(says('budget-target', [deployment('api'), { kind: 'PodDisruptionBudget', metadata: meta('pdb') }, { kind: 'PodDisruptionBudget', metadata: meta('pdb2'), spec: {} }])).toEqual([
      'PodDisruptionBudget/pdb: selects no pod',
      'PodDisruptionBudget/pdb2: selects no pod',
    ]);
  });
});

describe('default-deny', () => {
  const policy = (spec?: Doc) => ({ kind: 'NetworkPolicy', metadata: meta('deny'), ...(spec ? { spec } : {}) });
  const namespace = { kind: 'Namespace', metadata: { name: NS } };

  it('passes a platform without workloads, and one with a deny-all policy', () => {
    expect(says('default-deny', [namespace, policy()])).toEqual([]);
    expect(says('default-deny', [deployment('api'), policy({ policyTypes: ['Ingress', 'Egress'] })])).toEqual([]);
  });

  it('reports on the Namespace when no policy denies both ways', () => {
    const message = `Namespace/${NS}: namespace ${NS} has workloads but no default-deny NetworkPolicy`;
    for (const p of [policy(), policy({ podSelector: {}, policyTypes: ['Ingress'] }), policy({ podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'] }), policy({ policyTypes: ['Ingress', 'Egress'], egress: [{}] })]) {
      expect(says('default-deny', [deployment('api'), namespace, p])).toEqual([message]);
    }
    expect(says('default-deny', [deployment('api')])).toEqual(['Deployment/api: namespace demo-test has workloads but no default-deny NetworkPolicy']);
  });
});

describe('waive', () => {
  /** A chart holding one object of each kind, and the annotations each got. */
  function chartOf(kinds: string[]) {
    const chart = new Chart(new App(), 'demo');
    const objects = kinds.map((kind) => new ApiObject(chart, kind, { apiVersion: 'v1', kind, metadata: { name: kind.toLowerCase() } }));
    const waived = (rule: string) => objects.filter((o) => o.toJson().metadata?.annotations?.[`trading-platform-manifests/waive-${rule}`] !== undefined).map((o) => o.kind);
    return { chart, waived };
  }
  const REASON = 'the vendor image needs it, see the runbook';

  // Which objects of a construct a waiver lands on: the kinds the rule judges, and no other.
  const judged: Array<[RuleId, string[]]> = [
    ['prod-budget', ['Deployment']],
    ['singleton', ['Deployment', 'StatefulSet']],
    ['cronjob-no-overlap', ['CronJob']],
    ['no-job-ttl', ['Job']],
    ['cronjob-time-zone', ['CronJob']],
    ['service-selects-pods', ['Service']],
    ['ingress-backend', ['Ingress']],
    ['autoscaler-target', ['HorizontalPodAutoscaler']],
    ['budget-target', ['PodDisruptionBudget']],
    ['default-deny', ['Namespace']],
    ['public-control-route', ['Ingress', 'Service']],
    ['sign-in-route', ['Ingress']],
    ['egress-internal', ['NetworkPolicy']],
    ['no-secret-data', ['Secret']],
    ['names', ['CronJob', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'Job', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'Secret', 'Service', 'StatefulSet']],
  ];
  it.each(judged)('%s lands on %j only', (rule, kinds) => {
    const { chart, waived } = chartOf(['CronJob', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'Job', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'Secret', 'Service', 'StatefulSet']);
    waive(chart, rule, REASON);
    expect(waived(rule)).toEqual(kinds);
    expect(chart.node.validate()).toEqual([]);
  });

  it('of a rule that does not exist lands on every object, for the policy to report', () => {
    const { chart, waived } = chartOf(['Deployment', 'Service']);
    waive(chart, 'read-only-rot' as RuleId, REASON);
    expect(waived('read-only-rot')).toEqual(['Deployment', 'Service']);
  });

  it('renders the reason trimmed, and takes one of 10 characters', () => {
    const { chart } = chartOf(['Deployment']);
    waive(chart, 'prod-budget', '  ten chars.  ');
    expect((chart.node.findChild('Deployment') as ApiObject).toJson().metadata.annotations['trading-platform-manifests/waive-prod-budget']).toBe('ten chars.');
    expect(chart.node.validate()).toEqual([]);
  });

  it('fails without a reason of 10 characters once trimmed, or with nothing to waive', () => {
    for (const reason of [undefined, '  too short    ', '012345678']) {
      const { chart, waived } = chartOf(['Deployment']);
      waive(chart, 'prod-budget', reason as unknown as string);
      expect(chart.node.validate(), String(reason)).toEqual(['waive(prod-budget): the reason must say why, in 10 characters or more']);
      expect(waived('prod-budget')).toEqual([]);
    }
    const { chart } = chartOf(['Service']);
    waive(chart, 'prod-budget', REASON);
    expect(chart.node.validate()).toEqual(['waive(prod-budget): nothing to waive; call it after the construct has rendered its objects']);
  });
});
