import { ApiObject, App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { Environment, httpsEgress, MigrationJob, NOT_INTERNET, PlatformChart, Postgres, ScheduledRestart, secretKey, WebService, Worker } from '../src';
import { containersOf, ingressClassOf, podLabelsOf, podSpecOf, podSpecsOf, PodIndex } from '../src/documents';
import type { ExternalAuth } from '../src/ingress-settings';
import { egressProblems, NetworkPeer } from '../src/network';
import { SignInProxy, signInProblems } from '../src/sign-in-proxy';
import { chartIn, find, problemsIn, prodTestEnv, SMALL, testEnv } from './helpers';

// The platform chart and the constructs every platform shares (NetworkPolicies, the scheduled
// restart, the migration Job, the sign-in proxy), built directly in a chart of their own, without
// the synth pipeline: what each renders, and which input each refuses, naming the field.

type Doc = Record<string, any>;
const IMAGE = 'ghcr.io/acme/api:1.2.3';
const KUBECTL = 'bitnami/kubectl:1.27.16';

/** `<kind>/<name>` of every object built under `scope`, without synth (which refuses a chart with problems). */
const objectsOf = (scope: IConstruct): string[] => scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => `${o.kind}/${o.name}`);
const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
const podsOf = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'demo' } } });
const inNamespace = (namespace: string, podLabels?: Record<string, string>) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
  ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
});
const web = (chart: Construct, id = 'api') => new WebService(chart, id, { image: IMAGE, profile: { replicas: 1, resources: SMALL }, port: 8080, healthPath: '/healthz' });
const database = (chart: Construct, id = 'db') => new Postgres(chart, id, { image: 'postgres:16.4', storage: { size: '1Gi' }, resources: SMALL, password: secretKey(`${id}-credentials`, 'password') });

describe('PlatformChart.of', () => {
  it('finds the chart of a construct nested at any depth', () => {
    const chart = chartIn();
    const deep = new Construct(new Construct(chart, 'a'), 'b');
    expect(PlatformChart.of(deep)).toBe(chart);
    expect(PlatformChart.of(chart)).toBe(chart);
  });

  it('refuses a construct outside any PlatformChart, naming its path', () => {
    const stray = new Construct(new Construct(new App(), 'loose'), 'thing');
    expect(() => PlatformChart.of(stray)).toThrow('loose/thing: constructs of this library must be created inside a PlatformChart');
  });
});

describe('PlatformChart input', () => {
  it('accepts a platform name of 40 characters and an env name of 20, and refuses one more of each', () => {
    expect(problemsIn(new PlatformChart(new App(), 'p'.repeat(40), { env: testEnv({ name: 'e'.repeat(20) }) }))).toEqual([]);
    const chart = new PlatformChart(new App(), 'p'.repeat(41), { env: testEnv({ name: 'e'.repeat(21) }) });
    expect(problemsIn(chart)).toEqual([
      `${'p'.repeat(41)}: platform: "${'p'.repeat(41)}" is 41 characters long; at most 40 are allowed`,
      `${'p'.repeat(41)}: env.name: "${'e'.repeat(21)}" is 21 characters long; at most 20 are allowed`,
    ]);
  });

  it('renders nothing when its input has a problem', () => {
    const chart = new PlatformChart(new App(), 'Demo', { env: testEnv() });
    expect(problemsIn(chart)).toEqual(['Demo: platform: "Demo" is not a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit)']);
    expect(objectsOf(chart)).toEqual([]);
  });

  it('refuses a time zone that is not an IANA name and an ingress controller namespace that is not a DNS label', () => {
    const env = testEnv({ timeZone: 'Mars/Base', ingress: { ...testEnv().ingress, controllerNamespace: 'Ingress_Nginx' } });
    expect(problemsIn(chartIn(env))).toEqual([
      'demo: env.timeZone: "Mars/Base" is not an IANA time zone name; use e.g. "UTC" or "Europe/Berlin"',
      expect.stringMatching(/^demo: env\.ingress\.controllerNamespace: "Ingress_Nginx" is not a DNS-1123 label/),
    ]);
  });

  it('reports an env without ingress settings instead of failing on it', () => {
    const env = { ...testEnv(), ingress: undefined } as unknown as Environment;
    expect(problemsIn(chartIn(env))).toEqual(['demo: env.ingress.controllerNamespace: expected a name, got nothing']);
  });

  it('refuses a DNS namespace that is not a DNS label and each DNS range that is not a CIDR', () => {
    const env = testEnv({ dns: { namespace: 'Kube System', cidrs: ['169.254.20.10', '10.0.0.10/32', '1.2.3.4/33'] } });
    expect(problemsIn(chartIn(env))).toEqual([
      expect.stringMatching(/^demo: env\.dns\.namespace: "Kube System" is not a DNS-1123 label/),
      'demo: env.dns.cidrs: "169.254.20.10" is not an IPv4 CIDR such as "10.0.0.0/8"',
      'demo: env.dns.cidrs: "1.2.3.4/33" is not an IPv4 CIDR such as "10.0.0.0/8"',
    ]);
  });

  it('refuses each budget field that is not a quantity or a pod count from 1 to 100000', () => {
    const budget = { cpu: '2 cores', memory: '4GB', storage: '-1Gi', pods: 0 };
    expect(problemsIn(chartIn(testEnv(), { budget }))).toEqual([
      'demo: budget.cpu: "2 cores" is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"',
      'demo: budget.memory: "4GB" is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"',
      'demo: budget.storage: "-1Gi" is negative; use e.g. "250m", "512Mi" or "20Gi"',
      'demo: budget.pods: 0 is not allowed; use a whole number from 1 to 100000',
    ]);
    expect(problemsIn(chartIn(testEnv(), { budget: { cpu: '2', memory: '4Gi', storage: '10Gi', pods: 100001 } }))).toEqual([
      'demo: budget.pods: 100001 is not allowed; use a whole number from 1 to 100000',
    ]);
    expect(problemsIn(chartIn(testEnv(), { budget: { cpu: '2', memory: '4Gi', storage: '10Gi', pods: 100000 } }))).toEqual([]);
  });

  describe('env.apiServerCidrs', () => {
    const problems = (cidrs: unknown) => problemsIn(chartIn(testEnv({ apiServerCidrs: cidrs as string[] })));
    const hint = "name the API server's addresses (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)";

    it('accepts private, carrier-grade NAT and public addresses of /16 or narrower', () => {
      expect(problems(['10.96.0.0/16', '172.16.0.1/32', '192.168.0.0/16', '100.64.0.1/32', '52.94.76.10/32'])).toEqual([]);
    });

    it('refuses a value that is no list, or an empty one, saying what to give', () => {
      expect(problems('10.0.0.1/32')).toEqual([`demo: env.apiServerCidrs: is "10.0.0.1/32"; ${hint}, each an IPv4 CIDR of /16 or narrower`]);
      expect(problems([])).toEqual([`demo: env.apiServerCidrs: is []; ${hint}, each an IPv4 CIDR of /16 or narrower`]);
      expect(problems(undefined)).toEqual([`demo: env.apiServerCidrs: is undefined; ${hint}, each an IPv4 CIDR of /16 or narrower`]);
    });

    it('refuses an address that is not a CIDR', () => {
      expect(problems(['10.0.0.1', '10.0.0.2/32'])).toEqual(['demo: env.apiServerCidrs: "10.0.0.1" is not an IPv4 CIDR such as "10.0.0.0/8"']);
    });

    it('refuses a range wider than a /16, one line per bad range', () => {
      expect(problems(['10.0.0.0/15', '10.2.0.0/16', '52.0.0.0/8'])).toEqual([
        `demo: env.apiServerCidrs: "10.0.0.0/15" is wider than a /16; ${hint}`,
        `demo: env.apiServerCidrs: "52.0.0.0/8" is wider than a /16; ${hint}`,
      ]);
    });

    it('refuses a range into special-purpose space other than private and shared, naming the block and its RFC', () => {
      expect(problems(['192.0.2.10/32', '10.0.0.1/32'])).toEqual([
        `demo: env.apiServerCidrs: "192.0.2.10/32" reaches 192.0.2.0/24 (documentation (TEST-NET-1), RFC 5737), where no API server listens; ${hint}`,
      ]);
    });
  });
});

describe('PlatformChart output', () => {
  it('reads the env\'s time zone and pinning, UTC and pinned images by default', () => {
    const plain = chartIn();
    expect([plain.timeZone, plain.pinnedImages]).toEqual(['UTC', true]);
    const set = chartIn(testEnv({ timeZone: 'Europe/Berlin', requirePinnedImages: false }));
    expect([set.timeZone, set.pinnedImages]).toEqual(['Europe/Berlin', false]);
  });

  it('labels its Namespace with the Pod Security version, the namespace name and component', () => {
    const ns = find(chartIn(), 'Namespace', 'demo-test');
    expect(ns.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'demo-test',
      'app.kubernetes.io/part-of': 'demo',
      'app.kubernetes.io/component': 'namespace',
      'app.kubernetes.io/managed-by': 'trading-platform-manifests',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.27',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(find(chartIn(testEnv(), { description: '' }), 'Namespace', 'demo-test').metadata.annotations).toBeUndefined();
  });

  it('renders a budget as a ResourceQuota on requests, memory limits, storage and pods, with container defaults that fit it', () => {
    const chart = chartIn(testEnv(), { budget: { cpu: '4', memory: '8Gi', storage: '100Gi', pods: 30 } });
    expect(objectsOf(chart)).toEqual(['Namespace/demo-test', 'ResourceQuota/budget', 'LimitRange/defaults', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns']);
    const quota = find(chart, 'ResourceQuota', 'budget');
    expect(quota.metadata.labels['app.kubernetes.io/component']).toBe('quota');
    expect(quota.spec).toEqual({ hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '8Gi', 'requests.storage': '100Gi', pods: '30' } });
    expect(find(chart, 'LimitRange', 'defaults').metadata.labels['app.kubernetes.io/component']).toBe('quota');
    expect(find(chart, 'LimitRange', 'defaults').spec).toEqual({
      limits: [{ type: 'Container', defaultRequest: { cpu: '50m', memory: '64Mi' }, default: { memory: '256Mi' } }],
    });
    expect(chart.budget).toEqual({ cpu: '4', memory: '8Gi', storage: '100Gi', pods: 30 });
  });

  it('labels its own NetworkPolicies as such', () => {
    const chart = chartIn();
    for (const name of ['default-deny', 'allow-dns']) expect(find(chart, 'NetworkPolicy', name).metadata.labels['app.kubernetes.io/component'], name).toBe('network-policy');
  });

  it('names an object created without a name after its construct path, with no hash', () => {
    const chart = chartIn();
    new ApiObject(new Construct(chart, 'extras'), 'settings', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(objectsOf(chart)).toContain('ConfigMap/demo-extras-settings');
  });

  it('sends DNS to the pods the env labels in kube-system when it names no namespace, and to no address range', () => {
    const dns = find(chartIn(testEnv({ dns: { podLabels: { 'k8s-app': 'node-local-dns' } } })), 'NetworkPolicy', 'allow-dns');
    expect(dns.spec.egress[0].to).toEqual([inNamespace('kube-system', { 'k8s-app': 'node-local-dns' })]);
  });

  it('gives metadata the namespace, the standard labels and only the annotations given', () => {
    const chart = chartIn();
    expect(chart.metadata('db-0')).toEqual({ name: 'db-0', namespace: 'demo-test', labels: { 'app.kubernetes.io/name': 'db-0', 'app.kubernetes.io/part-of': 'demo', 'app.kubernetes.io/managed-by': 'trading-platform-manifests' } });
    expect(chart.metadata('migrate-0123456789', { app: 'migrate', component: 'migration', labels: { team: 'core' }, annotations: { note: 'x' } })).toEqual({
      name: 'migrate-0123456789',
      namespace: 'demo-test',
      labels: {
        'app.kubernetes.io/name': 'migrate',
        'app.kubernetes.io/part-of': 'demo',
        'app.kubernetes.io/component': 'migration',
        'app.kubernetes.io/managed-by': 'trading-platform-manifests',
        team: 'core',
      },
      annotations: { note: 'x' },
    });
    expect(chart.metadata('x', { annotations: {} }).annotations).toBeUndefined();
    expect(chart.selectorLabels('api')).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'demo' });
  });
});

describe('NetworkPeer', () => {
  const peers = (env: Environment = testEnv()) => {
    const chart = chartIn(env);
    const peer = (name: string) => new NetworkPeer(chart, name, chart, name, chart.selectorLabels(name));
    return { chart, peer, policy: (name: string) => find(chart, 'NetworkPolicy', name) };
  };

  it('renders a policy on the pods it names, both directions, with empty rule lists until something is allowed', () => {
    const { peer, policy } = peers();
    peer('api');
    expect(policy('api').spec).toEqual({ podSelector: podsOf('api').podSelector, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
    expect(policy('api').metadata.labels['app.kubernetes.io/component']).toBe('network-policy');
  });

  it('merges the ports of repeated connections into one rule per peer, sorted by number and by peer name', () => {
    const { peer, policy } = peers();
    const [client, b, a] = [peer('client'), peer('b-server'), peer('a-server')];
    client.connectTo(b, [9090, 80]);
    client.connectTo(a, [5432]);
    client.connectTo(b, [80, 443]);
    expect(policy('client').spec.egress).toEqual([{ to: [podsOf('a-server')], ports: tcp(5432) }, { to: [podsOf('b-server')], ports: tcp(80, 443, 9090) }]);
    expect(policy('b-server').spec.ingress).toEqual([{ from: [podsOf('client')], ports: tcp(80, 443, 9090) }]);
    expect(policy('a-server').spec.egress).toEqual([]);
  });

  it('admits pods of other namespaces, one rule per namespace and labels whatever their key order, before its own clients', () => {
    const { peer, policy } = peers();
    const [server, client] = [peer('server'), peer('client')];
    client.connectTo(server, [8080]);
    server.allowFromNamespace({ namespace: 'tools', podLabels: { b: '2', a: '1' } }, [9000]);
    server.allowFromNamespace({ namespace: 'tools', podLabels: { a: '1', b: '2' } }, [8080]);
    server.allowFromNamespace({ namespace: 'backup' }, [8080]);
    expect(policy('server').spec.ingress).toEqual([
      { from: [inNamespace('backup')], ports: tcp(8080) },
      { from: [inNamespace('tools', { b: '2', a: '1' })], ports: tcp(8080, 9000) },
      { from: [podsOf('client')], ports: tcp(8080) },
    ]);
  });

  it('admits Prometheus only in an env with monitoring, and the ingress controller by its namespace and pod labels', () => {
    const plain = peers();
    plain.peer('api').allowScrape([9090]);
    expect(plain.policy('api').spec.ingress).toEqual([]);
    const monitored = peers(prodTestEnv({ monitoring: { namespace: 'monitoring', podLabels: { app: 'prometheus' }, prometheusUrl: 'http://prometheus.monitoring:9090', prometheusPort: 9090 } }));
    const api = monitored.peer('api');
    api.allowScrape([9090]);
    api.allowFromIngressController([8080]);
    expect(monitored.policy('api').spec.ingress).toEqual([
      { from: [inNamespace('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' })], ports: tcp(8080) },
      { from: [inNamespace('monitoring', { app: 'prometheus' })], ports: tcp(9090) },
    ]);
  });

  it('renders pods of another namespace as a destination, and explicit ranges sorted, with the internet exceptions on 0.0.0.0/0 only', () => {
    const { peer, policy } = peers();
    peer('api').allowExternal([
      { description: 'metrics push', ports: [9091], namespace: 'monitoring' },
      { description: 'exchange', ports: [8443, 443, 443], cidrs: ['52.94.0.0/16', '0.0.0.0/0', '3.5.0.0/16'] },
    ]);
    expect(policy('api').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...NOT_INTERNET] } }, { ipBlock: { cidr: '3.5.0.0/16' } }, { ipBlock: { cidr: '52.94.0.0/16' } }], ports: tcp(443, 8443) },
      { to: [inNamespace('monitoring')], ports: tcp(9091) },
    ]);
  });

  it('names every destination beyond the platform in one annotation, ports sorted, the API server included', () => {
    const { peer, policy } = peers(testEnv({ apiServerCidrs: ['10.0.0.2/32', '10.0.0.1/32'] }));
    const api = peer('api');
    api.allowExternal([{ description: 'smtp', ports: [2525, 465, 25] }]);
    api.allowApiServer();
    api.allowExternal([httpsEgress('billing')]);
    const rendered = policy('api');
    expect(rendered.metadata.annotations).toEqual({ 'trading-platform-manifests/external-egress': 'Kubernetes API server (tcp 443,6443); billing (tcp 443); smtp (tcp 25,465,2525)' });
    expect(rendered.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.0.1/32' } }, { ipBlock: { cidr: '10.0.0.2/32' } }], ports: tcp(443, 6443) });
  });

  it('shares one rule between purposes that name the same ports in another order', () => {
    const { peer, policy } = peers();
    peer('api').allowExternal([
      { description: 'market data', ports: [443, 80] },
      { description: 'news', ports: [80, 443, 80] },
    ]);
    expect(policy('api').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...NOT_INTERNET] } }], ports: tcp(80, 443) }]);
  });

  it('adds no annotation for an empty list of external rules', () => {
    const { peer, policy } = peers();
    peer('api').allowExternal([]);
    expect(policy('api').metadata.annotations).toBeUndefined();
  });
});

describe('egressProblems', () => {
  it('passes an HTTPS rule, a rule into another namespace and explicit ranges', () => {
    expect(httpsEgress('payments')).toEqual({ description: 'payments', ports: [443] });
    expect(egressProblems([httpsEgress('payments'), { description: 'push', ports: [9091], namespace: 'monitoring' }, { description: 'x', ports: [1, 65535], cidrs: ['52.94.0.0/16'] }])).toEqual([]);
    expect(egressProblems(undefined)).toEqual([]);
  });

  it('says what is wrong with each rule, naming it by its description', () => {
    expect(egressProblems('all' as any)).toEqual(['expected a list, got "all"']);
    expect(egressProblems([null as any, 443 as any])).toEqual([
      'null is not an egress rule; use httpsEgress(description) or { description, ports }',
      '443 is not an egress rule; use httpsEgress(description) or { description, ports }',
    ]);
    expect(egressProblems([{ description: '', ports: [] }])).toEqual([expect.stringMatching(/ needs a description of what it reaches$/), '"" needs at least one port']);
    // Ports that are no list: one problem, not an unexpected error or one per character.
    expect(egressProblems([{ ports: 443 } as any])).toEqual([expect.stringMatching(/ needs a description of what it reaches$/), '"undefined" needs at least one port']);
    expect(egressProblems([{ description: 'smtp', ports: '587' as any }])).toEqual(['"smtp" needs at least one port']);
    expect(egressProblems([{ description: 'smtp', ports: [0, 587] }])).toEqual(['"smtp": 0 is not a port; use a whole number from 1 to 65535']);
    expect(egressProblems([{ description: 'push', ports: [9091], namespace: 'Monitoring' }])).toEqual([expect.stringMatching(/^"push": namespace "Monitoring" is not a DNS-1123 label/)]);
    expect(egressProblems([{ description: 'vm', ports: [22], cidrs: '10.0.0.1/32' as any }])).toEqual(['"vm": cidrs must be a list']);
    expect(egressProblems([{ description: 'vm', ports: [22], cidrs: ['52.94.0.0/16', '10.0.0.1'] }])).toEqual(['"vm": "10.0.0.1" is not an IPv4 CIDR such as "10.0.0.0/8"']);
  });
});

describe('ScheduledRestart', () => {
  const restart = (env: Environment = testEnv(), props: Partial<ConstructorParameters<typeof ScheduledRestart>[2]> = {}) => {
    const chart = chartIn(env);
    const r = new ScheduledRestart(chart, 'nightly', { target: web(chart), schedule: '30 4 * * 1-5', image: KUBECTL, ...props });
    return { chart, r };
  };

  it('renders a CronJob that never overlaps, starts within ten minutes or skips, and keeps one success and three failures', () => {
    const { chart } = restart();
    const cron = find(chart, 'CronJob', 'nightly');
    const { jobTemplate, ...spec } = cron.spec;
    expect(spec).toEqual({ schedule: '30 4 * * 1-5', timeZone: 'UTC', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 600, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 3 });
    expect(jobTemplate.spec.backoffLimit).toBe(2);
    expect(jobTemplate.spec.activeDeadlineSeconds).toBe(600);
    expect(jobTemplate.metadata.labels).toEqual({ ...chart.selectorLabels('nightly'), 'app.kubernetes.io/component': 'restart', 'app.kubernetes.io/managed-by': 'trading-platform-manifests' });
    const pod = jobTemplate.spec.template.spec;
    expect([pod.restartPolicy, pod.serviceAccountName]).toEqual(['Never', 'nightly']);
    const [c] = pod.containers;
    expect(c.command).toEqual(['kubectl', 'rollout', 'restart', 'deployment/api', '--namespace=demo-test']);
    expect(c.env).toEqual([{ name: 'HOME', value: '/tmp' }]);
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } });
  });

  it('reads the schedule in the env\'s time zone, or in its own', () => {
    expect(find(restart(testEnv({ timeZone: 'America/New_York' })).chart, 'CronJob', 'nightly').spec.timeZone).toBe('America/New_York');
    expect(find(restart(testEnv({ timeZone: 'America/New_York' }), { timeZone: 'Asia/Tokyo' }).chart, 'CronJob', 'nightly').spec.timeZone).toBe('Asia/Tokyo');
  });

  it('runs under its own ServiceAccount, allowed to get and patch the one Deployment it restarts', () => {
    const { chart } = restart();
    const restartLabels = { ...chart.selectorLabels('nightly'), 'app.kubernetes.io/component': 'restart', 'app.kubernetes.io/managed-by': 'trading-platform-manifests' };
    for (const kind of ['ServiceAccount', 'Role', 'RoleBinding', 'CronJob']) expect(find(chart, kind, 'nightly').metadata.labels, kind).toEqual(restartLabels);
    expect(podLabelsOf(find(chart, 'CronJob', 'nightly'))).toEqual(restartLabels);
    expect(find(chart, 'ServiceAccount', 'nightly').automountServiceAccountToken).toBe(false);
    expect(find(chart, 'Role', 'nightly').rules).toEqual([{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['api'], verbs: ['get', 'patch'] }]);
    const binding = find(chart, 'RoleBinding', 'nightly');
    expect([binding.roleRef, binding.subjects]).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'nightly' }, [{ kind: 'ServiceAccount', name: 'nightly', namespace: 'demo-test' }]]);
  });

  it('reaches only the API server, at the env\'s addresses, and admits nothing', () => {
    const policy = find(restart(testEnv({ apiServerCidrs: ['10.0.0.1/32'] })).chart, 'NetworkPolicy', 'nightly');
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'nightly', 'app.kubernetes.io/part-of': 'demo' });
    expect(policy.spec.ingress).toEqual([]);
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: tcp(443, 6443) }]);
  });

  it('restarts a Deployment when the target does not say what runs its pods', () => {
    const chart = chartIn();
    const legacy = Object.assign(new Construct(chart, 'legacy'), { name: 'legacy', rendered: true });
    new ScheduledRestart(chart, 'nightly', { target: legacy, schedule: '0 0 * * *', image: KUBECTL });
    expect(find(chart, 'CronJob', 'nightly').spec.jobTemplate.spec.template.spec.containers[0].command.slice(3, 4)).toEqual(['deployment/legacy']);
    expect(find(chart, 'Role', 'nightly').rules[0].resources).toEqual(['deployments']);
  });

  it('uses the resources given', () => {
    const resources = { requests: { cpu: '20m', memory: '48Mi' }, limits: { memory: '96Mi' } };
    expect(find(restart(testEnv(), { resources }).chart, 'CronJob', 'nightly').spec.jobTemplate.spec.template.spec.containers[0].resources).toEqual(resources);
  });

  it('refuses a bad name, schedule, time zone and image, each by its field', () => {
    const chart = chartIn();
    new ScheduledRestart(chart, 'n'.repeat(53), { target: web(chart), schedule: '0 0 * *', timeZone: 'utc', image: 'bitnami/kubectl:latest' });
    expect(problemsIn(chart)).toEqual([
      `demo/${'n'.repeat(53)}: name: "${'n'.repeat(53)}" is 53 characters long; at most 52 are allowed`,
      `demo/${'n'.repeat(53)}: schedule: "0 0 * *" has 4 fields; a schedule has 5 (minute hour day-of-month month day-of-week)`,
      `demo/${'n'.repeat(53)}: timeZone: "utc" is spelled "UTC" in the IANA database`,
      expect.stringMatching(new RegExp(`^demo/${'n'.repeat(53)}: image: "bitnami/kubectl:latest" uses the tag "latest"`)),
    ]);
    expect(objectsOf(chart.node.findChild('n'.repeat(53)))).toEqual([]);
  });

  it('refuses a target that is no workload, or a workload of another platform', () => {
    const { chart } = restart(testEnv(), { target: { name: 'api', rendered: true } });
    expect(problemsIn(chart)).toEqual(['demo/nightly: target: must be a workload (WebService, Worker or Singleton) of this platform']);
    const unnamed = chartIn();
    new ScheduledRestart(unnamed, 'nightly', { target: new Construct(unnamed, 'x') as any, schedule: '0 0 * * *', image: KUBECTL });
    expect(problemsIn(unnamed)).toEqual(['demo/nightly: target: must be a workload (WebService, Worker or Singleton) of this platform']);
    const other = chartIn();
    const foreign = web(new PlatformChart(other.node.scope!, 'other', { env: other.env }));
    new ScheduledRestart(other, 'nightly', { target: foreign, schedule: '0 0 * * *', image: KUBECTL });
    expect(problemsIn(other)).toEqual(['demo/nightly: target: "api" belongs to another platform or env']);
  });

  it('renders nothing, and adds no problem, for a target that did not render (it reported its own)', () => {
    const chart = chartIn();
    const broken = new WebService(chart, 'api', { image: IMAGE, profile: { replicas: 1, resources: SMALL }, port: 0, healthPath: '/healthz' });
    new ScheduledRestart(chart, 'nightly', { target: broken, schedule: '0 0 * * *', image: KUBECTL });
    expect(problemsIn(chart)).toEqual([expect.stringMatching(/^demo\/api: port: 0 is not a port/)]);
    expect(objectsOf(chart.node.findChild('nightly'))).toEqual([]);
  });
});

describe('MigrationJob', () => {
  const job = (chart: PlatformChart) => (chart.toJson() as Doc[]).find((d) => d.kind === 'Job')!;
  const migrate = (chart: PlatformChart, over: Partial<ConstructorParameters<typeof MigrationJob>[2]> = {}, id = 'migrate') =>
    new MigrationJob(chart, id, { image: IMAGE, command: ['./api', 'migrate'], resources: SMALL, ...over });

  it('stops a hanging migration after the deadline given, 900 s by default, and retries twice', () => {
    const chart = chartIn();
    migrate(chart, { deadlineSeconds: 30, user: 20001 });
    expect(job(chart).spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 30 });
    expect(job(chart).spec.template.spec.securityContext.runAsUser).toBe(20001);
    expect(job(chart).metadata.labels['app.kubernetes.io/component']).toBe('migration');
    expect(job(chart).spec.template.metadata.labels).toEqual({ ...chart.selectorLabels('migrate'), 'app.kubernetes.io/component': 'migration', 'app.kubernetes.io/managed-by': 'trading-platform-manifests' });
  });

  it('waits for its database in a small container that writes nothing', () => {
    const chart = chartIn();
    migrate(chart, { database: database(chart) });
    const [wait] = job(chart).spec.template.spec.initContainers;
    expect(wait.name).toBe('wait-for-database');
    expect(wait.command).toEqual(['sh', '-c', 'until pg_isready --host="$PGHOST" --port="$PGPORT" --timeout=2; do sleep 2; done']);
    expect(wait.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } });
    expect(wait.volumeMounts).toBeUndefined();
    expect(wait.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it('names the Job after the database it waits for, but not after what else it uses', () => {
    const name = (build: (c: PlatformChart) => MigrationJob) => build(chartIn()).jobName;
    const plain = name((c) => migrate(c));
    expect(name((c) => migrate(c, { uses: [database(c)] }))).toBe(plain);
    const withDb = name((c) => migrate(c, { database: database(c) }));
    expect(withDb).not.toBe(plain);
    expect(name((c) => migrate(c, { database: database(c, 'ledger') }))).not.toBe(withDb);
  });

  it('connects to its database and to what it uses, and the servers admit it', () => {
    const chart = chartIn();
    const [db, cache] = [database(chart), web(chart, 'cache')];
    migrate(chart, { database: db, uses: [cache] });
    expect(find(chart, 'NetworkPolicy', 'migrate').spec.egress).toEqual([{ to: [podsOf('cache')], ports: tcp(8080) }, { to: [podsOf('db')], ports: tcp(5432) }]);
    expect(find(chart, 'NetworkPolicy', 'cache').spec.ingress).toEqual([{ from: [podsOf('migrate')], ports: tcp(8080) }]);
  });

  it('refuses a bad name, command, deadline and list of uses, each by its field', () => {
    const chart = chartIn();
    migrate(chart, { command: [] }, 'Migrate');
    migrate(chart, { command: ['./api', 3 as any], deadlineSeconds: 29, uses: {} as any }, 'm2');
    migrate(chart, { command: 'migrate' as any, deadlineSeconds: 30.5 }, 'm3');
    expect(problemsIn(chart)).toEqual([
      expect.stringMatching(/^demo\/Migrate: name: "Migrate" is not a DNS-1123 label/),
      'demo/Migrate: command: [] is not a command; give e.g. ["./backend", "migrate"]',
      'demo/m2: command: ["./api",3] is not a command; give e.g. ["./backend", "migrate"]',
      'demo/m2: deadlineSeconds: 29 is not allowed; use a whole number from 30 up',
      'demo/m2: uses: expected a list, got {}',
      'demo/m3: command: "migrate" is not a command; give e.g. ["./backend", "migrate"]',
      'demo/m3: deadlineSeconds: 30.5 is not allowed; use a whole number from 30 up',
    ]);
    for (const id of ['Migrate', 'm2', 'm3']) expect(objectsOf(chart.node.findChild(id)), id).toEqual([]);
  });

  it('leaves out a used workload that rendered nothing, whose own problems are the ones reported', () => {
    const chart = chartIn();
    const broken = new WebService(chart, 'api', { image: IMAGE, profile: { replicas: 1, resources: SMALL }, port: 0, healthPath: '/healthz' });
    migrate(chart, { uses: [broken] });
    expect(problemsIn(chart)).toEqual([expect.stringMatching(/^demo\/api: port: 0 is not a port/)]);
    expect(objectsOf(chart.node.findChild('migrate'))).toEqual([expect.stringMatching(/^Job\/migrate-/), 'NetworkPolicy/migrate']);
  });

  it('refuses to use what accepts no connections, what is missing, and a server of another platform, as workloads do', () => {
    const chart = chartIn();
    const worker = new Worker(chart, 'worker', { image: IMAGE, profile: { resources: SMALL }, health: { exec: ['true'] } });
    const foreign = web(new PlatformChart(chart.node.scope!, 'other', { env: chart.env }));
    migrate(chart, { uses: [web(chart), worker, undefined as any, foreign, 'db' as any] });
    expect(problemsIn(chart).filter((p) => p.startsWith('demo/migrate'))).toEqual([
      'demo/migrate: uses[1]: "worker" accepts no connections (it has no port)',
      'demo/migrate: uses[2]: is missing',
      'demo/migrate: uses[3]: "api" belongs to another platform or env',
      'demo/migrate: uses[4]: is missing',
    ]);
    expect(objectsOf(chart.node.findChild('migrate'))).toEqual([]);
  });

  it('refuses a database that is no Postgres, or one of another platform', () => {
    const chart = chartIn();
    migrate(chart, { database: { host: 'db' } as any });
    const foreign = database(new PlatformChart(chart.node.scope!, 'other', { env: chart.env }));
    migrate(chart, { database: foreign }, 'm2');
    expect(problemsIn(chart).filter((p) => p.startsWith('demo/'))).toEqual([
      'demo/migrate: database: must be a Postgres of this platform',
      'demo/m2: database: "db" belongs to another platform or env',
    ]);
  });
});

describe('SignInProxy', () => {
  const AUTH: ExternalAuth = {
    issuerUrl: 'https://login.example.com/realms/test',
    emailDomains: ['example.com'],
    image: 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.4',
    credentials: { secret: 'oauth2-proxy' },
    resources: SMALL,
  };
  const withAuth = (auth: Partial<ExternalAuth> = {}, env: Environment = testEnv()) => testEnv({ ...env, ingress: { ...env.ingress, auth: { ...AUTH, ...auth } } });
  const argsOf = (chart: PlatformChart): string[] => find(chart, 'Deployment', 'oauth2-proxy').spec.template.spec.containers[0].args;

  it('is made once per platform, and not at all without sign-in settings', () => {
    expect(SignInProxy.of(chartIn())).toBeUndefined();
    const chart = chartIn(withAuth());
    const proxy = SignInProxy.of(chart)!;
    expect(proxy).toBeInstanceOf(SignInProxy);
    expect(SignInProxy.of(chart)).toBe(proxy);
    expect(proxy.authUrl).toBe('http://oauth2-proxy.demo-test.svc.cluster.local:4180/oauth2/auth');
    expect(proxy.signinUrl).toBe('https://$host/oauth2/start?rd=$escaped_request_uri');
  });

  it('gives each host its /oauth2 route once', () => {
    const proxy = SignInProxy.of(chartIn(withAuth()))!;
    expect([proxy.claimHost('a.example.com'), proxy.claimHost('b.example.com'), proxy.claimHost('a.example.com')]).toEqual([true, true, false]);
  });

  it('runs oauth2-proxy in auth_request mode behind ingress-nginx, admitting the domains and groups named', () => {
    const chart = chartIn(withAuth({ emailDomains: ['example.com', 'example.org'], groups: ['ops', 'traders'] }));
    SignInProxy.of(chart);
    expect(argsOf(chart)).toEqual([
      '--provider=oidc',
      '--oidc-issuer-url=https://login.example.com/realms/test',
      '--email-domain=example.com',
      '--email-domain=example.org',
      '--allowed-group=ops',
      '--allowed-group=traders',
      '--http-address=0.0.0.0:4180',
      '--reverse-proxy=true',
      '--set-xauthrequest=true',
      '--upstream=static://202',
      '--cookie-secure=true',
      '--session-cookie-minimal=true',
      '--silence-ping-logging=true',
    ]);
    const deployment = find(chart, 'Deployment', 'oauth2-proxy');
    expect(deployment.spec.replicas).toBe(1);
    expect(find(chart, 'NetworkPolicy', 'oauth2-proxy').metadata.annotations).toEqual({
      'trading-platform-manifests/external-egress': 'identity provider (https://login.example.com/realms/test) (tcp 443)',
    });
    expect(deployment.spec.template.spec.securityContext.runAsUser).toBe(65532);
  });

  it('admits by domain alone when the settings name no groups, and labels its objects as the sign-in component', () => {
    const chart = chartIn(withAuth());
    SignInProxy.of(chart);
    expect(argsOf(chart).filter((a) => /^--(email-domain|allowed-group)=/.test(a))).toEqual(['--email-domain=example.com']);
    expect(find(chart, 'Deployment', 'oauth2-proxy').metadata.labels['app.kubernetes.io/component']).toBe('sign-in');
  });

  it('runs the number of pods the settings give', () => {
    const chart = chartIn(withAuth({ replicas: 3 }));
    SignInProxy.of(chart);
    expect(find(chart, 'Deployment', 'oauth2-proxy').spec.replicas).toBe(3);
  });

  it('renders no proxy when its settings have a problem, and reports it on the proxy', () => {
    const chart = chartIn(withAuth({ issuerUrl: 'http://login.example.com' }));
    const proxy = SignInProxy.of(chart)!;
    expect(proxy.service).toBeUndefined();
    expect(problemsIn(chart)).toEqual([expect.stringMatching(/^demo\/sign-in: env\.ingress\.auth\.issuerUrl: "http:\/\/login\.example\.com" is not an https:\/\/ URL/)]);
    expect(objectsOf(proxy)).toEqual([]);
  });

  describe('signInProblems', () => {
    const problems = (auth: Partial<ExternalAuth>, env: Environment = testEnv()) => signInProblems({ ...AUTH, ...auth } as ExternalAuth, chartIn(env));

    it('passes valid settings, a mixed-case domain, and "*" alongside groups', () => {
      expect(problems({})).toEqual([]);
      expect(problems({ emailDomains: ['Example.COM'], issuerUrl: 'https://login.example.com', responseHeaders: ['X-Auth-Request-Email'] })).toEqual([]);
      expect(problems({ emailDomains: ['*'], groups: ['trading-operators'] })).toEqual([]);
      expect(problems({ emailDomains: undefined, groups: ['ops'] })).toEqual([]);
    });

    it('refuses an issuer that is not a plain https:// URL', () => {
      for (const issuerUrl of ['http://login.example.com', 'https://user@login.example.com', 'https://login.example.com/realms?x=1', 'https://login.example.com/#top', 'https://', 'xhttps://login.example.com', 'https://login example.com', 42]) {
        expect(problems({ issuerUrl: issuerUrl as string }), String(issuerUrl)).toEqual([
          ['env.ingress.auth.issuerUrl', expect.stringMatching(/ is not an https:\/\/ URL without user info, query or fragment, e\.g\. "https:\/\/login\.example\.com\/realms\/trading"$/)],
        ]);
      }
    });

    it('names the bad domain, group and header by its place in the list', () => {
      expect(problems({ emailDomains: ['example.com', 'bad domain', 5 as any], groups: ['ops', 'trading ops', 'a,b', 7 as any], responseHeaders: ['X-User', 'X User', 5 as any] })).toEqual([
        ['env.ingress.auth.emailDomains[1]', expect.stringMatching(/^"bad domain" is not a DNS-1123 subdomain/)],
        ['env.ingress.auth.emailDomains[2]', 'expected a DNS name, got 5'],
        ['env.ingress.auth.groups[1]', '"trading ops" is not a group name (no spaces or commas)'],
        ['env.ingress.auth.groups[2]', '"a,b" is not a group name (no spaces or commas)'],
        ['env.ingress.auth.groups[3]', '7 is not a group name (no spaces or commas)'],
        ['env.ingress.auth.responseHeaders', '"X User" is not a header name (letters, digits, -)'],
        ['env.ingress.auth.responseHeaders', '5 is not a header name (letters, digits, -)'],
      ]);
    });

    it('refuses nobody and everybody, an egress rule, image, Secret name and replica count out of bounds', () => {
      expect(problems({ emailDomains: [], groups: [] })).toEqual([['env.ingress.auth', expect.stringMatching(/^says nobody may sign in/)]]);
      expect(problems({ emailDomains: ['*'] })).toEqual([['env.ingress.auth.emailDomains[0]', expect.stringMatching(/^"\*" admits every account/)]]);
      expect(problems({ egress: { description: 'idp', ports: [] } })).toEqual([['env.ingress.auth.egress', '"idp" needs at least one port']]);
      expect(problems({ image: 'quay.io/oauth2-proxy/oauth2-proxy:latest' })).toEqual([['env.ingress.auth.image', expect.stringMatching(/uses the tag "latest"/)]]);
      expect(problems({ credentials: undefined })).toEqual([['env.ingress.auth.credentials.secret', 'expected a DNS name, got nothing']]);
      expect(problems({ credentials: { secret: 'OAuth2' } })).toEqual([['env.ingress.auth.credentials.secret', expect.stringMatching(/^"OAuth2" is not a DNS-1123 subdomain/)]]);
      expect(problems({ replicas: 0 })).toEqual([['env.ingress.auth.replicas', '0 is not allowed; use a whole number from 1 to 100']]);
      expect(problems({ replicas: 101 })).toEqual([['env.ingress.auth.replicas', '101 is not allowed; use a whole number from 1 to 100']]);
      expect(problems({ replicas: 1 }, prodTestEnv({ requirePinnedImages: false }))).toEqual([['env.ingress.auth.replicas', '1 is not allowed; use a whole number from 2 to 100']]);
    });
  });
});

describe('documents', () => {
  const pod = { containers: [{ name: 'app' }], initContainers: [{ name: 'wait' }] };
  const deployment = { kind: 'Deployment', spec: { template: { metadata: { labels: { app: 'api', tier: 'web' } }, spec: pod } } };
  const cron = { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'nightly' } }, spec: { containers: [{ name: 'run' }] } } } } } };

  it('finds the pod template of a workload, under the job template for a CronJob, and none for other kinds', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet']) expect(podSpecOf({ ...deployment, kind }), kind).toBe(pod);
    expect(podSpecOf(cron)).toEqual({ containers: [{ name: 'run' }] });
    expect(podSpecOf({ kind: 'ConfigMap', spec: { template: { spec: pod } } })).toBeUndefined();
    expect(podSpecOf({ kind: 'CronJob', spec: { template: { spec: pod } } })).toBeUndefined();
    expect(podSpecOf({ kind: 'Job' })).toBeUndefined();
    expect(podSpecsOf(deployment)).toEqual([pod]);
    expect(podSpecsOf({ kind: 'Service' })).toEqual([]);
  });

  it('reads pod labels, under the job template for a CronJob, and {} without any', () => {
    expect(podLabelsOf(deployment)).toEqual({ app: 'api', tier: 'web' });
    expect(podLabelsOf(cron)).toEqual({ app: 'nightly' });
    expect(podLabelsOf({ kind: 'CronJob', spec: { template: { metadata: { labels: { app: 'x' } } } } })).toEqual({});
    expect(podLabelsOf({ kind: 'Deployment' })).toEqual({});
  });

  it('reads a document that stops short of a pod template (as a patch can leave it) as having none', () => {
    for (const doc of [
      { kind: 'CronJob' },
      { kind: 'CronJob', spec: {} },
      { kind: 'CronJob', spec: { jobTemplate: {} } },
      { kind: 'CronJob', spec: { jobTemplate: { spec: {} } } },
      { kind: 'CronJob', spec: { jobTemplate: { spec: { template: {} } } } },
      { kind: 'Deployment', spec: {} },
      { kind: 'Deployment', spec: { template: {} } },
    ]) {
      expect(podSpecOf(doc), JSON.stringify(doc)).toBeUndefined();
      expect(podLabelsOf(doc), JSON.stringify(doc)).toEqual({});
    }
  });

  it('lists init containers first, each marked', () => {
    expect(containersOf(pod)).toEqual([{ init: true, c: { name: 'wait' } }, { init: false, c: { name: 'app' } }]);
    expect(containersOf({})).toEqual([]);
  });

  it('selects the workloads whose pod labels hold every pair of a selector, and nothing for an empty one', () => {
    const item = (name: string, doc: Doc) => ({ name, doc });
    const index = new PodIndex([
      item('api', deployment),
      item('api-canary', { kind: 'Deployment', spec: { template: { metadata: { labels: { app: 'api', tier: 'canary' } }, spec: pod } } }),
      item('config', { kind: 'ConfigMap', spec: { template: { metadata: { labels: { app: 'api' } } } } }),
      item('nightly', cron),
    ]);
    const names = (selector?: Record<string, string>) => index.select(selector).map((i) => i.name);
    expect(names({ app: 'api' })).toEqual(['api', 'api-canary']);
    expect(names({ app: 'api', tier: 'web' })).toEqual(['api']);
    expect(names({ tier: 'web', app: 'api' })).toEqual(['api']);
    expect(names({ app: 'api', tier: 'db' })).toEqual([]);
    expect(names({ tier: 'web', app: 'nightly' })).toEqual([]);
    expect(names({ app: 'nightly' })).toEqual(['nightly']);
    expect(names({})).toEqual([]);
    expect(names(undefined)).toEqual([]);
  });

  it('reads an Ingress class from the spec, else from the older annotation', () => {
    expect(ingressClassOf({ spec: { ingressClassName: 'nginx' }, metadata: { annotations: { 'kubernetes.io/ingress.class': 'traefik' } } })).toBe('nginx');
    expect(ingressClassOf({ metadata: { annotations: { 'kubernetes.io/ingress.class': 'traefik' } } })).toBe('traefik');
    expect(ingressClassOf({})).toBeUndefined();
    expect(ingressClassOf({ spec: {}, metadata: {} })).toBeUndefined();
  });
});
