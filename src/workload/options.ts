import { AppConfig, EnvVars } from '../config';
import { StorageProfile, WorkloadProfile } from '../environment';
import { MetricsEndpoint } from '../monitoring';
import { Connectable, Egress } from '../network';
import { HealthCheck, WritablePath } from '../pod';

/** What every long-running workload takes. */
export interface WorkloadOptions {
  /** Image reference with a tag or digest; demo and prod accept only pinned ones. */
  readonly image: string;
  /** Replicas, resources and autoscaling in this env, from the overlay. */
  readonly profile: WorkloadProfile;
  /**
   * Entrypoint override.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: readonly string[];
  /**
   * Arguments.
   * @default - the image's CMD
   */
  readonly args?: readonly string[];
  /**
   * Environment variables: literals for settings, `secretKey(...)` for credentials.
   * @default - none
   */
  readonly env?: EnvVars;
  /**
   * ConfigMaps read with `envFrom`; their hashed names roll the pods when content changes.
   * @default - none
   */
  readonly config?: readonly AppConfig[];
  /**
   * What the pods connect to inside the platform (databases, caches, other services). Each
   * connection opens exactly that port in both NetworkPolicies; nothing else is reachable.
   * @default - nothing
   */
  readonly uses?: readonly Connectable[];
  /**
   * Traffic allowed beyond the platform (the internet, or pods of other namespaces), each with a
   * purpose.
   * @default - none: no internet access
   */
  readonly egress?: readonly Egress[];
  /**
   * Folders the process writes to; the root filesystem is read-only.
   * @default ["/tmp"]
   */
  readonly writable?: readonly (string | WritablePath)[];
  /**
   * Uid the pod runs as (and its gid and fsGroup). Must not be 0.
   * @default 10001
   */
  readonly user?: number;
  /**
   * `app.kubernetes.io/component` label.
   * @default - "api" for web services, "worker" for workers, "singleton" for singletons
   */
  readonly component?: string;
  /**
   * Prometheus metrics. Where the env has monitoring, a ServiceMonitor scrapes them and the
   * NetworkPolicy admits Prometheus on that port.
   * @default - no metrics
   */
  readonly metrics?: MetricsEndpoint;
  /**
   * ConfigMaps mounted as read-only files (e.g. a provisioning file), one folder per entry.
   * @default - none
   */
  readonly files?: ReadonlyArray<{
    /** Absolute folder the ConfigMap's keys appear in, one file per key. */
    readonly path: string;
    /** The ConfigMap, of this platform. */
    readonly config: AppConfig;
  }>;
  /**
   * Leave the root filesystem writable, for an image that writes where no emptyDir can go. The
   * reason renders as the waiver annotation `trading-platform-manifests/waive-read-only-root`
   * on the Deployment, so a reviewer sees the exception in the diff and synth lists it.
   * @default - read-only root filesystem
   */
  readonly writableRoot?: {
    /** Why the image needs it, in 10 characters or more. */
    readonly reason: string;
  };
  /**
   * Keep the NET_BIND_SERVICE capability (all others stay dropped; Pod Security "restricted"
   * allows this one). Needed by images whose binaries carry it as a file capability, which the
   * kernel refuses to run when it is dropped.
   * @default false
   */
  readonly netBindService?: boolean;
  /**
   * Seconds a pod gets to finish in-flight work after SIGTERM.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
}

/** A persistent volume of a {@link Singleton}: a PVC `<workload>-<name>` mounted at `mountPath`. */
export interface PersistentVolume {
  /** Short name; the claim is `<workload>-<name>`. */
  readonly name: string;
  /** Where the volume is mounted. */
  readonly mountPath: string;
  /** Size and class in this env. */
  readonly storage: StorageProfile;
  /**
   * Archive the volume before the workload's process starts, every time a new pod starts (a
   * release, a restart, a move to another node): an init container in the env's rclone image
   * writes `<name>-<UTC time>.tar.gz` to the env's object storage, under
   * `<prefix>/<platform>/<workload>-<name>/`, and keeps the newest `keep` archives there. Running
   * inside the pod, it needs no second mount of a ReadWriteOnce volume and works the same under
   * Argo CD and `kubectl apply`. The workload does not start while the archive cannot be uploaded.
   * @default - no backups
   */
  readonly backupOnStart?: {
    /** How many archives to keep, newest first. */
    readonly keep: number;
    /** Most the archive may take on the node (`size`) while it waits to be uploaded; `storageClass` is not used. */
    readonly storage: StorageProfile;
  };
}

/** How the base class renders one kind of workload (internal: not exported from the package). */
export interface Shape {
  readonly component: string;
  readonly port?: number;
  readonly servicePort?: number;
  readonly readiness?: HealthCheck;
  readonly liveness?: HealthCheck;
  readonly singleton: boolean;
  /** Persistent volumes (singletons only: one pod, so ReadWriteOnce holds). */
  readonly volumes?: readonly PersistentVolume[];
  /** Names of the props the probes come from, for messages. */
  readonly probeFields: { readonly readiness: string; readonly liveness: string };
  readonly fieldProblems: Array<[string, string | undefined]>;
}
