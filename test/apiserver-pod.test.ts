/**
 * The pod template (src/apiserver/pod.ts), validatePodSpec called on small literal pod specs:
 * what kube-apiserver 1.27 refuses in volumes, containers, init containers, env, mounts,
 * resources, probes and security contexts, with the exact field path and message, and what it
 * accepts (often after its defaulting).
 */
import { describe, expect, it } from 'vitest';
import { Errors, formatError } from '../src/apiserver/field';
import { validatePodSpec, validatePodTemplate } from '../src/apiserver/pod';

type Doc = Record<string, any>;

/** Errors and accepted-but-wrong warnings of one pod spec, one line each. */
function findings(spec: Doc): { errors: string[]; warnings: string[] } {
  const errs = new Errors();
  const warnings: string[] = [];
  validatePodSpec(spec, 'spec', errs, (field, message) => warnings.push(`${field}: ${message}`));
  return { errors: errs.list.map(formatError), warnings };
}
const errorsOf = (spec: Doc) => findings(spec).errors;

const app = (extra: Doc = {}): Doc => ({ name: 'app', image: 'ghcr.io/acme/app:1.0.0', ...extra });
/** A pod of one container `app` with `extra` on it, and `pod` on the pod spec. */
const withApp = (extra: Doc, pod: Doc = {}) => errorsOf({ containers: [app(extra)], ...pod });
const C = 'spec.containers[0]';
const range = (lo: number) => `must be between ${lo} and 2147483647, inclusive`;
const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

describe('pod spec', () => {
  it('refuses a pod without containers', () => {
    expect(errorsOf({})).toEqual(['spec.containers: required value']);
  });

  it('reports null containers, init containers, volumes and list entries instead of failing on them', () => {
    expect(errorsOf({ containers: [null, null] })).toEqual([
      `${C}.name: required value`,
      `${C}.image: required value`,
      'spec.containers[1].name: required value',
      'spec.containers[1].image: required value',
      'spec.containers[1].name: duplicate value nothing',
    ]);
    expect(errorsOf({ containers: [app()], initContainers: [null] })).toEqual(['spec.initContainers[0].name: required value', 'spec.initContainers[0].image: required value']);
    expect(errorsOf({ containers: [null], initContainers: [null] })).toEqual([
      `${C}.name: required value`,
      `${C}.image: required value`,
      'spec.initContainers[0].name: required value',
      'spec.initContainers[0].image: required value',
      'spec.initContainers[0].name: duplicate value nothing',
    ]);
    expect(errorsOf({ containers: [app()], volumes: [null] })).toEqual(['spec.volumes[0].name: required value', 'spec.volumes[0]: required value: must specify a volume type']);
    expect(withApp({ ports: [null], env: [null], envFrom: [null], volumeMounts: [null] })).toEqual([
      `${C}.ports[0].containerPort: required value`,
      `${C}.env[0].name: required value`,
      `${C}.envFrom[0]: invalid value "": must specify one of: \`configMapRef\` or \`secretRef\``,
      `${C}.volumeMounts[0].name: required value`,
      `${C}.volumeMounts[0].mountPath: required value`,
    ]);
  });

  it('accepts an empty serviceAccountName (the default account) and refuses one that is no DNS subdomain', () => {
    expect(withApp({}, { serviceAccountName: '' })).toEqual([]);
    expect(withApp({}, { serviceAccountName: 'api' })).toEqual([]);
    expect(withApp({}, { serviceAccountName: 'API' })).toEqual([
      `spec.serviceAccountName: invalid value "API": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')`,
    ]);
  });

  it('accepts a terminationGracePeriodSeconds of 0 and refuses a negative one', () => {
    expect(withApp({}, { terminationGracePeriodSeconds: 0 })).toEqual([]);
    expect(withApp({}, { terminationGracePeriodSeconds: -1 })).toEqual(['spec.terminationGracePeriodSeconds: invalid value -1: must be greater than or equal to 0']);
  });

  it.each([
    [1, []],
    [2147483647, []],
    [0, [`spec.activeDeadlineSeconds: invalid value 0: ${range(1)}`]],
    [2147483648, [`spec.activeDeadlineSeconds: invalid value 2147483648: ${range(1)}`]],
  ])('judges activeDeadlineSeconds %d', (seconds, expected) => {
    expect(withApp({}, { activeDeadlineSeconds: seconds })).toEqual(expected);
  });

  it('accepts an empty pod security context and user and group IDs from 0 to 2147483647', () => {
    expect(withApp({}, { securityContext: {} })).toEqual([]);
    expect(withApp({}, { securityContext: { runAsUser: 0, runAsGroup: 0, fsGroup: 0 } })).toEqual([]);
    expect(withApp({}, { securityContext: { runAsUser: 2147483647, runAsGroup: 2147483647, fsGroup: 2147483647 } })).toEqual([]);
  });

  it.each(['runAsUser', 'runAsGroup', 'fsGroup'])('refuses a pod %s out of range', (f) => {
    expect(withApp({}, { securityContext: { [f]: -1 } })).toEqual([`spec.securityContext.${f}: invalid value -1: ${range(0)}`]);
    expect(withApp({}, { securityContext: { [f]: 2147483648 } })).toEqual([`spec.securityContext.${f}: invalid value 2147483648: ${range(0)}`]);
  });
});

describe('pod template', () => {
  it('accepts a template without metadata and refuses bad template labels and annotations', () => {
    const run = (template: Doc) => {
      const errs = new Errors();
      validatePodTemplate(template, 'spec.template', errs, () => undefined);
      return errs.list.map(formatError);
    };
    expect(run({ spec: { containers: [app()] } })).toEqual([]);
    expect(run({ metadata: { annotations: { 'a/b/c': 'x' } }, spec: { containers: [app()] } })).toEqual([
      `spec.template.metadata.annotations: invalid value "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
  });
});

describe('volumes', () => {
  const volumes = (...vs: Doc[]) => errorsOf({ containers: [app()], volumes: vs });

  it.each(['emptyDir', 'persistentVolumeClaim', 'configMap', 'secret', 'projected', 'downwardAPI', 'ephemeral', 'csi', 'hostPath', 'nfs'])('accepts a %s volume', (source) => {
    const fields: Doc = { persistentVolumeClaim: { claimName: 'data' }, configMap: { name: 'settings' }, secret: { secretName: 'keys' } };
    expect(volumes({ name: 'v', [source]: fields[source] ?? {} })).toEqual([]);
  });

  it('refuses a volume without a name, and a claim without a claimName', () => {
    expect(volumes({ emptyDir: {} })).toEqual(['spec.volumes[0].name: required value']);
    expect(volumes({ name: 'data', persistentVolumeClaim: {} })).toEqual(['spec.volumes[0].persistentVolumeClaim.claimName: required value']);
  });

  it('accepts an emptyDir sizeLimit of 0 or a number, and refuses one that is no quantity', () => {
    expect(volumes({ name: 'a', emptyDir: { sizeLimit: '0' } }, { name: 'b', emptyDir: { sizeLimit: 1024 } })).toEqual([]);
    expect(volumes({ name: 'a', emptyDir: { sizeLimit: 'lots' } })).toEqual([
      `spec.volumes[0].emptyDir.sizeLimit: invalid value "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ]);
    // A list is no quantity, though its one element would read as one.
    expect(volumes({ name: 'a', emptyDir: { sizeLimit: ['1Gi'] } })).toEqual([
      `spec.volumes[0].emptyDir.sizeLimit: invalid value ["1Gi"]: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ]);
  });

  it('accepts file modes from 0 to 0777 and refuses others', () => {
    expect(volumes({ name: 'a', secret: { secretName: 'keys', defaultMode: 0, items: [{ key: 'k', path: 'k', mode: 0 }] } }, { name: 'b', configMap: { name: 'c', defaultMode: 0o777, items: [{ key: 'k', path: 'k', mode: 0o777 }] } })).toEqual([]);
    expect(volumes({ name: 'a', configMap: { name: 'c', defaultMode: -1, items: [{ key: 'k', path: 'k', mode: -1 }, { key: 'l', path: 'l', mode: 0o1000 }] } })).toEqual([
      `spec.volumes[0].configMap.defaultMode: invalid value -1: ${FILE_MODE}`,
      `spec.volumes[0].configMap.items[0].mode: invalid value -1: ${FILE_MODE}`,
      `spec.volumes[0].configMap.items[1].mode: invalid value 512: ${FILE_MODE}`,
    ]);
  });

  it('refuses items without key or path, with an absolute path, and projections without a name', () => {
    expect(volumes({ name: 'a', secret: { items: [{ path: 'k' }, { key: 'k' }, { key: 'k', path: '/etc/k' }, null] } })).toEqual([
      'spec.volumes[0].secret.secretName: required value',
      'spec.volumes[0].secret.items[0].key: required value',
      'spec.volumes[0].secret.items[1].path: required value',
      'spec.volumes[0].secret.items[2].path: invalid value "/etc/k": must be a relative path',
      'spec.volumes[0].secret.items[3].key: required value',
      'spec.volumes[0].secret.items[3].path: required value',
    ]);
  });
});

describe('containers', () => {
  it('refuses a container without a name', () => {
    expect(errorsOf({ containers: [{ image: 'app:1' }] })).toEqual([`${C}.name: required value`]);
  });

  it('accepts unnamed ports, the three protocols and no protocol; refuses others', () => {
    expect(withApp({ ports: [{ containerPort: 80 }, { containerPort: 81, protocol: 'UDP' }, { containerPort: 82, protocol: 'SCTP' }, { containerPort: 83, protocol: 'TCP', hostPort: 8083 }] })).toEqual([]);
    expect(withApp({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })).toEqual([`${C}.ports[0].protocol: unsupported value "HTTP": supported values: "SCTP", "TCP", "UDP"`]);
  });

  it('refuses a port without containerPort and a hostPort out of range', () => {
    expect(withApp({ ports: [{ name: 'http' }] })).toEqual([`${C}.ports[0].containerPort: required value`]);
    expect(withApp({ ports: [{ containerPort: 80, hostPort: 70000 }] })).toEqual([`${C}.ports[0].hostPort: invalid value 70000: must be between 1 and 65535, inclusive`]);
  });

  it('accepts each pull policy and refuses others', () => {
    for (const policy of ['Always', 'IfNotPresent', 'Never']) expect(withApp({ imagePullPolicy: policy }), policy).toEqual([]);
    expect(withApp({ imagePullPolicy: 'Sometimes' })).toEqual([`${C}.imagePullPolicy: unsupported value "Sometimes": supported values: "Always", "IfNotPresent", "Never"`]);
  });

  it('accepts container user and group IDs from 0 to 2147483647 and refuses others', () => {
    expect(withApp({ securityContext: { runAsUser: 0, runAsGroup: 0 } })).toEqual([]);
    expect(withApp({ securityContext: { runAsUser: 2147483647, runAsGroup: 2147483647 } })).toEqual([]);
    expect(withApp({ securityContext: { runAsUser: -1, runAsGroup: 2147483648 } })).toEqual([
      `${C}.securityContext.runAsUser: invalid value -1: ${range(0)}`,
      `${C}.securityContext.runAsGroup: invalid value 2147483648: ${range(0)}`,
    ]);
  });

  it('refuses a privileged container that may not escalate privileges, and accepts a privileged one that may', () => {
    expect(withApp({ securityContext: { allowPrivilegeEscalation: false, privileged: true } })).toEqual([`${C}.securityContext: invalid value "privileged": cannot set \`allowPrivilegeEscalation\` to false and \`privileged\` to true`]);
    expect(withApp({ securityContext: { allowPrivilegeEscalation: true, privileged: true } })).toEqual([]);
    expect(withApp({ securityContext: { allowPrivilegeEscalation: false, privileged: false } })).toEqual([]);
  });
});

describe('init containers', () => {
  it('refuses two init containers of one name, and not two without a name twice', () => {
    expect(errorsOf({ containers: [app()], initContainers: [app({ name: 'setup' }), app({ name: 'setup' })] })).toEqual(['spec.initContainers[1].name: duplicate value "setup"']);
    expect(errorsOf({ containers: [app()], initContainers: [{ image: 'a:1' }, { image: 'a:1' }] })).toEqual(['spec.initContainers[0].name: required value', 'spec.initContainers[1].name: required value']);
  });

  it.each(['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])('refuses %s on an init container', (f) => {
    expect(errorsOf({ containers: [app()], initContainers: [app({ name: 'setup', [f]: {} })] })).toEqual([`spec.initContainers[0].${f}: forbidden: may not be set for init containers`]);
  });
});

describe('env and envFrom', () => {
  const env = (...vars: unknown[]) => withApp({ env: vars });
  const V = `${C}.env[0]`;

  it('accepts each single source', () => {
    expect(env({ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'B', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }, { name: 'C', valueFrom: { configMapKeyRef: { name: 'settings', key: 'c' } } })).toEqual([]);
  });

  it.each([
    ['a variable without a name', { value: 'x' }, [`${V}.name: required value`]],
    ['a name that is no variable name', { name: '1A', value: 'x' }, [`${V}.name: invalid value "1A": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name' or 'MY_ENV.NAME')`]],
    ['valueFrom without a source', { name: 'A', valueFrom: {} }, [`${V}.valueFrom: invalid value "": must specify one of: \`fieldRef\`, \`resourceFieldRef\`, \`configMapKeyRef\` or \`secretKeyRef\``]],
    ['valueFrom without a source next to a value', { name: 'A', value: 'x', valueFrom: {} }, [`${V}.valueFrom: invalid value "": must specify one of: \`fieldRef\`, \`resourceFieldRef\`, \`configMapKeyRef\` or \`secretKeyRef\``]],
    ['fieldRef and resourceFieldRef', { name: 'A', valueFrom: { fieldRef: {}, resourceFieldRef: {} } }, [`${V}.valueFrom: invalid value "": may not have more than one field specified at a time`]],
    // ValidateEnv reports the value once, not the number of sources too.
    ['a value and two sources', { name: 'A', value: 'x', valueFrom: { fieldRef: {}, resourceFieldRef: {} } }, [`${V}.valueFrom: invalid value "": may not be specified when \`value\` is not empty`]],
    ['a configMapKeyRef without name and key', { name: 'A', valueFrom: { configMapKeyRef: {} } }, [`${V}.valueFrom.configMapKeyRef.name: required value`, `${V}.valueFrom.configMapKeyRef.key: required value`]],
  ])('refuses %s', (_what, v, expected) => {
    expect(env(v)).toEqual(expected);
  });

  it('refuses an envFrom source without a name', () => {
    expect(withApp({ envFrom: [{ configMapRef: {} }, { secretRef: { name: 'keys' }, prefix: 'KEYS_' }] })).toEqual([`${C}.envFrom[0].configMapRef.name: required value`]);
  });
});

describe('volume mounts', () => {
  const mounts = (...ms: Doc[]) => errorsOf({ containers: [app({ volumeMounts: ms })], volumes: [{ name: 'data', emptyDir: {} }] });
  const M = `${C}.volumeMounts[0]`;

  it('accepts relative subPaths, and subPath or subPathExpr alone', () => {
    expect(mounts({ name: 'data', mountPath: '/a', subPath: 'cache' }, { name: 'data', mountPath: '/b', subPath: 'cache/' }, { name: 'data', mountPath: '/c', subPathExpr: '$(POD_NAME)' }, { name: 'data', mountPath: '/d', subPath: '' })).toEqual([]);
  });

  it.each([
    ['a mount of no volume', { name: 'cache', mountPath: '/cache' }, [`${M}.name: not found "cache": no volume of the pod is called "cache"`]],
    ['a mount without a mountPath', { name: 'data' }, [`${M}.mountPath: required value`]],
    ['subPath and subPathExpr together', { name: 'data', mountPath: '/a', subPath: 'a', subPathExpr: '$(A)' }, [`${M}.subPathExpr: invalid value "$(A)": subPathExpr and subPath are mutually exclusive`]],
    ['an absolute subPath', { name: 'data', mountPath: '/a', subPath: '/etc' }, [`${M}.subPath: invalid value "/etc": must be a relative path without '..'`]],
  ])('refuses %s', (_what, m, expected) => {
    expect(mounts(m)).toEqual(expected);
  });

  it('refuses a mountPath used twice, once', () => {
    const m = { name: 'data', mountPath: '/data' };
    expect(mounts(m, m, m)).toEqual([`${C}.volumeMounts[1].mountPath: invalid value "/data": must be unique`, `${C}.volumeMounts[2].mountPath: invalid value "/data": must be unique`]);
  });
});

describe('resources', () => {
  const resources = (r: Doc) => findings({ containers: [app({ resources: r })] });
  const R = `${C}.resources`;

  it('accepts hugepages, prefixed names, numbers and a request equal to its limit', () => {
    expect(resources({ limits: { cpu: 1, memory: '1Gi', 'ephemeral-storage': '1Gi', 'hugepages-2Mi': '64Mi', 'example.com/gpu': '1' }, requests: { cpu: 1, memory: '1Gi' } })).toEqual({ errors: [], warnings: [] });
  });

  it('refuses a name that is no container resource', () => {
    expect(resources({ limits: { 'pages-hugepages-': '1' } }).errors).toEqual([`${R}.limits[pages-hugepages-]: invalid value "pages-hugepages-": must be a standard resource for containers`]);
  });

  it('warns about a cpu or memory limit of 0, and not about other resources', () => {
    expect(resources({ limits: { cpu: '0' } })).toEqual({ errors: [], warnings: [`${R}.limits[cpu]: a cpu limit of "0" is no limit at all: the kubelet sets no cpu limit for 0`] });
    expect(resources({ limits: { 'ephemeral-storage': '0' } })).toEqual({ errors: [], warnings: [] });
  });
});

describe('probes', () => {
  const probe = (kind: string, p: Doc) => withApp({ [kind]: p });
  const http = { httpGet: { port: 8080 } };

  it('accepts each handler, HTTPS, zero delays, a defaulted successThreshold, and any readiness threshold', () => {
    expect(probe('livenessProbe', { grpc: { port: 9090 } })).toEqual([]);
    expect(probe('startupProbe', { exec: { command: ['true'] } })).toEqual([]);
    expect(probe('livenessProbe', { httpGet: { port: 8080, scheme: 'HTTPS' }, initialDelaySeconds: 0, timeoutSeconds: 0, periodSeconds: 0, successThreshold: 0, failureThreshold: 0 })).toEqual([]);
    expect(probe('livenessProbe', { ...http, successThreshold: 1, terminationGracePeriodSeconds: 30 })).toEqual([]);
    expect(probe('readinessProbe', { ...http, successThreshold: 3 })).toEqual([]);
  });

  it('refuses a second handler next to grpc', () => {
    expect(probe('livenessProbe', { httpGet: { port: 8080 }, grpc: { port: 9090 } })).toEqual([`${C}.livenessProbe.grpc: forbidden: may not specify more than 1 handler type`]);
  });

  it('refuses an unknown httpGet scheme', () => {
    expect(probe('readinessProbe', { httpGet: { port: 8080, scheme: 'FTP' } })).toEqual([`${C}.readinessProbe.httpGet.scheme: unsupported value "FTP": supported values: "HTTP", "HTTPS"`]);
  });

  it.each(['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'failureThreshold'])('refuses a negative %s', (f) => {
    expect(probe('readinessProbe', { ...http, [f]: -1 })).toEqual([`${C}.readinessProbe.${f}: invalid value -1: must be greater than or equal to 0`]);
  });

  it('refuses a negative successThreshold, and one other than 1 on liveness and startup probes', () => {
    expect(probe('readinessProbe', { ...http, successThreshold: -1 })).toEqual([`${C}.readinessProbe.successThreshold: invalid value -1: must be greater than or equal to 0`]);
    expect(probe('startupProbe', { ...http, successThreshold: 2 })).toEqual([`${C}.startupProbe.successThreshold: invalid value 2: must be 1`]);
  });

  it('refuses a terminationGracePeriodSeconds of 0 on a liveness probe', () => {
    expect(probe('livenessProbe', { ...http, terminationGracePeriodSeconds: 0 })).toEqual([`${C}.livenessProbe.terminationGracePeriodSeconds: invalid value 0: must be greater than 0`]);
  });

  it('refuses terminationGracePeriodSeconds on a readiness probe', () => {
    expect(probe('readinessProbe', { ...http, terminationGracePeriodSeconds: 30 })).toEqual([`${C}.readinessProbe.terminationGracePeriodSeconds: invalid value 30: must not be set for readinessProbes`]);
  });
});
