import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { hardenedPodSpec } from '../pod';
import { PlatformChart } from '../platform-chart';
import { WAIVER_PREFIX } from '../documents';
import { WorkloadPod } from './container';
import { Shape, WorkloadOptions } from './options';

/** The annotations that carry the workload's policy waivers onto its controller. */
export function waiverAnnotations(props: WorkloadOptions): Record<string, string> {
  return props.writableRoot ? { [`${WAIVER_PREFIX}read-only-root`]: props.writableRoot.reason } : {};
}

/** The workload's pod template, the same under a Deployment and a singleton's StatefulSet. */
export function podTemplate(chart: PlatformChart, id: string, props: WorkloadOptions, shape: Shape, pod: WorkloadPod): k8s.PodTemplateSpec {
  const { ports } = pod;
  return {
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
  };
}
