import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { dnsLabel, show, wholeNumber } from './checks';
import { contentHash, EnvVars } from './config';
import { Resources } from './environment';
import { Connectable, NetworkPeer } from './network';
import { containerProblems, hardenedContainer, hardenedPodSpec } from './pod';
import { PlatformChart } from './platform-chart';
import { Problems } from './problems';

/** Annotations that make a Job an Argo CD PreSync hook, replaced (not patched) on every sync. */
export const PRESYNC_HOOK = {
  'argocd.argoproj.io/hook': 'PreSync',
  'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
} as const;

/** Props of {@link MigrationJob}. */
export interface MigrationJobProps {
  /** The backend's image: the migration must match the code that is about to serve. */
  readonly image: string;
  /** The migrate command, e.g. `["./backend", "migrate"]` or `["alembic", "upgrade", "head"]`. */
  readonly command: readonly string[];
  /** CPU and memory of the migration pod. */
  readonly resources: Resources;
  /**
   * Environment: literals and Secret keys only. ConfigMaps are left out on purpose: Argo CD runs
   * PreSync hooks before it syncs the app's ConfigMaps, so a new hashed ConfigMap would not exist
   * yet. Secrets are referenced, so they exist before the first sync.
   * @default - none
   */
  readonly env?: EnvVars;
  /**
   * What the migration connects to (the database).
   * @default - nothing
   */
  readonly uses?: readonly Connectable[];
  /**
   * Uid of the pod.
   * @default 10001
   */
  readonly user?: number;
  /**
   * Seconds after which a hanging migration is stopped and the sync fails.
   * @default 900
   */
  readonly deadlineSeconds?: number;
}

/**
 * Runs the backend image's migrate command before the new version serves: an Argo CD PreSync
 * hook (`BeforeHookCreation`, so a re-sync replaces it) whose name is `<id>-<hash>` of its
 * props (image, command, env, resources…). A new image gives a new Job, so `kubectl apply` never patches an immutable
 * Job template; re-applying the same release is a no-op. No `ttlSecondsAfterFinished`: on a Job
 * Argo CD manages it leaves the app OutOfSync.
 */
export class MigrationJob extends Construct {
  /** Rendered Job name, `<id>-<hash>`. */
  public readonly jobName: string;

  public constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    // Everything that shapes the (immutable) pod template goes into the name.
    const { uses: _uses, ...shape } = props;
    this.jobName = `${id}-${contentHash(shape)}`;

    const problems = new Problems();
    problems.check('name', dnsLabel(id, 52)); // `<id>-<10 hex>` stays within 63
    problems.check('command', Array.isArray(props.command) && props.command.length > 0 ? undefined : `${show(props.command)} is not a command; give e.g. ["./backend", "migrate"]`);
    if (props.deadlineSeconds !== undefined) problems.check('deadlineSeconds', wholeNumber(props.deadlineSeconds, 30));
    for (const [f, m] of containerProblems({ image: props.image, resources: props.resources, env: props.env }, chart.pinnedImages, chart.env.name)) problems.check(f, m);
    if (problems.report(this)) return;

    const { container, volumes } = hardenedContainer({
      name: 'migrate',
      image: props.image,
      command: props.command,
      env: props.env,
      resources: props.resources,
    });
    new k8s.KubeJob(this, 'Resource', {
      metadata: chart.metadata(this.jobName, { app: id, component: 'migration', annotations: PRESYNC_HOOK }),
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: props.deadlineSeconds ?? 900,
        template: {
          metadata: { labels: chart.commonLabels(id, 'migration') },
          spec: hardenedPodSpec({ containers: [container], volumes, user: props.user, restartPolicy: 'Never' }),
        },
      },
    });
    const peer = new NetworkPeer(this, 'network', chart, id, chart.selectorLabels(id));
    for (const u of props.uses ?? []) if (u?.peer) peer.connectTo(u.peer, u.connectPorts);
  }
}
