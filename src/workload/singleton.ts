import { Construct } from 'constructs';
import { port as portCheck } from '../checks';
import { HealthCheck } from '../pod';
import { PersistentVolume, WorkloadOptions } from './options';
import { Workload } from './workload';

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
   * Persistent volumes, each a PVC `<name>-<volume>` the pod mounts (ReadWriteOnce: a singleton is
   * the one workload that can own one, since its next pod starts only once the old one is gone).
   * @default - none
   */
  readonly volumes?: readonly PersistentVolume[];
}

/**
 * At most one pod, ever: schedulers, Celery beat, a trading engine. Renders a StatefulSet of one
 * replica, whose controller starts the next pod `<name>-0` only once the old one is gone from the
 * API, even when its node stops answering (a Deployment, even with `Recreate`, starts the
 * replacement while the old pod may still run). No autoscaler, no PodDisruptionBudget (it could
 * only block node drains); replicas other than 1 in a profile are an error.
 *
 * For a hard guarantee the process must still hold a lease (a Kubernetes Lease or a database
 * advisory lock) and stop acting when it loses it: a person can force-delete a pod whose node is
 * unreachable, and the API then believes it gone.
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
