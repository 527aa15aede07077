import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { dnsLabel, show, wholeNumber } from './checks';
import { contentHash, EnvVars } from './config';
import { Resources } from './environment';
import { Connectable, NetworkPeer, usesProblems } from './network';
import { Postgres, POSTGRES_PORT } from './postgres';
import { containerProblems, hardenedContainer, hardenedPodSpec } from './pod';
import { PlatformChart } from './platform-chart';
import { Problems } from './problems';

/**
 * Annotations that make a Job the migration hook of an Argo CD sync: a `Sync`-phase hook in wave
 * 2, so it runs after the wave-0 objects (Namespace, policies, ConfigMaps, ExternalSecrets) and
 * the wave-1 databases are healthy, and before any wave-3 workload is updated (a hook must
 * succeed before the next wave starts). A `PreSync` hook would run before all of that: on the
 * first sync of an env its database would not exist yet, and Secrets that External Secrets
 * syncs in the same app would not exist either. The Job is replaced (not patched) when a sync
 * creates it again, and deleted once it succeeds, since Argo CD never prunes hooks and each
 * release's Job has a new name; a failed Job stays for its logs until the next sync.
 */
export const MIGRATION_HOOK = {
  'argocd.argoproj.io/hook': 'Sync',
  'argocd.argoproj.io/sync-wave': '2',
  'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
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
   * Environment: literals and Secret keys. Under `kubectl apply` the Job starts together with
   * everything else, so it reads no hashed ConfigMap that might not exist yet.
   * @default - none
   */
  readonly env?: EnvVars;
  /**
   * What the migration connects to besides `database`.
   * @default - nothing
   */
  readonly uses?: readonly Connectable[];
  /**
   * The database it migrates. The Job connects to it, and an init container (the database's own
   * image, `pg_isready`) waits until it accepts connections, so a first install, where the
   * database starts at the same time, does not burn the Job's retries.
   * @default - no database wait
   */
  readonly database?: Postgres;
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
 * Runs the backend image's migrate command before the new version serves: under Argo CD a Sync
 * hook in wave 2, between the databases and the workloads; under `kubectl` a
 * Job the README's upgrade steps run and wait for first. Its name is `<id>-<hash>` of its props
 * (image, command, env, resources…): a new image gives a new Job, so `kubectl apply` never
 * patches an immutable Job template, and re-applying the same release is a no-op. No
 * `ttlSecondsAfterFinished`: on a Job Argo CD manages it leaves the app OutOfSync.
 */
export class MigrationJob extends Construct {
  /** Rendered Job name, `<id>-<hash>`. */
  public readonly jobName: string;

  public constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    // Everything that shapes the (immutable) pod template goes into the name.
    const { uses: _uses, database, ...shape } = props;
    this.jobName = `${id}-${contentHash({ ...shape, database: database ? [database.host, database.image] : undefined })}`;

    const problems = new Problems();
    problems.check('name', dnsLabel(id, 52)); // `<id>-<10 hex>` stays within 63
    problems.check('command', Array.isArray(props.command) && props.command.length > 0 && props.command.every((x) => typeof x === 'string') ? undefined : `${show(props.command)} is not a command; give e.g. ["./backend", "migrate"]`);
    if (database !== undefined && !(database instanceof Postgres)) problems.check('database', 'must be a Postgres of this platform');
    else if (database !== undefined && PlatformChart.of(database) !== chart) problems.check('database', `"${database.host}" belongs to another platform or env`);
    if (props.deadlineSeconds !== undefined) problems.check('deadlineSeconds', wholeNumber(props.deadlineSeconds, 30));
    if (props.uses !== undefined && !Array.isArray(props.uses)) problems.check('uses', `expected a list, got ${show(props.uses)}`);
    for (const [f, m] of usesProblems(props.uses, chart)) problems.check(f, m);
    for (const [f, m] of containerProblems({ image: props.image, resources: props.resources, env: props.env }, chart.pinnedImages, chart.env.name)) problems.check(f, m);
    if (problems.report(this)) return;

    const wait = database?.peer
      ? hardenedContainer({
          name: 'wait-for-database',
          image: database.image,
          command: ['sh', '-c', 'until pg_isready --host="$PGHOST" --port="$PGPORT" --timeout=2; do sleep 2; done'],
          env: { PGHOST: database.host, PGPORT: String(POSTGRES_PORT) },
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
          writable: [],
        }).container
      : undefined;
    const { container, volumes } = hardenedContainer({
      name: 'migrate',
      image: props.image,
      command: props.command,
      env: props.env,
      resources: props.resources,
    });
    new k8s.KubeJob(this, 'Resource', {
      metadata: chart.metadata(this.jobName, { app: id, component: 'migration', annotations: MIGRATION_HOOK }),
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: props.deadlineSeconds ?? 900,
        template: {
          metadata: { labels: chart.commonLabels(id, 'migration') },
          spec: hardenedPodSpec({ initContainers: wait ? [wait] : undefined, containers: [container], volumes, user: props.user, restartPolicy: 'Never' }),
        },
      },
    });
    const peer = new NetworkPeer(this, 'network', chart, id, chart.selectorLabels(id));
    for (const u of [...(database ? [database] : []), ...(props.uses ?? [])]) if (u.peer) peer.connectTo(u.peer, u.connectPorts);
  }
}
