import { Construct } from 'constructs';
import { renderServiceMonitor } from '../monitoring';
import { Connectable, NetworkPeer } from '../network';
import { objectStorageEgress } from '../object-storage';
import { PlatformChart } from '../platform-chart';
import { renderAutoscaler } from './autoscaler';
import { renderBudget } from './budget';
import { renderClaims } from './claims';
import { workloadPod } from './container';
import { renderDeployment } from './deployment';
import { Shape, WorkloadOptions } from './options';
import { renderSingletonSet } from './stateful-set';
import { renderService } from './service';
import { workloadProblems } from './validate';

/**
 * Deployment (a one-replica StatefulSet for a singleton), optional Service,
 * HorizontalPodAutoscaler and PodDisruptionBudget, and the workload's NetworkPolicy. Not exported from the package: use {@link WebService},
 * {@link Worker} or {@link Singleton}.
 */
export abstract class Workload extends Construct implements Connectable {
  /** Name of the Deployment (a StatefulSet for a {@link Singleton}), its Service and its NetworkPolicy. */
  public readonly name: string;
  /** Kind of the object that runs the pods: `StatefulSet` for a singleton, else `Deployment`. */
  public readonly kind: 'Deployment' | 'StatefulSet';
  /** Image reference. */
  public readonly image: string;
  /** The pods as a network peer. */
  public readonly peer!: NetworkPeer;
  /** Pod ports clients reach (NetworkPolicies match pod ports, not Service ports), or none. */
  public readonly connectPorts: readonly number[];
  /**
   * Service port, when the workload has a Service.
   * @default - none: the workload has no Service
   */
  public readonly servicePort?: number;
  /** Whether the input was valid and objects were rendered. */
  public readonly rendered: boolean = false;

  protected constructor(scope: Construct, id: string, props: WorkloadOptions, shape: Shape) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    this.name = id;
    this.kind = shape.singleton ? 'StatefulSet' : 'Deployment';
    this.image = props.image;
    this.servicePort = shape.port !== undefined ? (shape.servicePort ?? shape.port) : undefined;
    this.connectPorts = shape.port !== undefined ? [shape.port] : [];
    if (workloadProblems(id, props, shape, chart).report(this)) return;

    const { profile } = props;
    const metricsPort = props.metrics?.port;
    const archives = (shape.volumes ?? []).some((v) => v.backupOnStart) ? { store: chart.env.objectStorage!, platform: chart.platform } : undefined;
    const pod = workloadPod(id, props, shape, archives);
    const autoscale = shape.singleton ? undefined : profile.autoscale;
    const replicas = shape.singleton ? 1 : (profile.replicas ?? 1);

    if (shape.singleton) renderSingletonSet(this, id, props, shape, pod);
    else renderDeployment(this, id, props, shape, pod, autoscale ? undefined : replicas);
    renderClaims(this, id, shape.component, pod);
    renderService(this, id, shape.component, this.servicePort, metricsPort);
    if (props.metrics && chart.env.monitoring) {
      renderServiceMonitor(this, {
        name: id,
        serviceLabels: chart.selectorLabels(id),
        portName: metricsPort !== undefined ? 'metrics' : 'http',
        path: props.metrics.path ?? '/metrics',
        interval: props.metrics.interval ?? '30s',
      });
    }
    if (autoscale) renderAutoscaler(this, id, shape.component, autoscale);
    // A budget only where it can hold: with more than one pod, at most one is evicted at a time.
    // Never on a singleton: a budget of zero disruptions would block every node drain forever.
    if (!shape.singleton && (autoscale ? autoscale.maxReplicas > 1 : replicas > 1)) renderBudget(this, id, shape.component);

    (this as { peer: NetworkPeer }).peer = new NetworkPeer(this, 'network', chart, id, chart.selectorLabels(id));
    for (const u of props.uses ?? []) if (u.peer) this.peer.connectTo(u.peer, u.connectPorts);
    if (props.egress) this.peer.allowExternal(props.egress);
    if (archives) this.peer.allowExternal([objectStorageEgress(archives.store)]);
    if (props.metrics) this.peer.allowScrape([metricsPort ?? shape.port!]);
    (this as { rendered: boolean }).rendered = true;
  }
}
