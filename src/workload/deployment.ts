import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { hardenedPodSpec } from '../pod';
import { PlatformChart } from '../platform-chart';
import { WAIVER_PREFIX } from '../policy/waiver';
import { WorkloadPod } from './container';
import { Shape, WorkloadOptions } from './options';

/**
 * The workload's Deployment: rolling updates that never drop below the desired count; no replica
 * count when an autoscaler owns it. A singleton renders a StatefulSet instead (stateful-set.ts).
 */
export function renderDeployment(scope: Construct, id: string, props: WorkloadOptions, shape: Shape, pod: WorkloadPod, replicas: number | undefined): void {
  const chart = PlatformChart.of(scope);
  const { ports } = pod;
  new k8s.KubeDeployment(scope, 'Resource', {
    metadata: chart.metadata(id, {
      component: shape.component,
      annotations: {
        ...(props.writableRoot ? { [`${WAIVER_PREFIX}read-only-root`]: props.writableRoot.reason } : {}),
      },
    }),
    spec: {
      replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: chart.selectorLabels(id) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
      template: {
        metadata: { labels: { ...chart.commonLabels(id, shape.component) } },
        spec: hardenedPodSpec({
          initContainers: pod.backups.map((b) => b.container),
          containers: [pod.container],
          volumes: pod.volumes,
          user: props.user,
          terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
          // A non-root process can bind a port below 1024 only when the pod lowers this namespaced sysctl.
          unprivilegedPortStart: ports.some((p) => p.containerPort < 1024) ? Math.min(...ports.map((p) => p.containerPort)) : undefined,
        }),
      },
    },
  });
}
