import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { PlatformChart } from '../platform-chart';
import { WorkloadPod } from './container';
import { Shape, WorkloadOptions } from './options';
import { podTemplate, waiverAnnotations } from './pod-template';

/**
 * The workload's Deployment: rolling updates that never drop below the desired count; no replica
 * count when an autoscaler owns it. A singleton renders a StatefulSet instead (stateful-set.ts).
 */
export function renderDeployment(scope: Construct, id: string, props: WorkloadOptions, shape: Shape, pod: WorkloadPod, replicas: number | undefined): void {
  const chart = PlatformChart.of(scope);
  new k8s.KubeDeployment(scope, 'Resource', {
    metadata: chart.metadata(id, {
      component: shape.component,
      annotations: waiverAnnotations(props),
    }),
    spec: {
      replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: chart.selectorLabels(id) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
      template: podTemplate(chart, id, props, shape, pod),
    },
  });
}
