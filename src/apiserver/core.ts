/**
 * Core kinds other than pods: ports of `pkg/apis/core/validation/validation.go` (Kubernetes 1.27)
 * ValidateService (validateServicePort and the (port, protocol) uniqueness), ValidateConfigMap,
 * ValidatePersistentVolumeClaimSpec, ValidateResourceQuotaSpec (ValidateResourceQuotaResourceName,
 * ValidateResourceQuantityValue) and ValidateLimitRange.
 */
import { quantityValue } from '../quantity';
import { child, Errors, key, list, obj, sortedEntries } from './field';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isIP, isQualifiedName, isValidPortNum, portNumOrName, validateLabels, validateLabelSelector } from './meta';
import { nonNegativeQuantity } from './pod';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/**
 * ValidateService (create), after SetDefaults_Service: an empty type is ClusterIP, an empty
 * protocol TCP, a targetPort of 0 or "" the port itself, an empty session affinity None.
 */
export function validateService(doc: Record<string, any>, errs: Errors): void {
  const spec = obj(doc.spec);
  const type = spec.type || 'ClusterIP';
  if (!SERVICE_TYPES.includes(type)) errs.notSupported('spec.type', type, SERVICE_TYPES);
  const headless = spec.clusterIP === 'None';
  const ports = list(spec.ports);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.required('spec.ports');
  if (spec.clusterIP !== undefined && spec.clusterIP !== '' && !headless && !isIP(String(spec.clusterIP))) errs.invalid('spec.clusterIP', spec.clusterIP, "must be empty, 'None', or a valid IP address");
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const p = `spec.ports[${i}]`;
    if (ports.length > 1 && !port?.name) errs.required(child(p, 'name'), 'every port of a Service with more than one port needs a name');
    else if (port?.name) {
      errs.each(child(p, 'name'), port.name, isDNS1123Label(String(port.name)));
      if (names.has(port.name)) errs.duplicate(child(p, 'name'), port.name);
      names.add(port.name);
    }
    errs.each(child(p, 'port'), port?.port, isValidPortNum(port?.port));
    const protocol = port?.protocol || 'TCP';
    if (!PROTOCOLS.includes(protocol)) errs.notSupported(child(p, 'protocol'), protocol, PROTOCOLS);
    if (port?.targetPort !== undefined && port.targetPort !== 0 && port.targetPort !== '') errs.each(child(p, 'targetPort'), port.targetPort, portNumOrName(port.targetPort));
    if (port?.appProtocol !== undefined) errs.each(child(p, 'appProtocol'), port.appProtocol, isQualifiedName(String(port.appProtocol)));
    if (type === 'ClusterIP' && port?.nodePort) errs.forbidden(child(p, 'nodePort'), "may not be used when `type` is 'ClusterIP'");
    const k = `${protocol}/${port?.port}`;
    if (seen.has(k)) errs.duplicate(p, { port: port?.port, protocol });
    seen.add(k);
  });
  validateLabels(spec.selector, 'spec.selector', errs);
  if (spec.sessionAffinity && !['ClientIP', 'None'].includes(spec.sessionAffinity)) errs.notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']);
}

/** MaxSecretSize, which also bounds a ConfigMap. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** ValidateConfigMap: keys, keys in both data and binaryData, 1 MiB in all. */
export function validateConfigMap(doc: Record<string, any>, errs: Errors): void {
  let total = 0;
  for (const [k, v] of sortedEntries(doc.data)) {
    errs.each(key('data', k), k, isConfigMapKey(k));
    total += Buffer.byteLength(String(v));
  }
  for (const [k, v] of sortedEntries(doc.binaryData)) {
    errs.each(key('binaryData', k), k, isConfigMapKey(k));
    if (doc.data && Object.prototype.hasOwnProperty.call(doc.data, k)) errs.invalid(key('binaryData', k), k, 'duplicate of key present in data');
    total += Buffer.from(String(v), 'base64').length;
  }
  if (total > MAX_CONFIG_BYTES) errs.tooLong('data', MAX_CONFIG_BYTES);
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** ValidatePersistentVolumeClaimSpec: access modes, a storage request greater than zero, class and mode. */
export function validatePvcSpec(specIn: unknown, path: string, errs: Errors): void {
  const spec = obj(specIn);
  const modes = list(spec.accessModes);
  if (modes.length === 0) errs.required(child(path, 'accessModes'), 'at least 1 access mode is required');
  for (const m of modes) if (!ACCESS_MODES.includes(m)) errs.notSupported(child(path, 'accessModes'), m, ACCESS_MODES);
  validateLabelSelector(spec.selector, child(path, 'selector'), errs);
  const storage = obj(spec.resources?.requests).storage;
  const p = key(child(path, 'resources'), 'storage');
  if (storage === undefined) errs.required(p);
  else {
    const n = nonNegativeQuantity(storage, p, errs);
    if (n === 0) errs.invalid(p, storage, 'must be greater than zero');
  }
  if (spec.storageClassName) errs.each(child(path, 'storageClassName'), spec.storageClassName, isDNS1123Subdomain(String(spec.storageClassName)));
  if (spec.volumeMode !== undefined && !['Block', 'Filesystem'].includes(spec.volumeMode)) errs.notSupported(child(path, 'volumeMode'), spec.volumeMode, ['Block', 'Filesystem']);
}

const STANDARD_QUOTA = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers',
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
const INTEGER_QUOTA = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);

/**
 * helper.IsExtendedResourceName: outside the kubernetes.io/ namespace, no `requests.` prefix, and
 * a qualified name once `requests.` is put in front (`count/deployments.apps`, `example.com/gpu`).
 */
function isExtendedResourceName(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
}

/** ValidateResourceQuotaSpec: each hard limit's name, never negative, whole numbers for counts and extended resources (helper.IsIntegerResourceName). */
export function validateResourceQuota(doc: Record<string, any>, errs: Errors): void {
  for (const [name, q] of sortedEntries(doc.spec?.hard)) {
    const p = key('spec.hard', name);
    errs.each(p, name, isQualifiedName(name));
    if (!name.includes('/') && !STANDARD_QUOTA.has(name) && !/^(requests\.)?hugepages-/.test(name)) errs.invalid(p, name, 'must be a standard resource for quota');
    const n = nonNegativeQuantity(q, p, errs);
    if ((INTEGER_QUOTA.has(name) || isExtendedResourceName(name)) && Number.isFinite(n) && Math.round(n * 1000) % 1000 !== 0) errs.invalid(p, q, 'must be an integer');
  }
}

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];
const LIMIT_PARTS = ['min', 'max', 'default', 'defaultRequest', 'maxLimitRequestRatio'];

/** ValidateLimitRange: types once each, and min ≤ defaultRequest ≤ default ≤ max, ratios ≥ 1. */
export function validateLimitRange(doc: Record<string, any>, errs: Errors): void {
  const types = new Set<string>();
  list(doc.spec?.limits).forEach((limit, i) => {
    const p = `spec.limits[${i}]`;
    if (!LIMIT_TYPES.includes(limit?.type)) errs.invalid(child(p, 'type'), limit?.type, 'must be a standard limit type or fully qualified');
    if (types.has(limit?.type)) errs.duplicate(child(p, 'type'), limit?.type);
    types.add(limit?.type);
    if (limit?.type === 'Pod') {
      for (const f of ['default', 'defaultRequest']) if (Object.keys(obj(limit[f])).length > 0) errs.forbidden(child(p, f), "may not be specified when `type` is 'Pod'");
    }
    if (limit?.type === 'PersistentVolumeClaim' && obj(limit.min).storage === undefined && obj(limit.max).storage === undefined) {
      errs.required(child(p, 'limits'), 'either minimum or maximum storage value is required, but neither was provided');
    }
    const get = (part: string, k: string) => (obj(limit[part])[k] === undefined ? undefined : { raw: obj(limit[part])[k], n: quantityValue(obj(limit[part])[k]) });
    const keys = new Set(LIMIT_PARTS.flatMap((f) => Object.keys(obj(limit?.[f]))));
    for (const k of [...keys].sort()) {
      const [min, max, def, req, ratio] = LIMIT_PARTS.map((f) => get(f, k));
      if (min && max && min.n > max.n) errs.invalid(key(child(p, 'min'), k), min.raw, `min value ${min.raw} is greater than max value ${max.raw}`);
      if (req && min && min.n > req.n) errs.invalid(key(child(p, 'defaultRequest'), k), req.raw, `min value ${min.raw} is greater than default request value ${req.raw}`);
      if (req && max && req.n > max.n) errs.invalid(key(child(p, 'defaultRequest'), k), req.raw, `default request value ${req.raw} is greater than max value ${max.raw}`);
      if (req && def && req.n > def.n) errs.invalid(key(child(p, 'defaultRequest'), k), req.raw, `default request value ${req.raw} is greater than default limit value ${def.raw}`);
      if (def && min && min.n > def.n) errs.invalid(key(child(p, 'default'), k), min.raw, `min value ${min.raw} is greater than default value ${def.raw}`);
      if (def && max && def.n > max.n) errs.invalid(key(child(p, 'default'), k), max.raw, `default value ${def.raw} is greater than max value ${max.raw}`);
      if (ratio && ratio.n < 1) errs.invalid(key(child(p, 'maxLimitRequestRatio'), k), ratio.raw, `ratio ${ratio.raw} is less than 1`);
      if (ratio && min && max && ratio.n > max.n / min.n) errs.invalid(key(child(p, 'maxLimitRequestRatio'), k), ratio.raw, `ratio ${ratio.raw} is greater than max/min = ${(max.n / min.n).toFixed(6)}`);
    }
  });
}
