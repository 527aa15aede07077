import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { PlatformChart } from '../platform-chart';
import { WorkloadPod } from './container';

/**
 * The PersistentVolumeClaims of a workload: one per volume (`volume-<name>`), then one per volume
 * backed up on start (`backups-<name>`), all ReadWriteOnce in the env's storage class unless the
 * profile names one.
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
  for (const b of pod.backups) {
    new k8s.KubePersistentVolumeClaim(scope, `backups-${b.claim.name}`, {
      metadata: chart.metadata(b.volume.persistentVolumeClaim!.claimName, { app: id, component: 'backup' }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: b.claim.backupOnStart!.storage.storageClass ?? chart.env.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(b.claim.backupOnStart!.storage.size) } },
      },
    });
  }
}
