import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { asList, dnsLabel, httpPath, port as portCheck, propShapes, serviceName, show, storageSize, wholeNumber } from './checks';
import { AppConfig, EnvVars } from './config';
import { StorageProfile, WorkloadProfile } from './environment';
import { MetricsEndpoint, renderServiceMonitor } from './monitoring';
import { Connectable, Egress, egressProblems, NetworkPeer } from './network';
import { containerProblems, HealthCheck, hardenedContainer, hardenedPodSpec, WritablePath } from './pod';
import { PlatformChart } from './platform-chart';
import { SINGLETON_ANNOTATION } from './documents';
import { WAIVER_PREFIX } from './policy/waiver';
import { Problems } from './problems';

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
  readonly files?: ReadonlyArray<{ readonly path: string; readonly config: AppConfig }>;
  /**
   * Leave the root filesystem writable, for an image that writes where no emptyDir can go. The
   * reason renders as the waiver annotation `trading-platform-manifests/waive-read-only-root`
   * on the Deployment, so a reviewer sees the exception in the diff and synth lists it.
   * @default - read-only root filesystem
   */
  readonly writableRoot?: { readonly reason: string };
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
   * release, a restart of the Deployment, a move to another node): an init container in the
   * workload's own image writes `<name>-<UTC time>.tar.gz` to the claim `<workload>-<name>-backups`
   * and keeps the newest `keep` archives. Running inside the pod, it needs no second mount of a
   * ReadWriteOnce volume and works the same under Argo CD and `kubectl apply`.
   * @default - no backups
   */
  readonly backupOnStart?: { readonly keep: number; readonly storage: StorageProfile };
}

/** The init container that archives one volume, and the volume of its archives. */
function backupContainer(workload: string, image: string, claim: PersistentVolume & { claimName: string }) {
  const keep = claim.backupOnStart!.keep;
  const name = claim.name;
  const script = [
    'set -eu',
    // $$ escapes Kubernetes' own $(VAR) expansion.
    `file="/backups/${name}-$$(date -u +%Y%m%dT%H%M%SZ).tar.gz"`,
    `tar -czf "$file.partial" -C ${claim.mountPath} .`,
    'mv "$file.partial" "$file"',
    `ls -1t /backups/${name}-*.tar.gz | tail -n +${keep + 1} | xargs -r rm -f --`,
    'rm -f /backups/*.partial',
    'ls -l /backups',
  ].join('\n');
  const { container } = hardenedContainer({
    name: `backup-${name}`,
    image,
    command: ['sh', '-c', script],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    writable: ['/tmp'],
    extraMounts: [
      { name: `volume-${name}`, mountPath: claim.mountPath, readOnly: true },
      { name: `volume-${name}-backups`, mountPath: '/backups' },
    ],
  });
  return {
    claim,
    container,
    volume: { name: `volume-${name}-backups`, persistentVolumeClaim: { claimName: `${workload}-${name}-backups` } } as k8s.Volume,
  };
}

/** How the base class renders one kind of workload. */
interface Shape {
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

/**
 * Deployment, optional Service, HorizontalPodAutoscaler and PodDisruptionBudget, and the
 * workload's NetworkPolicy. Not exported: use {@link WebService}, {@link Worker} or {@link Singleton}.
 */
abstract class Workload extends Construct implements Connectable {
  /** Name of the Deployment, its Service and its NetworkPolicy. */
  public readonly name: string;
  /** Image reference. */
  public readonly image: string;
  /** The pods as a network peer. */
  public readonly peer!: NetworkPeer;
  /** Pod ports clients reach (NetworkPolicies match pod ports, not Service ports), or none. */
  public readonly connectPorts: readonly number[];
  /** Service port, when the workload has a Service. */
  public readonly servicePort?: number;
  /** Whether the input was valid and objects were rendered. */
  public readonly rendered: boolean = false;

  protected constructor(scope: Construct, id: string, props: WorkloadOptions, shape: Shape) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    this.name = id;
    this.image = props.image;
    this.servicePort = shape.port !== undefined ? (shape.servicePort ?? shape.port) : undefined;
    this.connectPorts = shape.port !== undefined ? [shape.port] : [];

    const problems = new Problems();
    const shapes = propShapes(props, {
      lists: ['uses', 'egress', 'writable', 'config', 'files', 'command', 'args', 'volumes'],
      records: ['env'],
      objects: ['metrics', 'writableRoot', 'profile'],
      strings: ['image'],
    });
    for (const [f, m] of shapes) problems.check(f, m);
    if (shapes.length > 0 && problems.report(this)) return; // nothing below may read a wrong-typed prop
    const profile = props.profile;
    problems.check('name', serviceName(id));
    for (const [f, m] of shape.fieldProblems) problems.check(f, m);
    if (profile === undefined || profile === null || typeof profile !== 'object') {
      problems.check('profile', 'is missing; give replicas and resources for this env in the overlay');
    } else {
      if (shape.singleton && profile.replicas !== undefined && profile.replicas !== 1) {
        problems.check('profile.replicas', `a singleton runs exactly one pod (two would act twice, e.g. trade twice); got ${show(profile.replicas)}`);
      } else if (profile.replicas !== undefined) problems.check('profile.replicas', wholeNumber(profile.replicas, 0, 1000));
      if (profile.autoscale !== undefined && (profile.autoscale === null || typeof profile.autoscale !== 'object')) {
        problems.check('profile.autoscale', `expected { minReplicas, maxReplicas }, got ${show(profile.autoscale)}`);
      } else if (profile.autoscale !== undefined) {
        if (shape.singleton) problems.check('profile.autoscale', 'a singleton is never autoscaled; remove autoscale');
        else {
          const a = profile.autoscale;
          problems.check('profile.autoscale.minReplicas', wholeNumber(a.minReplicas, 1, 1000));
          problems.check('profile.autoscale.maxReplicas', wholeNumber(a.maxReplicas, 1, 1000));
          if (typeof a.maxReplicas === 'number' && typeof a.minReplicas === 'number' && a.maxReplicas < a.minReplicas) {
            problems.check('profile.autoscale.maxReplicas', `${a.maxReplicas} is below minReplicas (${a.minReplicas})`);
          }
          if (a.cpuUtilization !== undefined) problems.check('profile.autoscale.cpuUtilization', wholeNumber(a.cpuUtilization, 1, 100));
          if (profile.replicas !== undefined) problems.check('profile.replicas', 'is fixed while autoscale is set; give one or the other');
        }
      }
    }
    if (props.user !== undefined) problems.check('user', wholeNumber(props.user, 1, 2147483647));
    const metricsPort = props.metrics?.port;
    if (props.metrics !== undefined) {
      if (metricsPort !== undefined) problems.check('metrics.port', portCheck(metricsPort));
      if (metricsPort !== undefined && metricsPort === shape.port) problems.check('metrics.port', `${metricsPort} is also the container port (port); leave metrics.port out to scrape that port`);
      if (metricsPort === undefined && shape.port === undefined) problems.check('metrics.port', 'is missing; the workload has no port to scrape');
      if (props.metrics.path !== undefined) problems.check('metrics.path', httpPath(props.metrics.path));
    }
    asList(props.files).forEach((f, i) => {
      if (typeof f?.path !== 'string' || !f.path.startsWith('/')) problems.check(`files[${i}].path`, `${show(f?.path)} is not an absolute path`);
      if (!(f?.config instanceof AppConfig)) problems.check(`files[${i}].config`, 'must be an AppConfig of this platform');
    });
    if (props.writableRoot !== undefined && !(typeof props.writableRoot?.reason === 'string' && props.writableRoot.reason.trim().length >= 10)) {
      problems.check('writableRoot.reason', 'must say why the image needs a writable root (10 characters or more)');
    }
    asList(shape.volumes).forEach((v, i) => {
      if (v === null || typeof v !== 'object') return problems.check(`volumes[${i}]`, `expected { name, mountPath, storage }, got ${show(v)}`);
      problems.check(`volumes[${i}].name`, dnsLabel(v.name, Math.max(1, 52 - id.length)));
      if (typeof v.mountPath !== 'string' || !v.mountPath.startsWith('/')) problems.check(`volumes[${i}].mountPath`, `${show(v.mountPath)} is not an absolute path`);
      problems.check(`volumes[${i}].storage.size`, v.storage && typeof v.storage === 'object' ? storageSize(v.storage.size) : 'is missing; give the volume size for this env');
      if (v.backupOnStart !== undefined) {
        problems.check(`volumes[${i}].backupOnStart.keep`, wholeNumber(v.backupOnStart?.keep, 1, 1000));
        problems.check(`volumes[${i}].backupOnStart.storage.size`, v.backupOnStart?.storage && typeof v.backupOnStart.storage === 'object' ? storageSize(v.backupOnStart.storage.size) : 'is missing');
      }
    });
    problems.checkAll('egress', egressProblems(props.egress));
    const checked = {
      ...props,
      writableRoot: props.writableRoot !== undefined,
      ports: [shape.port, metricsPort].filter((p) => p !== undefined).map((p) => ({ name: 'port', containerPort: p as number })),
      readiness: shape.readiness,
      liveness: shape.liveness,
      probeFields: shape.probeFields,
    };
    // Without a profile, "profile is missing" says it all; do not repeat it for resources.
    const resources = profile && typeof profile === 'object' ? profile.resources : ({} as never);
    for (const [f, m] of containerProblems({ ...checked, resources }, chart.pinnedImages, chart.env.name, 'profile.resources')) problems.check(f, m);
    asList(props.uses).forEach((u, i) => {
      if (!u || typeof u !== 'object') problems.check(`uses[${i}]`, 'is missing');
      else if (u.peer === undefined && Array.isArray(u.connectPorts)) return; // it failed its own checks and reported them
      else if (!(u.peer instanceof NetworkPeer) || u.connectPorts.length === 0) problems.check(`uses[${i}]`, `${show((u as any).name ?? u)} accepts no connections (it has no port)`);
      else if (PlatformChart.of(u.peer) !== chart) problems.check(`uses[${i}]`, `"${u.peer.name}" belongs to another platform or env`);
    });
    if (problems.report(this)) return;

    const selector = chart.selectorLabels(id);
    const ports = [
      ...(shape.port !== undefined ? [{ name: 'http', containerPort: shape.port }] : []),
      ...(metricsPort !== undefined ? [{ name: 'metrics', containerPort: metricsPort }] : []),
    ];
    const claims = (shape.volumes ?? []).map((v) => ({ ...v, claimName: `${id}-${v.name}` }));
    const configVolumes = (props.files ?? []).map((f, i) => ({ name: `files-${i}`, path: f.path, configMap: f.config.name }));
    const { container, volumes } = hardenedContainer({
      name: id,
      image: props.image,
      command: props.command,
      args: props.args,
      ports,
      env: props.env,
      config: props.config,
      resources: profile.resources,
      readiness: shape.readiness,
      liveness: shape.liveness,
      writable: props.writable,
      writableRoot: props.writableRoot !== undefined,
      netBindService: props.netBindService,
      extraMounts: [
        ...claims.map((c) => ({ name: `volume-${c.name}`, mountPath: c.mountPath })),
        ...configVolumes.map((c) => ({ name: c.name, mountPath: c.path, readOnly: true })),
      ],
    });
    const backups = claims.filter((c) => c.backupOnStart).map((c) => backupContainer(id, props.image, c));
    const autoscale = shape.singleton ? undefined : profile.autoscale;
    const replicas = shape.singleton ? 1 : (profile.replicas ?? 1);

    new k8s.KubeDeployment(this, 'Resource', {
      metadata: chart.metadata(id, {
        component: shape.component,
        annotations: {
          ...(shape.singleton ? { [SINGLETON_ANNOTATION]: 'true' } : {}),
          ...(props.writableRoot ? { [`${WAIVER_PREFIX}read-only-root`]: props.writableRoot.reason } : {}),
        },
      }),
      spec: {
        replicas: autoscale ? undefined : replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: shape.singleton
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels: { ...chart.commonLabels(id, shape.component) } },
          spec: hardenedPodSpec({
            initContainers: backups.map((b) => b.container),
            containers: [container],
            volumes: [
              ...volumes,
              ...claims.map((c) => ({ name: `volume-${c.name}`, persistentVolumeClaim: { claimName: c.claimName } })),
              ...backups.map((b) => b.volume),
              ...configVolumes.map((c) => ({ name: c.name, configMap: { name: c.configMap } })),
            ],
            user: props.user,
            terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
            // A non-root process can bind a port below 1024 only when the pod lowers this namespaced sysctl.
            unprivilegedPortStart: ports.some((p) => p.containerPort < 1024) ? Math.min(...ports.map((p) => p.containerPort)) : undefined,
          }),
        },
      },
    });

    for (const c of claims) {
      new k8s.KubePersistentVolumeClaim(this, `volume-${c.name}`, {
        metadata: chart.metadata(c.claimName, { app: id, component: shape.component }),
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: c.storage.storageClass ?? chart.env.storageClass,
          resources: { requests: { storage: k8s.Quantity.fromString(c.storage.size) } },
        },
      });
    }
    for (const b of backups) {
      new k8s.KubePersistentVolumeClaim(this, `backups-${b.claim.name}`, {
        metadata: chart.metadata(b.volume.persistentVolumeClaim!.claimName, { app: id, component: 'backup' }),
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: b.claim.backupOnStart!.storage.storageClass ?? chart.env.storageClass,
          resources: { requests: { storage: k8s.Quantity.fromString(b.claim.backupOnStart!.storage.size) } },
        },
      });
    }

    const servicePorts: k8s.ServicePort[] = [
      ...(this.servicePort !== undefined ? [{ name: 'http', port: this.servicePort, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }] : []),
      ...(metricsPort !== undefined ? [{ name: 'metrics', port: metricsPort, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }] : []),
    ];
    if (servicePorts.length > 0) {
      new k8s.KubeService(this, 'service', {
        metadata: chart.metadata(id, { component: shape.component }),
        spec: { type: 'ClusterIP', selector, ports: servicePorts },
      });
    }
    if (props.metrics && chart.env.monitoring) {
      renderServiceMonitor(this, {
        name: id,
        serviceLabels: chart.selectorLabels(id),
        portName: metricsPort !== undefined ? 'metrics' : 'http',
        path: props.metrics.path ?? '/metrics',
        interval: props.metrics.interval ?? '30s',
      });
    }

    if (autoscale) {
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'autoscaler', {
        metadata: chart.metadata(id, { component: shape.component }),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: id },
          minReplicas: autoscale.minReplicas,
          maxReplicas: autoscale.maxReplicas,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscale.cpuUtilization ?? 70 } } },
          ],
        },
      });
    }

    // A budget only where it can hold: with more than one pod, at most one is evicted at a time.
    // Never on a singleton: a budget of zero disruptions would block every node drain forever.
    if (!shape.singleton && (autoscale ? autoscale.maxReplicas > 1 : replicas > 1)) {
      new k8s.KubePodDisruptionBudget(this, 'budget', {
        metadata: chart.metadata(id, { component: shape.component }),
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
      });
    }

    (this as { peer: NetworkPeer }).peer = new NetworkPeer(this, 'network', chart, id, selector);
    for (const u of props.uses ?? []) if (u.peer) this.peer.connectTo(u.peer, u.connectPorts);
    if (props.egress) this.peer.allowExternal(props.egress);
    if (props.metrics) this.peer.allowScrape([metricsPort ?? shape.port!]);
    (this as { rendered: boolean }).rendered = true;
  }
}

/** Props of {@link WebService}. */
export interface WebServiceProps extends WorkloadOptions {
  /** Port the process listens on (container port `http`). */
  readonly port: number;
  /** HTTP path that answers 200 when the process is healthy; used for readiness and liveness. */
  readonly healthPath: string;
  /**
   * Port of the Service.
   * @default - `port`
   */
  readonly servicePort?: number;
  /**
   * Liveness check, when it must differ from readiness (e.g. a shallow endpoint that does not
   * fail when the database is down, so a database outage does not restart every pod).
   * @default - an HTTP GET on `healthPath`
   */
  readonly liveness?: HealthCheck;
}

/**
 * An HTTP service: Deployment behind a ClusterIP Service, readiness and liveness probes on its
 * health path, rolling updates that never drop below the desired count, an optional CPU
 * autoscaler, and a PodDisruptionBudget when it runs more than one pod.
 */
export class WebService extends Workload {
  public constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, props, {
      component: props.component ?? 'api',
      port: props.port,
      servicePort: props.servicePort,
      readiness: { http: props.healthPath },
      liveness: props.liveness ?? { http: props.healthPath },
      singleton: false,
      probeFields: { readiness: 'healthPath', liveness: props.liveness ? 'liveness' : 'healthPath' },
      fieldProblems: [
        ['port', portCheck(props.port)],
        ['servicePort', props.servicePort === undefined ? undefined : portCheck(props.servicePort)],
      ],
    });
  }
}

/** Props of {@link Worker}. */
export interface WorkerProps extends WorkloadOptions {
  /**
   * How Kubernetes tells the worker is alive: a command (e.g. `celery inspect ping`) or a TCP
   * port. Used for liveness; readiness too, since a worker takes no traffic.
   */
  readonly health: HealthCheck;
}

/**
 * A background process that scales out: Deployment with no Service, liveness by command or
 * port, an optional CPU autoscaler and a PodDisruptionBudget when it runs more than one pod.
 */
export class Worker extends Workload {
  public constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, props, {
      component: props.component ?? 'worker',
      readiness: props.health,
      liveness: props.health,
      singleton: false,
      probeFields: { readiness: 'health', liveness: 'health' },
      fieldProblems: [['health', props.health === undefined ? 'is missing; give { exec: [...] }, { tcp: port } or { http: path }' : undefined]],
    });
  }
}

/** Props of {@link Singleton}. */
export interface SingletonProps extends WorkloadOptions {
  /**
   * How Kubernetes tells the process is alive (and ready).
   * @default - an HTTP GET on `healthPath` when `port` is set
   */
  readonly health?: HealthCheck;
  /**
   * Port, when the singleton serves HTTP (e.g. a trading engine's control API); renders a Service.
   * @default - no port, no Service
   */
  readonly port?: number;
  /**
   * Health path on `port`.
   * @default - none; `health` must then be given
   */
  readonly healthPath?: string;
  /**
   * Liveness check, when it must differ from readiness: a trading engine whose health endpoint
   * reports the exchange connection must not be restarted when the exchange is down.
   * @default - the same check as readiness
   */
  readonly liveness?: HealthCheck;
  /**
   * Persistent volumes (ReadWriteOnce: a singleton is the one workload that can own one, since
   * `Recreate` stops the old pod before the new one mounts it).
   * @default - none
   */
  readonly volumes?: readonly PersistentVolume[];
}

/**
 * Exactly one pod, ever: schedulers, Celery beat, a trading engine. `Recreate` stops the old pod
 * before the new one starts, so two never run at once; no autoscaler, no PodDisruptionBudget
 * (it could only block node drains). Replicas other than 1 in a profile are an error.
 */
export class Singleton extends Workload {
  public constructor(scope: Construct, id: string, props: SingletonProps) {
    const health: HealthCheck | undefined = props.health ?? (props.healthPath !== undefined ? { http: props.healthPath } : undefined);
    super(scope, id, props, {
      component: props.component ?? 'singleton',
      port: props.port,
      readiness: health,
      liveness: props.liveness ?? health,
      singleton: true,
      volumes: props.volumes,
      probeFields: {
        readiness: props.health ? 'health' : 'healthPath',
        liveness: props.liveness ? 'liveness' : props.health ? 'health' : 'healthPath',
      },
      fieldProblems: [
        ['port', props.port === undefined ? undefined : portCheck(props.port)],
        ['health', health === undefined ? 'is missing; give healthPath (with port) or health' : undefined],
      ],
    });
  }
}
