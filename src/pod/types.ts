import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AppConfig, EnvVars } from '../config';
import { Resources } from '../environment';

/**
 * How Kubernetes asks a container whether it is alive and ready: an HTTP GET on the
 * container's port, a command, or a TCP connect.
 */
export type HealthCheck = (
  | {
      /** HTTP GET on this path; healthy when it answers 2xx or 3xx. */
      readonly http: string;
      /**
       * Port of the GET.
       * @default - the container's first port (`http`)
       */
      readonly port?: number;
    }
  | {
      /** Command run in the container; healthy when it exits 0. */
      readonly exec: readonly string[];
    }
  | {
      /** TCP connect to this port; healthy when it connects. */
      readonly tcp: number;
    }
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
