import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { asList, httpPath, port as portCheck, quantity, show } from './checks';
import { AppConfig, EnvVars, envProblems, renderEnv } from './config';
import { Resources } from './environment';
import { imageProblem } from './image';

/**
 * How Kubernetes asks a container whether it is alive and ready: an HTTP GET on the
 * container's port, a command, or a TCP connect.
 */
export type HealthCheck = (
  | { readonly http: string; readonly port?: number }
  | { readonly exec: readonly string[] }
  | { readonly tcp: number }
) & {
  /**
   * Seconds the check may take; give a command that itself waits (e.g. `celery inspect ping
   * --timeout 5`) more than its own timeout.
   * @default 3 for readiness, 5 for liveness and startup
   */
  readonly timeoutSeconds?: number;
};

/** A writable folder on an otherwise read-only root filesystem, backed by an `emptyDir`. */
export interface WritablePath {
  /** Mount path, e.g. `/var/cache/nginx`. */
  readonly path: string;
  /**
   * Most it may hold before the pod is evicted.
   * @default "256Mi"
   */
  readonly sizeLimit?: string;
  /**
   * Back it with memory (`medium: Memory`), like a tmpfs.
   * @default false
   */
  readonly memory?: boolean;
}

/** Input of {@link hardenedContainer}. */
export interface ContainerInput {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports?: ReadonlyArray<{ readonly name: string; readonly containerPort: number }>;
  readonly env?: EnvVars;
  readonly config?: readonly AppConfig[];
  readonly resources: Resources;
  readonly readiness?: HealthCheck;
  readonly liveness?: HealthCheck;
  /** Startup probe: holds liveness off until it first succeeds (slow starts, crash recovery). */
  readonly startup?: HealthCheck;
  readonly writable?: readonly (string | WritablePath)[];
  readonly extraMounts?: readonly k8s.VolumeMount[];
  /**
   * Field names to report probe problems under, as the user wrote them (e.g. `healthPath`).
   * @default - "readiness" and "liveness"
   */
  readonly probeFields?: { readonly readiness: string; readonly liveness: string };
  /**
   * Leave the root filesystem writable, for an image that cannot run otherwise.
   * @default false
   */
  readonly writableRoot?: boolean;
  /**
   * Keep NET_BIND_SERVICE (the one capability Pod Security "restricted" lets a container add).
   * @default false
   */
  readonly netBindService?: boolean;
}

/** Small, fixed resources for short-lived job pods (migrations, dumps): the same in every env. */
export const JOB_RESOURCES: Resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } };

/** Uid every container runs as unless its construct says otherwise. */
export const DEFAULT_USER = 10001;

/**
 * Checks what every container needs, whatever construct renders it. `resourcesField` names the
 * resources in messages (`profile.resources` where they come from an overlay profile).
 */
export function containerProblems(c: Partial<ContainerInput>, pinned: boolean, envName: string, resourcesField = 'resources'): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (field: string, m: string | undefined) => m !== undefined && out.push([field, m]);
  add('image', imageProblem(c.image, pinned, envName));
  for (const [f, m] of resourceProblems(c.resources)) add(f.replace(/^resources/, resourcesField), m);
  for (const [f, m] of envProblems(c.env)) add(f, m);
  const hasPort = asList(c.ports).length > 0;
  const fields = c.probeFields ?? { readiness: 'readiness', liveness: 'liveness' };
  for (const [f, h] of [[fields.readiness, c.readiness], [fields.liveness, c.liveness]] as const) {
    if (h === undefined) continue;
    if (typeof h !== 'object' || h === null) add(f, `${show(h)} is not a health check; use { http: path }, { exec: [...] } or { tcp: port }`);
    else if (h.timeoutSeconds !== undefined && (!Number.isInteger(h.timeoutSeconds) || h.timeoutSeconds < 1 || h.timeoutSeconds > 60)) {
      add(f, `timeoutSeconds ${show(h.timeoutSeconds)} is not allowed; use a whole number from 1 to 60`);
    }
    else if ('http' in h) {
      if (typeof h.http !== 'string') { add(f, httpPath(h.http)); continue; }
      add(f, httpPath(h.http));
      if (h.port !== undefined) add(f, portCheck(h.port));
      else if (!hasPort) add(f, `an HTTP check needs a port, and the container has none; give the workload a port or use { http, port }`);
    } else if ('tcp' in h) add(f, portCheck(h.tcp));
    else if (!('exec' in h) || !Array.isArray(h.exec) || h.exec.length === 0 || h.exec.some((x) => typeof x !== 'string')) add(f, `${show(h)} is not a health check; use { http: path }, { exec: [...] } or { tcp: port }`);
  }
  for (const w of asList(c.writable)) {
    const p = typeof w === 'string' ? w : w?.path;
    if (typeof p !== 'string' || !p.startsWith('/')) add('writable', `${show(p)} is not an absolute path`);
    if (w !== null && typeof w === 'object' && w.sizeLimit !== undefined) add('writable', quantity(w.sizeLimit));
  }
  if (c.command !== undefined && (!Array.isArray(c.command) || c.command.some((x) => typeof x !== 'string'))) add('command', `expected a list of strings, got ${show(c.command)}`);
  if (c.args !== undefined && (!Array.isArray(c.args) || c.args.some((x) => typeof x !== 'string'))) add('args', `expected a list of strings, got ${show(c.args)}`);
  return out;
}

/** Checks a resources block: requests of cpu and memory and a memory limit, all quantities. */
export function resourceProblems(r: Resources | undefined): Array<[string, string]> {
  if (r === undefined || r === null || typeof r !== 'object') {
    return [['resources', 'is missing; state requests (cpu, memory) and limits (memory) for every env']];
  }
  const out: Array<[string, string]> = [];
  if (!r.requests) out.push(['resources.requests', 'is missing; state cpu and memory']);
  else {
    for (const k of ['cpu', 'memory'] as const) {
      const q = r.requests[k] === undefined ? 'is missing' : quantity(r.requests[k]);
      if (q) out.push([`resources.requests.${k}`, q]);
    }
  }
  if (!r.limits) out.push(['resources.limits', 'is missing; state at least memory']);
  else {
    const m = r.limits.memory === undefined ? 'is missing; a container without a memory limit can take the node down' : quantity(r.limits.memory);
    if (m) out.push(['resources.limits.memory', m]);
    if (r.limits.cpu !== undefined) {
      const c = quantity(r.limits.cpu);
      if (c) out.push(['resources.limits.cpu', c]);
    }
  }
  return out;
}

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
    imagePullPolicy: 'IfNotPresent',
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

/** Input of {@link hardenedPodSpec}. */
export interface PodInput {
  /** Containers that run to completion, in order, before `containers` start. */
  readonly initContainers?: readonly k8s.Container[];
  readonly containers: readonly k8s.Container[];
  readonly volumes?: readonly k8s.Volume[];
  /** Uid (and gid) the pod runs as. */
  readonly user?: number;
  /** Group that owns mounted volumes. @default - `user` */
  readonly fsGroup?: number;
  readonly restartPolicy?: 'Always' | 'Never' | 'OnFailure';
  /** ServiceAccount, for pods that call the Kubernetes API. @default - "default", with no token mounted */
  readonly serviceAccountName?: string;
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Lowest port a non-root process may bind (the namespaced sysctl
   * `net.ipv4.ip_unprivileged_port_start`, allowed under Pod Security "restricted").
   * @default - the node's setting (1024)
   */
  readonly unprivilegedPortStart?: number;
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
