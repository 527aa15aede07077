/**
 * The API server's own validation (src/apiserver/): every ported rule has a case here that the
 * schema check accepts and the new check rejects, with its message. The cases start from the
 * real rendered documents and change one thing.
 */
import { describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { ApiObject, JsonPatch } from 'cdk8s';
import { InputError, render, WebService } from '../src';
import { apiServerProblems, documentFindings, EnvObject } from '../src/apiserver';
import { neverFires, parseSchedule } from '../src/apiserver/cron';
import { cronSchedule } from '../src/checks';
import { schemaProblems } from '../src/synth/validate';
import { problemsOf, renderedPlatforms, SMALL } from './helpers';

type Doc = Record<string, any>;

/** A copy of the first rendered document of `kind` (and `name`) in prod. */
function base(kind: string, name?: string): Doc {
  const o = renderedPlatforms().objects.find((x) => x.env === 'prod' && x.doc.kind === kind && (name === undefined || x.doc.metadata.name === name));
  if (!o) throw new Error(`no ${kind} ${name ?? ''} in the prod render`);
  return structuredClone(o.doc);
}

const pod = (d: Doc): Doc => (d.kind === 'CronJob' ? d.spec.jobTemplate.spec.template.spec : d.spec.template.spec);
const first = (d: Doc): Doc => pod(d).containers[0];
const long = (n: number) => 'a'.repeat(n);

interface Case {
  readonly rule: string;
  readonly kind: string;
  readonly name?: string;
  readonly change: (d: Doc) => void;
  /** Expected line of documentFindings (errors, or warnings when `wrong`). */
  readonly message: string;
  readonly wrong?: boolean;
}

// Each issue case is marked "(issue)".
const CASES: readonly Case[] = [
  // metadata: names, labels, annotations
  { rule: 'name: DNS-1123 subdomain', kind: 'ConfigMap', change: (d) => (d.metadata.name = 'Settings'), message: 'metadata.name: invalid value "Settings": a lowercase RFC 1123 subdomain' },
  { rule: 'name: Namespace is a DNS label', kind: 'Namespace', change: (d) => (d.metadata.name = 'peripheral.prod'), message: 'metadata.name: invalid value "peripheral.prod": a lowercase RFC 1123 label' },
  { rule: 'name: Service is a DNS-1035 label', kind: 'Service', change: (d) => (d.metadata.name = '1api'), message: 'metadata.name: invalid value "1api": a DNS-1035 label' },
  { rule: 'name: RBAC path segment', kind: 'Role', change: (d) => (d.metadata.name = 'a/b'), message: `metadata.name: invalid value "a/b": may not contain '/'` },
  { rule: 'name: custom resource is a DNS subdomain', kind: 'ServiceMonitor', change: (d) => (d.metadata.name = 'Api_Monitor'), message: 'metadata.name: invalid value "Api_Monitor": a lowercase RFC 1123 subdomain' },
  { rule: 'namespace: DNS label', kind: 'ConfigMap', change: (d) => (d.metadata.namespace = 'Peripheral'), message: 'metadata.namespace: invalid value "Peripheral": a lowercase RFC 1123 label' },
  { rule: 'label key: qualified name', kind: 'Deployment', change: (d) => (d.metadata.labels['team name'] = 'x'), message: 'metadata.labels: invalid value "team name": name part must consist of alphanumeric characters' },
  { rule: 'label value: at most 63 characters', kind: 'Deployment', change: (d) => (d.metadata.labels.team = long(64)), message: `metadata.labels[team]: invalid value "${long(64)}": must be no more than 63 characters` },
  { rule: 'annotation key: qualified name', kind: 'Service', change: (d) => (d.metadata.annotations['a/b/c'] = 'x'), message: 'metadata.annotations: invalid value "a/b/c": a qualified name must consist of' },
  { rule: 'annotations: at most 256 KiB together', kind: 'Service', change: (d) => (d.metadata.annotations.note = long(256 * 1024)), message: 'metadata.annotations: too long: must have at most 262144 bytes' },
  // pod template
  { rule: 'container port name: IANA_SVC_NAME, at most 15', kind: 'Deployment', change: (d) => (first(d).ports[0].name = 'metrics-endpoint'), message: 'spec.template.spec.containers[0].ports[0].name: invalid value "metrics-endpoint": must be no more than 15 characters' },
  { rule: 'container port name: a letter', kind: 'Deployment', change: (d) => (first(d).ports[0].name = '8080'), message: 'spec.template.spec.containers[0].ports[0].name: invalid value "8080": must contain at least one letter (a-z)' },
  { rule: 'container port names unique', kind: 'Deployment', change: (d) => first(d).ports.push({ ...first(d).ports[0], containerPort: 9999 }), message: 'spec.template.spec.containers[0].ports[1].name: duplicate value "http"' },
  { rule: 'container names unique', kind: 'Deployment', change: (d) => pod(d).containers.push({ ...first(d) }), message: 'spec.template.spec.containers[1].name: duplicate value' },
  { rule: 'volume names unique', kind: 'Deployment', change: (d) => pod(d).volumes.push({ ...pod(d).volumes[0] }), message: 'spec.template.spec.volumes[1].name: duplicate value "tmp"' },
  { rule: 'volume: exactly one source', kind: 'Deployment', change: (d) => (pod(d).volumes[0].configMap = { name: 'x' }), message: 'spec.template.spec.volumes[0].configMap: forbidden: may not specify more than 1 volume type' },
  { rule: 'volumeMount names a volume', kind: 'Deployment', change: (d) => first(d).volumeMounts.push({ name: 'cache', mountPath: '/cache' }), message: 'spec.template.spec.containers[0].volumeMounts[1].name: not found "cache"' },
  { rule: 'volumeMount paths unique', kind: 'Deployment', change: (d) => first(d).volumeMounts.push({ ...first(d).volumeMounts[0] }), message: 'spec.template.spec.containers[0].volumeMounts[1].mountPath: invalid value "/tmp": must be unique' },
  { rule: 'env var name', kind: 'Deployment', change: (d) => first(d).env.push({ name: '1BAD', value: 'x' }), message: 'invalid value "1BAD": a valid environment variable name must consist of' },
  { rule: 'env: value or valueFrom', kind: 'Deployment', change: (d) => (first(d).env.find((e: Doc) => e.valueFrom).value = 'x'), message: 'valueFrom: invalid value "": may not be specified when `value` is not empty' },
  { rule: 'requests ≤ limits: cpu (issue)', kind: 'Deployment', change: (d) => ((first(d).resources.requests.cpu = '2'), (first(d).resources.limits.cpu = '1')), message: 'spec.template.spec.containers[0].resources.requests[cpu]: invalid value "2": must be less than or equal to cpu limit of "1"' },
  { rule: 'requests ≤ limits: memory (issue)', kind: 'Deployment', change: (d) => (first(d).resources.requests.memory = '8Gi'), message: 'spec.template.spec.containers[0].resources.requests[memory]: invalid value "8Gi": must be less than or equal to memory limit of' },
  { rule: 'memory limit "0" (issue)', kind: 'Deployment', change: (d) => (first(d).resources.limits.memory = '0'), message: 'must be less than or equal to memory limit of "0"' },
  { rule: 'zero limit is no limit', kind: 'Deployment', change: (d) => ((first(d).resources.limits.memory = '0'), (first(d).resources.requests.memory = '0')), message: 'resources.limits[memory]: a memory limit of "0" is no limit at all', wrong: true },
  { rule: 'resource names', kind: 'Deployment', change: (d) => (first(d).resources.limits.gpu = '1'), message: 'resources.limits[gpu]: invalid value "gpu": must be a standard resource for containers' },
  { rule: 'probe: exactly one handler', kind: 'Deployment', change: (d) => (first(d).livenessProbe.tcpSocket = { port: 1 }), message: 'livenessProbe.tcpSocket: forbidden: may not specify more than 1 handler type' },
  { rule: 'probe: a handler', kind: 'Deployment', change: (d) => (first(d).readinessProbe = { periodSeconds: 5 }), message: 'readinessProbe: required value: must specify a handler type' },
  { rule: 'liveness successThreshold is 1', kind: 'Deployment', change: (d) => (first(d).livenessProbe.successThreshold = 2), message: 'livenessProbe.successThreshold: invalid value 2: must be 1' },
  { rule: 'probe port', kind: 'Deployment', change: (d) => (first(d).readinessProbe.httpGet.port = 'health-endpoint-1'), message: 'readinessProbe.httpGet.port: invalid value "health-endpoint-1": must be no more than 15 characters' },
  { rule: 'init containers: no probes', kind: 'Deployment', change: (d) => (pod(d).initContainers = [{ ...first(d), name: 'init' }]), message: 'spec.template.spec.initContainers[0].livenessProbe: forbidden: may not be set for init containers' },
  { rule: 'runAsUser range', kind: 'Deployment', change: (d) => (pod(d).securityContext.runAsUser = 2 ** 31), message: 'securityContext.runAsUser: invalid value 2147483648: must be between 0 and 2147483647' },
  // apps
  { rule: 'selector matches template labels', kind: 'Deployment', change: (d) => (d.spec.template.metadata.labels['app.kubernetes.io/name'] = 'other'), message: 'spec.template.metadata.labels: invalid value' },
  { rule: 'selector not empty', kind: 'Deployment', change: (d) => (d.spec.selector = { matchLabels: {} }), message: 'spec.selector: invalid value {"matchLabels":{}}: empty selector is invalid for deployment' },
  { rule: 'Recreate has no rollingUpdate', kind: 'Deployment', change: (d) => (d.spec.strategy.type = 'Recreate'), message: "spec.strategy.rollingUpdate: forbidden: may not be specified when strategy `type` is 'Recreate'" },
  { rule: 'maxUnavailable and maxSurge not both 0', kind: 'Deployment', change: (d) => (d.spec.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 0 }), message: 'spec.strategy.rollingUpdate.maxUnavailable: invalid value 0: may not be 0 when `maxSurge` is 0' },
  { rule: 'maxUnavailable at most 100%', kind: 'Deployment', change: (d) => (d.spec.strategy.rollingUpdate.maxUnavailable = '120%'), message: 'spec.strategy.rollingUpdate.maxUnavailable: invalid value "120%": must not be greater than 100%' },
  { rule: 'Deployment restartPolicy Always', kind: 'Deployment', change: (d) => (pod(d).restartPolicy = 'Never'), message: 'spec.template.spec.restartPolicy: unsupported value "Never": supported values: "Always"' },
  { rule: 'progressDeadlineSeconds > minReadySeconds', kind: 'Deployment', change: (d) => ((d.spec.minReadySeconds = 30), (d.spec.progressDeadlineSeconds = 30)), message: 'spec.progressDeadlineSeconds: invalid value 30: must be greater than minReadySeconds' },
  { rule: 'StatefulSet claim size > 0', kind: 'StatefulSet', name: 'db', change: (d) => (d.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '0'), message: 'spec.volumeClaimTemplates[0].spec.resources[storage]: invalid value "0": must be greater than zero' },
  { rule: 'StatefulSet OnDelete has no rollingUpdate', kind: 'StatefulSet', name: 'db', change: (d) => (d.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 0 } }), message: "spec.updateStrategy.rollingUpdate: invalid value {\"partition\":0}: only allowed for updateStrategy 'RollingUpdate'" },
  // batch
  { rule: 'Job restartPolicy OnFailure or Never', kind: 'Job', change: (d) => (pod(d).restartPolicy = 'Always'), message: 'spec.template.spec.restartPolicy: unsupported value "Always": supported values: "OnFailure", "Never"' },
  { rule: 'Job name is a label value', kind: 'Job', change: (d) => (d.metadata.name = long(64)), message: "metadata.name: invalid value \"" + long(64) + "\": must be no more than 63 characters (the Job's pods carry it as their job-name label)" },
  { rule: 'CronJob name at most 52', kind: 'CronJob', change: (d) => (d.metadata.name = long(53)), message: `metadata.name: invalid value "${long(53)}": must be no more than 52 characters` },
  { rule: 'CronJob schedule: five fields', kind: 'CronJob', change: (d) => (d.spec.schedule = '0 3 * * * *'), message: 'spec.schedule: invalid value "0 3 * * * *": expected exactly 5 fields, found 6: 0 3 * * * *' },
  { rule: 'CronJob schedule: ranges', kind: 'CronJob', change: (d) => (d.spec.schedule = '0 24 * * *'), message: 'spec.schedule: invalid value "0 24 * * *": end of range (24) above maximum (23): 24' },
  { rule: 'CronJob schedule: step > 0', kind: 'CronJob', change: (d) => (d.spec.schedule = '*/0 * * * *'), message: 'spec.schedule: invalid value "*/0 * * * *": step of range should be a positive number: */0' },
  { rule: 'CronJob schedule: no TZ', kind: 'CronJob', change: (d) => (d.spec.schedule = 'CRON_TZ=UTC 0 3 * * *'), message: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead' },
  { rule: 'CronJob time zone', kind: 'CronJob', change: (d) => (d.spec.timeZone = 'Mars/Olympus'), message: 'spec.timeZone: invalid value "Mars/Olympus": unknown time zone Mars/Olympus' },
  { rule: 'CronJob time zone not Local', kind: 'CronJob', change: (d) => (d.spec.timeZone = 'Local'), message: 'spec.timeZone: invalid value "Local": timeZone must be an explicit time zone' },
  { rule: 'CronJob schedule that never fires (issue)', kind: 'CronJob', change: (d) => (d.spec.schedule = '0 3 31 2 *'), message: 'spec.schedule: "0 3 31 2 *" never fires', wrong: true },
  // core
  { rule: 'PVC size > 0 (issue)', kind: 'PersistentVolumeClaim', change: (d) => (d.spec.resources.requests.storage = '0'), message: 'spec.resources[storage]: invalid value "0": must be greater than zero' },
  { rule: 'PVC access modes', kind: 'PersistentVolumeClaim', change: (d) => (d.spec.accessModes = []), message: 'spec.accessModes: required value: at least 1 access mode is required' },
  { rule: 'Service: (port, protocol) unique (issue)', kind: 'Service', name: 'api', change: (d) => d.spec.ports.push({ name: 'metrics', port: d.spec.ports[0].port, targetPort: 'metrics', protocol: 'TCP' }), message: 'spec.ports[1]: duplicate value {"port":' },
  { rule: 'Service: port names unique', kind: 'Service', change: (d) => d.spec.ports.push({ ...d.spec.ports[0], port: 9100 }), message: 'spec.ports[1].name: duplicate value "http"' },
  { rule: 'Service: names with several ports', kind: 'Service', change: (d) => d.spec.ports.push({ port: 9100, protocol: 'TCP' }), message: 'spec.ports[1].name: required value' },
  { rule: 'Service: targetPort name', kind: 'Service', change: (d) => (d.spec.ports[0].targetPort = 'http_port'), message: 'spec.ports[0].targetPort: invalid value "http_port": must contain only alpha-numeric characters' },
  { rule: 'Service: port names are DNS labels', kind: 'Service', change: (d) => (d.spec.ports[0].name = 'HTTP'), message: 'spec.ports[0].name: invalid value "HTTP": a lowercase RFC 1123 label' },
  { rule: 'ConfigMap keys', kind: 'ConfigMap', change: (d) => (d.data['bad key'] = 'x'), message: 'data[bad key]: invalid value "bad key": a valid config key must consist of' },
  { rule: 'ResourceQuota: whole counts', kind: 'ResourceQuota', change: (d) => (d.spec.hard.pods = '1500m'), message: 'spec.hard[pods]: invalid value "1500m": must be an integer' },
  { rule: 'ResourceQuota: standard names', kind: 'ResourceQuota', change: (d) => (d.spec.hard.gpus = '1'), message: 'spec.hard[gpus]: invalid value "gpus": must be a standard resource for quota' },
  { rule: 'LimitRange: defaultRequest ≤ default', kind: 'LimitRange', change: (d) => (d.spec.limits[0].defaultRequest.memory = '16Gi'), message: 'default request value 16Gi is greater than default limit value' },
  // networking
  { rule: 'Ingress host is not an IP (issue)', kind: 'Ingress', change: (d) => (d.spec.rules[0].host = '10.0.0.1'), message: 'spec.rules[0].host: invalid value "10.0.0.1": must be a DNS name, not an IP address' },
  { rule: 'Ingress host: DNS subdomain', kind: 'Ingress', change: (d) => (d.spec.rules[0].host = 'App.peripheral.com'), message: 'spec.rules[0].host: invalid value "App.peripheral.com": a lowercase RFC 1123 subdomain' },
  { rule: 'Ingress host: wildcard', kind: 'Ingress', change: (d) => (d.spec.rules[0].host = 'app.*.com'), message: "a wildcard DNS-1123 subdomain must start with '*.'" },
  { rule: 'Ingress host: label at most 63 (issue)', kind: 'Ingress', change: (d) => (d.spec.rules[0].host = `${long(71)}.peripheral.com`), message: 'has a label of 71 characters; a DNS label has at most 63', wrong: true },
  { rule: 'Ingress path: absolute', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].path = 'api'), message: 'spec.rules[0].http.paths[0].path: invalid value "api": must be an absolute path' },
  { rule: 'Ingress path: no //', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].path = '/api//v1'), message: `invalid value "/api//v1": must not contain '//'` },
  { rule: 'Ingress path: no /. suffix', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].path = '/api/.'), message: `invalid value "/api/.": cannot end with '/.'` },
  { rule: 'Ingress backend: port name or number', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].backend.service.port.name = 'http'), message: 'backend.service.port: invalid value "": cannot set both port name & port number' },
  { rule: 'Ingress backend: Service name', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].backend.service.name = '9api'), message: 'backend.service.name: invalid value "9api": a DNS-1035 label' },
  { rule: 'Ingress class: annotation or field', kind: 'Ingress', change: (d) => (d.metadata.annotations['kubernetes.io/ingress.class'] = 'nginx'), message: 'can not be set when the class field is also set' },
  { rule: 'NetworkPolicy peer: ipBlock alone', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].from[0].ipBlock = { cidr: '10.0.0.0/8' }), message: 'forbidden: may not specify both ipBlock and another peer' },
  { rule: 'NetworkPolicy peer: except inside cidr', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].from = [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }]), message: 'except[0]: invalid value "192.168.0.0/16": must be a strict subset of `cidr`' },
  { rule: 'NetworkPolicy port: endPort ≥ port', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].ports[0] = { port: 9000, endPort: 8000, protocol: 'TCP' }), message: 'endPort: invalid value 8000: must be greater than or equal to `port`' },
  { rule: 'NetworkPolicy port: endPort needs a number', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].ports[0] = { port: 'http', endPort: 8000, protocol: 'TCP' }), message: 'endPort: invalid value 8000: may not be specified when `port` is non-numeric' },
  // autoscaling, policy
  { rule: 'HPA minReplicas ≥ 1', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.minReplicas = 0), message: 'spec.minReplicas: invalid value 0: must be greater than or equal to 1' },
  { rule: 'HPA maxReplicas ≥ minReplicas', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.maxReplicas = d.spec.minReplicas - 1), message: 'spec.maxReplicas: invalid value 1: must be greater than or equal to `minReplicas`' },
  { rule: 'HPA metric target', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.metrics[0].resource.target.averageUtilization = 0), message: 'target.averageUtilization: invalid value 0: must be greater than 0' },
  { rule: 'HPA metric source populated', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.metrics[0].type = 'Pods'), message: 'spec.metrics[0].pods: required value: must populate information for the given metric source' },
  { rule: 'PDB: minAvailable or maxUnavailable', kind: 'PodDisruptionBudget', change: (d) => ((d.spec.maxUnavailable = 1), (d.spec.minAvailable = 1)), message: 'minAvailable and maxUnavailable cannot be both set' },
  { rule: 'PDB: at most 100%', kind: 'PodDisruptionBudget', change: (d) => (d.spec.minAvailable = '150%'), message: 'spec.minAvailable: invalid value "150%": must not be greater than 100%' },
  // rbac
  { rule: 'Role rule: verbs', kind: 'Role', change: (d) => (d.rules[0].verbs = []), message: 'rules[0].verbs: required value: verbs must contain at least one value' },
  { rule: 'Role rule: api groups', kind: 'Role', change: (d) => delete d.rules[0].apiGroups, message: 'rules[0].apiGroups: required value: resource rules must supply at least one api group' },
  { rule: 'Role rule: no non-resource URLs', kind: 'Role', change: (d) => (d.rules[0].nonResourceURLs = ['/healthz']), message: 'namespaced rules cannot apply to non-resource URLs' },
  { rule: 'RoleBinding roleRef kind', kind: 'RoleBinding', change: (d) => (d.roleRef.kind = 'Roles'), message: 'roleRef.kind: unsupported value "Roles": supported values: "ClusterRole", "Role"' },
  { rule: 'RoleBinding ServiceAccount subject has no apiGroup', kind: 'RoleBinding', change: (d) => (d.subjects[0].apiGroup = 'rbac.authorization.k8s.io'), message: 'subjects[0].apiGroup: unsupported value "rbac.authorization.k8s.io"' },
];

describe('API-server validation', () => {
  it('has a case for each rule, each rule once', () => {
    expect(new Set(CASES.map((c) => c.rule)).size).toBe(CASES.length);
  });

  it('finds nothing in any document of the four platforms in any env', () => {
    const r = renderedPlatforms();
    const objects: EnvObject[] = r.objects.map((o) => ({ env: o.env, platform: o.platform, constructPath: o.path, doc: o.doc }));
    expect(new Set(r.objects.map((o) => o.platform)).size).toBe(platforms.length + 1); // + argocd
    expect(apiServerProblems(objects)).toEqual([]);
  });

  it.each(CASES.map((c) => [c.rule, c] as const))('fails when %s is broken', (_rule, c) => {
    const doc = base(c.kind, c.name);
    expect(documentFindings(doc)).toEqual({ errors: [], warnings: [] });
    c.change(doc);
    expect(schemaProblems(doc)).toEqual([]);
    const found = documentFindings(doc);
    const lines = c.wrong ? found.warnings : found.errors;
    expect(lines.some((l) => l.includes(c.message)), `${lines.join('\n')}\ndoes not include\n${c.message}`).toBe(true);
  });
});

describe('cron schedules', () => {
  it('reads what robfig/cron reads', () => {
    expect(parseSchedule('@daily')).toEqual(parseSchedule('0 0 * * *'));
    expect(parseSchedule('0 3 * * MON-fri')).toHaveProperty('fields');
    expect(parseSchedule('@every 1h30m')).toEqual({ every: '1h30m' });
    expect(parseSchedule('0 3 * * 7')).toEqual({ error: 'end of range (7) above maximum (6): 7' });
  });

  it('finds the schedules that never fire, and only those', () => {
    for (const s of ['0 3 31 2 *', '0 3 30,31 2 *', '0 0 31 4,6,9,11 *']) expect(neverFires(parseSchedule(s)), s).toBe(true);
    // 29 February comes every fourth year; a day of week alone matches when both fields are set.
    for (const s of ['0 3 29 2 *', '0 3 31 2 1', '0 3 31 * *', '0 3 31 1-2 *', '0 3 * 2 *']) expect(neverFires(parseSchedule(s)), s).toBe(false);
  });

  it('the input check refuses a step of 0, as the controller does', () => {
    expect(cronSchedule('*/0 * * * *')).toContain('is not valid');
    expect(parseSchedule('*/0 * * * *')).toEqual({ error: 'step of range should be a positive number: */0' });
  });
});

describe('env-wide checks', () => {
  const ingress = (platform: string, name: string, host: string, paths: Array<[string, string]>): EnvObject => ({
    env: 'prod',
    platform,
    constructPath: `${platform}/${name}/Resource`,
    doc: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace: `${platform}-prod` },
      spec: { ingressClassName: 'nginx', rules: [{ host, http: { paths: paths.map(([path, service]) => ({ path, pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } })) } }] },
    },
  });

  it('fails when two platforms claim the same host in one env (issue)', () => {
    const problems = apiServerProblems([ingress('peripheral', 'web', 'app.example.com', [['/', 'frontend']]), ingress('tradebot', 'web', 'app.example.com', [['/bot', 'api']])]);
    expect(problems).toEqual([
      'prod/tradebot/web/Resource: [env] Ingress/web: spec.rules[0].host: "app.example.com" is also a host of platform peripheral\'s Ingress/web (spec.rules[0].http.paths[0]); a host belongs to one platform of an env, or the ingress controller merges their paths and one shadows the other',
    ]);
  });

  it('accepts the same host in two envs', () => {
    const other = { ...ingress('tradebot', 'web', 'app.example.com', [['/', 'api']]), env: 'demo' };
    expect(apiServerProblems([ingress('peripheral', 'web', 'app.example.com', [['/', 'frontend']]), other])).toEqual([]);
  });

  it('fails when /api and /api/ are Prefix paths to two Services (issue)', () => {
    const problems = apiServerProblems([ingress('peripheral', 'web', 'app.example.com', [['/api', 'backend'], ['/api/', 'frontend']])]);
    expect(problems).toEqual([
      'prod/peripheral/web/Resource: [env] Ingress/web: spec.rules[0].http.paths[1].path: Prefix path "/api/" of host "app.example.com" differs from "/api" of peripheral\'s Ingress/web (spec.rules[0].http.paths[0]) only by a trailing slash; Prefix paths match by element, so both match the same requests and only one backend gets them',
    ]);
  });

  it('fails when one host and path is routed by two Ingresses of a platform', () => {
    const problems = apiServerProblems([ingress('peripheral', 'web', 'app.example.com', [['/ws', 'backend']]), ingress('peripheral', 'web-websocket', 'app.example.com', [['/ws', 'backend']])]);
    expect(problems).toEqual([
      'prod/peripheral/web-websocket/Resource: [env] Ingress/web-websocket: spec.rules[0].http.paths[0].path: Prefix path "/ws" of host "app.example.com" is already routed by peripheral\'s Ingress/web (spec.rules[0].http.paths[0]); each host and path goes to one backend',
    ]);
  });
});

describe('through the real render', () => {
  it('fails synth when two platforms of an env share a host, naming both (issue)', () => {
    const prod = overlays.prod as any;
    const [a, b] = platforms.map((p) => p.name).filter((n) => prod[n]?.host !== undefined);
    expect(a && b, 'two platforms with a host in the prod overlay').toBeTruthy();
    const edited = { ...overlays, prod: { ...prod, [b]: { ...prod[b], host: prod[a].host } } };
    let error: unknown;
    try {
      render(edited, platforms, { envs: ['prod'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const lines = (error as InputError).problems.filter((p) => p.includes('[env]'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(new RegExp(`^prod/${b}/.*: \\[env\\] Ingress/.*: spec\\.rules\\[0\\]\\.host: "${prod[a].host.replace(/\./g, '\\.')}" is also a host of platform ${a}'s Ingress/`));
  });
});

describe('the issue cases as overlay edits, in one render of prod', () => {
  it('fails synth with one line per case, naming env, construct, object, field and value (issue)', () => {
    const prod = overlays.prod as any;
    const [a, b, c] = platforms.map((p) => p.name).filter((n) => prod[n]?.host !== undefined);
    const p = prod.peripheral;
    const edited = {
      ...overlays,
      prod: {
        ...prod,
        peripheral: {
          ...p,
          db: { ...p.db, resources: { requests: { cpu: '2', memory: '16Gi' }, limits: { cpu: '1', memory: '8Gi' } } },
          frontend: { ...p.frontend, resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '0' } } },
          backup: { ...p.backup, schedule: '0 3 31 2 *', storage: { size: '0' } },
        },
        [b]: { ...prod[b], host: '10.1.2.3' },
        [c]: { ...prod[c], host: prod[a].host },
      },
    };
    let error: unknown;
    try {
      render(edited, platforms, { envs: ['prod'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    for (const expected of [
      'prod/peripheral/db/Resource: [api-server] StatefulSet/db: spec.template.spec.containers[0].resources.requests[cpu]: invalid value "2": must be less than or equal to cpu limit of "1"',
      'prod/peripheral/db/Resource: [api-server] StatefulSet/db: spec.template.spec.containers[0].resources.requests[memory]: invalid value "16Gi": must be less than or equal to memory limit of "8Gi"',
      'prod/peripheral/frontend/Resource: [api-server] Deployment/frontend: spec.template.spec.containers[0].resources.requests[memory]: invalid value "256Mi": must be less than or equal to memory limit of "0"',
      'prod/peripheral/db-backup/volume: [api-server] PersistentVolumeClaim/db-backup: spec.resources[storage]: invalid value "0": must be greater than zero',
      'prod/peripheral/db-backup/Resource: [accepted-but-wrong] CronJob/db-backup: spec.schedule: "0 3 31 2 *" never fires: no month it names has the days of month it names',
    ]) expect(problems).toContain(expected);
    expect(problems.some((l) => l.startsWith(`prod/${b}/`) && l.includes('host: invalid value "10.1.2.3": must be a DNS name, not an IP address'))).toBe(true);
    expect(problems.some((l) => l.startsWith(`prod/${c}/`) && l.includes(`[env] Ingress/`) && l.includes(`"${prod[a].host}" is also a host of platform ${a}'s`))).toBe(true);
  });
});

describe('on the final documents, after an escape hatch', () => {
  const patched = (patch: (svc: ApiObject) => void) =>
    problemsOf((chart) => {
      new WebService(chart, 'exporter', { image: 'ghcr.io/acme/exporter:1.2.3', profile: { replicas: 1, resources: SMALL }, port: 9100, healthPath: '/healthz' });
      const svc = chart.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Service');
      patch(svc!);
    });

  it('renders the service as it is', () => {
    expect(patched(() => undefined)).toEqual([]);
  });

  it('fails synth when a JSON patch gives a Service a second port 9100 (issue)', () => {
    const problems = patched((svc) => svc.addJsonPatch(JsonPatch.add('/spec/ports/-', { name: 'metrics', port: 9100, protocol: 'TCP' })));
    expect(problems).toEqual(['test/demo/exporter/service: [api-server] Service/exporter: spec.ports[1]: duplicate value {"port":9100,"protocol":"TCP"}']);
  });
});
