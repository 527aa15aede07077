import { Construct } from 'constructs';
import { port as portCheck } from '../checks';
import { HealthCheck } from '../pod';
import { WorkloadOptions } from './options';
import { Workload } from './workload';

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
