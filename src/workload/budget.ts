import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { PlatformChart } from '../platform-chart';

/** The workload's PodDisruptionBudget: at most one pod evicted at a time. */
export function renderBudget(scope: Construct, id: string, component: string): void {
  const chart = PlatformChart.of(scope);
  new k8s.KubePodDisruptionBudget(scope, 'budget', {
    metadata: chart.metadata(id, { component }),
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: chart.selectorLabels(id) } },
  });
}
