import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { PlatformChart } from '../platform-chart';

/**
 * The workload's ClusterIP Service: `http` on the service port and `metrics` on the metrics port,
 * each targeting the named container port; none when the workload has neither.
 */
export function renderService(scope: Construct, id: string, component: string, servicePort: number | undefined, metricsPort: number | undefined): void {
  const chart = PlatformChart.of(scope);
  const ports: k8s.ServicePort[] = [
    ...(servicePort !== undefined ? [{ name: 'http', port: servicePort, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }] : []),
    ...(metricsPort !== undefined ? [{ name: 'metrics', port: metricsPort, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }] : []),
  ];
  if (ports.length === 0) return;
  new k8s.KubeService(scope, 'service', {
    metadata: chart.metadata(id, { component }),
    spec: { type: 'ClusterIP', selector: chart.selectorLabels(id), ports },
  });
}
