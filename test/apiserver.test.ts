/**
 * The API server's own validation (src/apiserver/): every ported rule has a case here that the
 * schema check accepts and the new check rejects, with its message. The cases start from the
 * real rendered documents and change one thing.
 */
import { describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { ApiObject, JsonPatch } from 'cdk8s';
import { render, WebService } from '../src';
import { apiServerProblems, documentFindings, EnvObject } from '../src/apiserver';
import { neverFires, parseSchedule } from '../src/apiserver/cron';
import { cronSchedule } from '../src/checks';
import { schemaProblems } from '../src/synth/validate';
import { ingressObject, inputErrorOf, problemsOf, renderedPlatforms, SMALL } from './helpers';

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
  { rule: 'label value: at most 63 characters', kind: 'Deployment', change: (d) => (d.metadata.labels.team = long(64)), message: `metadata.labels: invalid value "${long(64)}": must be no more than 63 characters` },
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
  { rule: 'requests ≤ limits: memory (issue)', kind: 'Deployment', change: (d) => ((first(d).resources.requests.memory = '2Gi'), (first(d).resources.limits.memory = '1Gi')), message: 'spec.template.spec.containers[0].resources.requests[memory]: invalid value "2Gi": must be less than or equal to memory limit of "1Gi"' },
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
  { rule: 'Job restartPolicy OnFailure or Never', kind: 'Job', change: (d) => (pod(d).restartPolicy = 'Always'), message: 'spec.template.spec.restartPolicy: required value: valid values: "OnFailure", "Never"' },
  { rule: 'Job name is a label value', kind: 'Job', change: (d) => (d.metadata.name = long(64)), message: "metadata.name: invalid value \"" + long(64) + "\": must be no more than 63 characters (the Job's pods carry it as their job-name label)" },
  { rule: 'CronJob name at most 52', kind: 'CronJob', change: (d) => (d.metadata.name = long(53)), message: `metadata.name: invalid value "${long(53)}": must be no more than 52 characters` },
  { rule: 'CronJob schedule: five fields', kind: 'CronJob', change: (d) => (d.spec.schedule = '0 3 * * * *'), message: 'spec.schedule: invalid value "0 3 * * * *": expected exactly 5 fields, found 6: [0 3 * * * *]' },
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
  { rule: 'LimitRange: defaultRequest ≤ default', kind: 'LimitRange', change: (d) => (d.spec.limits[0] = { type: 'Container', default: { memory: '1Gi' }, defaultRequest: { memory: '16Gi' } }), message: 'default request value 16Gi is greater than default limit value 1Gi' },
  // networking
  { rule: 'Ingress host is not an IP (issue)', kind: 'Ingress', change: (d) => (d.spec.rules[0].host = '10.0.0.1'), message: 'spec.rules[0].host: invalid value "10.0.0.1": must be a DNS name, not an IP address' },
  { rule: 'Ingress host: DNS subdomain', kind: 'Ingress', change: (d) => (d.spec.rules[0].host = 'App.peripheral.com'), message: 'spec.rules[0].host: invalid value "App.peripheral.com": a lowercase RFC 1123 subdomain' },
  { rule: 'Ingress host: wildcard', kind: 'Ingress', change: (d) => (d.spec.rules[0].host = 'app.*.com'), message: "a wildcard DNS-1123 subdomain must start with '*.'" },
  { rule: 'Ingress host: label at most 63 (issue)', kind: 'Ingress', change: (d) => (d.spec.rules[0].host = `${long(71)}.peripheral.com`), message: 'has a label of 71 characters; a DNS label has at most 63', wrong: true },
  { rule: 'Ingress path: absolute', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].path = 'api'), message: 'spec.rules[0].http.paths[0].path: invalid value "api": must be an absolute path' },
  { rule: 'Ingress path: no //', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].path = '/api//v1'), message: `invalid value "/api//v1": must not contain '//'` },
  { rule: 'Ingress path: no /. suffix', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].path = '/api/.'), message: `invalid value "/api/.": cannot end with '/.'` },
  { rule: 'Ingress backend: port name or number', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].backend.service.port.name = 'http'), message: 'http.paths[0].backend: invalid value "": cannot set both port name & port number' },
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
  // more of the same functions, one case per branch
  { rule: 'label selector: In needs values', kind: 'Deployment', change: (d) => (d.spec.selector.matchExpressions = [{ key: 'tier', operator: 'In', values: [] }]), message: "spec.selector.matchExpressions[0].values: required value: must be specified when `operator` is 'In' or 'NotIn'" },
  { rule: 'label selector: Exists has no values', kind: 'PodDisruptionBudget', change: (d) => (d.spec.selector.matchExpressions = [{ key: 'tier', operator: 'Exists', values: ['a'] }]), message: "spec.selector.matchExpressions[0].values: forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" },
  { rule: 'label selector: operator', kind: 'PodDisruptionBudget', change: (d) => (d.spec.selector.matchExpressions = [{ key: 'tier', operator: 'Equals', values: ['a'] }]), message: 'spec.selector.matchExpressions[0].operator: invalid value "Equals": not a valid selector operator' },
  { rule: 'container image required', kind: 'Deployment', change: (d) => (first(d).image = ''), message: 'spec.template.spec.containers[0].image: required value' },
  { rule: 'container name: DNS label', kind: 'Deployment', change: (d) => (first(d).name = 'API'), message: 'spec.template.spec.containers[0].name: invalid value "API": a lowercase RFC 1123 label' },
  { rule: 'containerPort range', kind: 'Deployment', change: (d) => (first(d).ports[0].containerPort = 70000), message: 'ports[0].containerPort: invalid value 70000: must be between 1 and 65535, inclusive' },
  { rule: 'volume name: DNS label', kind: 'Deployment', change: (d) => ((pod(d).volumes[0].name = 'Tmp'), (first(d).volumeMounts[0].name = 'Tmp')), message: 'spec.template.spec.volumes[0].name: invalid value "Tmp": a lowercase RFC 1123 label' },
  { rule: 'volume: a source', kind: 'Deployment', change: (d) => delete pod(d).volumes[0].emptyDir, message: 'spec.template.spec.volumes[0]: required value: must specify a volume type' },
  { rule: 'emptyDir sizeLimit not negative', kind: 'Deployment', change: (d) => (pod(d).volumes[0].emptyDir.sizeLimit = '-1Gi'), message: 'volumes[0].emptyDir.sizeLimit: invalid value "-1Gi": must be greater than or equal to 0' },
  { rule: 'configMap volume: a name and relative item paths', kind: 'Deployment', change: (d) => pod(d).volumes.push({ name: 'conf', configMap: { name: 'settings', items: [{ key: 'a', path: '../a' }] } }), message: `volumes[1].configMap.items[0].path: invalid value "../a": must not contain '..'` },
  { rule: 'secret volume: defaultMode', kind: 'Deployment', change: (d) => pod(d).volumes.push({ name: 'keys', secret: { secretName: 'keys', defaultMode: 1024 } }), message: 'volumes[1].secret.defaultMode: invalid value 1024: must be a number between 0 and 0777 (octal), both inclusive' },
  { rule: 'volumeMount subPath relative', kind: 'Deployment', change: (d) => (first(d).volumeMounts[0].subPath = '../etc'), message: `volumeMounts[0].subPath: invalid value "../etc": must be a relative path without '..'` },
  { rule: 'envFrom: one source', kind: 'Deployment', change: (d) => (first(d).envFrom = [{ configMapRef: { name: 'a' }, secretRef: { name: 'b' } }]), message: 'envFrom[0]: invalid value "": may not have more than one field specified at a time' },
  { rule: 'envFrom: prefix', kind: 'Deployment', change: (d) => (first(d).envFrom = [{ prefix: '1_', configMapRef: { name: 'a' } }]), message: 'envFrom[0].prefix: invalid value "1_": a valid environment variable name' },
  { rule: 'env: secretKeyRef key', kind: 'Deployment', change: (d) => (first(d).env.find((e: Doc) => e.valueFrom?.secretKeyRef).valueFrom.secretKeyRef.key = 'bad key'), message: 'valueFrom.secretKeyRef.key: invalid value "bad key": a valid config key must consist of' },
  { rule: 'env: one valueFrom source', kind: 'Deployment', change: (d) => (first(d).env.find((e: Doc) => e.valueFrom?.secretKeyRef).valueFrom.configMapKeyRef = { name: 'a', key: 'b' }), message: 'valueFrom: invalid value "": may not have more than one field specified at a time' },
  { rule: 'probe: exec command', kind: 'Deployment', change: (d) => (first(d).livenessProbe = { exec: { command: [] } }), message: 'livenessProbe.exec.command: required value' },
  { rule: 'probe: not negative', kind: 'Deployment', change: (d) => (first(d).readinessProbe.periodSeconds = -1), message: 'readinessProbe.periodSeconds: invalid value -1: must be greater than or equal to 0' },
  { rule: 'readiness: no terminationGracePeriodSeconds', kind: 'Deployment', change: (d) => (first(d).readinessProbe.terminationGracePeriodSeconds = 10), message: 'readinessProbe.terminationGracePeriodSeconds: invalid value 10: must not be set for readinessProbes' },
  { rule: 'serviceAccountName', kind: 'Deployment', change: (d) => (pod(d).serviceAccountName = 'Runner'), message: 'spec.template.spec.serviceAccountName: invalid value "Runner": a lowercase RFC 1123 subdomain' },
  { rule: 'nodeSelector labels', kind: 'Deployment', change: (d) => (pod(d).nodeSelector = { 'disk type': 'ssd' }), message: 'spec.template.spec.nodeSelector: invalid value "disk type"' },
  { rule: 'template labels', kind: 'Deployment', change: (d) => (d.spec.template.metadata.labels.team = '-x'), message: 'spec.template.metadata.labels: invalid value "-x": a valid label must be an empty string' },
  { rule: 'privileged with allowPrivilegeEscalation false', kind: 'Deployment', change: (d) => (first(d).securityContext.privileged = true), message: 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true' },
  { rule: 'Deployment: no activeDeadlineSeconds', kind: 'Deployment', change: (d) => (pod(d).activeDeadlineSeconds = 60), message: 'spec.template.spec.activeDeadlineSeconds: forbidden: activeDeadlineSeconds in ReplicaSet is not Supported' },
  { rule: 'Deployment: replicas not negative', kind: 'Deployment', name: 'frontend', change: (d) => (d.spec.replicas = -1), message: 'spec.replicas: invalid value -1: must be greater than or equal to 0' },
  { rule: 'rolling update: percent syntax', kind: 'Deployment', change: (d) => (d.spec.strategy.rollingUpdate.maxSurge = '10 percent'), message: `spec.strategy.rollingUpdate.maxSurge: invalid value "10 percent": a valid percent string must be a numeric string followed by an ending '%'` },
  { rule: 'StatefulSet: partition not negative', kind: 'StatefulSet', name: 'db', change: (d) => (d.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }), message: 'spec.updateStrategy.rollingUpdate.partition: invalid value -1: must be greater than or equal to 0' },
  { rule: 'StatefulSet: mounts may name claim templates, not others', kind: 'StatefulSet', name: 'db', change: (d) => first(d).volumeMounts.push({ name: 'wal', mountPath: '/wal' }), message: '.name: not found "wal"' },
  { rule: 'Job: not negative', kind: 'Job', change: (d) => (d.spec.backoffLimit = -1), message: 'spec.backoffLimit: invalid value -1: must be greater than or equal to 0' },
  { rule: 'Job: Indexed needs completions', kind: 'Job', change: (d) => ((d.spec.completionMode = 'Indexed'), delete d.spec.completions), message: 'spec.completions: required value: when completion mode is Indexed' },
  { rule: 'Job: selector is generated', kind: 'Job', change: (d) => (d.spec.selector = { matchLabels: { a: 'b' } }), message: 'spec.selector: invalid value {"matchLabels":{"a":"b"}}: `selector` will be auto-generated' },
  { rule: 'CronJob: job template restart policy', kind: 'CronJob', change: (d) => (pod(d).restartPolicy = 'Always'), message: 'spec.jobTemplate.spec.template.spec.restartPolicy: required value: valid values: "OnFailure", "Never"' },
  { rule: 'CronJob: startingDeadlineSeconds', kind: 'CronJob', change: (d) => (d.spec.startingDeadlineSeconds = -5), message: 'spec.startingDeadlineSeconds: invalid value -5: must be greater than or equal to 0' },
  { rule: 'CronJob: time zone characters', kind: 'CronJob', change: (d) => (d.spec.timeZone = 'Europe/../Berlin'), message: 'spec.timeZone: invalid value "Europe/../Berlin": unknown time zone Europe/../Berlin' },
  { rule: 'Service: ports required', kind: 'Service', change: (d) => (d.spec.ports = []), message: 'spec.ports: required value' },
  { rule: 'Service: port range', kind: 'Service', change: (d) => (d.spec.ports[0].port = 0), message: 'spec.ports[0].port: invalid value 0: must be between 1 and 65535, inclusive' },
  { rule: 'Service: clusterIP', kind: 'Service', change: (d) => (d.spec.clusterIP = 'auto'), message: `spec.clusterIP: invalid value "auto": must be empty, 'None', or a valid IP address` },
  { rule: 'Service: nodePort only outside ClusterIP', kind: 'Service', change: (d) => (d.spec.ports[0].nodePort = 30080), message: "spec.ports[0].nodePort: forbidden: may not be used when `type` is 'ClusterIP'" },
  { rule: 'Service: appProtocol', kind: 'Service', change: (d) => (d.spec.ports[0].appProtocol = 'http 2'), message: 'spec.ports[0].appProtocol: invalid value "http 2"' },
  { rule: 'Service: selector labels', kind: 'Service', change: (d) => (d.spec.selector['app name'] = 'x'), message: 'spec.selector: invalid value "app name"' },
  { rule: 'ConfigMap: key in data and binaryData', kind: 'ConfigMap', change: (d) => (d.binaryData = { [Object.keys(d.data)[0]]: 'AA==' }), message: 'duplicate of key present in data' },
  { rule: 'ConfigMap: 1 MiB', kind: 'ConfigMap', change: (d) => (d.data.big = long(1024 * 1024)), message: 'data: too long: must have at most 1048576 bytes' },
  { rule: 'PVC: a storage request', kind: 'PersistentVolumeClaim', change: (d) => delete d.spec.resources.requests.storage, message: 'spec.resources[storage]: required value' },
  { rule: 'PVC: storage class name', kind: 'PersistentVolumeClaim', change: (d) => (d.spec.storageClassName = 'SSD_retain'), message: 'spec.storageClassName: invalid value "SSD_retain"' },
  { rule: 'PVC: not negative', kind: 'PersistentVolumeClaim', change: (d) => (d.spec.resources.requests.storage = '-1Gi'), message: 'spec.resources[storage]: invalid value "-1Gi": must be greater than or equal to 0' },
  { rule: 'ResourceQuota: not negative', kind: 'ResourceQuota', change: (d) => (d.spec.hard['requests.cpu'] = '-1'), message: 'spec.hard[requests.cpu]: invalid value "-1": must be greater than or equal to 0' },
  { rule: 'LimitRange: one item per type', kind: 'LimitRange', change: (d) => d.spec.limits.push({ ...d.spec.limits[0] }), message: 'spec.limits[1].type: duplicate value "Container"' },
  { rule: 'LimitRange: min ≤ max', kind: 'LimitRange', change: (d) => ((d.spec.limits[0].min = { memory: '2Gi' }), (d.spec.limits[0].max = { memory: '1Gi' })), message: 'min value 2Gi is greater than max value 1Gi' },
  { rule: 'LimitRange: ratio ≥ 1', kind: 'LimitRange', change: (d) => (d.spec.limits[0].maxLimitRequestRatio = { memory: '500m' }), message: 'ratio 500m is less than 1' },
  { rule: 'LimitRange: Pod type has no defaults', kind: 'LimitRange', change: (d) => (d.spec.limits[0].type = 'Pod'), message: "spec.limits[0].default: forbidden: may not be specified when `type` is 'Pod'" },
  { rule: 'LimitRange: PVC type needs min or max', kind: 'LimitRange', change: (d) => (d.spec.limits[0] = { type: 'PersistentVolumeClaim' }), message: 'spec.limits[0].limits: required value: either minimum or maximum storage value is required' },
  { rule: 'Ingress: TLS host', kind: 'Ingress', change: (d) => (d.spec.tls[0].hosts[0] = 'App.example.com'), message: 'spec.tls[0].hosts[0]: invalid value "App.example.com": a lowercase RFC 1123 subdomain' },
  { rule: 'Ingress: TLS secret name', kind: 'Ingress', change: (d) => (d.spec.tls[0].secretName = 'Web_TLS'), message: 'spec.tls[0].secretName: invalid value "Web_TLS"' },
  { rule: 'Ingress: class name', kind: 'Ingress', change: (d) => (d.spec.ingressClassName = 'Nginx'), message: 'spec.ingressClassName: invalid value "Nginx"' },
  { rule: 'Ingress: rules or a default backend', kind: 'Ingress', change: (d) => (d.spec.rules = []), message: 'spec: invalid value "": either `defaultBackend` or `rules` must be specified' },
  { rule: 'Ingress: paths', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths = []), message: 'spec.rules[0].http.paths: required value' },
  { rule: 'Ingress: ImplementationSpecific paths absolute', kind: 'Ingress', change: (d) => Object.assign(d.spec.rules[0].http.paths[0], { pathType: 'ImplementationSpecific', path: 'api' }), message: 'spec.rules[0].http.paths[0].path: invalid value "api": must be an absolute path' },
  { rule: 'Ingress backend: a port', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].backend.service.port = {}), message: 'http.paths[0].backend: required value: port name or number is required' },
  { rule: 'Ingress backend: port name', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].backend.service.port = { name: 'HTTP' }), message: 'backend.service.port.name: invalid value "HTTP": must contain only alpha-numeric characters' },
  { rule: 'NetworkPolicy: a peer', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].from = [{}]), message: 'spec.ingress[0].from[0]: required value: must specify a peer' },
  { rule: 'NetworkPolicy: cidr', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].from = [{ ipBlock: { cidr: '10.0.0.0/33' } }]), message: 'ipBlock.cidr: invalid value "10.0.0.0/33": must be a valid CIDR value' },
  { rule: 'NetworkPolicy: named port', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].ports[0].port = 'http--api'), message: 'ports[0].port: invalid value "http--api": must not contain consecutive hyphens' },
  { rule: 'NetworkPolicy: endPort needs a port', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].ports[0] = { endPort: 8000, protocol: 'TCP' }), message: 'endPort: invalid value 8000: may not be specified when `port` is not specified' },
  { rule: 'NetworkPolicy: peer selectors', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].from = [{ podSelector: { matchLabels: { 'a b': 'c' } } }]), message: 'podSelector.matchLabels: invalid value "a b"' },
  { rule: 'HPA: maxReplicas ≥ 1', kind: 'HorizontalPodAutoscaler', change: (d) => ((d.spec.maxReplicas = 0), delete d.spec.minReplicas), message: 'spec.maxReplicas: invalid value 0: must be greater than 0' },
  { rule: 'HPA: target reference', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.scaleTargetRef.name = 'a/b'), message: `spec.scaleTargetRef.name: invalid value "a/b": may not contain '/'` },
  { rule: 'HPA: one metric source', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.metrics[0].pods = { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: '1' } }), message: 'spec.metrics[0].pods: forbidden: must populate the given metric source only' },
  { rule: 'HPA: utilization or value', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.metrics[0].resource.target = { type: 'Utilization' }), message: 'target.averageUtilization: required value: must set either a target raw value or a target utilization' },
  { rule: 'HPA: positive values', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.metrics[0].resource.target = { type: 'AverageValue', averageValue: '0' }), message: 'target.averageValue: invalid value "0": must be positive' },
  { rule: 'HPA: behavior policies', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 4000, policies: [{ type: 'Pods', value: 0, periodSeconds: 60 }] } }), message: 'spec.behavior.scaleDown.stabilizationWindowSeconds: invalid value 4000: must be less than or equal to 3600' },
  { rule: 'HPA: behavior policy value', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.behavior = { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] } }), message: 'spec.behavior.scaleUp.policies[0].value: invalid value 0: must be greater than zero' },
  { rule: 'PDB: not negative', kind: 'PodDisruptionBudget', change: (d) => ((d.spec.maxUnavailable = -1), delete d.spec.minAvailable), message: 'spec.maxUnavailable: invalid value -1: must be greater than or equal to 0' },
  { rule: 'Role rule: resources', kind: 'Role', change: (d) => (d.rules[0].resources = []), message: 'rules[0].resources: required value: resource rules must supply at least one resource' },
  { rule: 'RoleBinding roleRef apiGroup', kind: 'RoleBinding', change: (d) => (d.roleRef.apiGroup = 'rbac'), message: 'roleRef.apiGroup: unsupported value "rbac"' },
  { rule: 'RoleBinding subject kind', kind: 'RoleBinding', change: (d) => (d.subjects[0].kind = 'Robot'), message: 'subjects[0].kind: unsupported value "Robot"' },
  { rule: 'RoleBinding User subject apiGroup', kind: 'RoleBinding', change: (d) => (d.subjects[0] = { kind: 'User', name: 'ops' }), message: 'subjects[0].apiGroup: unsupported value nothing: supported values: "rbac.authorization.k8s.io"' },
  { rule: 'RoleBinding ServiceAccount name', kind: 'RoleBinding', change: (d) => (d.subjects[0].name = 'Restart'), message: 'subjects[0].name: invalid value "Restart"' },
  { rule: 'custom resource labels', kind: 'Application', change: (d) => (d.metadata.labels = { ...d.metadata.labels, env: 'x'.repeat(64) }), message: `metadata.labels: invalid value "${'x'.repeat(64)}"` },
  { rule: 'ConfigMap: binaryData keys', kind: 'ConfigMap', change: (d) => (d.binaryData = { 'bad key': 'AA==' }), message: 'binaryData[bad key]: invalid value "bad key": a valid config key must consist of' },
  { rule: 'LimitRange: type', kind: 'LimitRange', change: (d) => (d.spec.limits[0].type = 'Node'), message: 'spec.limits[0].type: invalid value "Node": must be a standard limit type or fully qualified' },
  { rule: 'HPA: metric type', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.metrics[0].type = 'Magic'), message: 'spec.metrics[0].type: unsupported value "Magic"' },
  { rule: 'HPA: target type', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.metrics[0].resource.target.type = 'Magic'), message: 'target.type: invalid value "Magic": must be either Utilization, Value, or AverageValue' },
  { rule: 'HPA: select policy', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.behavior = { scaleUp: { selectPolicy: 'Magic', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } }), message: 'spec.behavior.scaleUp.selectPolicy: unsupported value "Magic"' },
  { rule: 'HPA: policy type and period', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.behavior = { scaleUp: { policies: [{ type: 'Magic', value: 1, periodSeconds: 1801 }] } }), message: 'spec.behavior.scaleUp.policies[0].type: unsupported value "Magic"' },
  { rule: 'LimitRange: min ≤ defaultRequest', kind: 'LimitRange', change: (d) => (d.spec.limits[0] = { type: 'Container', defaultRequest: { cpu: '50m' }, min: { cpu: '100m' } }), message: 'min value 100m is greater than default request value 50m' },
  { rule: 'LimitRange: defaultRequest ≤ max', kind: 'LimitRange', change: (d) => (d.spec.limits[0] = { type: 'Container', defaultRequest: { cpu: '50m' }, max: { cpu: '10m' } }), message: 'default request value 50m is greater than max value 10m' },
  { rule: 'LimitRange: min ≤ default', kind: 'LimitRange', change: (d) => (d.spec.limits[0] = { type: 'Container', default: { memory: '256Mi' }, min: { memory: '512Mi' } }), message: 'min value 512Mi is greater than default value 256Mi' },
  { rule: 'LimitRange: default ≤ max', kind: 'LimitRange', change: (d) => (d.spec.limits[0] = { type: 'Container', default: { memory: '256Mi' }, max: { memory: '128Mi' } }), message: 'default value 256Mi is greater than max value 128Mi' },
  { rule: 'LimitRange: ratio ≤ max/min', kind: 'LimitRange', change: (d) => (d.spec.limits[0] = { type: 'Container', min: { memory: '32Mi' }, max: { memory: '1Gi' }, maxLimitRequestRatio: { memory: '64' } }), message: 'ratio 64 is greater than max/min = 32.000000' },
  { rule: 'name required', kind: 'ConfigMap', change: (d) => delete d.metadata.name, message: 'metadata.name: required value: name or generateName is required' },
  { rule: 'label selector: expression key', kind: 'PodDisruptionBudget', change: (d) => (d.spec.selector.matchExpressions = [{ key: 'a b', operator: 'Exists' }]), message: 'spec.selector.matchExpressions[0].key: invalid value "a b"' },
  { rule: 'ResourceQuota: qualified names', kind: 'ResourceQuota', change: (d) => (d.spec.hard['a/b/c'] = '1'), message: 'spec.hard[a/b/c]: invalid value "a/b/c": a qualified name must consist of' },
  { rule: 'containers required', kind: 'Deployment', change: (d) => (pod(d).containers = []), message: 'spec.template.spec.containers: required value' },
  { rule: 'init container names unique', kind: 'Deployment', change: (d) => (pod(d).initContainers = [{ name: first(d).name, image: first(d).image }]), message: 'spec.template.spec.initContainers[0].name: duplicate value' },
  { rule: 'Ingress backend: resource or service', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].backend.resource = { kind: 'Bucket', name: 'static' }), message: 'backend: invalid value "": cannot set both resource and service backends' },
  { rule: 'Ingress backend: a backend', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].backend = {}), message: 'backend: invalid value "": resource or service backend is required' },
  { rule: 'Ingress backend: port number', kind: 'Ingress', change: (d) => (d.spec.rules[0].http.paths[0].backend.service.port = { number: 70000 }), message: 'backend.service.port.number: invalid value 70000: must be between 1 and 65535, inclusive' },
  { rule: 'NetworkPolicy: except CIDRs', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].from = [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/99'] } }]), message: 'except[0]: invalid value "10.1.0.0/99": must be a valid CIDR value' },
  { rule: 'NetworkPolicy: port number', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].ports[0].port = 70000), message: 'ports[0].port: invalid value 70000: must be between 1 and 65535, inclusive' },
  { rule: 'NetworkPolicy: endPort range', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.ingress[0].ports[0] = { port: 9000, endPort: 70000, protocol: 'TCP' }), message: 'ports[0].endPort: invalid value 70000: must be between 1 and 65535, inclusive' },
  { rule: 'NetworkPolicy: at most two policy types', kind: 'NetworkPolicy', name: 'backend', change: (d) => (d.spec.policyTypes = ['Ingress', 'Egress', 'Ingress']), message: 'spec.policyTypes: invalid value ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes' },
  { rule: 'terminationGracePeriodSeconds not negative', kind: 'Deployment', change: (d) => (pod(d).terminationGracePeriodSeconds = -1), message: 'spec.template.spec.terminationGracePeriodSeconds: invalid value -1: must be greater than or equal to 0' },
  { rule: 'Job activeDeadlineSeconds ≥ 1', kind: 'Job', change: (d) => (pod(d).activeDeadlineSeconds = 0), message: 'spec.template.spec.activeDeadlineSeconds: invalid value 0: must be between 1 and 2147483647, inclusive' },
  { rule: 'PVC volume: claim name', kind: 'Deployment', change: (d) => pod(d).volumes.push({ name: 'data', persistentVolumeClaim: { claimName: '' } }), message: 'volumes[1].persistentVolumeClaim.claimName: required value' },
  { rule: 'configMap volume: a name', kind: 'Deployment', change: (d) => pod(d).volumes.push({ name: 'conf', configMap: {} }), message: 'volumes[1].configMap.name: required value' },
  { rule: 'configMap volume: name syntax', kind: 'Deployment', change: (d) => pod(d).volumes.push({ name: 'conf', configMap: { name: 'Settings' } }), message: 'volumes[1].configMap.name: invalid value "Settings"' },
  { rule: 'volume items: relative path', kind: 'Deployment', change: (d) => pod(d).volumes.push({ name: 'conf', configMap: { name: 'settings', items: [{ key: 'a', path: '/etc/a' }] } }), message: 'items[0].path: invalid value "/etc/a": must be a relative path' },
  { rule: 'volume items: mode', kind: 'Deployment', change: (d) => pod(d).volumes.push({ name: 'conf', configMap: { name: 'settings', items: [{ key: 'a', path: 'a', mode: 4096 }] } }), message: 'items[0].mode: invalid value 4096: must be a number between 0 and 0777' },
  { rule: 'hostPort range', kind: 'Deployment', change: (d) => (first(d).ports[0].hostPort = 70000), message: 'ports[0].hostPort: invalid value 70000: must be between 1 and 65535, inclusive' },
  { rule: 'envFrom: a source', kind: 'Deployment', change: (d) => (first(d).envFrom = [{ prefix: 'A_' }]), message: 'envFrom[0]: invalid value "": must specify one of: `configMapRef` or `secretRef`' },
  { rule: 'envFrom: a name', kind: 'Deployment', change: (d) => (first(d).envFrom = [{ secretRef: {} }]), message: 'envFrom[0].secretRef.name: required value' },
  { rule: 'envFrom: name syntax', kind: 'Deployment', change: (d) => (first(d).envFrom = [{ secretRef: { name: 'App_Secrets' } }]), message: 'envFrom[0].secretRef.name: invalid value "App_Secrets"' },
  { rule: 'volumeMount: subPath or subPathExpr', kind: 'Deployment', change: (d) => Object.assign(first(d).volumeMounts[0], { subPath: 'a', subPathExpr: '$(POD)' }), message: 'subPathExpr and subPath are mutually exclusive' },
  { rule: 'container runAsUser range', kind: 'Deployment', change: (d) => (first(d).securityContext.runAsUser = -1), message: 'containers[0].securityContext.runAsUser: invalid value -1: must be between 0 and 2147483647' },
  { rule: 'env: a valueFrom source', kind: 'Deployment', change: (d) => (first(d).env.find((e: Doc) => e.valueFrom).valueFrom = {}), message: 'valueFrom: invalid value "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`' },
  { rule: 'env: secretKeyRef name', kind: 'Deployment', change: (d) => delete first(d).env.find((e: Doc) => e.valueFrom?.secretKeyRef).valueFrom.secretKeyRef.name, message: 'valueFrom.secretKeyRef.name: required value' },
  { rule: 'env: secretKeyRef name syntax', kind: 'Deployment', change: (d) => (first(d).env.find((e: Doc) => e.valueFrom?.secretKeyRef).valueFrom.secretKeyRef.name = 'App_Keys'), message: 'valueFrom.secretKeyRef.name: invalid value "App_Keys"' },
  { rule: 'env: secretKeyRef key required', kind: 'Deployment', change: (d) => (first(d).env.find((e: Doc) => e.valueFrom?.secretKeyRef).valueFrom.secretKeyRef.key = ''), message: 'valueFrom.secretKeyRef.key: required value' },
  { rule: 'probe: tcpSocket port', kind: 'Deployment', change: (d) => (first(d).livenessProbe = { tcpSocket: { port: 0 } }), message: 'livenessProbe.tcpSocket.port: invalid value 0: must be between 1 and 65535, inclusive' },
  { rule: 'probe: grpc port', kind: 'Deployment', change: (d) => (first(d).livenessProbe = { grpc: { port: 70000 } }), message: 'livenessProbe.grpc.port: invalid value 70000: must be between 1 and 65535, inclusive' },
  { rule: 'probe: terminationGracePeriodSeconds > 0', kind: 'Deployment', change: (d) => (first(d).livenessProbe.terminationGracePeriodSeconds = 0), message: 'livenessProbe.terminationGracePeriodSeconds: invalid value 0: must be greater than 0' },
  { rule: 'Role rule: resources or non-resource URLs', kind: 'Role', change: (d) => (d.rules[0].nonResourceURLs = ['/metrics']), message: 'rules cannot apply to both regular resources and non-resource URLs' },
  { rule: 'RoleBinding roleRef name', kind: 'RoleBinding', change: (d) => (d.roleRef.name = 'a/b'), message: `roleRef.name: invalid value "a/b": may not contain '/'` },
  { rule: 'RoleBinding roleRef name required', kind: 'RoleBinding', change: (d) => (d.roleRef.name = ''), message: 'roleRef.name: required value' },
  { rule: 'RoleBinding subject name required', kind: 'RoleBinding', change: (d) => (d.subjects[0].name = ''), message: 'subjects[0].name: required value' },
  { rule: 'HPA: utilization and value not both', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.metrics[0].resource.target = { type: 'Utilization', averageUtilization: 70, averageValue: '500m' }), message: 'target.averageValue: forbidden: may not set both a target raw value and a target utilization' },
  { rule: 'HPA: behavior needs policies', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.behavior = { scaleUp: { policies: [] } }), message: 'spec.behavior.scaleUp.policies: required value: must specify at least one Policy' },
  { rule: 'HPA: policy period > 0', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.behavior = { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 0 }] } }), message: 'spec.behavior.scaleUp.policies[0].periodSeconds: invalid value 0: must be greater than zero' },
  { rule: 'HPA: policy period ≤ 1800', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.behavior = { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] } }), message: 'spec.behavior.scaleUp.policies[0].periodSeconds: invalid value 1801: must be less than or equal to 1800' },
  { rule: 'HPA: target name required', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.scaleTargetRef.name = ''), message: 'spec.scaleTargetRef.name: required value' },
  { rule: 'HPA: resource name required', kind: 'HorizontalPodAutoscaler', change: (d) => (d.spec.metrics[0].resource.name = ''), message: 'spec.metrics[0].resource.name: required value: must specify a resource name' },
  { rule: 'CronJob time zone not empty', kind: 'CronJob', change: (d) => (d.spec.timeZone = ''), message: 'spec.timeZone: invalid value "": timeZone must be nil or non-empty string' },
  { rule: 'ExternalSecret name', kind: 'ExternalSecret', change: (d) => (d.metadata.name = 'Peripheral_DB'), message: 'metadata.name: invalid value "Peripheral_DB"' },
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
  const ingress = (platform: string, name: string, host: string, paths: Array<[path: string, service: string]>) =>
    ingressObject(platform, name, [[host, paths.map(([path, service]) => [path, 'Prefix', service] as const)]]);

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
    const error = inputErrorOf(() => render(edited, platforms, { envs: ['prod'] }));
    const lines = error.problems.filter((p) => p.includes('[env]'));
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
          backup: { ...p.backup, schedule: '0 3 31 2 *' },
        },
        [b]: { ...prod[b], host: '10.1.2.3' },
        [c]: { ...prod[c], host: prod[a].host },
      },
    };
    const error = inputErrorOf(() => render(edited, platforms, { envs: ['prod'] }));
    const problems = error.problems;
    for (const expected of [
      'prod/peripheral/db/Resource: [api-server] StatefulSet/db: spec.template.spec.containers[0].resources.requests[cpu]: invalid value "2": must be less than or equal to cpu limit of "1"',
      'prod/peripheral/db/Resource: [api-server] StatefulSet/db: spec.template.spec.containers[0].resources.requests[memory]: invalid value "16Gi": must be less than or equal to memory limit of "8Gi"',
      'prod/peripheral/frontend/Resource: [api-server] Deployment/frontend: spec.template.spec.containers[0].resources.requests[memory]: invalid value "256Mi": must be less than or equal to memory limit of "0"',
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
