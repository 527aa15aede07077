/**
 * The policy rules run over every rendered document of every env. Each rule has a stable id, a
 * one-line rationale and a fix hint; it reports every violation it finds, never just the first.
 * Rules see the documents of one platform in one env at a time and use indexes, not pairwise
 * loops, so a check stays linear in the number of objects.
 */
import { cronSchedule, dnsLabel, timeZone } from '../checks';
import { Environment } from '../environment';
import { imageProblem, isPinned } from '../image';

/** One rendered object, with where it came from. */
export interface PolicyObject {
  readonly env: string;
  readonly platform: string;
  /** Construct path, e.g. `peripheral/backend/Resource`. */
  readonly constructPath: string;
  readonly doc: Record<string, any>;
}

/** What a rule sees: the objects of one platform in one env. */
export interface PolicyContext {
  readonly env: Environment;
  readonly namespace: string;
  readonly objects: readonly PolicyObject[];
}

/** One finding. */
export interface Violation {
  readonly object: PolicyObject;
  readonly message: string;
}

/** A policy rule. */
export interface Rule {
  readonly id: RuleId;
  /** Why the rule exists, in one line. */
  readonly rationale: string;
  /** How to fix a violation, in one line. */
  readonly fix: string;
  /** Kinds the rule judges (a waiver annotates only these); every kind when absent. */
  readonly kinds?: readonly string[];
  readonly check: (ctx: PolicyContext) => Violation[];
}

/** Annotation that marks a Deployment as a singleton (exactly one pod, ever). */
export const SINGLETON_ANNOTATION = 'trading-platform-manifests/singleton';

const PODS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet'];
const POD_KINDS = new Set(PODS);
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'CustomResourceDefinition', 'IngressClass']);
// Pod Security "restricted" allows only these volume types.
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** The pod template spec of a workload document, or undefined. */
export function podSpecOf(doc: Record<string, any>): Record<string, any> | undefined {
  if (!POD_KINDS.has(doc.kind)) return undefined;
  return doc.kind === 'CronJob' ? doc.spec?.jobTemplate?.spec?.template?.spec : doc.spec?.template?.spec;
}

/** The pod template labels of a workload document. */
export function podLabelsOf(doc: Record<string, any>): Record<string, string> {
  return (doc.kind === 'CronJob' ? doc.spec?.jobTemplate?.spec?.template?.metadata?.labels : doc.spec?.template?.metadata?.labels) ?? {};
}

function containersOf(spec: Record<string, any>): Array<{ init: boolean; c: Record<string, any> }> {
  return [...(spec.initContainers ?? []).map((c: any) => ({ init: true, c })), ...(spec.containers ?? []).map((c: any) => ({ init: false, c }))];
}

// Indexes built once per context and shared by the rules that need them.
const workloadLists = new WeakMap<PolicyContext, Array<{ o: PolicyObject; spec: Record<string, any> }>>();
const podIndexes = new WeakMap<PolicyContext, PodIndex>();

function workloads(ctx: PolicyContext): Array<{ o: PolicyObject; spec: Record<string, any> }> {
  let list = workloadLists.get(ctx);
  if (!list) {
    list = ctx.objects.flatMap((o) => {
      const spec = podSpecOf(o.doc);
      return spec ? [{ o, spec }] : [];
    });
    workloadLists.set(ctx, list);
  }
  return list;
}

function podIndex(ctx: PolicyContext): PodIndex {
  let index = podIndexes.get(ctx);
  if (!index) podIndexes.set(ctx, (index = new PodIndex(ctx.objects)));
  return index;
}

/** Finds the pod templates a label selector matches, through a label index (no pairwise scan). */
class PodIndex {
  private readonly byLabel = new Map<string, PolicyObject[]>();
  public constructor(objects: readonly PolicyObject[]) {
    for (const o of objects) {
      if (!podSpecOf(o.doc)) continue;
      for (const [k, v] of Object.entries(podLabelsOf(o.doc))) {
        const key = `${k}=${v}`;
        const list = this.byLabel.get(key) ?? [];
        list.push(o);
        this.byLabel.set(key, list);
      }
    }
  }

  public select(selector: Record<string, string> | undefined): PolicyObject[] {
    const pairs = Object.entries(selector ?? {});
    if (pairs.length === 0) return [];
    let smallest: PolicyObject[] | undefined;
    for (const [k, v] of pairs) {
      const list = this.byLabel.get(`${k}=${v}`) ?? [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return smallest!.filter((o) => pairs.every(([k, v]) => podLabelsOf(o.doc)[k] === v));
  }
}

export type RuleId =
  | 'names'
  | 'namespace-scope'
  | 'pss-restricted'
  | 'read-only-root'
  | 'resources'
  | 'probes'
  | 'image-tag'
  | 'image-pinned'
  | 'no-secret-data'
  | 'service-selects-pods'
  | 'ingress-backend'
  | 'autoscaler-target'
  | 'budget-target'
  | 'default-deny'
  | 'prod-budget'
  | 'singleton'
  | 'cronjob-no-overlap'
  | 'no-job-ttl'
  | 'cronjob-time-zone';

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [
  {
    id: 'names',
    rationale: 'the API server refuses names that are not DNS-1123 labels or are too long (CronJobs: 52, for their Jobs\' suffix)',
    fix: 'rename the construct (its id is the object name)',
    check: (ctx) =>
      ctx.objects.flatMap((o) => {
        const name = o.doc.metadata?.name;
        const problem = dnsLabel(name, o.doc.kind === 'CronJob' ? 52 : 63);
        const labels = Object.entries(o.doc.metadata?.labels ?? {}).filter(([, v]) => typeof v !== 'string' || v.length > 63 || !/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(v as string));
        return [
          ...(problem ? [{ object: o, message: `name ${problem}` }] : []),
          ...labels.map(([k, v]) => ({ object: o, message: `label ${k}=${JSON.stringify(v)} is not a valid label value (63 characters, alphanumerics, '-', '_', '.')` })),
        ];
      }),
  },
  {
    id: 'namespace-scope',
    rationale: 'namespaced objects belong to the platform\'s namespace; cluster-scoped ones carry none, or kubectl and Argo CD disagree on identity',
    fix: 'let PlatformChart.metadata() set the namespace; never set one on cluster-scoped kinds',
    check: (ctx) =>
      ctx.objects.flatMap((o) => {
        const ns = o.doc.metadata?.namespace;
        if (CLUSTER_SCOPED.has(o.doc.kind)) return ns === undefined ? [] : [{ object: o, message: `is cluster-scoped but has namespace "${ns}"` }];
        return ns === ctx.namespace ? [] : [{ object: o, message: `has namespace ${JSON.stringify(ns)}; expected "${ctx.namespace}"` }];
      }),
  },
  {
    id: 'pss-restricted',
    kinds: PODS,
    rationale: 'every namespace enforces Pod Security "restricted"; a pod that breaks it is refused at admission',
    fix: 'build pods with hardenedPodSpec/hardenedContainer; do not override their securityContext',
    check: (ctx) =>
      workloads(ctx).flatMap(({ o, spec }) => {
        const out: string[] = [];
        const psc = spec.securityContext ?? {};
        for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f]) out.push(`pod sets ${f}`);
        const podSeccomp = psc.seccompProfile?.type;
        for (const v of spec.volumes ?? []) {
          const type = Object.keys(v).find((k) => k !== 'name');
          if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume ${v.name} is of type ${type}`);
        }
        for (const { c } of containersOf(spec)) {
          const sc = c.securityContext ?? {};
          if (sc.privileged) out.push(`${c.name} is privileged`);
          if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name} does not set allowPrivilegeEscalation: false`);
          if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) out.push(`${c.name} does not set runAsNonRoot`);
          if ((sc.runAsUser ?? psc.runAsUser) === 0) out.push(`${c.name} runs as uid 0`);
          const seccomp = sc.seccompProfile?.type ?? podSeccomp;
          if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${c.name} has no RuntimeDefault seccomp profile`);
          const drop: string[] = sc.capabilities?.drop ?? [];
          if (!drop.includes('ALL')) out.push(`${c.name} does not drop ALL capabilities`);
          const add: string[] = (sc.capabilities?.add ?? []).filter((x: string) => x !== 'NET_BIND_SERVICE');
          if (add.length > 0) out.push(`${c.name} adds capabilities ${add.join(', ')}`);
          for (const p of c.ports ?? []) if (p.hostPort) out.push(`${c.name} uses hostPort ${p.hostPort}`);
        }
        return out.map((message) => ({ object: o, message }));
      }),
  },
  {
    id: 'read-only-root',
    kinds: PODS,
    rationale: 'a writable root filesystem lets a compromised process persist tools and change binaries',
    fix: 'mount an emptyDir where the process writes (`writable`), or waive with the reason the image needs it',
    check: (ctx) =>
      workloads(ctx).flatMap(({ o, spec }) =>
        containersOf(spec)
          .filter(({ c }) => c.securityContext?.readOnlyRootFilesystem !== true)
          .map(({ c }) => ({ object: o, message: `${c.name} has a writable root filesystem` })),
      ),
  },
  {
    id: 'resources',
    kinds: PODS,
    rationale: 'without requests the scheduler overcommits nodes; without a memory limit one leak takes a node down',
    fix: 'state requests (cpu, memory) and limits (memory) in the overlay profile',
    check: (ctx) =>
      workloads(ctx).flatMap(({ o, spec }) =>
        containersOf(spec).flatMap(({ c }) => {
          const r = c.resources ?? {};
          const missing = [!r.requests?.cpu && 'requests.cpu', !r.requests?.memory && 'requests.memory', !r.limits?.memory && 'limits.memory'].filter(Boolean);
          return missing.length > 0 ? [{ object: o, message: `${c.name} has no ${missing.join(', ')}` }] : [];
        }),
      ),
  },
  {
    id: 'probes',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
    rationale: 'without readiness a pod takes traffic before it can serve; without liveness a hung process is never restarted',
    fix: 'give the workload a healthPath or health check',
    check: (ctx) =>
      workloads(ctx)
        .filter(({ o }) => LONG_RUNNING.has(o.doc.kind))
        .flatMap(({ o, spec }) =>
          (spec.containers ?? []).flatMap((c: any) => [
            ...(c.readinessProbe ? [] : [{ object: o, message: `${c.name} has no readinessProbe` }]),
            ...(c.livenessProbe ? [] : [{ object: o, message: `${c.name} has no livenessProbe` }]),
          ]),
        ),
  },
  {
    id: 'image-tag',
    kinds: PODS,
    rationale: 'an image without a tag or with `latest` changes under the same manifest, so git no longer says what runs',
    fix: 'give every image a version tag or a digest',
    check: (ctx) =>
      workloads(ctx).flatMap(({ o, spec }) =>
        containersOf(spec).flatMap(({ c }) => {
          const p = imageProblem(c.image, false, ctx.env.name);
          return p ? [{ object: o, message: `${c.name}: ${p}` }] : [];
        }),
      ),
  },
  {
    id: 'image-pinned',
    kinds: PODS,
    rationale: 'demo and prod must run exactly the build that was reviewed and promoted',
    fix: 'pin a version, a commit SHA or a digest in the overlay',
    check: (ctx) =>
      (ctx.env.requirePinnedImages ?? true)
        ? workloads(ctx).flatMap(({ o, spec }) =>
            containersOf(spec)
              .filter(({ c }) => !isPinned(c.image))
              .map(({ c }) => ({ object: o, message: `${c.name} runs "${c.image}", which is not pinned` })),
          )
        : [],
  },
  {
    id: 'no-secret-data',
    kinds: ['Secret'],
    rationale: 'dist/ is committed: a Secret with data would put credentials in git',
    fix: 'reference existing Secrets with secretKey(name, key)',
    check: (ctx) =>
      ctx.objects
        .filter((o) => o.doc.kind === 'Secret' && (o.doc.data || o.doc.stringData))
        .map((o) => ({ object: o, message: 'holds data' })),
  },
  {
    id: 'service-selects-pods',
    kinds: ['Service'],
    rationale: 'a Service that selects no pod, or targets a port no container declares, answers nothing',
    fix: 'select the workload by its selector labels and target a named container port',
    check: (ctx) => {
      const pods = podIndex(ctx);
      return ctx.objects
        .filter((o) => o.doc.kind === 'Service' && o.doc.spec?.selector)
        .flatMap((o) => {
          const selected = pods.select(o.doc.spec.selector);
          if (selected.length === 0) return [{ object: o, message: `selects no pod (${JSON.stringify(o.doc.spec.selector)})` }];
          const declared = new Set(selected.flatMap((w) => (podSpecOf(w.doc)?.containers ?? []).flatMap((c: any) => (c.ports ?? []).flatMap((p: any) => [p.name, p.containerPort]))));
          return (o.doc.spec.ports ?? [])
            .filter((p: any) => !declared.has(p.targetPort ?? p.port))
            .map((p: any) => ({ object: o, message: `port ${p.name ?? p.port} targets ${JSON.stringify(p.targetPort ?? p.port)}, which no selected container declares` }));
        });
    },
  },
  {
    id: 'ingress-backend',
    kinds: ['Ingress'],
    rationale: 'an Ingress path to a missing Service or port returns 503 to users',
    fix: 'route to a WebService (or Singleton with a port) of the same platform',
    check: (ctx) => {
      const services = new Map(ctx.objects.filter((o) => o.doc.kind === 'Service').map((o) => [o.doc.metadata.name, o.doc]));
      return ctx.objects
        .filter((o) => o.doc.kind === 'Ingress')
        .flatMap((o) =>
          (o.doc.spec?.rules ?? []).flatMap((r: any) =>
            (r.http?.paths ?? []).flatMap((p: any) => {
              const b = p.backend?.service;
              const svc = services.get(b?.name);
              if (!svc) return [{ object: o, message: `path ${p.path} routes to Service "${b?.name}", which does not exist` }];
              const ports = (svc.spec?.ports ?? []).flatMap((x: any) => [x.port, x.name]);
              const wanted = b.port?.number ?? b.port?.name;
              return ports.includes(wanted) ? [] : [{ object: o, message: `path ${p.path} routes to ${b.name}:${wanted}, which the Service does not expose` }];
            }),
          ),
        );
    },
  },
  {
    id: 'autoscaler-target',
    kinds: ['HorizontalPodAutoscaler'],
    rationale: 'an autoscaler whose target is missing, or that shares replicas with a fixed count, scales nothing or fights the manifest',
    fix: 'let the workload render its own autoscaler from the profile',
    check: (ctx) => {
      const deployments = new Map(ctx.objects.filter((o) => o.doc.kind === 'Deployment').map((o) => [o.doc.metadata.name, o.doc]));
      return ctx.objects
        .filter((o) => o.doc.kind === 'HorizontalPodAutoscaler')
        .flatMap((o) => {
          const ref = o.doc.spec?.scaleTargetRef ?? {};
          const target = ref.kind === 'Deployment' ? deployments.get(ref.name) : undefined;
          if (!target) return [{ object: o, message: `targets ${ref.kind}/${ref.name}, which does not exist` }];
          return target.spec?.replicas !== undefined ? [{ object: o, message: `targets Deployment/${ref.name}, which also fixes replicas: ${target.spec.replicas}` }] : [];
        });
    },
  },
  {
    id: 'budget-target',
    kinds: ['PodDisruptionBudget'],
    rationale: 'a PodDisruptionBudget that selects no pod protects nothing',
    fix: 'let the workload render its own budget',
    check: (ctx) => {
      const pods = podIndex(ctx);
      return ctx.objects
        .filter((o) => o.doc.kind === 'PodDisruptionBudget')
        .filter((o) => pods.select(o.doc.spec?.selector?.matchLabels).length === 0)
        .map((o) => ({ object: o, message: 'selects no pod' }));
    },
  },
  {
    id: 'default-deny',
    kinds: ['Namespace'],
    rationale: 'without a default-deny policy every pod accepts and opens any connection',
    fix: 'build the platform on PlatformChart, which renders default-deny',
    check: (ctx) => {
      if (workloads(ctx).length === 0) return [];
      const deny = ctx.objects.some(
        (o) =>
          o.doc.kind === 'NetworkPolicy' &&
          Object.keys(o.doc.spec?.podSelector ?? {}).length === 0 &&
          ['Ingress', 'Egress'].every((t) => (o.doc.spec?.policyTypes ?? []).includes(t)) &&
          !(o.doc.spec?.ingress?.length) &&
          !(o.doc.spec?.egress?.length),
      );
      const ns = ctx.objects.find((o) => o.doc.kind === 'Namespace') ?? ctx.objects[0];
      return deny ? [] : [{ object: ns, message: `namespace ${ctx.namespace} has workloads but no default-deny NetworkPolicy` }];
    },
  },
  {
    id: 'prod-budget',
    kinds: ['Deployment'],
    rationale: 'in production a node drain must never take every replica of a service at once',
    fix: 'run more than one replica through the workload, which then renders its budget',
    check: (ctx) => {
      if (!ctx.env.production) return [];
      const pods = podIndex(ctx);
      const budgeted = new Set(ctx.objects.filter((o) => o.doc.kind === 'PodDisruptionBudget').flatMap((o) => pods.select(o.doc.spec?.selector?.matchLabels)));
      // Most replicas each Deployment can run: its autoscaler's maximum, else its fixed count.
      const most = new Map(ctx.objects.filter((o) => o.doc.kind === 'HorizontalPodAutoscaler').map((o) => [o.doc.spec?.scaleTargetRef?.name, o.doc.spec?.maxReplicas ?? 1]));
      return ctx.objects
        .filter((o) => o.doc.kind === 'Deployment' && (most.get(o.doc.metadata.name) ?? o.doc.spec?.replicas ?? 1) > 1 && !budgeted.has(o))
        .map((o) => ({ object: o, message: 'runs several replicas in production without a PodDisruptionBudget' }));
    },
  },
  {
    id: 'singleton',
    kinds: ['Deployment'],
    rationale: 'a singleton (trading engine, scheduler) that runs twice acts twice: duplicate orders, duplicate periodic runs',
    fix: 'keep replicas at 1, the Recreate strategy, and no autoscaler or budget on a Singleton',
    check: (ctx) => {
      const autoscaled = new Set(ctx.objects.filter((o) => o.doc.kind === 'HorizontalPodAutoscaler').map((o) => o.doc.spec?.scaleTargetRef?.name));
      return ctx.objects
        .filter((o) => o.doc.kind === 'Deployment' && o.doc.metadata?.annotations?.[SINGLETON_ANNOTATION] === 'true')
        .flatMap((o) => [
          ...(o.doc.spec?.replicas !== 1 ? [{ object: o, message: `has replicas ${JSON.stringify(o.doc.spec?.replicas)}; a singleton runs exactly 1` }] : []),
          ...(o.doc.spec?.strategy?.type !== 'Recreate' ? [{ object: o, message: 'does not use the Recreate strategy, so an update runs two pods at once' }] : []),
          ...(autoscaled.has(o.doc.metadata.name) ? [{ object: o, message: 'is targeted by an autoscaler' }] : []),
        ]);
    },
  },
  {
    id: 'cronjob-no-overlap',
    kinds: ['CronJob'],
    rationale: 'overlapping runs of a backup or restart job compete for the same volume or target',
    fix: 'set concurrencyPolicy: Forbid (the library\'s CronJobs do)',
    check: (ctx) =>
      ctx.objects
        .filter((o) => o.doc.kind === 'CronJob' && o.doc.spec?.concurrencyPolicy !== 'Forbid')
        .map((o) => ({ object: o, message: `has concurrencyPolicy ${JSON.stringify(o.doc.spec?.concurrencyPolicy ?? 'Allow')}` })),
  },
  {
    id: 'no-job-ttl',
    kinds: ['Job'],
    rationale: 'a Job that Argo CD manages and that deletes itself (ttlSecondsAfterFinished) leaves the app OutOfSync forever',
    fix: 'remove ttlSecondsAfterFinished; clean up hooks with a hook delete policy',
    check: (ctx) =>
      ctx.objects
        .filter((o) => o.doc.kind === 'Job' && o.doc.spec?.ttlSecondsAfterFinished !== undefined && !o.doc.metadata?.annotations?.['argocd.argoproj.io/hook'])
        .map((o) => ({ object: o, message: `sets ttlSecondsAfterFinished: ${o.doc.spec.ttlSecondsAfterFinished}` })),
  },
  {
    id: 'cronjob-time-zone',
    kinds: ['CronJob'],
    rationale: 'a schedule read in the controller\'s own time zone moves with the cluster; CRON_TZ= in a schedule is rejected since Kubernetes 1.27',
    fix: 'set timeZone to an IANA name and keep the schedule to five fields',
    check: (ctx) =>
      ctx.objects
        .filter((o) => o.doc.kind === 'CronJob')
        .flatMap((o) => {
          const zone = o.doc.spec?.timeZone;
          const z = zone === undefined ? 'is missing' : timeZone(zone);
          const s = cronSchedule(o.doc.spec?.schedule);
          return [...(z ? [{ object: o, message: `timeZone ${z}` }] : []), ...(s ? [{ object: o, message: `schedule ${s}` }] : [])];
        }),
  },
];
