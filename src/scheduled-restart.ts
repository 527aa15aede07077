import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { cronSchedule, dnsLabel, timeZone } from './checks';
import { Resources } from './environment';
import { NetworkPeer } from './network';
import { containerProblems, hardenedContainer, hardenedPodSpec } from './pod';
import { PlatformChart } from './platform-chart';
import { Problems } from './problems';

/** A workload a {@link ScheduledRestart} can restart. */
export interface Restartable {
  /** Name of its Deployment or StatefulSet. */
  readonly name: string;
  /**
   * What runs its pods: a Singleton's is a StatefulSet.
   * @default "Deployment"
   */
  readonly kind?: 'Deployment' | 'StatefulSet';
  /** Whether it rendered (false when its own input was wrong). */
  readonly rendered: boolean;
}

/** Props of {@link ScheduledRestart}. */
export interface ScheduledRestartProps {
  /** The workload whose Deployment (a Singleton's StatefulSet) is restarted. */
  readonly target: Restartable;
  /** Cron schedule (five fields), read in `timeZone`, e.g. `0 0 * * *` for midnight. */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule.
   * @default - the env's time zone
   */
  readonly timeZone?: string;
  /** An image with `kubectl`, pinned like every other image. */
  readonly image: string;
  /**
   * CPU and memory of the restart pod.
   * @default - 10m/32Mi requested, 128Mi limit
   */
  readonly resources?: Resources;
}

/**
 * Restarts one Deployment (or a Singleton's StatefulSet) on a schedule with `kubectl rollout
 * restart` (a restart that honours its update strategy and probes), instead of a process
 * manager's cron restart. It runs under its own ServiceAccount, bound to a Role that may `get`
 * and `patch` exactly that object and nothing else; its NetworkPolicy lets it reach only the API server. Runs never
 * overlap.
 */
export class ScheduledRestart extends Construct {
  /** Name of the CronJob, ServiceAccount, Role and RoleBinding. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: ScheduledRestartProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    this.name = id;
    const zone = props.timeZone ?? chart.timeZone;
    const resources = props.resources ?? { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } };

    const problems = new Problems();
    problems.check('name', dnsLabel(id, 52));
    problems.check('schedule', cronSchedule(props.schedule));
    problems.check('timeZone', timeZone(zone));
    if (!(props.target instanceof Construct) || typeof props.target.name !== 'string') problems.check('target', 'must be a workload (WebService, Worker or Singleton) of this platform');
    else if (PlatformChart.of(props.target as unknown as Construct) !== chart) problems.check('target', `"${props.target.name}" belongs to another platform or env`);
    for (const [f, m] of containerProblems({ image: props.image, resources }, chart.pinnedImages, chart.env.name)) problems.check(f, m);
    if (problems.report(this) || !props.target.rendered) return;

    const target = props.target.name;
    const kind = props.target.kind ?? 'Deployment';
    const resource = kind === 'StatefulSet' ? 'statefulsets' : 'deployments';
    new k8s.KubeServiceAccount(this, 'account', {
      metadata: chart.metadata(id, { component: 'restart' }),
      automountServiceAccountToken: false, // mounted only into the restart pod, which asks for it
    });
    new k8s.KubeRole(this, 'role', {
      metadata: chart.metadata(id, { component: 'restart' }),
      rules: [{ apiGroups: ['apps'], resources: [resource], resourceNames: [target], verbs: ['get', 'patch'] }],
    });
    new k8s.KubeRoleBinding(this, 'binding', {
      metadata: chart.metadata(id, { component: 'restart' }),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: id },
      subjects: [{ kind: 'ServiceAccount', name: id, namespace: chart.namespace }],
    });

    const { container, volumes } = hardenedContainer({
      name: 'restart',
      image: props.image,
      command: ['kubectl', 'rollout', 'restart', `${kind.toLowerCase()}/${target}`, `--namespace=${chart.namespace}`],
      env: { HOME: '/tmp' }, // kubectl's cache
      resources,
    });
    new k8s.KubeCronJob(this, 'Resource', {
      metadata: chart.metadata(id, { component: 'restart' }),
      spec: {
        schedule: props.schedule,
        timeZone: zone,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: chart.commonLabels(id, 'restart') },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 600,
            template: {
              metadata: { labels: chart.commonLabels(id, 'restart') },
              spec: hardenedPodSpec({ containers: [container], volumes, restartPolicy: 'Never', serviceAccountName: id }),
            },
          },
        },
      },
    });
    new NetworkPeer(this, 'network', chart, id, chart.selectorLabels(id)).allowApiServer();
  }
}
