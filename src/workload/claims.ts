import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { PlatformChart } from '../platform-chart';
import { WorkloadPod } from './container';

/**
 * The PersistentVolumeClaims of a workload: one per volume (`volume-<name>`), ReadWriteOnce in the
 * env's storage class unless the profile names one. Archives of a volume go to the env's object
 * storage, not to a claim of the namespace.
 */
export function renderClaims(scope: Construct, id: string, component: string, pod: WorkloadPod): void {
  const chart = PlatformChart.of(scope);
  for (const c of pod.claims) {
    new k8s.KubePersistentVolumeClaim(scope, `volume-${c.name}`, {
      metadata: chart.metadata(c.claimName, { app: id, component }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: c.storage.storageClass ?? chart.env.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(c.storage.size) } },
      },
    });
  }
}
