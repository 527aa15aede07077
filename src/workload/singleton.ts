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
