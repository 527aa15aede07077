import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { Autoscale } from '../environment';
import { PlatformChart } from '../platform-chart';

/** The workload's HorizontalPodAutoscaler on CPU utilization (70% unless the profile says otherwise). */
export function renderAutoscaler(scope: Construct, id: string, component: string, autoscale: Autoscale): void {
  const chart = PlatformChart.of(scope);
  new k8s.KubeHorizontalPodAutoscalerV2(scope, 'autoscaler', {
    metadata: chart.metadata(id, { component }),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: id },
      minReplicas: autoscale.minReplicas,
      maxReplicas: autoscale.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscale.cpuUtilization ?? 70 } } }],
    },
  });
}
