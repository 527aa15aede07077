/**
 * The core kinds other than pods (src/apiserver/core.ts) and RBAC (src/apiserver/rbac.ts), each
 * validator called on small literal documents: what kube-apiserver 1.27 refuses, with the exact
 * field path and message, and what it accepts (often after its defaulting).
 */
import { describe, expect, it } from 'vitest';
import { validateConfigMap, validateLimitRange, validatePvcSpec, validateResourceQuota, validateService } from '../src/apiserver/core';
import { Errors, formatError } from '../src/apiserver/field';
import { validateRole, validateRoleBinding } from '../src/apiserver/rbac';

type Doc = Record<string, any>;

/** The field errors of one validator run, one line each. */
function errorsOf(validate: (doc: Doc, errs: Errors) => void, doc: Doc): string[] {
  const errs = new Errors();
  validate(doc, errs);
  return errs.list.map(formatError);
}

const service = (spec: Doc) => errorsOf(validateService, { spec });
const port = (extra: Doc = {}) => ({ port: 80, ...extra });
const range = 'must be between 1 and 65535, inclusive';

describe('Service', () => {
  it.each([
    ['no type (defaulted to ClusterIP)', { ports: [port()] }],
    ['an empty type (defaulted to ClusterIP)', { type: '', ports: [port()] }],
    ['type ExternalName without ports', { type: 'ExternalName', externalName: 'db.example.com' }],
    ['type NodePort with a nodePort', { type: 'NodePort', ports: [port({ nodePort: 30080 })] }],
    ['type LoadBalancer with a nodePort', { type: 'LoadBalancer', ports: [port({ nodePort: 30080 })] }],
    ['a headless Service without ports', { clusterIP: 'None' }],
    ['an empty clusterIP (allocated)', { clusterIP: '', ports: [port()] }],
    ['a clusterIP address', { clusterIP: '10.96.0.10', ports: [port()] }],
    ['one port without a name', { ports: [port()] }],
    ['two named ports', { ports: [port({ name: 'http' }), port({ name: 'https', port: 443 })] }],
    ['the same port number over TCP and UDP', { ports: [port({ name: 'dns-tcp', port: 53 }), port({ name: 'dns-udp', port: 53, protocol: 'UDP' })] }],
    ['protocol SCTP', { ports: [port({ protocol: 'SCTP' })] }],
    ['an empty protocol (defaulted to TCP)', { ports: [port({ protocol: '' })] }],
    ['targetPort 0 (defaulted to the port)', { ports: [port({ targetPort: 0 })] }],
    ['an empty targetPort (defaulted to the port)', { ports: [port({ targetPort: '' })] }],
    ['a named targetPort', { ports: [port({ targetPort: 'http' })] }],
    ['an appProtocol', { ports: [port({ appProtocol: 'kubernetes.io/h2c' })] }],
    ['sessionAffinity ClientIP', { ports: [port()], sessionAffinity: 'ClientIP' }],
    ['sessionAffinity None', { ports: [port()], sessionAffinity: 'None' }],
    ['an empty sessionAffinity (defaulted to None)', { ports: [port()], sessionAffinity: '' }],
  ])('accepts %s', (_what, spec) => {
    expect(service(spec)).toEqual([]);
  });

  it.each([
    ['an unknown type', { type: 'Internal', ports: [port()] }, ['spec.type: unsupported value "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['no ports on a ClusterIP Service', { type: 'ClusterIP' }, ['spec.ports: required value']],
    ['a clusterIP that is no address', { clusterIP: 'auto', ports: [port()] }, [`spec.clusterIP: invalid value "auto": must be empty, 'None', or a valid IP address`]],
    ['a second port without a name', { ports: [port({ name: 'http' }), port({ port: 443 })] }, ['spec.ports[1].name: required value: every port of a Service with more than one port needs a name']],
    ['an unknown protocol', { ports: [port({ protocol: 'HTTP' })] }, ['spec.ports[0].protocol: unsupported value "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    ['a port out of range', { ports: [port({ port: 65536 })] }, [`spec.ports[0].port: invalid value 65536: ${range}`]],
    ['a targetPort out of range', { ports: [port({ targetPort: 70000 })] }, [`spec.ports[0].targetPort: invalid value 70000: ${range}`]],
    ['an appProtocol that is no qualified name', { ports: [port({ appProtocol: 'h2 c' })] }, [`spec.ports[0].appProtocol: invalid value "h2 c": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')`]],
    ['a nodePort on a ClusterIP Service', { ports: [port({ nodePort: 30080 })] }, ["spec.ports[0].nodePort: forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['the same port and protocol twice', { ports: [port({ name: 'a' }), port({ name: 'b', protocol: 'TCP' })] }, ['spec.ports[1]: duplicate value {"port":80,"protocol":"TCP"}']],
    ['an unknown sessionAffinity', { ports: [port()], sessionAffinity: 'Sticky' }, ['spec.sessionAffinity: unsupported value "Sticky": supported values: "ClientIP", "None"']],
    ['a selector value that is no label value', { ports: [port()], selector: { app: 'a b' } }, [`spec.selector: invalid value "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')`]],
  ])('refuses %s', (_what, spec, expected) => {
    expect(service(spec)).toEqual(expected);
  });

  it('reports null port entries instead of failing on them', () => {
    expect(service({ ports: [null] })).toEqual([`spec.ports[0].port: invalid value nothing: ${range}`]);
    expect(service({ ports: [null, null] })).toEqual([
      'spec.ports[0].name: required value: every port of a Service with more than one port needs a name',
      `spec.ports[0].port: invalid value nothing: ${range}`,
      'spec.ports[1].name: required value: every port of a Service with more than one port needs a name',
      `spec.ports[1].port: invalid value nothing: ${range}`,
      'spec.ports[1]: duplicate value {"protocol":"TCP"}',
    ]);
  });
});

describe('ConfigMap', () => {
  const MiB = 1024 * 1024;
  const configMap = (doc: Doc) => errorsOf(validateConfigMap, doc);

  it('accepts 1 MiB of data or of decoded binaryData, and distinct keys in both', () => {
    expect(configMap({ data: { big: 'a'.repeat(MiB) } })).toEqual([]);
    // binaryData counts decoded: 1 MiB of bytes is 1.33 MiB of base64.
    expect(configMap({ binaryData: { blob: Buffer.alloc(MiB).toString('base64') } })).toEqual([]);
    expect(configMap({ data: { a: 'x' }, binaryData: { b: 'eA==' } })).toEqual([]);
  });

  it('refuses more than 1 MiB in all', () => {
    const tooLong = ['data: too long: must have at most 1048576 bytes'];
    expect(configMap({ data: { big: 'a'.repeat(MiB + 1) } })).toEqual(tooLong);
    expect(configMap({ binaryData: { blob: Buffer.alloc(MiB + 1).toString('base64') } })).toEqual(tooLong);
    expect(configMap({ data: { a: 'a'.repeat(MiB) }, binaryData: { b: 'eA==' } })).toEqual(tooLong);
  });

  it('refuses a key in both data and binaryData, and binaryData keys that are no config keys', () => {
    expect(configMap({ data: { a: 'x' }, binaryData: { a: 'eA==' } })).toEqual(['binaryData[a]: invalid value "a": duplicate of key present in data']);
    expect(configMap({ binaryData: { 'a b': 'eA==' } })).toEqual([`binaryData[a b]: invalid value "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name' or 'KEY_NAME')`]);
  });
});

describe('PersistentVolumeClaim', () => {
  const pvc = (spec: Doc) => errorsOf((d, e) => validatePvcSpec(d.spec, 'spec', e), { spec });
  const claim = (extra: Doc = {}) => ({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra });

  it.each([
    ['ReadOnlyMany', { accessModes: ['ReadOnlyMany'] }],
    ['ReadWriteMany', { accessModes: ['ReadWriteMany'] }],
    ['ReadWriteOncePod', { accessModes: ['ReadWriteOncePod'] }],
    ['an empty storageClassName (no class)', { storageClassName: '' }],
    ['a storageClassName', { storageClassName: 'fast-ssd' }],
    ['volumeMode Block', { volumeMode: 'Block' }],
    ['volumeMode Filesystem', { volumeMode: 'Filesystem' }],
  ])('accepts %s', (_what, extra) => {
    expect(pvc(claim(extra))).toEqual([]);
  });

  it.each([
    ['an unknown access mode', { accessModes: ['ReadWriteSometimes'] }, ['spec.accessModes: unsupported value "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"']],
    ['no storage request', { resources: undefined }, ['spec.resources[storage]: required value']],
    ['a negative storage request', { resources: { requests: { storage: '-1Gi' } } }, ['spec.resources[storage]: invalid value "-1Gi": must be greater than or equal to 0']],
    ['a storageClassName that is no DNS subdomain', { storageClassName: 'Fast_SSD' }, [`spec.storageClassName: invalid value "Fast_SSD": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')`]],
    ['an unknown volumeMode', { volumeMode: 'Raw' }, ['spec.volumeMode: unsupported value "Raw": supported values: "Block", "Filesystem"']],
    ['an empty volumeMode', { volumeMode: '' }, ['spec.volumeMode: unsupported value "": supported values: "Block", "Filesystem"']],
    ['a selector with an unknown operator', { selector: { matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['db'] }] } }, ['spec.selector.matchExpressions[0].operator: invalid value "Equals": not a valid selector operator']],
  ])('refuses %s', (_what, extra, expected) => {
    expect(pvc(claim(extra))).toEqual(expected);
  });
});

describe('ResourceQuota', () => {
  const quota = (hard: Doc) => errorsOf(validateResourceQuota, { spec: { hard } });
  const standard = 'must be a standard resource for quota';

  it('accepts every standard resource name, hugepages and prefixed names', () => {
    const names = ['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'hugepages-2Mi', 'requests.hugepages-1Gi', 'count/deployments.apps', 'example.com/gpu', 'requests.example.com/gpu'];
    expect(quota(Object.fromEntries(names.map((n) => [n, '10'])))).toEqual([]);
  });

  it('accepts a quota without spec or hard limits', () => {
    expect(errorsOf(validateResourceQuota, {})).toEqual([]);
    expect(errorsOf(validateResourceQuota, { spec: {} })).toEqual([]);
  });

  it.each([
    ['limits.hugepages-2Mi', '1Gi'],
    ['xhugepages-2Mi', '1Gi'],
    ['storage', '1Gi'],
  ])('refuses the non-standard name %s', (name, value) => {
    expect(quota({ [name]: value })).toEqual([`spec.hard[${name}]: invalid value "${name}": ${standard}`]);
  });

  it.each(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers', 'count/deployments.apps', 'example.com/gpu'])(
    'refuses a fraction of %s (counted in whole numbers)',
    (name) => {
      expect(quota({ [name]: '1500m' })).toEqual([`spec.hard[${name}]: invalid value "1500m": must be an integer`]);
    },
  );

  it('accepts a fraction of compute resources and of names in the kubernetes.io namespace', () => {
    expect(quota({ cpu: '1500m', 'requests.cpu': '500m', 'requests.example.com/gpu': '500m', 'example.kubernetes.io/widgets': '500m' })).toEqual([]);
  });

  it('counts a name that is no qualified name in no whole numbers (it is no extended resource)', () => {
    expect(quota({ 'example.com/a/b': '500m' })).toEqual([
      `spec.hard[example.com/a/b]: invalid value "example.com/a/b": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
  });

  it('refuses a negative limit and one that is no quantity', () => {
    expect(quota({ cpu: '-1' })).toEqual(['spec.hard[cpu]: invalid value "-1": must be greater than or equal to 0']);
    expect(quota({ pods: 'ten' })).toEqual([`spec.hard[pods]: invalid value "ten": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`]);
  });
});

describe('LimitRange', () => {
  const limitRange = (...limits: unknown[]) => errorsOf(validateLimitRange, { spec: { limits } });

  it('accepts each type once, and min = defaultRequest = default = max with a ratio of 1', () => {
    const memory = { memory: '1Gi' };
    expect(limitRange({ type: 'Container', min: memory, defaultRequest: memory, default: memory, max: memory, maxLimitRequestRatio: { memory: '1' } }, { type: 'Pod', max: { cpu: '4' } }, { type: 'PersistentVolumeClaim', min: { storage: '1Gi' } })).toEqual([]);
    expect(limitRange({ type: 'PersistentVolumeClaim', max: { storage: '100Gi' } })).toEqual([]);
    expect(errorsOf(validateLimitRange, {})).toEqual([]);
  });

  it('accepts an empty default on a Pod limit', () => {
    expect(limitRange({ type: 'Pod', max: { cpu: '4' }, default: {}, defaultRequest: {} })).toEqual([]);
  });

  it.each([
    ['an unknown type', { type: 'Node', max: { cpu: '1' } }, ['spec.limits[0].type: invalid value "Node": must be a standard limit type or fully qualified']],
    ['a default on a Pod limit', { type: 'Pod', default: { cpu: '1' } }, ["spec.limits[0].default: forbidden: may not be specified when `type` is 'Pod'"]],
    ['a defaultRequest on a Pod limit', { type: 'Pod', defaultRequest: { cpu: '1' } }, ["spec.limits[0].defaultRequest: forbidden: may not be specified when `type` is 'Pod'"]],
    ['a PersistentVolumeClaim limit without storage', { type: 'PersistentVolumeClaim', max: { cpu: '1' } }, ['spec.limits[0].limits: required value: either minimum or maximum storage value is required, but neither was provided']],
    ['min above max', { type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }, ['spec.limits[0].min[cpu]: invalid value "2": min value 2 is greater than max value 1']],
    ['min above defaultRequest', { type: 'Container', min: { cpu: '2' }, defaultRequest: { cpu: '1' } }, ['spec.limits[0].defaultRequest[cpu]: invalid value "1": min value 2 is greater than default request value 1']],
    ['defaultRequest above max', { type: 'Container', defaultRequest: { cpu: '2' }, max: { cpu: '1' } }, ['spec.limits[0].defaultRequest[cpu]: invalid value "2": default request value 2 is greater than max value 1']],
    ['min above default', { type: 'Container', min: { cpu: '2' }, default: { cpu: '1' } }, ['spec.limits[0].default[cpu]: invalid value "2": min value 2 is greater than default value 1']],
    ['default above max', { type: 'Container', default: { cpu: '2' }, max: { cpu: '1' } }, ['spec.limits[0].default[cpu]: invalid value "1": default value 2 is greater than max value 1']],
    ['a ratio below 1', { type: 'Container', maxLimitRequestRatio: { cpu: '500m' } }, ['spec.limits[0].maxLimitRequestRatio[cpu]: invalid value "500m": ratio 500m is less than 1']],
    ['a ratio above max/min', { type: 'Container', min: { cpu: '1' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '3' } }, ['spec.limits[0].maxLimitRequestRatio[cpu]: invalid value "3": ratio 3 is greater than max/min = 2.000000']],
  ])('refuses %s', (_what, limit, expected) => {
    expect(limitRange(limit)).toEqual(expected);
  });

  it('refuses a type named twice, and reports resources in name order', () => {
    expect(limitRange({ type: 'Container' }, { type: 'Container', min: { memory: '2Gi', cpu: '2' }, max: { memory: '1Gi', cpu: '1' } })).toEqual([
      'spec.limits[1].type: duplicate value "Container"',
      'spec.limits[1].min[cpu]: invalid value "2": min value 2 is greater than max value 1',
      'spec.limits[1].min[memory]: invalid value "2Gi": min value 2Gi is greater than max value 1Gi',
    ]);
  });

  it('reports a null limit entry instead of failing on it', () => {
    expect(limitRange(null)).toEqual(['spec.limits[0].type: invalid value nothing: must be a standard limit type or fully qualified']);
    expect(limitRange(null, null)).toEqual([
      'spec.limits[0].type: invalid value nothing: must be a standard limit type or fully qualified',
      'spec.limits[1].type: invalid value nothing: must be a standard limit type or fully qualified',
      'spec.limits[1].type: duplicate value nothing',
    ]);
  });
});

describe('Role and RoleBinding', () => {
  const role = (...rules: unknown[]) => errorsOf(validateRole, { rules });
  const binding = (doc: Doc) => errorsOf(validateRoleBinding, { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, ...doc });
  const both = 'rules cannot apply to both regular resources and non-resource URLs';
  const nonResource = 'rules[0].nonResourceURLs: invalid value ["/healthz"]: namespaced rules cannot apply to non-resource URLs';

  it('accepts a resource rule', () => {
    expect(role({ verbs: ['get'], apiGroups: [''], resources: ['pods'] })).toEqual([]);
  });

  it.each([
    ['non-resource URLs alone', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, [nonResource]],
    ['non-resource URLs with resources', { verbs: ['get'], nonResourceURLs: ['/healthz'], resources: ['pods'] }, [nonResource, `rules[0].nonResourceURLs: invalid value ["/healthz"]: ${both}`]],
    ['non-resource URLs with resource names', { verbs: ['get'], nonResourceURLs: ['/healthz'], resourceNames: ['a'] }, [nonResource, `rules[0].nonResourceURLs: invalid value ["/healthz"]: ${both}`]],
    ['a rule without resources', { verbs: ['get'], apiGroups: [''] }, ['rules[0].resources: required value: resource rules must supply at least one resource']],
    ['a null rule', null, ['rules[0].verbs: required value: verbs must contain at least one value', 'rules[0].apiGroups: required value: resource rules must supply at least one api group', 'rules[0].resources: required value: resource rules must supply at least one resource']],
  ])('refuses %s', (_what, rule, expected) => {
    expect(role(rule)).toEqual(expected);
  });

  it('accepts a ClusterRole reference and ServiceAccount, User and Group subjects', () => {
    expect(binding({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } })).toEqual([]);
    expect(binding({ subjects: [{ kind: 'ServiceAccount', name: 'api' }, { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' }] })).toEqual([]);
  });

  it.each([
    ['a roleRef of another API group', { roleRef: { apiGroup: 'rbac', kind: 'Role', name: 'reader' } }, ['roleRef.apiGroup: unsupported value "rbac": supported values: "rbac.authorization.k8s.io"']],
    ['a ServiceAccount name that is no DNS subdomain', { subjects: [{ kind: 'ServiceAccount', name: 'API' }] }, [`subjects[0].name: invalid value "API": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')`]],
    ['a ServiceAccount with an API group', { subjects: [{ kind: 'ServiceAccount', name: 'api', apiGroup: 'v1' }] }, ['subjects[0].apiGroup: unsupported value "v1": supported values: ""']],
    ['a Group without the RBAC API group', { subjects: [{ kind: 'Group', name: 'ops' }] }, ['subjects[0].apiGroup: unsupported value nothing: supported values: "rbac.authorization.k8s.io"']],
    ['an unknown subject kind', { subjects: [{ kind: 'Team', name: 'ops' }] }, ['subjects[0].kind: unsupported value "Team": supported values: "Group", "ServiceAccount", "User"']],
    ['a null subject', { subjects: [null] }, ['subjects[0].name: required value', 'subjects[0].kind: unsupported value nothing: supported values: "Group", "ServiceAccount", "User"']],
    ['a ServiceAccount with an empty name', { subjects: [{ kind: 'ServiceAccount', name: '' }] }, ['subjects[0].name: required value']],
  ])('refuses %s', (_what, doc, expected) => {
    expect(binding(doc)).toEqual(expected);
  });
});
