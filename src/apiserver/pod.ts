/**
 * The pod template of a workload: ports of `pkg/apis/core/validation/validation.go` (Kubernetes
 * 1.27) ValidatePodTemplateSpec → ValidatePodSpec: validateVolumes, validateContainers,
 * validateInitContainers (validateContainerCommon: ports, env, envFrom, volume mounts, resources,
 * probes), ValidateResourceRequirements, validateProbe/validateHandler, ValidatePodSecurityContext.
 * Fields the API server defaults before it validates (probe thresholds, `httpGet.path`, pull
 * policy) are judged as defaulted.
 */
import { quantityValue } from '../quantity';
import { child, Errors, key, list, obj, sortedEntries } from './field';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isValidPortName, isValidPortNum, portNumOrName, validateAnnotations, validateLabels } from './meta';

/** Findings that the API server accepts but that do not do what they say (reported apart). */
export type Warn = (field: string, message: string) => void;

const VOLUME_SOURCES = ['emptyDir', 'persistentVolumeClaim', 'configMap', 'secret', 'projected', 'downwardAPI', 'ephemeral', 'csi', 'hostPath', 'nfs'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const QUANTITY_RE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';
const MAX_INT32 = 2147483647;
const ID_RANGE = `must be between 0 and ${MAX_INT32}, inclusive`;

/** The value of a quantity, or NaN after reporting it (resource.ParseQuantity fails at decode). */
export function quantityOf(v: unknown, path: string, errs: Errors): number {
  const n = typeof v === 'number' || typeof v === 'string' ? quantityValue(v) : NaN;
  if (Number.isNaN(n)) errs.invalid(path, v, QUANTITY_RE);
  return n;
}

/** ValidateResourceQuantityValue: never negative. */
export function nonNegativeQuantity(v: unknown, path: string, errs: Errors): number {
  const n = quantityOf(v, path, errs);
  if (n < 0) errs.invalid(path, v, 'must be greater than or equal to 0');
  return n;
}

/** ValidatePodTemplateSpec: the template's labels and annotations, then its pod spec. */
export function validatePodTemplate(template: unknown, path: string, errs: Errors, warn: Warn): void {
  const t = obj(template);
  validateLabels(t.metadata?.labels, child(path, 'metadata.labels'), errs);
  validateAnnotations(t.metadata?.annotations, child(path, 'metadata.annotations'), errs);
  validatePodSpec(t.spec, child(path, 'spec'), errs, warn);
}

/** ValidatePodSpec: volumes, containers, init containers and the pod-level fields a chart sets. */
export function validatePodSpec(specIn: unknown, path: string, errs: Errors, warn: Warn): void {
  const spec = obj(specIn);
  const volumes = validateVolumes(spec.volumes, child(path, 'volumes'), errs);
  const containers = list(spec.containers);
  if (containers.length === 0) errs.required(child(path, 'containers'));
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = child(child(path, 'containers'), i);
    validateContainer(c, volumes, p, errs, warn);
    if (names.has(c?.name)) errs.duplicate(child(p, 'name'), c?.name);
    else names.add(c?.name);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) validateProbe(c?.[probe], probe, child(p, probe), errs);
  });
  list(spec.initContainers).forEach((c, i) => {
    const p = child(child(path, 'initContainers'), i);
    validateContainer(c, volumes, p, errs, warn);
    if (names.has(c?.name)) errs.duplicate(child(p, 'name'), c?.name);
    else if (c?.name) names.add(c.name);
    for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) if (c?.[f] !== undefined) errs.forbidden(child(p, f), 'may not be set for init containers');
  });
  if (spec.serviceAccountName) errs.each(child(path, 'serviceAccountName'), spec.serviceAccountName, isDNS1123Subdomain(String(spec.serviceAccountName)));
  validateLabels(spec.nodeSelector, child(path, 'nodeSelector'), errs);
  if (spec.terminationGracePeriodSeconds < 0) errs.invalid(child(path, 'terminationGracePeriodSeconds'), spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0');
  if (spec.activeDeadlineSeconds !== undefined && !(spec.activeDeadlineSeconds >= 1 && spec.activeDeadlineSeconds <= MAX_INT32)) errs.invalid(child(path, 'activeDeadlineSeconds'), spec.activeDeadlineSeconds, `must be between 1 and ${MAX_INT32}, inclusive`);
  const sc = obj(spec.securityContext);
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) if (sc[f] !== undefined && !(sc[f] >= 0 && sc[f] <= MAX_INT32)) errs.invalid(child(path, `securityContext.${f}`), sc[f], ID_RANGE);
}

/** validateVolumes: DNS-label names, unique, exactly one source each; returns the names. */
function validateVolumes(volumesIn: unknown, path: string, errs: Errors): Set<string> {
  const names = new Set<string>();
  list(volumesIn).forEach((v, i) => {
    const p = child(path, i);
    if (!v?.name) errs.required(child(p, 'name'));
    else {
      errs.each(child(p, 'name'), v.name, isDNS1123Label(v.name));
      if (names.has(v.name)) errs.duplicate(child(p, 'name'), v.name);
      names.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => v?.[s] !== undefined);
    if (sources.length === 0) errs.required(p, 'must specify a volume type');
    for (const extra of sources.slice(1)) errs.forbidden(child(p, extra), 'may not specify more than 1 volume type');
    if (v?.emptyDir?.sizeLimit !== undefined) nonNegativeQuantity(v.emptyDir.sizeLimit, child(p, 'emptyDir.sizeLimit'), errs);
    if (v?.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.required(child(p, 'persistentVolumeClaim.claimName'));
    if (v?.configMap) validateProjection(v.configMap, 'name', child(p, 'configMap'), errs);
    if (v?.secret) validateProjection(v.secret, 'secretName', child(p, 'secret'), errs);
  });
  return names;
}

/** validateConfigMapVolumeSource / validateSecretVolumeSource: the name, the mode, the items. */
function validateProjection(src: Record<string, any>, nameField: string, path: string, errs: Errors): void {
  if (!src[nameField]) errs.required(child(path, nameField));
  else errs.each(child(path, nameField), src[nameField], isDNS1123Subdomain(String(src[nameField])));
  if (src.defaultMode !== undefined && !(src.defaultMode >= 0 && src.defaultMode <= 0o777)) errs.invalid(child(path, 'defaultMode'), src.defaultMode, FILE_MODE);
  list(src.items).forEach((item, i) => {
    const p = child(child(path, 'items'), i);
    if (!item?.key) errs.required(child(p, 'key'));
    if (!item?.path) errs.required(child(p, 'path'));
    else if (item.path.startsWith('/')) errs.invalid(child(p, 'path'), item.path, 'must be a relative path');
    else if (item.path.split('/').includes('..')) errs.invalid(child(p, 'path'), item.path, "must not contain '..'");
    if (item?.mode !== undefined && !(item.mode >= 0 && item.mode <= 0o777)) errs.invalid(child(p, 'mode'), item.mode, FILE_MODE);
  });
}

/** validateContainerCommon: name, image, ports, env, envFrom, mounts, pull policy, resources. */
function validateContainer(cIn: unknown, volumes: Set<string>, path: string, errs: Errors, warn: Warn): void {
  const c = obj(cIn);
  if (!c.name) errs.required(child(path, 'name'));
  else errs.each(child(path, 'name'), c.name, isDNS1123Label(String(c.name)));
  if (!c.image) errs.required(child(path, 'image'));
  const portNames = new Set<string>();
  list(c.ports).forEach((port, i) => {
    const p = child(child(path, 'ports'), i);
    if (port?.name !== undefined) {
      errs.each(child(p, 'name'), port.name, isValidPortName(String(port.name)));
      if (portNames.has(port.name)) errs.duplicate(child(p, 'name'), port.name);
      portNames.add(port.name);
    }
    if (!port?.containerPort) errs.required(child(p, 'containerPort'));
    else errs.each(child(p, 'containerPort'), port.containerPort, isValidPortNum(port.containerPort));
    if (port?.hostPort) errs.each(child(p, 'hostPort'), port.hostPort, isValidPortNum(port.hostPort));
    if (port?.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) errs.notSupported(child(p, 'protocol'), port.protocol, PROTOCOLS);
  });
  list(c.env).forEach((e, i) => validateEnvVar(e, child(child(path, 'env'), i), errs));
  list(c.envFrom).forEach((e, i) => {
    const p = child(child(path, 'envFrom'), i);
    if (e?.prefix !== undefined) errs.each(child(p, 'prefix'), e.prefix, isEnvVarName(String(e.prefix)));
    const refs = ['configMapRef', 'secretRef'].filter((r) => e?.[r] !== undefined);
    if (refs.length === 0) errs.invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`');
    else if (refs.length > 1) errs.invalid(p, '', 'may not have more than one field specified at a time');
    for (const r of refs) {
      if (!e[r].name) errs.required(child(p, `${r}.name`));
      else errs.each(child(p, `${r}.name`), e[r].name, isDNS1123Subdomain(String(e[r].name)));
    }
  });
  const mountPaths = new Set<string>();
  list(c.volumeMounts).forEach((m, i) => {
    const p = child(child(path, 'volumeMounts'), i);
    if (!m?.name) errs.required(child(p, 'name'));
    else if (!volumes.has(m.name)) errs.notFound(child(p, 'name'), m.name, `no volume of the pod is called "${m.name}"`);
    if (!m?.mountPath) errs.required(child(p, 'mountPath'));
    else if (mountPaths.has(m.mountPath)) errs.invalid(child(p, 'mountPath'), m.mountPath, 'must be unique');
    else mountPaths.add(m.mountPath);
    if (m?.subPath && m.subPathExpr) errs.invalid(child(p, 'subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive');
    if (typeof m?.subPath === 'string' && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) errs.invalid(child(p, 'subPath'), m.subPath, "must be a relative path without '..'");
  });
  if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy)) errs.notSupported(child(path, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES);
  validateResources(c.resources, child(path, 'resources'), errs, warn);
  const sc = obj(c.securityContext);
  for (const f of ['runAsUser', 'runAsGroup']) if (sc[f] !== undefined && !(sc[f] >= 0 && sc[f] <= MAX_INT32)) errs.invalid(child(path, `securityContext.${f}`), sc[f], ID_RANGE);
  if (sc.allowPrivilegeEscalation === false && sc.privileged === true) errs.invalid(child(path, 'securityContext'), 'privileged', 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true');
}

/** ValidateEnv: a name, and a value or exactly one source. */
function validateEnvVar(e: any, path: string, errs: Errors): void {
  if (!e?.name) errs.required(child(path, 'name'));
  else errs.each(child(path, 'name'), e.name, isEnvVarName(String(e.name)));
  if (e?.valueFrom === undefined) return;
  const from = obj(e.valueFrom);
  const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((s) => from[s] !== undefined);
  const p = child(path, 'valueFrom');
  if (sources.length === 0) errs.invalid(p, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`');
  else if (e.value) errs.invalid(p, '', 'may not be specified when `value` is not empty');
  else if (sources.length > 1) errs.invalid(p, '', 'may not have more than one field specified at a time');
  for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
    if (!from[ref]) continue;
    if (!from[ref].name) errs.required(child(p, `${ref}.name`));
    else errs.each(child(p, `${ref}.name`), from[ref].name, isDNS1123Subdomain(String(from[ref].name)));
    if (!from[ref].key) errs.required(child(p, `${ref}.key`));
    else errs.each(child(p, `${ref}.key`), from[ref].key, isConfigMapKey(String(from[ref].key)));
  }
}

/** ValidateResourceRequirements: known names, no negative quantity, each request ≤ its limit. */
export function validateResources(resources: unknown, path: string, errs: Errors, warn: Warn): void {
  const r = obj(resources);
  const limits = new Map<string, number>();
  for (const [kind, part] of [['limits', r.limits], ['requests', r.requests]] as const) {
    for (const [name, q] of sortedEntries(part)) {
      const p = key(child(path, kind), name);
      if (!name.includes('/') && !CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-')) errs.invalid(p, name, 'must be a standard resource for containers');
      const n = nonNegativeQuantity(q, p, errs);
      if (kind === 'limits') {
        limits.set(name, n);
        if (n === 0 && (name === 'cpu' || name === 'memory')) warn(p, `a ${name} limit of "${q}" is no limit at all: the kubelet sets no ${name} limit for 0`);
      } else if (limits.has(name) && n > limits.get(name)!) {
        errs.invalid(p, q, `must be less than or equal to ${name} limit of ${JSON.stringify(r.limits[name])}`);
      }
    }
  }
}

/** validateProbe / validateHandler (+ the liveness, readiness and startup extras), after defaulting. */
function validateProbe(probeIn: unknown, kind: string, path: string, errs: Errors): void {
  if (probeIn === undefined) return;
  const probe = obj(probeIn);
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => probe[h] !== undefined);
  if (handlers.length === 0) errs.required(path, 'must specify a handler type');
  for (const extra of handlers.slice(1)) errs.forbidden(child(path, extra), 'may not specify more than 1 handler type');
  if (probe.exec && list(probe.exec.command).length === 0) errs.required(child(path, 'exec.command'));
  if (probe.httpGet) {
    errs.each(child(path, 'httpGet.port'), probe.httpGet.port, portNumOrName(probe.httpGet.port));
    if (probe.httpGet.scheme !== undefined && !['HTTP', 'HTTPS'].includes(probe.httpGet.scheme)) errs.notSupported(child(path, 'httpGet.scheme'), probe.httpGet.scheme, ['HTTP', 'HTTPS']);
  }
  if (probe.tcpSocket) errs.each(child(path, 'tcpSocket.port'), probe.tcpSocket.port, portNumOrName(probe.tcpSocket.port));
  if (probe.grpc) errs.each(child(path, 'grpc.port'), probe.grpc.port, isValidPortNum(probe.grpc.port));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if (probe[f] < 0) errs.invalid(child(path, f), probe[f], 'must be greater than or equal to 0');
  }
  if (probe.terminationGracePeriodSeconds !== undefined) {
    if (kind === 'readinessProbe') errs.invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes');
    else if (probe.terminationGracePeriodSeconds <= 0) errs.invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0');
  }
  // SetDefaults_Probe makes a successThreshold of 0 (or none) 1.
  if (kind !== 'readinessProbe' && probe.successThreshold && probe.successThreshold !== 1) errs.invalid(child(path, 'successThreshold'), probe.successThreshold, 'must be 1');
}
