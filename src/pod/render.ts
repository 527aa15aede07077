import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { renderEnv } from '../config';
import { isPinned } from '../image';
import { ContainerInput, DEFAULT_USER, HealthCheck, PodInput } from './types';

/** Volume name of a writable path: `/var/cache/nginx` → `var-cache-nginx`. */
function volumeName(path: string): string {
  return path.replace(/^\/+|\/+$/g, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase() || 'root';
}

const PROBE_TIMING = {
  readiness: { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3, successThreshold: 1 },
  liveness: { initialDelaySeconds: 10, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
  // up to 30 × 10 s = 5 minutes to start, after which liveness takes over
  startup: { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30, successThreshold: 1 },
} as const;

function probe(h: HealthCheck, kind: keyof typeof PROBE_TIMING, defaultPort?: number): k8s.Probe {
  const timing = { ...PROBE_TIMING[kind], ...(h.timeoutSeconds !== undefined ? { timeoutSeconds: h.timeoutSeconds } : {}) };
  if ('http' in h) {
    const port = h.port ?? defaultPort;
    return { ...timing, httpGet: { path: h.http, port: port === undefined ? k8s.IntOrString.fromString('http') : k8s.IntOrString.fromNumber(port) } };
  }
  if ('tcp' in h) return { ...timing, tcpSocket: { port: k8s.IntOrString.fromNumber(h.tcp) } };
  return { ...timing, exec: { command: [...h.exec] } };
}

/** The security context every container gets: Pod Security Standards "restricted", read-only root. */
export const CONTAINER_SECURITY: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** A container hardened to PSS "restricted" with a read-only root, plus the emptyDir volumes it writes to. */
export function hardenedContainer(c: ContainerInput): { container: k8s.Container; volumes: k8s.Volume[] } {
  const writable = (c.writable ?? ['/tmp']).map((w) => (typeof w === 'string' ? { path: w } : w));
  const volumes: k8s.Volume[] = writable.map((w) => ({
    name: volumeName(w.path),
    emptyDir: { sizeLimit: k8s.Quantity.fromString(w.sizeLimit ?? '256Mi'), medium: w.memory ? 'Memory' : undefined },
  }));
  const mounts: k8s.VolumeMount[] = [...writable.map((w) => ({ name: volumeName(w.path), mountPath: w.path })), ...(c.extraMounts ?? [])];
  const firstPort = c.ports?.[0]?.containerPort;
  const container: k8s.Container = {
    name: c.name,
    image: c.image,
    // A pinned reference names one build, which a node may keep; a moving tag (`:main`) is
    // asked for again at every start, or a node runs whatever build it pulled first.
    imagePullPolicy: isPinned(c.image) ? 'IfNotPresent' : 'Always',
    command: c.command ? [...c.command] : undefined,
    args: c.args ? [...c.args] : undefined,
    ports: c.ports && c.ports.length > 0 ? c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })) : undefined,
    env: c.env && Object.keys(c.env).length > 0 ? renderEnv(c.env) : undefined,
    envFrom: c.config && c.config.length > 0 ? c.config.map((cfg) => ({ configMapRef: { name: cfg.name } })) : undefined,
    resources: {
      requests: { cpu: k8s.Quantity.fromString(c.resources.requests.cpu), memory: k8s.Quantity.fromString(c.resources.requests.memory) },
      limits: {
        ...(c.resources.limits.cpu !== undefined ? { cpu: k8s.Quantity.fromString(c.resources.limits.cpu) } : {}),
        memory: k8s.Quantity.fromString(c.resources.limits.memory),
      },
    },
    readinessProbe: c.readiness ? probe(c.readiness, 'readiness', firstPort) : undefined,
    livenessProbe: c.liveness ? probe(c.liveness, 'liveness', firstPort) : undefined,
    startupProbe: c.startup ? probe(c.startup, 'startup', firstPort) : undefined,
    securityContext: {
      ...CONTAINER_SECURITY,
      readOnlyRootFilesystem: !c.writableRoot,
      capabilities: c.netBindService ? { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } : CONTAINER_SECURITY.capabilities,
    },
    volumeMounts: mounts.length > 0 ? mounts : undefined,
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  return { container, volumes };
}

/** A pod spec at Pod Security Standards "restricted", with no API token unless a ServiceAccount is named. */
export function hardenedPodSpec(p: PodInput): k8s.PodSpec {
  const user = p.user ?? DEFAULT_USER;
  return {
    automountServiceAccountToken: p.serviceAccountName !== undefined,
    serviceAccountName: p.serviceAccountName,
    enableServiceLinks: false,
    restartPolicy: p.restartPolicy,
    terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: user,
      runAsGroup: user,
      fsGroup: p.fsGroup ?? user,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
      sysctls: p.unprivilegedPortStart !== undefined ? [{ name: 'net.ipv4.ip_unprivileged_port_start', value: String(p.unprivilegedPortStart) }] : undefined,
    },
    initContainers: p.initContainers && p.initContainers.length > 0 ? [...p.initContainers] : undefined,
    containers: [...p.containers],
    volumes: p.volumes && p.volumes.length > 0 ? [...p.volumes] : undefined,
  };
}
