import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PlatformChart } from './platform-chart';

/** Where a workload serves Prometheus metrics. */
export interface MetricsEndpoint {
  /**
   * Port of the metrics endpoint, exposed as the container and Service port `metrics`.
   * @default - the workload's own port (`http`)
   */
  readonly port?: number;
  /**
   * HTTP path of the endpoint.
   * @default "/metrics"
   */
  readonly path?: string;
  /**
   * Scrape interval.
   * @default "30s"
   */
  readonly interval?: string;
}

/** Input of {@link renderServiceMonitor}. */
export interface ServiceMonitorInput {
  /** Name of the ServiceMonitor and of the Service it selects. */
  readonly name: string;
  /** Labels of the Service. */
  readonly serviceLabels: Readonly<Record<string, string>>;
  /** Name of the Service port to scrape. */
  readonly portName: string;
  readonly path: string;
  readonly interval: string;
}

/**
 * A prometheus-operator ServiceMonitor (monitoring.coreos.com/v1) that scrapes one port of one
 * Service of the platform's namespace. Typed by `@kubernetes-models/prometheus-operator`, which
 * also validates it at synth.
 */
export function renderServiceMonitor(scope: Construct, m: ServiceMonitorInput): ApiObject {
  const chart = PlatformChart.of(scope);
  const monitoring = chart.env.monitoring!;
  const doc: IServiceMonitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    spec: {
      selector: { matchLabels: { ...m.serviceLabels } },
      namespaceSelector: { matchNames: [chart.namespace] },
      endpoints: [{ port: m.portName, path: m.path, interval: m.interval, scheme: 'http' }],
    },
  };
  return new ApiObject(scope, 'monitor', {
    apiVersion: doc.apiVersion,
    kind: doc.kind,
    metadata: chart.metadata(m.name, { component: 'monitoring', labels: monitoring.serviceMonitorLabels }),
    spec: doc.spec,
  });
}
