import { Construct } from 'constructs';
import { HealthCheck } from '../pod';
import { WorkloadOptions } from './options';
import { Workload } from './workload';

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
